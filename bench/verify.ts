/**
 * `npm run bench:verify` (Bun), `npm run bench:verify:deno`, `npm run
 * bench:verify:node`: what verifying costs, per algorithm, against the
 * fastest primitive of the runtime as the baseline, in one run.
 *
 * For each of Ed25519, ECDSA P-256 (the default) and RSA-PSS-2048:
 *   sign                       WebCrypto signatures over a token-sized message
 *   raw, node:crypto           the primitive alone over the tokens' signed bytes
 *   raw, WebCrypto             the same with crypto.subtle; the faster of the two is the baseline
 *   full verify                `verify` over the same distinct tokens (base45 decode, parse, trust
 *                              lookup, status list, signature) with the trust list loaded as
 *                              verifiers load it: through the fastest primitive of the runtime
 *                              (adapters/verify/fastest.ts)
 *   repeat scans, cached       the same tokens scanned again, with the cache of verified
 *                              signatures the edge uses (adapters/verify/verified-cache.ts)
 * RSA-PSS signs seals only (its 256-byte signature does not fit a QR code):
 * its row measures seal-sized messages, with no token and no full verify.
 *
 * The last line is JSON with every figure and the ratio of full verify to the
 * baseline (goal ≥ 0.8) for each algorithm.
 */
import { Result } from "effect"
import type { SignatureVerifier } from "../domain/ports/signature-verifier.ts"
import { indexStatusLists } from "../domain/signing/status-list.ts"
import { decodeToken } from "../domain/signing/token.ts"
import type { TrustAnchors } from "../domain/signing/trust.ts"
import { verifyParams } from "../domain/signing/trust.ts"
import { verify } from "../domain/signing/verify.ts"
import { loadTrustList } from "../adapters/keys/trust-list.ts"
import { currentRuntime, fastestPrimitive, fastestVerifier } from "../adapters/verify/fastest.ts"
import { importNodePublicKey } from "../adapters/verify/node-crypto.ts"
import { verifiedCache } from "../adapters/verify/verified-cache.ts"
import { importWebCryptoPublicKey } from "../adapters/verify/webcrypto.ts"
import type { KeyType } from "../adapters/keys/pki.ts"
import { makePki, receipt, statusListFor, tokenFor } from "../test/signing/fixtures.ts"

declare const Deno: { version: { deno: string } } | undefined

const N = Number(process.env.BENCH_N ?? 3000)
const runtime = typeof Bun !== "undefined" ? `bun ${Bun.version}` : typeof Deno !== "undefined" ? `deno ${Deno.version.deno}` : `node ${process.version}`

const report = (label: string, perSec: number, baseline?: number) =>
  console.log(`  ${label.padEnd(44)} ${perSec.toFixed(0).padStart(8)} /s${baseline === undefined ? "" : `   ${(perSec / baseline).toFixed(3)} of the baseline`}`)

const warm = async (n: number, body: (i: number) => unknown) => {
  for (let i = 0; i < Math.min(200, n); i++) await body(i)
}

const rate = async (n: number, body: (i: number) => unknown): Promise<number> => {
  await warm(n, body)
  const t0 = performance.now()
  for (let i = 0; i < n; i++) await body(i)
  return n / ((performance.now() - t0) / 1000)
}

/**
 * Workloads over the same inputs, interleaved in small batches so that other
 * processes on a shared machine slow them alike and the ratios stay honest.
 */
const interleaved = async (n: number, bodies: ReadonlyArray<(i: number) => unknown>): Promise<Array<number>> => {
  for (const b of bodies) await warm(n, b)
  const spent = bodies.map(() => 0)
  const batch = 50
  for (let start = 0; start < n; start += batch) {
    const end = Math.min(n, start + batch)
    for (const [k, body] of bodies.entries()) {
      const t0 = performance.now()
      for (let i = start; i < end; i++) await body(i)
      spent[k]! += performance.now() - t0
    }
  }
  return spent.map((ms) => n / (ms / 1000))
}

interface Figures {
  sign: number
  rawNodeCrypto: number
  rawWebCrypto: number
  /** The faster primitive of the two, and its rate. */
  baseline: "node:crypto" | "WebCrypto"
  baselinePerSec: number
  /** What adapters/verify/fastest.ts picks for this runtime and algorithm. */
  defaultPrimitive: "node:crypto" | "WebCrypto"
  full?: number
  repeatCached?: number
  ratio?: number
}

const baselineOf = (node: number, web: number) =>
  node >= web ? { baseline: "node:crypto" as const, baselinePerSec: Math.round(node) } : { baseline: "WebCrypto" as const, baselinePerSec: Math.round(web) }

const results: Record<string, Figures> = {}
const message = new TextEncoder().encode("x".repeat(700)) // about a receipt's canonical bytes

