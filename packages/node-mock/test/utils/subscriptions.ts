// Delegated-subscription request bodies from chain.md's test vectors, as REST bodies.

// chain.md, generation 1 (the usage page's Subscription)
export const V0_COORDINATOR = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
export const V0_OWNER = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"
export const v0Body = (overrides: { subscription?: object; signature?: object } = {}) => ({
  subscription: {
    owner: V0_OWNER,
    active_at: 1700000000,
    period: 60,
    frequency: 10,
    redundancy: 2,
    max_gas_price: 1000000000000,
    max_gas_limit: 3000000,
    container_id: "hello-world,another",
    inputs: "0x1234",
    ...overrides.subscription
  },
  signature: {
    nonce: 1,
    expiry: 2000000000,
    v: 27,
    r: 0xf8ad0f2bbc399e1ae81f38c0e55053144c958d9f34493e6b00b97c6f3b96c4fbn,
    s: 0x7e8a9497dfbef1531dede2129ca62c0086a90ff6390bc8e53978760d386aad28n,
    ...overrides.signature
  },
  data: { prompt: "hi" }
})
