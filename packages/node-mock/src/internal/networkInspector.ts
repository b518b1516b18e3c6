// The inspector page on a network's router (`GET /__mock/ui`): the same page as a node's, fed with the network's
// state: every node's chaos and the router's view of it, and each node's own inspector state (asked over loopback;
// a node that does not answer within a second shows as down).
import type { IncomingMessage, ServerResponse } from "node:http"
import { Json } from "@infernet/types"
import { INSPECTOR_PAGE } from "./inspectorPage.js"
import type { RouterNode } from "./router.js"

export interface NetworkView {
  readonly nodes: ReadonlyArray<RouterNode>
  readonly view: (address: string) => { readonly available: boolean; readonly lastError: string | undefined }
  readonly available: () => ReadonlyArray<string>
}

const send = (response: ServerResponse, status: number, text: string, contentType: string) => {
  response.writeHead(status, {
    "content-type": contentType,
    "content-length": String(Buffer.byteLength(text)),
    "cache-control": "no-store"
  })
  response.end(text)
}

const ask = async (url: string): Promise<{ status: number; body: unknown } | { error: string }> => {
  try {
    const answer = await fetch(url, { signal: AbortSignal.timeout(1000) })
    return { status: answer.status, body: Json.parse(await answer.text()) }
  } catch (error) {
    const cause = (error as Error).cause as { code?: string } | undefined
    return { error: cause?.code ?? (error as Error).name ?? "unreachable" }
  }
}

/** Answers `/__mock/ui`, `/__mock/ui/state` and `/__mock/ui/job?node=&id=` on the router; `false` for other paths. */
export const inspectNetwork = (
  network: NetworkView,
  path: string,
  request: IncomingMessage,
  response: ServerResponse
): Promise<boolean> | boolean => {
  if (path === "/__mock/ui") {
    send(response, 200, INSPECTOR_PAGE, "text/html; charset=utf-8")
    return true
  }
  const url = new URL(request.url ?? "/", "http://router")
  if (path === "/__mock/ui/state") {
    return Promise.all(
      network.nodes.map(async (node, index) => {
        const view = network.view(node.address)
        const chaos = node.chaos?.snapshot() ?? null
        const answer = chaos?.down === true ? { error: "down" } : await ask(`${node.url}/__mock/ui/state`)
        const ok = "status" in answer && answer.status === 200
        return {
          index,
          address: node.address,
          url: node.url,
          available: view.available,
          last_error: view.lastError ?? null,
          chaos,
          state: ok ? answer.body : null,
          error: ok ? null : "error" in answer ? answer.error : `HTTP ${answer.status}`
        }
      })
    ).then((nodes) => {
      send(
        response,
        200,
        Json.canonical({
          kind: "network",
          now: Date.now(),
          router: { url: `http://${request.headers.host ?? "localhost"}`, available: network.available() },
          nodes
        }),
        "application/json"
      )
      return true
    })
  }
  if (path === "/__mock/ui/job") {
    const node = network.nodes[Number(url.searchParams.get("node"))]
    if (node === undefined) {
      send(response, 404, Json.canonical({ error: "Unknown node" }), "application/json")
      return true
    }
    return ask(`${node.url}/__mock/ui/job?id=${encodeURIComponent(url.searchParams.get("id") ?? "")}`).then(
      (answer) => {
        if ("error" in answer) send(response, 502, Json.canonical({ error: answer.error }), "application/json")
        else send(response, answer.status, Json.canonical(answer.body), "application/json")
        return true
      }
    )
  }
  return false
}
