import { describe, expect, it } from "@effect/vitest"
import * as Devnet from "../src/devnet/index.js"
import * as Chain from "../src/index.js"

const names = (module: object) => Object.keys(module).sort()

describe("public API", () => {
  it("@infernet/chain exports one namespace per concept", () => {
    expect(names(Chain)).toMatchInlineSnapshot(`
      [
        "Actions",
        "Amount",
        "ChainError",
        "ContainerId",
        "Coordinator",
        "DelegatedSubscription",
        "Registry",
        "Signer",
        "Subscription",
        "Token",
        "Wallet",
        "WalletFactory",
      ]
    `)
  })

  it("pins each namespace's exports", () => {
    expect(
      Object.fromEntries(Object.entries(Chain).map(([name, namespace]) => [name, names(namespace)]))
    ).toMatchInlineSnapshot(`
      {
        "Actions": [
          "infernetActions",
          "infernetWalletActions",
        ],
        "Amount": [
          "format",
          "parse",
          "resolve",
          "resolveEffect",
          "units",
        ],
        "ChainError": [
          "ChainError",
          "ChainErrorReason",
          "DevnetError",
          "DomainMismatch",
          "InsufficientAllowance",
          "InsufficientFunds",
          "InvalidArgument",
          "InvalidKey",
          "InvalidRequest",
          "InvalidSignature",
          "InvalidSubscription",
          "InvalidWallet",
          "NotCoordinator",
          "NotOwner",
          "ReceiptTimeout",
          "RpcError",
          "SigningError",
          "SimulationReverted",
          "TransactionMaybeSent",
          "TransactionReverted",
          "catchReason",
          "catchReasons",
          "isChainError",
        ],
        "ContainerId": [
          "split",
          "v0",
          "v1",
        ],
        "Coordinator": [
          "EIP712_NAME",
          "EIP712_VERSION",
          "abiV0",
          "abiV1",
          "checkDomain",
          "checkDomainEffect",
          "delegateKey",
          "getChainId",
          "getChainIdEffect",
          "maxSubscriberNonce",
          "maxSubscriberNonceEffect",
          "nextNonce",
          "nextNonceEffect",
          "readDomain",
          "readDomainEffect",
          "simulateCreateSubscriptionDelegatee",
          "simulateCreateSubscriptionDelegateeEffect",
        ],
        "DelegatedSubscription": [
          "delegatedSubscriptionTypes",
          "domain",
          "domainSeparator",
          "encodedTypes",
          "fromRequestBody",
          "hashDelegatedSubscription",
          "joinSignature",
          "prepareDelegatedSubscription",
          "prepareDelegatedSubscriptionEffect",
          "primaryType",
          "recoverDelegatedSubscriptionSigner",
          "recoverDelegatedSubscriptionSignerEffect",
          "signDelegatedSubscription",
          "signDelegatedSubscriptionEffect",
          "splitSignature",
          "stringifyRequestBody",
          "toRequestBody",
          "toTypedData",
          "typeHashes",
          "verifyDelegatedSubscription",
          "verifyDelegatedSubscriptionEffect",
        ],
        "Registry": [
          "abi",
          "read",
          "readEffect",
        ],
        "Signer": [
          "Signer",
          "address",
          "fromMnemonic",
          "fromPrivateKey",
          "layerAccount",
          "layerConfig",
          "layerMnemonic",
          "layerPrivateKey",
          "make",
          "prepareDelegatedSubscription",
          "signDelegatedSubscription",
        ],
        "Subscription": [
          "fromWire",
          "isV0",
          "isV1",
          "make",
          "toWire",
          "v0",
          "v1",
        ],
        "Token": [
          "abi",
          "balanceOf",
          "balanceOfEffect",
          "decimals",
          "decimalsEffect",
          "symbol",
          "symbolEffect",
          "transfer",
          "transferEffect",
        ],
        "Wallet": [
          "abi",
          "allowance",
          "allowanceEffect",
          "approve",
          "approveEffect",
          "balance",
          "balanceEffect",
          "checkPayment",
          "checkPaymentEffect",
          "fund",
          "fundEffect",
          "owner",
          "ownerEffect",
          "withdraw",
          "withdrawEffect",
        ],
        "WalletFactory": [
          "abi",
          "createWallet",
          "createWalletEffect",
          "isValidWallet",
          "isValidWalletEffect",
        ],
      }
    `)
  })

  it("@infernet/chain/devnet", () => {
    expect(names(Devnet)).toMatchInlineSnapshot(`
      [
        "anvilAccounts",
        "artifacts",
        "deployTestCoordinator",
        "deployTestOwner",
        "deployTestToken",
        "resolveAnvilBinary",
        "startAnvil",
      ]
    `)
  })
})
