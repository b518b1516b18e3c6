/**
 * The fake JSON-RPC server in front of Anvil that the CLI's wallet tests need too (a late eth_sendRawTransaction,
 * scripted error shapes): one implementation, @infernet/chain's test helper.
 */
export * from "../../../chain/test/utils/rpcProxy.js"
