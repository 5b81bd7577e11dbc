#!/usr/bin/env node
/**
 * Checks test/vectors/canonical.json without bienlai's code, with nothing but
 * the runtime's JSON and SHA-256 — so another team (or another runtime) can
 * confirm the vectors and its own implementation of docs/CANONICAL.md.
 *
 *   node test/vectors/check.mjs        (also: bun test/vectors/check.mjs, deno run --allow-read test/vectors/check.mjs)
 *
 * For each vector it checks that
 *   1. the committed canonical text, as UTF-8, is the committed bytes (base64)
 *      and hashes to the committed SHA-256;
 *   2. the canonical text derived here from the receipt JSON, following
 *      docs/CANONICAL.md independently of domain/canonical.ts, is the same.
 * Exits with status 1 on the first mismatch.
 */
import { Buffer } from "node:buffer"
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import process from "node:process"

const file = new URL("./canonical.json", import.meta.url)
const { vectors } = JSON.parse(readFileSync(file, "utf8"))

// --- docs/CANONICAL.md, written again from the specification ---------------

const SIGNED = ["id", "agency", "office", "series", "number", "lookupCode", "payer", "case", "reason", "amount", "amountInWords", "payment", "maker", "approver", "issuedAt", "replaces"]

const serialise = (value) => {
  if (typeof value === "string") return JSON.stringify(value.normalize("NFC"))
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new Error(`not a safe integer: ${value}`)
    return String(value)
  }
  if (typeof value === "boolean" || value === null) return String(value)
  if (Array.isArray(value)) return `[${value.map(serialise).join(",")}]`
  const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort() // UTF-16 code unit order
  return `{${keys.map((k) => `${JSON.stringify(k.normalize("NFC"))}:${serialise(value[k])}`).join(",")}}`
}

const canonicalText = (receipt) => {
  const signed = { v: 1 }
  for (const key of SIGNED) if (receipt[key] !== undefined) signed[key] = receipt[key]
  return serialise(signed)
}

// ---------------------------------------------------------------------------

let failures = 0
for (const v of vectors) {
  const bytes = Buffer.from(v.canonical, "utf8")
  const problems = []
  if (bytes.toString("base64") !== v.utf8Base64) problems.push("UTF-8 bytes differ from utf8Base64")
  if (bytes.length !== v.byteLength) problems.push(`byte length ${bytes.length} ≠ ${v.byteLength}`)
  const sha = createHash("sha256").update(bytes).digest("hex")
  if (sha !== v.sha256) problems.push(`SHA-256 ${sha} ≠ ${v.sha256}`)
  if (canonicalText(v.receipt) !== v.canonical) problems.push("canonical text derived from the receipt differs")
  if (problems.length > 0) {
    failures++
    console.error(`✗ ${v.name}: ${problems.join("; ")}`)
  } else {
    console.log(`✓ ${v.name} ${v.sha256}`)
  }
}
console.log(`${vectors.length - failures} of ${vectors.length} vectors ok`)
if (failures > 0 || vectors.length === 0) process.exit(1)
