import { Schema } from "effect"

// Object keys of wire records. Effect builds decoded records by assignment, so a "__proto__" key would set the
// prototype instead of a property; property tests generate every other key.
export const RecordKey = Schema.String.annotations({
  arbitrary: () => (fc) => fc.string().filter((key) => key !== "__proto__")
})
