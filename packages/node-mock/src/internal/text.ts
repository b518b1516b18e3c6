// Deterministic text for the `completion` and `stream` behaviours: a few topics the usage page asks about get a
// written answer; any other prompt gets sentences picked by a generator seeded from the prompt.
import type { Json } from "@infernet/types"
import { fromSeed, pick } from "./random.js"

const DEEP_LEARNING =
  "a branch of machine learning built on artificial neural networks with many layers. Each layer turns its input " +
  "into a slightly more abstract representation, so the network learns useful features straight from raw data " +
  "instead of relying on hand-written rules.\n\n" +
  "Deep learning powers image classification, speech recognition, machine translation and large language models. " +
  "Training needs large datasets and plenty of compute, but the resulting models often match or beat earlier " +
  "approaches on standard benchmarks."

const PIZZA =
  "To make pizza at home, mix 500 g of flour, 325 ml of warm water, 7 g of dried yeast, 10 g of salt and a spoon of " +
  "olive oil into a smooth dough. Knead it for ten minutes and let it rise for an hour. Stretch it thin, spread a " +
  "little tomato sauce, add mozzarella and your toppings, then bake it in a very hot oven (250 °C or more) for 8 to " +
  "12 minutes, until the crust is golden and the cheese bubbles."

const TOPICS: ReadonlyArray<readonly [RegExp, string]> = [
  [/deep learning/i, DEEP_LEARNING],
  [/pizza/i, PIZZA]
]

const OPENERS = [
  "Here is a short answer about {topic}.",
  "Good question: {topic}.",
  "Let us look at {topic} step by step.",
  "{Topic} comes up often, so here is an overview."
]

const SENTENCES = [
  "Start from the simplest version that works and improve it one step at a time.",
  "The details depend on your constraints, so write them down before choosing an approach.",
  "Most of the effort goes into preparing the inputs; the rest follows naturally.",
  "A small experiment usually answers more than a long discussion.",
  "Measure before and after each change, so you know which one helped.",
  "Keep notes of what you tried, including what did not work.",
  "The common mistakes are well known, and avoiding them saves a lot of time.",
  "When in doubt, prefer the option that is easier to undo.",
  "Ask someone who has done it before; their shortcuts are worth a lot.",
  "Plan for the unusual cases early, because they are the ones that surprise you later."
]

const CLOSERS = [
  "I hope this helps.",
  "Good luck!",
  "Let me know if you want more detail on any step.",
  "That covers the essentials."
]

const topicOf = (prompt: string) => {
  const topic = prompt.trim().replace(/[\s?.!:;,]+$/, "")
  return topic.length > 80 ? `${topic.slice(0, 77)}...` : topic
}

/** A deterministic answer to `prompt`: the same prompt always gives the same text. */
export const completion = (prompt: string): string => {
  for (const [pattern, text] of TOPICS) if (pattern.test(prompt)) return text
  const prng = fromSeed("completion", prompt)
  const topic = topicOf(prompt) || "your request"
  const opener = OPENERS[pick(prng, OPENERS.length)]!.replace("{topic}", `"${topic}"`).replace("{Topic}", `"${topic}"`)
  const count = 2 + pick(prng, 3)
  const used = new Set<number>()
  const body: Array<string> = []
  while (body.length < count) {
    const i = pick(prng, SENTENCES.length)
    if (used.has(i)) continue
    used.add(i)
    body.push(SENTENCES[i]!)
  }
  return [opener, ...body, CLOSERS[pick(prng, CLOSERS.length)]!].join(" ")
}

const isObject = (u: unknown): u is Json.JsonObject => typeof u === "object" && u !== null && !Array.isArray(u)

const textOf = (content: unknown): string | undefined => {
  if (typeof content === "string") return content
  // OpenAI content parts: [{type: "text", text: "..."}]
  if (Array.isArray(content)) {
    const parts = content.flatMap((part) => (isObject(part) && typeof part.text === "string" ? [part.text] : []))
    return parts.length > 0 ? parts.join("") : undefined
  }
  return undefined
}

/** The prompt of an OpenAI-style request: the last message's content, `prompt`, or `input`, in `params` or at the top. */
export const promptOf = (data: Json.JsonValue): string => {
  if (typeof data === "string") return data
  if (!isObject(data)) return JSON.stringify(data) ?? ""
  for (const scope of [data.params, data]) {
    if (!isObject(scope)) continue
    const messages = scope.messages
    if (Array.isArray(messages) && messages.length > 0) {
      const last = messages[messages.length - 1]
      const text = isObject(last) ? textOf(last.content) : undefined
      if (text !== undefined) return text
    }
    for (const key of ["prompt", "input", "text"]) {
      const text = textOf(scope[key])
      if (text !== undefined) return text
    }
  }
  return JSON.stringify(data) ?? ""
}

/** `params.endpoint` of an OpenAI-style request, if any. */
export const endpointOf = (data: Json.JsonValue): string | undefined => {
  if (!isObject(data)) return undefined
  const params = data.params
  if (isObject(params) && typeof params.endpoint === "string") return params.endpoint
  return typeof data.endpoint === "string" ? data.endpoint : undefined
}

/** What an embeddings request embeds: `params.input` (a string or a list of strings) or the whole data. */
export const embeddingInputOf = (data: Json.JsonValue): string | ReadonlyArray<string> => {
  if (isObject(data)) {
    for (const scope of [data.params, data]) {
      if (!isObject(scope)) continue
      const input = scope.input
      if (typeof input === "string") return input
      if (Array.isArray(input) && input.every((item) => typeof item === "string")) return input as ReadonlyArray<string>
    }
  }
  return typeof data === "string" ? data : (JSON.stringify(data) ?? "")
}

/** Splits text into chunks of `tokensPerChunk` whitespace-separated tokens, keeping every character. */
export const chunks = (text: string, tokensPerChunk: number): ReadonlyArray<string> => {
  const tokens = text.match(/\s*\S+\s*/g) ?? (text === "" ? [] : [text])
  const out: Array<string> = []
  for (let i = 0; i < tokens.length; i += tokensPerChunk) out.push(tokens.slice(i, i + tokensPerChunk).join(""))
  return out
}
