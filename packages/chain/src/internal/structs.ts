// The Coordinator's `Subscription` struct of each generation, field by field (chain.md). One definition serves the
// EIP-712 types (DelegatedSubscription) and the Coordinator ABI tuples (Coordinator).

export const subscriptionFieldsV0 = [
  { name: "owner", type: "address" },
  { name: "activeAt", type: "uint32" },
  { name: "period", type: "uint32" },
  { name: "frequency", type: "uint32" },
  { name: "redundancy", type: "uint16" },
  { name: "maxGasPrice", type: "uint48" },
  { name: "maxGasLimit", type: "uint32" },
  { name: "containerId", type: "string" },
  { name: "inputs", type: "bytes" }
] as const

export const subscriptionFieldsV1 = [
  { name: "owner", type: "address" },
  { name: "activeAt", type: "uint32" },
  { name: "period", type: "uint32" },
  { name: "frequency", type: "uint32" },
  { name: "redundancy", type: "uint16" },
  { name: "containerId", type: "bytes32" },
  { name: "lazy", type: "bool" },
  { name: "verifier", type: "address" },
  { name: "paymentAmount", type: "uint256" },
  { name: "paymentToken", type: "address" },
  { name: "wallet", type: "address" }
] as const

export const delegateSubscriptionFields = [
  { name: "nonce", type: "uint32" },
  { name: "expiry", type: "uint32" },
  { name: "sub", type: "Subscription" }
] as const
