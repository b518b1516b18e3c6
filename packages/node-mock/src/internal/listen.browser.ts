// What "#listen" is in a browser bundle: there is no server to listen with, only the in-process fetch.
import { Effect, type Scope } from "effect"
import * as MockNodeError from "../MockNodeError.js"
import type { NodeState } from "./state.js"

export const listen = (
  _state: NodeState,
  host: string,
  requestedPort: number
): Effect.Effect<{ readonly port: number; readonly url: string }, MockNodeError.MockNodeError, Scope.Scope> =>
  Effect.fail(
    new MockNodeError.MockNodeError({
      reason: new MockNodeError.ServeFailed({
        host,
        port: requestedPort,
        detail: "there is no server outside Node; start it with listen: false and use its fetch"
      })
    })
  )
