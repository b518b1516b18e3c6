// The JSON value schemas. Decoding a JSON value walks every element, so a 20 KB embedding is 1536 numbers: the
// schemas are declarations whose check is one iterative loop (no recursion: values of any depth, no stack overflow)
// that returns the input itself. Only when the check fails does the recursive union they used to be (`Reference`,
// kept here) decode the value, so bad bodies get exactly the errors they always had. A value nested deeper than
// `REFERENCE_DEPTH` would overflow the stack in that union, so its error points straight at the first bad node.

import { type Either, ParseResult, Schema, type SchemaAST } from "effect"
import type * as Json from "../Json.js"
import { RecordKey } from "./recordKey.js"

const JsonNumber = Schema.Number.pipe(Schema.finite()).annotations({
  // -0 is written as 0, and integer literals beyond 2^53 (written without an exponent) read back as bigint.
  arbitrary: () => (fc) =>
    fc
      .double({ noNaN: true, noDefaultInfinity: true })
      .filter((n) => !Object.is(n, -0) && !(Number.isInteger(n) && !Number.isSafeInteger(n) && !/e/.test(String(n))))
})

// Integers JSON text cannot hold in a JS number. Smaller bigints are accepted too, but they read back as numbers,
// so the generated values for property tests stay in the range where encode -> text -> decode is the identity.
const JsonBigInt = Schema.BigIntFromSelf.annotations({
  arbitrary: () => (fc) =>
    fc.oneof(
      fc.bigInt({ min: BigInt(Number.MAX_SAFE_INTEGER) + 1n, max: 2n ** 256n }),
      fc.bigInt({ min: -(2n ** 256n), max: BigInt(Number.MIN_SAFE_INTEGER) - 1n })
    )
})

/** The schema as it was: a recursive union. Builds the errors (and the arbitrary, pretty and equivalence). */
export const Reference: Schema.Schema<Json.JsonValue> = Schema.Union(
  Schema.Null,
  Schema.Boolean,
  JsonNumber,
  JsonBigInt,
  Schema.String,
  Schema.Array(Schema.suspend(() => Reference)),
  Schema.suspend(() => ReferenceObject)
).annotations({ identifier: "JsonValue" })

export const ReferenceObject: Schema.Schema<Json.JsonObject> = Schema.Record({
  key: RecordKey,
  value: Schema.suspend(() => Reference)
})
  .pipe(Schema.filter((u) => !Array.isArray(u), { message: () => "Expected a JSON object, not an array" }))
  .annotations({ identifier: "JsonObject", title: "JSON object" })

/** Deeper values are not handed to the recursive `Reference` (it, and the error formatter, would overflow). */
export const REFERENCE_DEPTH = 200
// From this depth on, the walk keeps the containers on its path in a set, so that a cycle ends with an error.
const CYCLE_CHECK_DEPTH = 1000

const isLeaf = (u: unknown): boolean => {
  switch (typeof u) {
    case "string":
    case "boolean":
    case "bigint":
      return true
    case "number":
      return Number.isFinite(u)
    case "object":
      return u === null
    default:
      return false
  }
}

// A plain object (what JSON.parse makes) or an array. Other objects (a Date, a class instance) are left to
// `Reference`, which decodes them as records of their own enumerable keys, as it always did.
const isContainer = (u: unknown): u is object => {
  if (typeof u !== "object" || u === null) return false
  if (Array.isArray(u)) return true
  const proto = Object.getPrototypeOf(u)
  return proto === Object.prototype || proto === null
}

/** The first node of a value that is not plain JSON. */
export interface Mismatch {
  /** Path from the root to the node: a bad leaf, an object that is not plain, or a cycle. */
  readonly path: ReadonlyArray<PropertyKey>
  readonly node: unknown
  readonly circular: boolean
}

/**
 * Walks `root` depth first with an explicit stack. Returns `undefined` when it is plain JSON (numbers finite,
 * objects plain, no `undefined`, no cycle), or the first node that is not.
 */
