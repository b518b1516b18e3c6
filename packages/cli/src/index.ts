/**
 * `@infernet/cli`: the `infernet-client` command line for Infernet nodes, and its command tree as a library.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Cli from "./Cli.js"
/** @since 0.1.0 */
export * as CliError from "./CliError.js"
