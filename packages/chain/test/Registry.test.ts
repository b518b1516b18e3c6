import { assert, describe, it } from "@effect/vitest"
import { anvilAccounts } from "../src/devnet/index.js"
import { type ChainError, Registry } from "../src/index.js"
import { reason, usePayments } from "./utils/payments.js"

describe("Registry (against Anvil)", () => {
  const { current } = usePayments()

  it("reads the Coordinator, Inbox, Reader, Fee and WalletFactory addresses", async () => {
    const contracts = await Registry.read({ rpcUrl: current().rpcUrl, registry: current().registry })
    assert.deepStrictEqual(contracts, {
      coordinator: current().coordinator,
      inbox: anvilAccounts[7]!.address,
      reader: anvilAccounts[8]!.address,
      fee: anvilAccounts[9]!.address,
      walletFactory: current().walletFactory
    })
  })

  it("fails with InvalidArgument for a bad address and RpcError when the address is no Registry", async () => {
    const bad = await reason(Registry.read({ rpcUrl: current().rpcUrl, registry: "registry" }))
    assert.strictEqual(bad.message, 'Invalid registry: must be an address (0x and 40 hex digits), got "registry"')
    const notOne = await reason(Registry.read({ rpcUrl: current().rpcUrl, registry: current().usdc }))
    assert.strictEqual(notOne._tag, "RpcError")
    assert.include(["COORDINATOR", "INBOX", "READER", "FEE", "WALLET_FACTORY"], (notOne as ChainError.RpcError).method)
  })
})
