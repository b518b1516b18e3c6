/** The Solidity sources, relative to contracts/. */
export declare const sources: ReadonlyArray<string>
/** The compiler settings; changing them changes the committed bytecode. */
export declare const settings: Record<string, unknown>
/** Compiles every source: `{ [file]: { [contract]: { abi, bytecode } } }` and the compiler version. */
export declare const compile: () => {
  readonly version: string
  readonly contracts: Record<
    string,
    Record<string, { readonly abi: ReadonlyArray<unknown>; readonly bytecode: `0x${string}` }>
  >
}
