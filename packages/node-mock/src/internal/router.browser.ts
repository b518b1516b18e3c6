// What "#router" is in a browser bundle: a network's router is a node:http server, which a browser does not have.
import type { Router, RouterSettings } from "./router.js"

export const makeRouter = (_settings: RouterSettings): Router => {
  throw new Error("node-mock: a mock network needs Node (its router and nodes listen on ports)")
}
