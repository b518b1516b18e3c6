import { zeroAddress } from "viem"
import { Subscription } from "../../src/index.js"

/** chain.md: the standard test mnemonic's account #1 signs every vector. */
export const signerKey = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d" as const
export const signerAddress = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as const
export const mnemonic = "test test test test test test test test test test test junk"
/** Anvil account #2 and #3 (other fixed keys). */
export const key2 = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a" as const
export const address2 = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" as const
export const key3 = "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6" as const

export const chainId = 31337
export const nonce = 1
export const expiry = 2_000_000_000

/** Generation 1 vector. */
export const v0 = {
  coordinator: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  subscription: Subscription.v0({
    owner: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
    activeAt: 1_700_000_000,
    period: 60,
    frequency: 10,
    redundancy: 2,
    maxGasPrice: 1_000_000_000_000,
    maxGasLimit: 3_000_000,
    containers: ["hello-world", "another"],
    inputs: "0x1234"
  }),
  domainSeparator: "0x55c593093c8702a415567d254ddab7a6a05289bfec49d4ce66f6f42ae9640489",
  digest: "0xe7880553d83097f27455e7f186601dde56b988e204b388ad812ca8e8d334aba5",
  typeHash: "0x1950b0dfc42b437b752641a63d09bd2a7d858914bdd31db6ef0dc3e5b2bf544e",
  v: 27,
  r: 0xf8ad0f2bbc399e1ae81f38c0e55053144c958d9f34493e6b00b97c6f3b96c4fbn,
  s: 0x7e8a9497dfbef1531dede2129ca62c0086a90ff6390bc8e53978760d386aad28n
} as const

/** Generation 2 vector. */
export const v1 = {
  coordinator: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  subscription: Subscription.v1({
    owner: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
    activeAt: 1_700_000_000,
    period: 60,
    frequency: 10,
    redundancy: 2,
    containers: ["hello-world", "another"],
    lazy: false,
    verifier: zeroAddress,
    paymentAmount: 0n,
    paymentToken: zeroAddress,
    wallet: zeroAddress
  }),
  containerId: "0x62b6da134ca24d08070bbe76f9f581154b129fdd1460d9a5b0ee7b264adc0825",
  domainSeparator: "0x0da40050d747332d4028233d5e6cc011e618dc2dd0e9d30b9886f503a7a8d8cc",
  digest: "0xe8e440af5ffb9ea74f56810b905abdcbfa46c4fff52453e6d389451b219ce642",
  typeHash: "0xba9ff1aef2b048b42767aade2b901745a3acf14f698a9ec13952098cfd03d0b6",
  v: 28,
  r: 0xcb47bffafdce89a7ab160b2668742891e31c50b0fdbeb8a1e9a23527bbd6f971n,
  s: 0x4bd00b37fcb7c4390aac9b11e124f13b3911c48ecbc5c68f4d1c368a06686d75n
} as const