export const check = (root: unknown): Mismatch | undefined => {
  if (isLeaf(root)) return undefined
  if (!isContainer(root)) return { path: [], node: root, circular: false }
  // Frame i: containers[i], the index of its next child, and for objects keys[i] = Object.keys(containers[i]).
  const containers: Array<object> = [root]
  const keys: Array<ReadonlyArray<string> | undefined> = [Array.isArray(root) ? undefined : Object.keys(root)]
  const next: Array<number> = [0]
  let onPath: Set<object> | undefined
  let top = 0
  const mismatch = (key: PropertyKey, node: unknown, circular: boolean): Mismatch => {
    const path: Array<PropertyKey> = []
    // A cycle is reported where it first closes: at the first container that is already on the path above it.
    let end = top
    if (circular) {
      const seen = new Set<object>()
      for (let i = 0; i <= top; i++) {
        if (seen.has(containers[i]!)) {
          end = i - 1
          node = containers[i]
          key = keys[end] === undefined ? next[end]! - 1 : keys[end]![next[end]! - 1]!
          break
        }
        seen.add(containers[i]!)
      }
    }
    for (let i = 0; i < end; i++) {
      const k = keys[i]
      path.push(k === undefined ? next[i]! - 1 : k[next[i]! - 1]!)
    }
    path.push(key)
    return { path, node, circular }
  }
  while (top >= 0) {
    const container = containers[top]!
    const names = keys[top]
    let i = next[top]!
    let child: unknown
    let key: PropertyKey = 0
    let descend = false
    if (names === undefined) {
      const array = container as ReadonlyArray<unknown>
      const n = array.length
      for (; i < n; i++) {
        const item = array[i]
        if (typeof item === "number" ? item - item !== 0 : !isLeaf(item)) {
          child = item
          key = i
          descend = true
          break
        }
      }
    } else {
      const record = container as Record<string, unknown>
      const n = names.length
      for (; i < n; i++) {
        const item = record[names[i]!]
        if (!isLeaf(item)) {
          child = item
          key = names[i]!
          descend = true
          break
        }
      }
    }
    if (!descend) {
      if (onPath !== undefined) onPath.delete(container)
      top--
      continue
    }
    next[top] = i + 1
    if (!isContainer(child)) return mismatch(key, child, false)
    if (onPath?.has(child)) return mismatch(key, child, true)
    top++
    containers[top] = child
    keys[top] = Array.isArray(child) ? undefined : Object.keys(child)
    next[top] = 0
    if (top >= CYCLE_CHECK_DEPTH) {
      if (onPath === undefined) onPath = new Set(containers.slice(0, top))
      onPath.add(child)
    }
  }
  return undefined
}

/** Whether objects in `root` nest deeper than `limit` (any object counts, as `Reference` walks them all). */
const deeperThan = (root: unknown, limit: number): boolean => {
  let level: Array<object> = typeof root === "object" && root !== null ? [root] : []
  for (let depth = 0; level.length > 0; depth++) {
    if (depth > limit) return true
    const below: Array<object> = []
    for (const container of level) {
      for (const key of Object.keys(container)) {
        const child = (container as Record<string, unknown>)[key]
        if (typeof child === "object" && child !== null) below.push(child)
      }
    }
    level = below
  }
  return false
}

const describe = (node: unknown): string =>
  typeof node === "function" ? "a function" : typeof node === "object" ? "an object that is not plain" : String(node)

const declared =
  <A>(
    reference: (u: unknown, options: SchemaAST.ParseOptions) => Either.Either<A, ParseResult.ParseIssue>,
    root: (u: unknown) => boolean
  ) =>
  () =>
  (input: unknown, options: SchemaAST.ParseOptions, ast: SchemaAST.Declaration) => {
    if (!root(input)) {
      // The union's message would print the value, and Effect's printer recurses: not for a deep array.
      if (!Array.isArray(input) || !deeperThan(input, REFERENCE_DEPTH)) return reference(input, options)
      return ParseResult.fail(new ParseResult.Type(ast, input, "Expected a JSON object, actual an array"))
    }
    const mismatch = check(input)
    if (mismatch === undefined) return ParseResult.succeed(input as A)
    if (!mismatch.circular && !deeperThan(input, REFERENCE_DEPTH)) return reference(input, options)
    const actual = mismatch.circular ? "a circular reference" : describe(mismatch.node)
    return ParseResult.fail(
      new ParseResult.Pointer(
        mismatch.path as ParseResult.Path,
        input,
        new ParseResult.Type(ast, mismatch.node, `Expected a JSON value, actual ${actual}`)
      )
    )
  }

const decodeReference = ParseResult.decodeUnknownEither(Reference)
const decodeReferenceObject = ParseResult.decodeUnknownEither(ReferenceObject)

const isObjectRoot = (u: unknown) => typeof u === "object" && u !== null && !Array.isArray(u)

// Every JSON value matches; written without a $ref so that it holds wherever the definitions are put.
const jsonValueSchema = {
  type: ["null", "boolean", "number", "string", "array", "object"],
  description: "Any JSON value"
} as const

// The union is the declarations' type parameter, so Arbitrary, Pretty and Equivalence derive it and hand it over:
// importing effect's Arbitrary module here would put all of fast-check (100 KiB minified) into every bundle.
export const JsonValue: Schema.Schema<Json.JsonValue> = Schema.declare(
  [Reference],
  { decode: declared(decodeReference, () => true), encode: declared(decodeReference, () => true) },
  {
    identifier: "JsonValue",
    arbitrary: (reference) => reference,
    pretty: (reference) => reference,
    equivalence: (reference) => reference,
    jsonSchema: jsonValueSchema
  }
)

export const JsonObject: Schema.Schema<Json.JsonObject> = Schema.declare(
  [ReferenceObject],
  {
    decode: declared(decodeReferenceObject, isObjectRoot),
    encode: declared(decodeReferenceObject, isObjectRoot)
  },
  {
    identifier: "JsonObject",
    title: "JSON object",
    arbitrary: (reference) => reference,
    pretty: (reference) => reference,
    equivalence: (reference) => reference,
    jsonSchema: { type: "object", description: "A JSON object" }
  }
)
