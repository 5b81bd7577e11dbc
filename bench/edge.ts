/**
 * `npm run bench:edge` (Bun), `npm run bench:edge:deno`, `npm run
 * bench:edge:node`: the edge's verification endpoint against a Hono
 * hello-world route on the same runtime (the ceiling), both served by the
 * runtime's own server (the host `npm start` uses there:
 * edge/program/hosts/) in this process and loaded by autocannon in a
 * separate Node process.
 *
 * `GET /api/verify/{token}` runs over BENCH_TOKENS distinct valid tokens
 * (issued into the real store on PGlite, their tokens as stored at
 * issuance), with the rate limit off and the request log on (to /dev/null),
 * as in production; and, with `VERIFIED_CACHE` as the program sets it (the
 * cache of verified signatures, edge/program/app-layer.ts), the same tokens
 * scanned again: the remedy for Deno's slow ECDSA verification. The last line is JSON:
 * { helloRps, verifyRps, ratio, hello: {p50, p99}, verify: {p50, p99}, ... }.
 * Goal: verify p99 under 10 ms at the measured throughput.
 */
import { spawn } from "node:child_process"
import { writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Effect, Result } from "effect"
import { Hono } from "hono"
import pino from "pino"
import { createDraft, submit } from "../domain/lifecycle.ts"
import { lookupCodeFromBytes, uuidFromBytes } from "../domain/ids.ts"
import type { IssuedReceipt } from "../domain/receipt.ts"
import { tokenToPathSegment } from "../domain/signing/url.ts"
import { buildAppWith } from "../edge/app.ts"
import type { Host } from "../edge/program/hosts/host.ts"
import { servedToken } from "../edge/verification/served-token.ts"
import { makeTrustSource } from "../edge/verification/trust-source.ts"
import { makeVerifier } from "../edge/verification/verifier.ts"
import { fastestVerifier } from "../adapters/verify/fastest.ts"
import { verifiedCache } from "../adapters/verify/verified-cache.ts"
import { draftInput, makeHarness } from "../test/edge/harness.ts"
import { freshPglite } from "../test/store/databases.ts"

declare const Deno: { version: { deno: string } } | undefined

const TOKENS = Number(process.env.BENCH_TOKENS ?? 2000)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8)
const root = fileURLToPath(new URL("..", import.meta.url))
const runtime = typeof Bun !== "undefined" ? `bun ${Bun.version}` : typeof Deno !== "undefined" ? `deno ${Deno.version.deno}` : `node ${process.version}`
// The host `npm start` serves with on this runtime.
const host: Host = typeof Bun !== "undefined"
  ? (await import("../edge/program/hosts/bun.ts")).bunHost
  : typeof Deno !== "undefined"
  ? (await import("../edge/program/hosts/deno.ts")).denoHost
  : (await import("../edge/program/hosts/node.ts")).nodeHost

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
const serve = async (fetch: (request: Request, env: unknown) => Response | Promise<Response>) => {
  const port = await freePort()
  const listening = await host.listen(fetch, { port, hostname: "127.0.0.1" })
  return { port, stop: listening.stop }
}

const h = await makeHarness(await freshPglite(), { rateLimit: null })
console.error(`bench:edge on ${runtime}`)
const now = h.services.now().toISOString()
const bytes = (n: number) => crypto.getRandomValues(new Uint8Array(n))
const issued: Array<IssuedReceipt> = []
for (let done = 0; done < TOKENS; done += 500) {
  const requests = Array.from({ length: Math.min(500, TOKENS - done) }, (_, i) => {
    const draft = Result.getOrThrow(Result.flatMap(
      createDraft(draftInput({ amount: BigInt(1_000_000 + done + i) }), { id: uuidFromBytes(bytes(16)), maker: "lan.nguyen", now }),
      (d) => submit(d, { by: "lan.nguyen" })
    ))
    return { draft, approver: "hung.tran", lookupCode: lookupCodeFromBytes(bytes(8)), now }
  })
  issued.push(...(await Effect.runPromise(h.services.store.issueRange(requests))))
}
const paths: Array<string> = []
for (const r of issued) {
  // The token stored at issuance, as the service hands it out.
  const token = await servedToken(h.services, r)
  paths.push(`/api/verify/${tokenToPathSegment(token)}`)
}
console.error(`issued ${issued.length} receipts with distinct tokens`)