console.log(`bench:verify on ${runtime}, ${N} distinct tokens`)
for (const keyType of ["Ed25519", "ECDSA-P256", "RSA-PSS-2048"] as const satisfies ReadonlyArray<KeyType>) {
  const pki = await makePki(keyType)
  const algorithm = pki.hcm.algorithm
  const spki = new Uint8Array(pki.hcm.certificate.publicKey.rawData)
  const node = await importNodePublicKey(spki, algorithm)
  const web = await importWebCryptoPublicKey(spki, algorithm)
  const params = verifyParams(algorithm)
  console.log(`\n${keyType}`)
  const sign = await rate(keyType.startsWith("RSA") ? Math.min(N, 500) : N, () => crypto.subtle.sign(params, pki.hcm.keys.privateKey, message))
  report("sign (WebCrypto)", sign)

  if (keyType.startsWith("RSA")) {
    const sig = new Uint8Array(await crypto.subtle.sign(params, pki.hcm.keys.privateKey, message))
    const [rawNode, rawWeb] = await interleaved(N, [() => node.verify(sig, message), () => web.verify(sig, message)])
    const base = baselineOf(rawNode!, rawWeb!)
    report("raw verify of a seal, node:crypto", rawNode!, base.baselinePerSec)
    report("raw verify of a seal, WebCrypto", rawWeb!, base.baselinePerSec)
    results[keyType] = { sign: Math.round(sign), rawNodeCrypto: Math.round(rawNode!), rawWebCrypto: Math.round(rawWeb!), ...base, defaultPrimitive: fastestPrimitive(currentRuntime(), algorithm) }
    continue
  }

  const tokens: Array<string> = []
  for (let i = 0; i < N; i++) tokens.push(await tokenFor(receipt({ number: i + 1, amount: BigInt(1_000_000 + i) }), pki.hcm))
  const status = indexStatusLists([
    await statusListFor({ agency: "HCM", form: "01-BLTHADS", symbol: "AA/25E", issuedAt: "2025-07-01T00:00:00.000Z", freshForSeconds: 120, size: N, voided: [3, 5], replaced: [] }, pki.hcm, pki.trust)
  ])
  const anchorsWith = async (verifier: SignatureVerifier["Service"]): Promise<TrustAnchors> =>
    Result.getOrThrow(await loadTrustList(pki.signedList, { heldRoots: [pki.root.certificate], verifier })).anchors
  const trustDefault = await anchorsWith(fastestVerifier())
  const cache = verifiedCache(fastestVerifier(), { maxEntries: 2 * N })
  const trustCached = await anchorsWith(cache)
  const decoded = tokens.map((t) => Result.getOrThrow(decodeToken(t)))
  const at = { now: "2025-07-01T00:01:00.000Z" }
  let valid = 0
  const full = (trust: TrustAnchors) => async (i: number) => {
    if ((await verify(tokens[i]!, trust, status, at))._tag === "Valid") valid++
  }
  // The cache is filled by a first scan of every token; the measured scans are the repeats.
  for (let i = 0; i < N; i++) await verify(tokens[i]!, trustCached, status, at)
  const [rawNode, rawWeb, fullDefault, cached] = await interleaved(N, [
    (i) => node.verify(decoded[i]!.signature, decoded[i]!.signedBytes),
    (i) => web.verify(decoded[i]!.signature, decoded[i]!.signedBytes),
    full(trustDefault),
    full(trustCached)
  ])
  const base = baselineOf(rawNode!, rawWeb!)
  const chosen = fastestPrimitive(currentRuntime(), algorithm)
  report("raw verify, node:crypto", rawNode!, base.baselinePerSec)
  report("raw verify, WebCrypto", rawWeb!, base.baselinePerSec)
  report(`full verify (${chosen}, the default here)`, fullDefault!, base.baselinePerSec)
  report("repeat scans, cache of verified signatures", cached!, base.baselinePerSec)
  console.log(`  baseline: ${base.baseline}; ${valid} valid results (2 tokens of every ${N} are voided by design); cache ${JSON.stringify(cache.stats())}`)
  results[keyType] = {
    sign: Math.round(sign),
    rawNodeCrypto: Math.round(rawNode!),
    rawWebCrypto: Math.round(rawWeb!),
    ...base,
    defaultPrimitive: chosen,
    full: Math.round(fullDefault!),
    repeatCached: Math.round(cached!),
    ratio: Number((fullDefault! / base.baselinePerSec).toFixed(3))
  }
}

const ecdsa = results["ECDSA-P256"]!
console.log(JSON.stringify({
  bench: "verify",
  runtime,
  algorithm: "ECDSA-P256",
  tokens: N,
  rawPerSec: ecdsa.baselinePerSec,
  fullPerSec: ecdsa.full,
  ratio: ecdsa.ratio,
  goal: 0.8,
  algorithms: results
}))
