import { Effect } from "effect"
import { type Client, createPublicClient, http } from "viem"
import type * as ChainError from "../ChainError.js"
import * as Errors from "./errors.js"

/** Where RPC reads go: a viem client, or an RPC URL for which a public client is created. @internal */
export interface ClientParameters {
  /** A viem `PublicClient` (any `Client` with a transport). Takes precedence over `rpcUrl`. */
  readonly publicClient?: Client | undefined
  /** An HTTP(S) JSON-RPC URL, used when no `publicClient` is given. */
  readonly rpcUrl?: string | undefined
}

/** @internal */
export const resolveClient = (params: ClientParameters): Effect.Effect<Client, ChainError.ChainError> =>
  Effect.suspend(() => {
    if (params.publicClient !== undefined) return Effect.succeed(params.publicClient)
    if (typeof params.rpcUrl === "string" && params.rpcUrl.length > 0) {
      const url = params.rpcUrl
      if (!/^https?:\/\//i.test(url)) {
        return Effect.fail(
          Errors.rpcError("connect", new Error(`rpcUrl must be an http(s) URL, got ${JSON.stringify(url)}`))
        )
      }
      return Effect.succeed(createPublicClient({ transport: http(url, { retryCount: 1 }) }) as Client)
    }
    return Effect.fail(Errors.rpcError("connect", new Error("pass publicClient or rpcUrl")))
  })