const app = buildAppWith({ ...h.services, logger: pino({ base: undefined }, pino.destination("/dev/null")) })
const hello = new Hono().get("/", (c) => c.text("Hello Hono!"))
const helloServer = await serve((request, env) => hello.fetch(request, env))
const edgeServer = await serve((request, env) => app.fetch(request, env))

// A sanity check before loading: the first token verifies as valid over HTTP.
const probe = (await (await fetch(`http://127.0.0.1:${edgeServer.port}${paths[0]}`)).json()) as { result: string }
if (probe.result !== "Valid") throw new Error(`the benchmark token does not verify: ${probe.result}`)

interface Load { rps: number; p50: number; p99: number; requests: number; non2xx: number; errors: number; timeouts: number }

const load = async (url: string, targets: Array<string>): Promise<Load> => {
  // Run the generator asynchronously: this process must keep serving.
  const config = join(tmpdir(), `bienlai-bench-edge-${process.pid}.json`)
  writeFileSync(config, JSON.stringify({ url, paths: targets, connections: CONNECTIONS, seconds: SECONDS }))
  const proc = spawn("node", [join(root, "bench", "edge-load.mjs"), config], { cwd: root, stdio: ["ignore", "pipe", "inherit"] })
  let text = ""
  proc.stdout.on("data", (d) => (text += String(d)))
  await new Promise((resolve) => proc.on("exit", resolve))
  const line = text.trim().split("\n").pop() ?? "{}"
  return JSON.parse(line) as Load
}

const helloLoad = await load(`http://127.0.0.1:${helloServer.port}`, ["/"])
console.error(`hello world: ${helloLoad.rps.toFixed(0)} req/s, p50 ${helloLoad.p50} ms, p99 ${helloLoad.p99} ms`)
// First scans: each token's signature verified once (the harness's trust has no cache of verified signatures).
const verifyLoad = await load(`http://127.0.0.1:${edgeServer.port}`, paths)
console.error(`verify:      ${verifyLoad.rps.toFixed(0)} req/s, p50 ${verifyLoad.p50} ms, p99 ${verifyLoad.p99} ms, non-2xx ${verifyLoad.non2xx}`)

// The program's composition: the trust list loaded through the fastest primitive behind the cache of verified signatures.
// As FastestVerifier.layer({ cacheSize }) builds it (adapters/verify/layer.ts).
const cached = verifiedCache(fastestVerifier(), { maxEntries: 10_000 })
const cachedTrust = await makeTrustSource(h.services.trust().signed, { verifier: cached })
const cachedApp = buildAppWith({
  ...h.services,
  trust: () => cachedTrust,
  verify: makeVerifier({ trust: () => cachedTrust, statusLists: h.services.statusLists, now: h.services.now, onStatusError: () => {} }),
  logger: pino({ base: undefined }, pino.destination("/dev/null"))
})
const cachedServer = await serve((request, env) => cachedApp.fetch(request, env))
for (const p of paths) await fetch(`http://127.0.0.1:${cachedServer.port}${p}`).then((r) => r.text())
const cachedLoad = await load(`http://127.0.0.1:${cachedServer.port}`, paths)
console.error(`verify, cached (repeat scans): ${cachedLoad.rps.toFixed(0)} req/s, p50 ${cachedLoad.p50} ms, p99 ${cachedLoad.p99} ms, non-2xx ${cachedLoad.non2xx}; cache ${JSON.stringify(cached.stats())}`)

await helloServer.stop()
await edgeServer.stop()
await cachedServer.stop()
await h.close()
console.log(JSON.stringify({
  runtime,
  connections: CONNECTIONS,
  seconds: SECONDS,
  distinctTokens: paths.length,
  helloRps: Math.round(helloLoad.rps),
  verifyRps: Math.round(verifyLoad.rps),
  ratio: Math.round((verifyLoad.rps / helloLoad.rps) * 1000) / 1000,
  hello: { p50: helloLoad.p50, p99: helloLoad.p99 },
  verify: { p50: verifyLoad.p50, p99: verifyLoad.p99, non2xx: verifyLoad.non2xx, errors: verifyLoad.errors },
  verifyCachedRps: Math.round(cachedLoad.rps),
  verifyCached: { p50: cachedLoad.p50, p99: cachedLoad.p99, non2xx: cachedLoad.non2xx, errors: cachedLoad.errors, ratio: Math.round((cachedLoad.rps / helloLoad.rps) * 1000) / 1000 },
  goalP99Under10ms: verifyLoad.p99 < 10
}))
process.exit(0)
