// The behaviour names, shared by the config schema and its error formatting.
export const behaviorTypes = [
  "echo",
  "hello-world",
  "completion",
  "embeddings",
  "stream",
  "static",
  "fail",
  "proxy"
] as const

export type BehaviorType = (typeof behaviorTypes)[number]
