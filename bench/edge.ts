/**
 * `npm run bench:edge`: the edge's verification endpoint against a Hono
 * hello-world route on the same runtime (the ceiling), both served by Bun
 * in this process and loaded by autocannon in a separate Node process.
 *
 * `GET /api/verify/{token}` runs over BENCH_TOKENS distinct valid tokens
 * (issued into the real store on PGlite), with the rate limit off and the
 * request log on (to /dev/null), as in production. The last line is JSON:
 * { helloRps, verifyRps, ratio, hello: {p50, p99}, verify: {p50, p99}, ... }.
 * Goal: verify p99 under 10 ms at the measured throughput.
 */
import { writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Result } from "effect"
import { Hono } from "hono"
import pino from "pino"
import { createDraft, submit } from "../domain/lifecycle.ts"
import { lookupCodeFromBytes, uuidFromBytes } from "../domain/ids.ts"
import type { IssuedReceipt } from "../domain/receipt.ts"
import { Signer } from "../domain/ports/signer.ts"
import { signToken } from "../domain/signing/issue-token.ts"
import { tokenToPathSegment } from "../domain/signing/url.ts"
import { buildAppWith } from "../edge/app.ts"
import { draftInput, makeHarness } from "../test/edge/harness.ts"
import { freshPglite } from "../test/store/databases.ts"

const TOKENS = Number(process.env.BENCH_TOKENS ?? 2000)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8)
const root = join(import.meta.dir, "..")

const h = await makeHarness(await freshPglite(), { rateLimit: null })
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
  const token = await Effect.runPromise(Effect.provideService(signToken(r), Signer, h.services.signer))
  paths.push(`/api/verify/${tokenToPathSegment(token)}`)
}
console.error(`issued ${issued.length} receipts with distinct tokens`)

const app = buildAppWith({ ...h.services, logger: pino({ base: undefined }, pino.destination("/dev/null")) })
const hello = new Hono().get("/", (c) => c.text("Hello Hono!"))
const helloServer = Bun.serve({ port: 0, fetch: hello.fetch })
const edgeServer = Bun.serve({ port: 0, fetch: (request, server) => app.fetch(request, server) })

// A sanity check before loading: the first token verifies as valid over HTTP.
const probe = (await (await fetch(`http://127.0.0.1:${edgeServer.port}${paths[0]}`)).json()) as { result: string }
if (probe.result !== "Valid") throw new Error(`the benchmark token does not verify: ${probe.result}`)

interface Load { rps: number; p50: number; p99: number; requests: number; non2xx: number; errors: number; timeouts: number }

const load = async (url: string, targets: Array<string>): Promise<Load> => {
  // Run the generator asynchronously: this process must keep serving.
  const config = join(tmpdir(), `bienlai-bench-edge-${process.pid}.json`)
  writeFileSync(config, JSON.stringify({ url, paths: targets, connections: CONNECTIONS, seconds: SECONDS }))
  const proc = Bun.spawn(["node", join(root, "bench", "edge-load.mjs"), config], {
    cwd: root,
    stdout: "pipe",
    stderr: "inherit"
  })
  const text = await new Response(proc.stdout).text()
  await proc.exited
  const line = text.trim().split("\n").pop() ?? "{}"
  return JSON.parse(line) as Load
}

const helloLoad = await load(`http://127.0.0.1:${helloServer.port}`, ["/"])
console.error(`hello world: ${helloLoad.rps.toFixed(0)} req/s, p50 ${helloLoad.p50} ms, p99 ${helloLoad.p99} ms`)
const verifyLoad = await load(`http://127.0.0.1:${edgeServer.port}`, paths)
console.error(`verify:      ${verifyLoad.rps.toFixed(0)} req/s, p50 ${verifyLoad.p50} ms, p99 ${verifyLoad.p99} ms, non-2xx ${verifyLoad.non2xx}`)

helloServer.stop(true)
edgeServer.stop(true)
await h.close()
console.log(JSON.stringify({
  runtime: `bun ${Bun.version}`,
  connections: CONNECTIONS,
  seconds: SECONDS,
  distinctTokens: paths.length,
  helloRps: Math.round(helloLoad.rps),
  verifyRps: Math.round(verifyLoad.rps),
  ratio: Math.round((verifyLoad.rps / helloLoad.rps) * 1000) / 1000,
  hello: { p50: helloLoad.p50, p99: helloLoad.p99 },
  verify: { p50: verifyLoad.p50, p99: verifyLoad.p99, non2xx: verifyLoad.non2xx, errors: verifyLoad.errors },
  goalP99Under10ms: verifyLoad.p99 < 10
}))
