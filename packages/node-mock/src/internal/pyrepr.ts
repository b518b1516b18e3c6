// Python's repr() of a JSON value, as Ritual's hello-world container prints its input with an f-string.

const pyFloat = (n: number): string => {
  if (Number.isNaN(n)) return "nan"
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf"
  // JSON cannot tell 1 from 1.0; integers print as Python ints.
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n)
  // Shortest round-trip digits, laid out as Python's float repr: scientific below 1e-4 and from 1e16.
  const [mantissa, exponentText] = n.toExponential().split("e") as [string, string]
  const exponent = Number(exponentText)
  const negative = mantissa.startsWith("-")
  const digits = mantissa.replace("-", "").replace(".", "")
  if (exponent < -4 || exponent >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
    const e = `${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`
    return `${negative ? "-" : ""}${m}e${e}`
  }
  let text: string
  if (exponent < 0) text = `0.${"0".repeat(-exponent - 1)}${digits}`
  else if (digits.length > exponent + 1) text = `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`
  else text = `${digits}${"0".repeat(exponent + 1 - digits.length)}.0`
  return `${negative ? "-" : ""}${text}`
}

const pyString = (s: string): string => {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'"
  let out = quote
  for (const ch of s) {
    const code = ch.codePointAt(0)!
    if (ch === "\\") out += "\\\\"
    else if (ch === quote) out += `\\${quote}`
    else if (ch === "\n") out += "\\n"
    else if (ch === "\r") out += "\\r"
    else if (ch === "\t") out += "\\t"
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`
    else out += ch
  }
  return out + quote
}

export const pyRepr = (value: unknown): string => {
  if (value === null || value === undefined) return "None"
  switch (typeof value) {
    case "boolean":
      return value ? "True" : "False"
    case "bigint":
      return value.toString()
    case "number":
      return pyFloat(value)
    case "string":
      return pyString(value)
    case "object": {
      if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`
      const entries = Object.entries(value as Record<string, unknown>)
      return `{${entries.map(([k, v]) => `${pyString(k)}: ${pyRepr(v)}`).join(", ")}}`
    }
    default:
      return pyString(String(value))
  }
}
