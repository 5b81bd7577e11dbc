/**
 * Metrics and traces of the program `npm start` runs (jobs/bin/start.ts, in
 * a temporary key store and embedded database, the demo seeded), started
 * the way an operator turns them on:
 *
 * - METRICS_PORT: /metrics answers on that port and not on the public one;
 *   after requests and an approval through the officer API its counters
 *   have moved: requests per route pattern (never a raw path), issued
 *   receipts, signatures; the OCR queue and the process are there too;
 * - OTEL_EXPORTER_OTLP_ENDPOINT: the traces go over OTLP/HTTP to a
 *   collector this test runs, and the approval's trace is the tree
 *   route → ReceiptStore.issue → Signer.sign, in one trace;
 * - METRICS_TOKEN: /metrics on the public port, to the token only.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { DemoData } from "../../edge/demo/seed.ts"
import { freePort, initKeyStore } from "../support/start-program.ts"

const root = join(import.meta.dir, "..", "..")
const bun = join(root, "node_modules", ".bin", "bun")
const passphrase = "observability-test-passphrase-0123"
const metricsToken = "m".repeat(20) + "-a-long-metrics-token-0123456789"

interface OtlpSpan {
  readonly traceId: string
  readonly spanId: string
  readonly parentSpanId?: string
  readonly name: string
  readonly attributes?: ReadonlyArray<{ readonly key: string; readonly value: { readonly stringValue?: string } }>
}

/** Starts the program; resolves once its banner is printed. */
const startProgram = async (dir: string, env: Record<string, string>) => {
  const child: ChildProcess = spawn(bun, [join(root, "jobs/bin/start.ts")], {
    cwd: root,
    env: {
      ...process.env,
      BIENLAI_DATA: join(dir, "data"),
      BIENLAI_KEYS_DIR: join(dir, "keys"),
      BIENLAI_OCR_WORKER: "0",
      DATABASE_URL: "",
      BIENLAI_KEY_PASSPHRASE: passphrase,
      RATE_LIMIT_PER_MINUTE: "0",
      ...env
    },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let out = ""
  let err = ""
  child.stdout!.on("data", (d) => (out += String(d)))
  child.stderr!.on("data", (d) => (err += String(d)))
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  const deadline = Date.now() + 90_000
  while (!out.includes("Demo officer tokens") && child.exitCode === null && Date.now() < deadline) await Bun.sleep(100)
  if (!out.includes("Demo officer tokens")) throw new Error(`the program did not start: ${err}`)
  return { out: () => out, stop: async () => (child.exitCode === null ? (child.kill("SIGINT"), exited) : exited) }
}

const sample = (text: string, line: string): number => {
  const found = text.split("\n").find((l) => l.startsWith(`${line} `))
  return found === undefined ? 0 : Number(found.slice(line.length + 1))
}

describe("operations metrics and traces of npm start", () => {
  const dir = mkdtempSync(join(tmpdir(), "bienlai-observability-"))
  const spans: Array<OtlpSpan> = []
  let collector: ReturnType<typeof Bun.serve>
  let program: Awaited<ReturnType<typeof startProgram>>
  let base = ""
  let metricsUrl = ""
  let demo: DemoData

  beforeAll(async () => {
    const init = initKeyStore(dir, passphrase)
    expect(init.status).toBe(0)
    // An OTLP/HTTP collector: what the exporter posts to /v1/traces, as JSON.
    collector = Bun.serve({
      port: 0,
      fetch: async (request) => {
        if (new URL(request.url).pathname !== "/v1/traces") return new Response("no", { status: 404 })
        const body = (await request.json()) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<OtlpSpan> }> }> }
        for (const r of body.resourceSpans) for (const s of r.scopeSpans) spans.push(...s.spans)
        return Response.json({})
      }
    })
    const [port, metricsPort] = [await freePort(), await freePort()]
    base = `http://127.0.0.1:${port}`
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`
    program = await startProgram(dir, {
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collector.port}`,
      OTEL_SERVICE_NAME: "bienlai-under-test"
    })
    demo = JSON.parse(readFileSync(join(dir, "demo.json"), "utf8")) as DemoData
  }, 120_000)

  afterAll(async () => {
    await program?.stop()
    collector?.stop(true)
  })

  const approvePending = async () => {
    const approver = demo.officers.find((o) => o.agency === "HCM" && o.role === "approver")!
    const pending = demo.receipts.find((r) => r.label.includes("submitted, awaiting approval"))!
    const auth = { authorization: `Bearer ${approver.token}`, "content-type": "application/json" }
    const read = (await (await fetch(`${base}/api/officer/receipts/${pending.id}`, { headers: auth })).json()) as { contentHash: string }
    const approved = await fetch(`${base}/api/officer/drafts/${pending.id}/approve`, { method: "POST", headers: auth, body: JSON.stringify({ contentHash: read.contentHash }) })
    expect(approved.status).toBe(201)
  }

  test("/metrics is on METRICS_PORT, not on the public port, and its counters move with requests and an approval", async () => {
    expect(program.out()).toContain(`metrics ${metricsUrl}`)
    expect((await fetch(`${base}/metrics`)).status).toBe(404)
    const before = await (await fetch(metricsUrl)).text()
    const route = 'bienlai_http_requests_total{method="GET",route="/v/:token{.+}",status="200"}'
    const verified = demo.receipts.filter((r) => r.url !== undefined).slice(0, 3)
    for (const r of verified) expect((await fetch(r.url!.replace(/^http:\/\/localhost:\d+/, base))).status).toBe(200)
    await approvePending()
    const res = await fetch(metricsUrl)
    expect(res.headers.get("content-type")).toStartWith("text/plain; version=0.0.4")
    const after = await res.text()
    expect(sample(after, route) - sample(before, route)).toBe(verified.length)
    // The route pattern, never the path with its token.
    expect(after).not.toContain(verified[0]!.url!.split("/v/")[1]!.slice(0, 20))
    expect(sample(after, 'bienlai_http_requests_total{method="POST",route="/api/officer/drafts/:id/approve",status="201"}')).toBe(1)
    expect(sample(after, 'bienlai_receipts_issued_total{agency="HCM"}') - sample(before, 'bienlai_receipts_issued_total{agency="HCM"}')).toBe(1)
    const signatures = after.split("\n").filter((l) => l.startsWith('bienlai_signatures_total{agency="HCM"'))
    expect(signatures.length).toBeGreaterThan(0)
    expect(signatures.reduce((n, l) => n + Number(l.split(" ")[1]), 0)).toBeGreaterThanOrEqual(1)
    expect(sample(after, 'bienlai_http_request_duration_seconds_count{method="POST",route="/api/officer/drafts/:id/approve"}')).toBe(1)
    expect(after).toContain('bienlai_queue_depth{queue="ocr"} 0')
    // The public port's refusal of /metrics is counted as a request no route took.
    expect(sample(after, 'bienlai_http_requests_total{method="GET",route="(unmatched)",status="404"}')).toBeGreaterThanOrEqual(1)
    expect(after).toContain("bienlai_process_cpu_user_seconds_total")
  }, 60_000)

  test("the approval's trace is route → ReceiptStore.issue → Signer.sign, exported over OTLP", async () => {
    const route = "POST /api/officer/drafts/:id/approve"
    const deadline = Date.now() + 20_000
    // The batch exporter sends every few seconds.
    while (!spans.some((s) => s.name === route) && Date.now() < deadline) await Bun.sleep(200)
    const request = spans.find((s) => s.name === route)
    expect(request).toBeDefined()
    const inTrace = spans.filter((s) => s.traceId === request!.traceId)
    const issue = inTrace.find((s) => s.name === "ReceiptStore.issue" && s.parentSpanId === request!.spanId)
    expect(issue).toBeDefined()
    const sign = inTrace.find((s) => s.name === "Signer.sign" && s.parentSpanId === issue!.spanId)
    expect(sign).toBeDefined()
    expect(sign!.attributes?.find((a) => a.key === "bienlai.agency")?.value.stringValue).toBe("HCM")
    expect(request!.attributes?.find((a) => a.key === "http.route")?.value.stringValue).toBe("/api/officer/drafts/:id/approve")
    expect(request!.parentSpanId === undefined || request!.parentSpanId === "").toBe(true)
  }, 30_000)
})

