/** The package version, sent in the `User-Agent` (kept equal to package.json by `scripts/version.mjs`, checked by a test). */
export const version = "0.0.0"
