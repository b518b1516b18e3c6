/**
 * Many nodes, with the Promise API: ask a router which nodes run a container, then let a pool route jobs, see a node
 * go down and the next job routed around it. Run it against a mock network:
 *
 *   npx infernet-node-mock --nodes 3 --router --router-limit off
 *   ROUTER_URL=http://localhost:4100 node scripts/run-ts.mjs examples/network.ts
 *
 * `test/NodePool.test.ts` runs it against @infernet/node-mock's `startMockNetwork`.
 */
import { createNodePool, createRouterClient, NodeClientError } from "@infernet/client/promise"
import { pathToFileURL } from "node:url"

/** What the walk-through returns (for the test that runs it). */
export interface Outcome {
  readonly nodes: ReadonlyArray<string>
  readonly first: { readonly id: string; readonly node: string }
  readonly afterDown: { readonly id: string; readonly node: string }
}

export async function manyNodes(
  routerUrl: string,
  /** Takes a node down (in the demo: the mock network's chaos control). */
  stop: (node: string) => Promise<void>,
  log: (...values: Array<unknown>) => void = console.log
): Promise<Outcome> {
  // The router: which containers the network runs, and which nodes run hello-world (least busy first).
  await using router = createRouterClient({ url: routerUrl })
  log(await router.containers())
  const nodes = await router.findNodes(["hello-world"], { n: 10 })
  log(nodes)

  // A pool over those nodes, refreshed from the router; each job goes to a healthy node running its containers.
  await using pool = await createNodePool({ router: { url: routerUrl, containers: ["hello-world"] } })
  const first = await pool.submitJob({ containers: ["hello-world"], data: { name: "Ritual" } })
  log(`job ${first.id} on ${first.node}:`, (await pool.getJobResultSync(first.id)).result)

  // The node that took it goes down: the next job goes to another node. Results of jobs on the dead node fail with
  // a NodeUnavailable reason naming it (nothing is retried where it could run twice).
  await stop(first.node)
  const afterDown = await pool.submitJob({ containers: ["hello-world"], data: { name: "again" } })
  log(`job ${afterDown.id} on ${afterDown.node}`)
  try {
    await pool.getJobResultSync(first.id)
  } catch (err) {
    if (err instanceof NodeClientError && err.reason._tag === "NodeUnavailable") log("unavailable:", err.reason.node)
    else throw err
  }
  log(await pool.snapshot())
  return { nodes, first, afterDown }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const routerUrl = process.env.ROUTER_URL ?? "http://localhost:4100"
  // Outside the test, "taking a node down" goes through the mock router's chaos API.
  await manyNodes(routerUrl, async (node) => {
    const nodes = (await (await fetch(`${routerUrl}/__mock/nodes`)).json()) as Array<{ index: number; url: string }>
    const index = nodes.find((n) => n.url === node)?.index
    if (index !== undefined) await fetch(`${routerUrl}/__mock/nodes/${index}/down`, { method: "POST" })
  })
}
