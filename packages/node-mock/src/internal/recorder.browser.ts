// What "#recorder" is in a browser bundle: a recorder is a server, and there is none outside Node.
import type { Recorder, RecordOptions } from "../Cassette.js"

export const startRecorder = (_options: RecordOptions): Promise<Recorder> =>
  Promise.reject(new Error("Cassette.record needs Node: a recorder serves the node API on a port of its own"))
