/**
 * The edge's one public entry (what jobs/bin/ start files import): boots the
 * program from the environment, the same way on every runtime.
 *
 *   1. AppConfig from the environment (edge/program/app-config.ts lists every variable);
 *   2. the key store made ready (edge/program/key-store.ts: a development PKI, or production's checks);
 *   3. one ManagedRuntime over the application layer (edge/program/app-layer.ts), plus the
 *      caller's background jobs as layers (the in-process OCR worker, jobs/ocr-worker/in-edge.ts);
 *   4. the demo data on a first start, the Hono app over the runtime, and the banner.
 *
 * `close` disposes the runtime: the jobs stop first (the OCR worker finishes
 * or hands back the scans it holds), the database closes last.
 *
 * On a first start with an empty database it seeds the demo (agencies,
 * officers with tokens, receipts in each state) and keeps the tokens in
 * <keys dir>/../demo.json so later starts can print them again.
 *
 * With BIENLAI_ENV or NODE_ENV = production none of that happens: no demo,
 * no token printed, no PKI made; the start is refused, in one line, without
 * PUBLIC_URL or the agency keys (boot-settings.ts).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { Layer, ManagedRuntime } from "effect"
import { agenciesWithKeys } from "../adapters/keys/manage.ts"
import { describeDb } from "../store/database/open-db.ts"
import { type AppOptions, buildApp } from "./app.ts"
import { type DemoData, demoAgencies, hasAgencies, seedDemo } from "./demo/seed.ts"
import { type AppConfig, appConfigFromEnv, type Env } from "./program/app-config.ts"
import { appLayer, type AppServices } from "./program/app-layer.ts"
import { prepareKeyStore } from "./program/key-store.ts"
import { metricsFor, observabilityFromEnv, type ObservabilitySettings, tracingLayer } from "./program/observability.ts"
import { metricsRoutes } from "./operations/metrics-endpoint.ts"
import { Edge, type EdgeServices } from "./services.ts"


/** Work that runs beside the edge for the runtime's lifetime, with a line for the banner. */
export interface BackgroundJob {
  readonly layer: Layer.Layer<never, never, AppServices>
  readonly banner: string
}

export interface BootOptions extends AppOptions {
  readonly say?: (line: string) => void
  /** Background jobs for this process, given its settings (undefined: none). */
  readonly jobs?: (config: AppConfig) => BackgroundJob | undefined
}

export interface Booted {
  readonly app: ReturnType<typeof buildApp>
  readonly runtime: ManagedRuntime.ManagedRuntime<AppServices, unknown>
  readonly services: EdgeServices
  readonly port: number
  /** /metrics on a listener of its own (METRICS_PORT), off the public port. */
  readonly metricsListener?: { readonly port: number; readonly hostname: string; readonly fetch: (request: Request) => Response | Promise<Response> } | undefined
  readonly demo: DemoData | undefined
  /** Lines for the console: where to go and what to use. */
  readonly banner: ReadonlyArray<string>
  readonly close: () => Promise<void>
}

export const bootFromEnv = async (env: Env, options: BootOptions = {}): Promise<Booted> => {
  const say = options.say ?? ((line: string) => console.error(line))
  const config = appConfigFromEnv(env, say)
  const published = await prepareKeyStore(config, new Date())
  const job = options.jobs?.(config)
  const observability = observabilityFromEnv(config.env)
  const metrics = metricsFor(observability)
  const tracing = tracingLayer(observability)
  const layer = appLayer(config, published, { metrics, tracing })
  const runtime: ManagedRuntime.ManagedRuntime<AppServices, unknown> = ManagedRuntime.make(job === undefined ? layer : Layer.provideMerge(job.layer, layer))
  try {
    return await started(config, runtime, { ...options, observe: { metrics, tracing: tracing !== undefined, metricsToken: observability.metricsToken } }, job, observability)
  } catch (e) {
    await runtime.dispose()
    throw e
  }
}

