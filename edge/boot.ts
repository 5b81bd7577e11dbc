/**
 * Starts the edge from the environment, the same way on every runtime:
 *
 *   PORT               listening port (default 8787; used by the entry points)
 *   PUBLIC_URL         where citizens reach us (default http://localhost:PORT)
 *   DATABASE_URL       PostgreSQL; without it, embedded PGlite in BIENLAI_DATA (default ./data)
 *   BIENLAI_KEYS_DIR   the key store (default .bienlai/keys); created with a development PKI if empty
 *                      (outside production only; the root's key then goes to BIENLAI_ROOT_DIR, default .bienlai/root)
 *   BIENLAI_KEY_PASSPHRASE   the key passphrase (a public development default outside production)
 *   BIENLAI_DEMO       "0" to skip the demo data of a first start (never seeded in production)
 *   BIENLAI_ENV / NODE_ENV, BIENLAI_SECURE_COOKIES, BIENLAI_SESSION_*, BIENLAI_TOKEN_*: see boot-settings.ts
 *   RATE_LIMIT_PER_MINUTE    per-client limit on public endpoints (0 turns it off)
 *   TRUST_PROXY        number of proxies in front appending to X-Forwarded-For (default 0: ignore it);
 *                      with ACCEPTED_QR_HOSTS, LOOKUP_MAX_FAILURES, LOOKUP_LOCK_MINUTES, STATUS_LIST_CACHE
 *                      see edge/http/public-settings.ts
 *   VERIFIED_CACHE     valid signatures remembered, so a receipt scanned again is not verified again (default 10000; 0: none)
 *   BIENLAI_OCR_WORKER "0" to run no OCR worker in this process (run `bienlai ocr-worker` elsewhere);
 *                      otherwise a worker with BIENLAI_OCR_WORKERS (default 2) engines reads queued scans
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
import pino from "pino"
import { defaultKeysDir, defaultRootDir, hasRoot, readRootCertificate } from "../adapters/keys/keystore.ts"
import { agenciesWithKeys, initPki, publishTrustList } from "../adapters/keys/manage.ts"
import { publicationProblem, readPublished } from "../adapters/keys/published.ts"
import { keyPassphrase, rootPassphrase } from "../adapters/keys/passphrase.ts"
import { keyStoreSigner } from "../adapters/keys/signer.ts"
import { fastestVerifier } from "../adapters/verify/fastest.ts"
import { verifiedCache } from "../adapters/verify/verified-cache.ts"
import { dbConfigFromEnv, describeDb, openDb } from "../store/database/open-db.ts"
import { hostname } from "node:os"
import { startInProcessWorker } from "../jobs/ocr-worker/worker.ts"
import { type AppOptions, buildApp } from "./app.ts"
import { isProduction, productionRefusal, securitySettings } from "./boot-settings.ts"
import { type DemoData, demoAgencies, hasAgencies, seedDemo } from "./demo/seed.ts"
import { makeEdgeServices, type EdgeServices } from "./services.ts"
import { makeTrustSource } from "./verification/trust-source.ts"
import { publicSettingsFromEnv } from "./http/public-settings.ts"

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

  const production = isProduction(env)
  const security = securitySettings(env)
  const keysDir = defaultKeysDir(env as NodeJS.ProcessEnv)
  const passphrase = keyPassphrase(env as NodeJS.ProcessEnv, say)
  if (typeof passphrase !== "string") throw new Error(passphrase.message)
  if (production) {
    const refusal = await productionRefusal(env, keysDir, passphrase, now())
    if (refusal !== undefined) throw new Error(refusal)
  } else {
    const rootDir = defaultRootDir(env as NodeJS.ProcessEnv, keysDir)
    const rootPass = rootPassphrase(env as NodeJS.ProcessEnv, say)
    if (typeof rootPass !== "string") throw new Error(rootPass.message)
    if (!hasRoot(keysDir)) {
      await initPki({ dir: keysDir, rootDir, agencies: demoAgencies.map((a) => a.code), passphrase, rootPassphrase: rootPass, now: now(), serviceUrl: publicUrl })
      say(`Created a development PKI (ECDSA P-256): one signing key per agency (${demoAgencies.map((a) => a.code).join(", ")}) in ${keysDir}, the root's key apart in ${rootDir}.`)
    } else {
      // With the root at hand (development), the signed list is made again, so it names this service and every key.
      await publishTrustList({ dir: keysDir, rootDir, rootPassphrase: rootPass, passphrase, now: now(), serviceUrl: publicUrl }).catch((e: unknown) =>
        say(`warning: the trust list was not signed again (${e instanceof Error ? e.message : String(e)}); serving the one in ${keysDir}`)
      )
    }
    const problem = await publicationProblem(keysDir, now())
    if (problem !== undefined) say(`warning: ${problem}`)
  }
  const published = readPublished(keysDir)
  if (published.signed === undefined) throw new Error(`there is no trust list signed by the root in ${keysDir}: publish one with \`bienlai keys trust-list\``)
  const signer = await keyStoreSigner({ dir: keysDir, passphrase, now })
  // The same receipts are scanned again and again; in Deno an ECDSA verification costs four to eight times Bun's (docs/SIGNING.md).
  const cacheSize = Number(env["VERIFIED_CACHE"] ?? 10_000)
  if (!Number.isInteger(cacheSize) || cacheSize < 0) throw new Error(`VERIFIED_CACHE=${env["VERIFIED_CACHE"]} is not a whole number of signatures (0 turns the cache off)`)
  const verifier = cacheSize > 0 ? verifiedCache(fastestVerifier(), { maxEntries: cacheSize }) : fastestVerifier()

  const dbConfig = dbConfigFromEnv(env)
  const db = await openDb(dbConfig)
  const limit = Number(env["RATE_LIMIT_PER_MINUTE"] ?? 120)
  const services = makeEdgeServices({
    db,
    signer,
    trust: await makeTrustSource(published.signed, { heldRoots: [readRootCertificate(keysDir)], verifier, ...(published.crl === undefined ? {} : { crl: published.crl }) }),
    now,
    logger: pino({ base: undefined }),
    config: {
      publicUrl,
      rateLimit: limit > 0 ? { perMinute: limit, burst: Math.max(1, Math.ceil(limit / 2)) } : null,
      ...publicSettingsFromEnv(env),
      ...security
    }
  })
  for (const r of services.trust().rejected) say(`warning: trust list entry ${r.keyId} ignored: ${r.reason}`)

  const demoFile = join(dirname(keysDir), "demo.json")
  let demo: DemoData | undefined
  const empty = !(await hasAgencies(services))
  if (production) {
    // Production never seeds the demo, and never prints a token (not even a demo file's).
    if (env["BIENLAI_DEMO"] === "1") say("BIENLAI_DEMO is ignored in production: no demo data is seeded.")
  } else if (empty && env["BIENLAI_DEMO"] !== "0") {
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
    createPool: async (size) => (await import("../adapters/ocr/pool.ts")).createOcrPool({ size }),
    onError: (e) => services.logger.warn({ err: e instanceof Error ? e.message : String(e) }, "OCR worker")
  })
  const banner = [
    `bienlai edge on ${publicUrl}  (${describeDb(dbConfig)}, keys in ${keysDir})`,
    `  trust list      ${publicUrl}/api/trust-list`,
    `  status lists    ${publicUrl}/api/status-lists`,
    `  OpenAPI         ${publicUrl}/openapi.json`,
    `  officer console ${publicUrl}/console  (sign in with an officer token${demo === undefined ? " or enrolment code" : " below"})`,
    `  OCR worker      ${ocr === undefined ? "off (BIENLAI_OCR_WORKER=0): run bienlai ocr-worker against this database" : `in this process, ${ocr.size} engines`}`,
    ...(production ? [`  production      secure cookies ${security.secureCookies ? "on (HSTS)" : "OFF: BIENLAI_SECURE_COOKIES=0"}; no demo`] : []),
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
