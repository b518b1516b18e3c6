import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either, Option } from "effect"
import * as Flags from "../src/internal/flags.js"

const none: Flags.GlobalFlags = {
  url: Option.none(),
  json: false,
  pretty: false,
  timeout: Option.none(),
  verbose: false
}
const withEnv = (env: Record<string, string>) =>
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

describe("flags", () => {
  it.effect("--url after the command wins, then before it, then SERVER_URL, then the default", () =>
    Effect.gen(function* () {
      const env = withEnv({ SERVER_URL: "http://env:4000" })
      assert.strictEqual((yield* Flags.resolveGlobals(none, none).pipe(withEnv({}))).url, Flags.DEFAULT_URL)
      assert.strictEqual((yield* Flags.resolveGlobals(none, none).pipe(env)).url, "http://env:4000")
      const root = { ...none, url: Option.some("http://root:4000") }
      assert.strictEqual((yield* Flags.resolveGlobals(root, none).pipe(env)).url, "http://root:4000")
      const command = { ...none, url: Option.some("http://command:4000/") }
      assert.strictEqual((yield* Flags.resolveGlobals(root, command).pipe(env)).url, "http://command:4000")
    })
  )

  it.effect("merges switches from both positions and checks the timeout", () =>
    Effect.gen(function* () {
      const globals = yield* Flags.resolveGlobals(
        { ...none, json: true },
        { ...none, verbose: true, timeout: Option.some(5) }
      )
      assert.include(globals, { json: true, verbose: true, pretty: false, timeoutSeconds: 5 })
      const zero = yield* Effect.either(Flags.resolveGlobals(none, { ...none, timeout: Option.some(0) }))
      assert.isTrue(Either.isLeft(zero))
    }).pipe(withEnv({}))
  )

  it.effect("refuses URLs that are not http(s), naming where they came from", () =>
    Effect.gen(function* () {
      const bad = yield* Effect.either(Flags.resolveGlobals(none, none).pipe(withEnv({ SERVER_URL: "localhost:4000" })))
      assert.isTrue(Either.isLeft(bad))
      if (Either.isLeft(bad)) {
        assert.strictEqual(bad.left.exitCode, 2)
        assert.strictEqual(bad.left.message, 'SERVER_URL: expected an http(s) URL, got "localhost:4000"')
      }
      const garbage = yield* Effect.either(Flags.resolveGlobals(none, { ...none, url: Option.some("::") }))
      assert.isTrue(Either.isLeft(garbage) && garbage.left.message.startsWith("--url: expected an http(s) URL"))
    })
  )

  it.effect("splits container lists", () =>
    Effect.gen(function* () {
      assert.deepStrictEqual(yield* Flags.splitContainers(["a,b", " c "]), ["a", "b", "c"])
      const empty = yield* Effect.either(Flags.splitContainers(["a,,b"]))
      assert.isTrue(Either.isLeft(empty))
    })
  )
})