const started = async (
  config: AppConfig,
  runtime: ManagedRuntime.ManagedRuntime<AppServices, unknown>,
  options: BootOptions,
  job: BackgroundJob | undefined,
  observability: ObservabilitySettings
): Promise<Booted> => {
  const say = config.say
  const services = await runtime.runPromise(Edge)
  for (const r of services.trust().rejected) say(`warning: trust list entry ${r.keyId} ignored: ${r.reason}`)
  const keysDir = config.keys.dir
  const publicUrl = config.edge.publicUrl
  const demoFile = join(dirname(keysDir), "demo.json")
  let demo: DemoData | undefined
  const empty = !(await hasAgencies(services))
  if (config.production) {
    // Production never seeds the demo, and never prints a token (not even a demo file's).
    if (config.env["BIENLAI_DEMO"] === "1") say("BIENLAI_DEMO is ignored in production: no demo data is seeded.")
  } else if (empty && config.demo) {
    // The key store may hold keys for only some of the demo's agencies (`bienlai keys init --agencies HCM,HNI`): seed those.
    const wanted = demoAgencies.map((a) => a.code)
    const signable = await agenciesWithKeys(keysDir, wanted, services.now())
    const without = wanted.filter((a) => !signable.includes(a))
    if (signable.length === 0) {
      say(`Demo data skipped: the key store ${keysDir} has no signing key for any demo agency (${wanted.join(", ")}); add one with \`bienlai keys add HCM\`.`)
    } else {
      demo = await seedDemo(services, signable)
      writeFileSync(demoFile, JSON.stringify(demo, null, 2) + "\n", { mode: 0o600 })
      say(`Seeded demo data for ${signable.join(", ")}; officer tokens saved in ${demoFile}.`)
      if (without.length > 0) {
        say(`No demo data for ${without.join(", ")}: the key store ${keysDir} has no signing key for ${without.length === 1 ? "it" : "them"} (add one with \`bienlai keys add ${without[0]}\`).`)
      }
    }
  } else if (existsSync(demoFile)) {
    demo = JSON.parse(readFileSync(demoFile, "utf8")) as DemoData
  }

  const app = buildApp(runtime, options)
  const metrics = options.observe?.metrics
  const metricsListener = metrics === undefined || observability.metricsPort === undefined
    ? undefined
    : { port: observability.metricsPort, hostname: observability.metricsHost, fetch: metricsRoutes(services, metrics, observability.metricsToken).fetch }
  const security = config.edge
  const banner = [
    `bienlai edge on ${publicUrl}  (${describeDb(config.db)}, keys in ${keysDir})`,
    `  trust list      ${publicUrl}/api/trust-list`,
    `  status lists    ${publicUrl}/api/status-lists`,
    `  OpenAPI         ${publicUrl}/openapi.json`,
    `  officer console ${publicUrl}/console  (sign in with an officer token${demo === undefined ? " or enrolment code" : " below"})`,
    `  OCR worker      ${job?.banner ?? "off (BIENLAI_OCR_WORKER=0): run bienlai ocr-worker against this database"}`,
    `  operations      ${publicUrl}/console/ioc; metrics ${metricsListener !== undefined ? `http://${metricsListener.hostname}:${metricsListener.port}/metrics` : observability.metricsToken !== undefined ? `${publicUrl}/metrics (bearer METRICS_TOKEN)` : "off (METRICS_PORT, METRICS_TOKEN)"}; traces ${observability.tracesUrl ?? "off (OTEL_EXPORTER_OTLP_ENDPOINT)"}`,
    ...(config.production ? [`  production      secure cookies ${security.secureCookies ? "on (HSTS)" : "OFF: BIENLAI_SECURE_COOKIES=0"}; no demo`] : []),
    ...(empty && demo === undefined ? ["", "No agency yet: an operator adds each agency's first two admins on this server with `bienlai officers add` (docs/SECURITY.md)."] : []),
    ...(demo === undefined ? [] : [
      "",
      "Demo receipts (open on a phone or in a browser):",
      ...demo.receipts.map((r) => `  ${r.label.padEnd(46)} ${r.url ?? `(draft ${r.id})`}${r.lookupCode ? `  mã tra cứu ${r.lookupCode}` : ""}`),
      "",
      "Demo officer tokens (Authorization: Bearer <token>):",
      ...demo.officers.map((o) => `  ${o.agency} ${o.role.padEnd(9)} ${o.id.padEnd(11)} ${o.token}`),
      "",
      `Try: curl -H "Authorization: Bearer ${demo.officers[0]?.token ?? ""}" ${publicUrl}/api/officer/receipts`
    ])
  ]
  return { app, runtime, services, port: config.port, metricsListener, demo, banner, close: () => runtime.dispose() }
}
