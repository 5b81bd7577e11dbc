/**
 * Starts the edge from the environment, the same way on every runtime:
 *
 *   PORT               listening port (default 8787; used by the entry points)
 *   PUBLIC_URL         where citizens reach us (default http://localhost:PORT)
 *   DATABASE_URL       PostgreSQL; without it, embedded PGlite in BIENLAI_DATA (default ./data)
 *   BIENLAI_KEYS_DIR   the key store (default .bienlai/keys); created with a development PKI if empty
 *   BIENLAI_KEY_PASSPHRASE   the key passphrase (a public development default outside production)
 *   BIENLAI_DEMO       "0" to skip the demo data of a first start
 *   RATE_LIMIT_PER_MINUTE    per-client limit on public endpoints (0 turns it off)
 *   TRUST_PROXY        "1" to take client addresses from X-Forwarded-For
 *   BIENLAI_OCR_WORKER "0" to run no OCR worker in this process (run `bienlai ocr-worker` elsewhere);
 *                      otherwise a worker with BIENLAI_OCR_WORKERS (default 2) engines reads queued scans
 *
 * On a first start with an empty database it seeds the demo (agencies,
 * officers with tokens, receipts in each state) and keeps the tokens in
 * <keys dir>/../demo.json so later starts can print them again.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import pino from "pino"
import { defaultKeysDir, hasRoot } from "../jobs/keys/keystore.ts"
import { agenciesWithKeys, initPki, publishTrustList } from "../jobs/keys/manage.ts"
import { keyPassphrase } from "../jobs/keys/passphrase.ts"
import { keyStoreSigner } from "../jobs/keys/signer.ts"
import { dbConfigFromEnv, describeDb, openDb } from "../store/open-db.ts"
import { hostname } from "node:os"
import { startInProcessWorker } from "../jobs/ocr/worker.ts"
import { type AppOptions, buildApp } from "./app.ts"
import { type DemoData, demoAgencies, hasAgencies, seedDemo } from "./demo/seed.ts"
import { makeEdgeServices, type EdgeServices } from "./services.ts"
import { makeTrustSource } from "./verification/trust-source.ts"

export interface Booted {
  readonly app: ReturnType<typeof buildApp>
  readonly services: EdgeServices
  readonly port: number
  readonly demo: DemoData | undefined
  /** Lines for the console: where to go and what to use. */
  readonly banner: ReadonlyArray<string>
  readonly close: () => Promise<void>
}

type Env = Record<string, string | undefined>

export const bootFromEnv = async (env: Env, options: AppOptions & { readonly say?: (line: string) => void } = {}): Promise<Booted> => {
  const say = options.say ?? ((line: string) => console.error(line))
  const port = Number(env["PORT"] ?? 8787)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT=${env["PORT"]} is not a port number`)
  const publicUrl = env["PUBLIC_URL"] ?? `http://localhost:${port}`
  const now = () => new Date()

  const keysDir = defaultKeysDir(env as NodeJS.ProcessEnv)
  const passphrase = keyPassphrase(env as NodeJS.ProcessEnv, say)
  if (typeof passphrase !== "string") throw new Error(passphrase.message)
  if (!hasRoot(keysDir)) {
    await initPki({ dir: keysDir, agencies: demoAgencies.map((a) => a.code), algorithm: "Ed25519", passphrase, now: now() })
    say(`Created a development PKI in ${keysDir} (root and one signing key per agency: ${demoAgencies.map((a) => a.code).join(", ")}).`)
  }
  const trustList = await publishTrustList(keysDir, join(keysDir, "trust-list.json"), now())
  const signer = await keyStoreSigner({ dir: keysDir, passphrase, now })

  const dbConfig = dbConfigFromEnv(env)
  const db = await openDb(dbConfig)
  const limit = Number(env["RATE_LIMIT_PER_MINUTE"] ?? 120)
  const services = makeEdgeServices({
    db,
    signer,
    trust: await makeTrustSource(trustList),
    now,
    logger: pino({ base: undefined }),
    config: {
      publicUrl,
      rateLimit: limit > 0 ? { perMinute: limit, burst: Math.max(1, Math.ceil(limit / 2)) } : null,
      trustProxy: env["TRUST_PROXY"] === "1"
    }
  })
  for (const r of services.trust().rejected) say(`warning: trust list entry ${r.keyId} ignored: ${r.reason}`)

  const demoFile = join(dirname(keysDir), "demo.json")
  let demo: DemoData | undefined
  if (!(await hasAgencies(services)) && env["BIENLAI_DEMO"] !== "0") {
    // The key store may hold keys for only some of the demo's agencies (`bienlai keys init --agencies HCM,HNI`): seed those.
    const wanted = demoAgencies.map((a) => a.code)
    const signable = await agenciesWithKeys(keysDir, wanted, now())
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

  const app = buildApp(services, options)
  // Scans uploaded through the API or the console wait in the uploads table; this worker reads them here so the demo works alone.
  const ocr = env["BIENLAI_OCR_WORKER"] === "0" ? undefined : startInProcessWorker({
    db,
    store: services.store,
    worker: `${hostname()}:edge:${crypto.randomUUID().slice(0, 8)}`,
    size: Math.max(1, Number(env["BIENLAI_OCR_WORKERS"] ?? 2) || 2),
    // Loaded only when the worker runs: tesseract.js and its data are heavy.
    createPool: async (size) => (await import("../jobs/ocr/pool.ts")).createOcrPool({ size }),
    onError: (e) => services.logger.warn({ err: e instanceof Error ? e.message : String(e) }, "OCR worker")
  })
  const banner = [
    `bienlai edge on ${publicUrl}  (${describeDb(dbConfig)}, keys in ${keysDir})`,
    `  trust list      ${publicUrl}/api/trust-list`,
    `  status lists    ${publicUrl}/api/status-lists`,
    `  OpenAPI         ${publicUrl}/openapi.json`,
    `  officer console ${publicUrl}/console  (sign in with an officer token below)`,
    `  OCR worker      ${ocr === undefined ? "off (BIENLAI_OCR_WORKER=0): run bienlai ocr-worker against this database" : `in this process, ${ocr.size} engines`}`,
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
  return {
    app,
    services,
    port,
    demo,
    banner,
    close: async () => {
      // The worker finishes (or hands back) the scans it holds before the database closes.
      await ocr?.stop()
      await db.close()
    }
  }
}
