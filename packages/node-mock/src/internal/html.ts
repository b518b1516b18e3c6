// The HTML error pages the real node's framework (Quart on Werkzeug) answers for framework-level errors.
const page = (code: number, name: string, description: string) =>
  `<!doctype html>\n<html lang=en>\n<title>${code} ${name}</title>\n<h1>${name}</h1>\n<p>${description}</p>\n`

export const NOT_FOUND = page(
  404,
  "Not Found",
  "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again."
)
export const METHOD_NOT_ALLOWED = page(405, "Method Not Allowed", "The method is not allowed for the requested URL.")
export const TOO_MANY_REQUESTS = page(
  429,
  "Too Many Requests",
  "The user has sent too many requests in a given amount of time."
)
export const REQUEST_TOO_LARGE = page(
  413,
  "Request Entity Too Large",
  "The data value transmitted exceeds the capacity limit."
)
export const INTERNAL_SERVER_ERROR = page(
  500,
  "Internal Server Error",
  "The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application."
)
