/**
 * `npm run bench:verify`: raw signature verification alone against the full
 * `verify` (base45 decode, parse, trust lookup with the chain checked at
 * load, status-list lookup, signature), over the same distinct tokens in one
 * run, plus sign/verify rates for Ed25519 and ECDSA P-256.
 *
 * The last line is JSON: { rawPerSec, fullPerSec, ratio, ... }. Goal: ratio ≥ 0.8.
 */
import { Result } from "effect"
import { decodeBase45 } from "../domain/signing/base45.ts"
import { indexStatusLists } from "../domain/signing/status-list.ts"
import { decodeToken } from "../domain/signing/token.ts"
import { verifyParams } from "../domain/signing/trust.ts"
import type { SignatureAlgorithm } from "../domain/signing/trust.ts"
import { verify } from "../domain/signing/verify.ts"
import { makePki, receipt, statusListFor, tokenFor } from "../test/signing/fixtures.ts"

const N = Number(process.env.BENCH_N ?? 3000)
const runtime = typeof Bun !== "undefined" ? `bun ${Bun.version}` : `node ${process.version}`

const report = (label: string, perSec: number) => console.log(`${label.padEnd(52)} ${perSec.toFixed(0).padStart(8)} /s`)

const rate = async (label: string, n: number, body: (i: number) => Promise<unknown>): Promise<number> => {
  for (let i = 0; i < Math.min(200, n); i++) await body(i) // warm-up
  const t0 = performance.now()
  for (let i = 0; i < n; i++) await body(i)
  const perSec = n / ((performance.now() - t0) / 1000)
  report(label, perSec)
  return perSec
}

/**
 * Two workloads over the same inputs, interleaved in small batches so that
 * other processes on a shared machine slow both alike and the ratio stays
 * honest.
 */
const interleaved = async (n: number, a: (i: number) => Promise<unknown>, b: (i: number) => Promise<unknown>): Promise<[number, number]> => {
  for (let i = 0; i < Math.min(200, n); i++) {
    await a(i)
    await b(i)
  }
  let ta = 0
  let tb = 0
  const batch = 50
  for (let start = 0; start < n; start += batch) {
    const end = Math.min(n, start + batch)
    let t0 = performance.now()
    for (let i = start; i < end; i++) await a(i)
    ta += performance.now() - t0
    t0 = performance.now()
    for (let i = start; i < end; i++) await b(i)
    tb += performance.now() - t0
  }
  return [n / (ta / 1000), n / (tb / 1000)]
}

const algorithms: Record<string, { sign: number; verify: number }> = {}
let result = { rawPerSec: 0, fullPerSec: 0 }

for (const algorithm of ["Ed25519", "ECDSA-P256"] as const satisfies ReadonlyArray<SignatureAlgorithm>) {
  const pki = await makePki(algorithm)
  const tokens: Array<string> = []
  for (let i = 0; i < N; i++) tokens.push(await tokenFor(receipt({ number: i + 1, amount: BigInt(1_000_000 + i) }), pki.hcm))
  const status = indexStatusLists([
    await statusListFor({ agency: "HCM", form: "01-BLTHADS", symbol: "AA/25E", issuedAt: "2025-07-01T00:00:00.000Z", freshForSeconds: 120, size: N, voided: [3, 5], replaced: [] }, pki.hcm, pki.trust)
  ])
  const key = pki.trust.keys.get(pki.hcm.keyId)!
  const decoded = tokens.map((t) => Result.getOrThrow(decodeToken(t)))
  const params = verifyParams(algorithm)
  const message = new TextEncoder().encode("bienlai benchmark message of about the size of a token body, 120 bytes long......................")

  console.log(`\n${algorithm} on ${runtime}, ${N} distinct tokens`)
  const sign = await rate(`${algorithm} sign`, N, () => crypto.subtle.sign(params, pki.hcm.keys.privateKey, message))
  let valid = 0
  const [raw, full] = await interleaved(
    N,
    async (i) => key.check.verify(decoded[i]!.signature, decoded[i]!.signedBytes),
    async (i) => {
      if ((await verify(tokens[i]!, pki.trust, status, { now: "2025-07-01T00:01:00.000Z" }))._tag === "Valid") valid++
    }
  )
  report(`${algorithm} raw signature verify`, raw)
  report(`${algorithm} full verify (decode, chain, status, signature)`, full)
  await rate(`${algorithm} base45 decode only`, N, async (i) => decodeBase45(tokens[i]!))
  console.log(`${algorithm} full/raw ratio ${(full / raw).toFixed(3)} (${valid} valid results of ${N + Math.min(200, N)} runs incl. warm-up; 2 tokens are voided by design)`)
  algorithms[algorithm] = { sign: Math.round(sign), verify: Math.round(raw) }
  if (algorithm === "Ed25519") result = { rawPerSec: Math.round(raw), fullPerSec: Math.round(full) }
}

console.log(JSON.stringify({
  bench: "verify",
  runtime,
  algorithm: "Ed25519",
  tokens: N,
  rawPerSec: result.rawPerSec,
  fullPerSec: result.fullPerSec,
  ratio: Number((result.fullPerSec / result.rawPerSec).toFixed(3)),
  goal: 0.8,
  algorithms
}))
