import { type Client, createPublicClient, custom, type Hex } from "viem"

/**
 * A viem client over a scripted JSON-RPC transport: `answers[method]` answers each call (a value, or a function of
 * the params); unknown methods throw. `calls` records every method called, in order.
 */
export const fakeRpc = (answers: Record<string, unknown | ((params: ReadonlyArray<unknown>) => unknown)>) => {
  const calls: Array<string> = []
  const client: Client = createPublicClient({
    transport: custom({
      request: async ({ method, params }: { method: string; params?: ReadonlyArray<unknown> }) => {
        calls.push(method)
        if (!(method in answers)) throw new Error(`unexpected RPC call ${method}`)
        const answer = answers[method]
        return typeof answer === "function" ? answer(params ?? []) : answer
      }
    })
  })
  return { client, calls }
}

/** A transaction hash for scripted answers. */
export const fakeHash: Hex = `0x${"ab".repeat(32)}`
