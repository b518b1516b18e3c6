// The live inspector (`GET /__mock/ui`): what the page polls (`/__mock/ui/state`, `/__mock/ui/job?id=`), built from
// the node's state. Job inputs are kept here (the store keeps only results), for the last JOB_INPUTS jobs.
import { Schema } from "effect"
import type { Json } from "@infernet/types"
import * as MockConfig from "../MockConfig.js"
import { replayerOf, summary } from "./replay.js"
import { lastOf, type NodeState } from "./state.js"
import type { ContainerResult } from "./store.js"

const JOB_INPUTS = 1000
const LISTED = 200
const PREVIEW = 160

const inputs = new WeakMap<NodeState, Map<string, Json.JsonValue>>()

/** Remembers a job's input for the page (the last {@link JOB_INPUTS} jobs). */
export const noteInput = (state: NodeState, id: string, data: Json.JsonValue): void => {
  let map = inputs.get(state)
  if (map === undefined) {
    map = new Map()
    inputs.set(state, map)
  }
  map.set(id, data)
  if (map.size > JOB_INPUTS) map.delete(map.keys().next().value!)
}

export const clearInputs = (state: NodeState): void => {
  inputs.get(state)?.clear()
}

const encodeBehavior = Schema.encodeSync(MockConfig.Behavior)

const preview = (result: ContainerResult | undefined): string => {
  if (result === undefined) return ""
  const text =
    "error" in result
      ? `error: ${result.error}`
      : JSON.stringify(result.output, (_, v) => (typeof v === "bigint" ? v.toString() : v))
  return text.length > PREVIEW ? `${text.slice(0, PREVIEW)}…` : text
}

/** What the page shows of a node, refreshed every poll. Job results are previews; the page asks for one in full. */
export const nodeSnapshot = (state: NodeState) => {
  const now = state.now()
  const jobs = state.store
    .snapshot(now)
    .sort((a, b) => b.startedAt - a.startedAt)
    .slice(0, LISTED)
    .map((job) => ({
      id: job.id,
      client: job.client,
      status: job.status,
      containers: job.containers,
      started_at: job.startedAt,
      updated_at: job.updatedAt,
      duration_ms: job.status === "running" ? now - job.startedAt : job.updatedAt - job.startedAt,
      preview: preview(job.results[job.results.length - 1])
    }))
  const replayer = replayerOf(state)
  return {
    kind: "node" as const,
    now,
    version: state.config.mock.version,
    chain: { enabled: state.config.chain.enabled, address: state.nodeAddress },
    containers: [...state.containers.values()].map((c) => ({
      id: c.config.id,
      description: c.config.description,
      external: c.config.external,
      behavior: encodeBehavior(c.behavior)
    })),
    jobs,
    pending: state.store.pendingCount(now),
    requests: lastOf(state.requests, LISTED).reverse(),
    subscriptions: lastOf(state.subscriptions, LISTED).reverse(),
    rate_limit: {
      config: state.config.mock.rate_limit ?? null,
      entries: state.limiter.entries(now).map((entry) => {
        const config = state.config.mock.rate_limit
        const rule = config?.routes?.[entry.key.slice(0, entry.key.indexOf("|"))] ?? config
        if (rule === undefined) return { ...entry, limit: null, remaining: null }
        const periodMs = rule.period_seconds * 1000
        const remaining = Math.max(0, Math.trunc((periodMs - entry.ahead_ms) / (periodMs / rule.limit) + 1e-6))
        return { ...entry, limit: rule.limit, remaining }
      })
    },
    replay: replayer === undefined ? null : summary(replayer)
  }
}

/** One job in full: its input (when the node still has it), status, timings and every container's result. */
export const jobDetail = (state: NodeState, id: string) => {
  const now = state.now()
  const job = state.store.snapshot(now).find((j) => j.id === id)
  if (job === undefined) return undefined
  return {
    ...job,
    input: inputs.get(state)?.get(id) ?? null
  }
}
