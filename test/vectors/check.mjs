#!/usr/bin/env node
/**
 * Checks test/vectors/canonical.json (receipts) and test/vectors/payout.json
 * (payout plans and notices) without bienlai's code, with nothing but
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

// --- Payout plans and notices (docs/PAYOUT.md, "Canonical bytes") -----------
//
// For each vector: the lines, re-serialised, are the committed NDJSON and hash
// to the header's lines.sha256; the header, re-serialised, is the planned text;
// adding approver, approvedAt and the planned hash gives the approved text; the
// notice names the planned hash and holds lines of the plan. Amounts are
// re-added with BigInt: each line's net is amount − fee, and the lines add up
// to the header's total paid.

const payoutFile = new URL("./payout.json", import.meta.url)
const payout = JSON.parse(readFileSync(payoutFile, "utf8")).vectors
const sha256 = (text) => createHash("sha256").update(Buffer.from(text, "utf8")).digest("hex")
let payoutFailures = 0
for (const v of payout) {
  const problems = []
  const ndjson = v.lines.map((line) => `${serialise(line)}\n`).join("")
  if (ndjson !== v.linesText) problems.push("re-serialised lines differ from linesText")
  if (sha256(ndjson) !== v.linesSha256) problems.push("lines SHA-256 differs")
  const header = v.planned.header
  if (header.v !== 1 || header.type !== "payout-plan") problems.push("not a version 1 payout plan")
  if (header.lines.sha256 !== v.linesSha256 || header.lines.count !== v.lines.length) problems.push("header does not bind the lines")
  if (serialise(header) !== v.planned.canonical) problems.push("re-serialised header differs from the planned text")
  if (sha256(v.planned.canonical) !== v.planned.sha256) problems.push("planned SHA-256 differs")
  const approved = { ...header, approver: v.approved.approver, approvedAt: v.approved.approvedAt, planSha256: v.planned.sha256 }
  if (serialise(approved) !== v.approved.canonical) problems.push("approved text is not the planned header plus the approval")
  if (sha256(v.approved.canonical) !== v.approved.sha256) problems.push("approved SHA-256 differs")
  let paid = 0n
  for (const line of v.lines) {
    paid += BigInt(line.amount)
    if (BigInt(line.net) !== BigInt(line.amount) - BigInt(line.fee)) problems.push(`line ${line.id}: net ≠ amount − fee`)
    if (BigInt(line.amount) > BigInt(line.base)) problems.push(`line ${line.id}: pays more than is owed`)
  }
  if (paid !== BigInt(header.totals.paid)) problems.push(`lines add up to ${paid}, header says ${header.totals.paid}`)
  const notice = v.noticeDocument
  if (serialise(notice.content) !== notice.canonical) problems.push("re-serialised notice differs")
  if (sha256(notice.canonical) !== notice.sha256) problems.push("notice SHA-256 differs")
  if (notice.content.plan.sha256 !== v.planned.sha256) problems.push("notice does not name the planned hash")
  const byId = new Map(v.lines.map((line) => [line.id, line]))
  for (const line of notice.content.lines) {
    if (byId.get(line.id)?.amount !== line.amount) problems.push(`notice line ${line.id} is not the plan's`)
  }
  if (problems.length > 0) {
    payoutFailures++
    console.error(`✗ payout ${v.name}: ${problems.join("; ")}`)
  } else {
    console.log(`✓ payout ${v.name} ${v.approved.sha256}`)
  }
}
console.log(`${payout.length - payoutFailures} of ${payout.length} payout vectors ok`)
if (failures > 0 || vectors.length === 0 || payoutFailures > 0 || payout.length === 0) process.exit(1)
