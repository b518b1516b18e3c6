// Job storage modelled on the real node's DataStore: two stores keyed by (client address, job id), pending jobs
// with a TTL (they are dropped when it passes, as a Redis key expires) and completed jobs without one.
import type { Job } from "@infernet/types"

export type ContainerResult = Job.ContainerOutput | Job.ContainerError

export interface StoredJob {
  readonly id: string
  readonly status: "running" | "success" | "failed"
  readonly containers: ReadonlyArray<string>
  readonly results: ReadonlyArray<ContainerResult>
  /** Epoch milliseconds of the last status change. */
  readonly updatedAt: number
  /** Epoch milliseconds when the job was first stored as running (its `updatedAt` when it never was). */
  readonly startedAt: number
}

interface PendingEntry {
  readonly job: StoredJob
  readonly expiresAt: number
}

/** A job as `GET /api/jobs?id=` answers it. */
export interface JobResultJson {
  readonly id: string
  readonly status: string
  readonly result: ContainerResult | null
  readonly intermediate_results?: ReadonlyArray<ContainerResult>
}

export interface JobSnapshot extends StoredJob {
  readonly client: string
}

const toResult = (job: StoredJob, intermediate: boolean): JobResultJson => {
  const result = job.results.length > 0 ? job.results[job.results.length - 1]! : null
  return intermediate
    ? { id: job.id, status: job.status, result, intermediate_results: job.results.slice(0, -1) }
    : { id: job.id, status: job.status, result }
}

export class JobStore {
  private readonly pending = new Map<string, Map<string, PendingEntry>>()
  private readonly completed = new Map<string, Map<string, StoredJob>>()

  constructor(private ttlMs: number) {}

  setTtl(ttlMs: number): void {
    this.ttlMs = ttlMs
  }

  private bucket<A>(stores: Map<string, Map<string, A>>, client: string): Map<string, A> {
    let bucket = stores.get(client)
    if (bucket === undefined) {
      bucket = new Map()
      stores.set(client, bucket)
    }
    return bucket
  }

  private purge(client: string, now: number): Map<string, PendingEntry> | undefined {
    const bucket = this.pending.get(client)
    if (bucket === undefined) return undefined
    for (const [id, entry] of bucket) if (entry.expiresAt <= now) bucket.delete(id)
    return bucket
  }

  setRunning(client: string, id: string, containers: ReadonlyArray<string>, now: number): void {
    const job: StoredJob = { id, status: "running", containers, results: [], updatedAt: now, startedAt: now }
    this.bucket(this.pending, client).set(id, { job, expiresAt: now + this.ttlMs })
  }

  setFinished(
    client: string,
    id: string,
    status: "success" | "failed",
    containers: ReadonlyArray<string>,
    results: ReadonlyArray<ContainerResult>,
    now: number
  ): void {
    const bucket = this.pending.get(client)
    const startedAt = bucket?.get(id)?.job.startedAt ?? now
    bucket?.delete(id)
    this.bucket(this.completed, client).set(id, { id, status, containers, results, updatedAt: now, startedAt })
  }

  /** Job ids of one client: pending first, then completed, as the real node lists them. */
  ids(client: string, filter: "pending" | "completed" | "all", now: number): Array<string> {
    const out: Array<string> = []
    if (filter !== "completed") for (const id of this.purge(client, now)?.keys() ?? []) out.push(id)
    if (filter !== "pending") for (const id of this.completed.get(client)?.keys() ?? []) out.push(id)
    return out
  }

  /**
   * Results by id for one client. Like the real node (one MGET on the completed store, then one on the pending
   * store), completed jobs come first, then pending ones; unknown ids are left out.
   */
  get(client: string, ids: ReadonlyArray<string>, intermediate: boolean, now: number): Array<JobResultJson> {
    const out: Array<JobResultJson> = []
    const completed = this.completed.get(client)
    if (completed !== undefined) {
      for (const id of ids) {
        const job = completed.get(id)
        if (job !== undefined) out.push(toResult(job, intermediate))
      }
    }
    const pending = this.purge(client, now)
    if (pending !== undefined) {
      for (const id of ids) {
        const entry = pending.get(id)
        if (entry !== undefined) out.push(toResult(entry.job, intermediate))
      }
    }
    return out
  }

  pendingCount(now: number): number {
    let count = 0
    for (const client of this.pending.keys()) count += this.purge(client, now)!.size
    return count
  }

  snapshot(now: number): Array<JobSnapshot> {
    const out: Array<JobSnapshot> = []
    for (const client of this.pending.keys()) {
      for (const entry of this.purge(client, now)!.values()) out.push({ client, ...entry.job })
    }
    for (const [client, bucket] of this.completed) for (const job of bucket.values()) out.push({ client, ...job })
    return out
  }

  clear(): void {
    this.pending.clear()
    this.completed.clear()
  }
}