describe("METRICS_TOKEN: /metrics on the public port, to the token only", () => {
  test("without the token 401, with it the metrics; a stop ends the open live streams", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bienlai-observability-token-"))
    const init = initKeyStore(dir, passphrase)
    expect(init.status).toBe(0)
    const port = await freePort()
    const program = await startProgram(dir, { PORT: String(port), METRICS_TOKEN: metricsToken })
    try {
      const url = `http://127.0.0.1:${port}/metrics`
      expect((await fetch(url)).status).toBe(401)
      expect((await fetch(url, { headers: { authorization: `Bearer ${metricsToken}x` } })).status).toBe(401)
      const ok = await fetch(url, { headers: { authorization: `Bearer ${metricsToken}` } })
      expect(ok.status).toBe(200)
      expect(await ok.text()).toContain("# TYPE bienlai_http_requests_total counter")
      // The token never reaches the log.
      expect(program.out()).not.toContain(metricsToken)

      // An operations screen is open: its stream must not hold the stop up (it would last minutes).
      const demo = JSON.parse(readFileSync(join(dir, "demo.json"), "utf8")) as DemoData
      const signedIn = await fetch(`http://127.0.0.1:${port}/console/sign-in`, { method: "POST", redirect: "manual", body: new URLSearchParams({ token: demo.officers[0]!.token }) })
      const cookie = (signedIn.headers.get("set-cookie") ?? "").split(";")[0]!
      const stream = await fetch(`http://127.0.0.1:${port}/console/ioc/stream`, { headers: { cookie } })
      expect(stream.headers.get("content-type")).toStartWith("text/event-stream")
      const reader = stream.body!.getReader()
      expect(new TextDecoder().decode((await reader.read()).value)).toContain("event: figures")
      const stopping = Date.now()
      expect(await program.stop()).toBe(0)
      expect(Date.now() - stopping).toBeLessThan(15_000)
      // The stream ended with the server.
      for (;;) if ((await reader.read()).done) break
    } finally {
      await program.stop()
    }
  }, 120_000)
})
