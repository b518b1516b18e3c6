/**
 * UTF-8 decoding of a byte stream, correct across chunk boundaries.
 */
import { Stream } from "effect"

/**
 * Decodes UTF-8 bytes to text. A character split across chunks is emitted once complete; a truncated character at
 * the very end becomes U+FFFD. Empty strings are not emitted. (`Stream.decodeText` neither flushes nor filters.)
 */
export const decodeUtf8 = <E, R>(self: Stream.Stream<Uint8Array, E, R>): Stream.Stream<string, E, R> =>
  Stream.suspend(() => {
    const decoder = new TextDecoder("utf-8")
    return self.pipe(
      Stream.map((bytes) => decoder.decode(bytes, { stream: true })),
      Stream.concat(Stream.sync(() => decoder.decode())),
      Stream.filter((text) => text.length > 0)
    )
  })
