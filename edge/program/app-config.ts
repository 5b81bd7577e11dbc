/**
 * AppConfig: every setting of a process, read from the environment once, at
 * start, before anything is opened. A bad value stops the start with one
 * line naming the variable (edge/start-failure.ts).
 *
 *   PORT               listening port (default 8787)
 *   HOST               listening address (edge/listen-address.ts)
 *   PUBLIC_URL         where citizens reach us (default http://localhost:PORT)
 *   DATABASE_URL       PostgreSQL; without it, embedded PGlite in BIENLAI_DATA (default ./data)
 *   BIENLAI_KEYS_DIR   the key store (default .bienlai/keys); created with a development PKI if empty
 *                      (outside production only; the root's key then goes to BIENLAI_ROOT_DIR, default .bienlai/root)
 *   BIENLAI_KEY_PASSPHRASE   the key passphrase (a public development default outside production)
 *   BIENLAI_DEMO       "0" to skip the demo data of a first start (never seeded in production)
 *   BIENLAI_ENV / NODE_ENV, BIENLAI_SECURE_COOKIES, BIENLAI_SESSION_*, BIENLAI_TOKEN_*: see edge/boot-settings.ts
 *   RATE_LIMIT_PER_MINUTE    per-client limit on public endpoints (0 turns it off)
 *   TRUST_PROXY, ACCEPTED_QR_HOSTS, LOOKUP_MAX_FAILURES, LOOKUP_LOCK_MINUTES, STATUS_LIST_CACHE:
 *                      see edge/http/public-settings.ts
 *   KEY_RELOAD_SECONDS how often the key store is read again for a new key, certificate, revocation or trust list
 *                      (default 60; 0: only on SIGHUP); edge/program/key-reload.ts
 *   VERIFIED_CACHE     valid signatures remembered, so a receipt scanned again is not verified again (default 10000; 0: none)
 *   BIENLAI_OCR_WORKER "0" to run no OCR worker in this process (run `bienlai ocr-worker` elsewhere);
 *                      otherwise a worker with BIENLAI_OCR_WORKERS (default 2) engines reads queued scans
 */
import { defaultKeysDir, defaultRootDir } from "../../adapters/keys/keystore.ts"
import { keyPassphrase, rootPassphrase } from "../../adapters/keys/passphrase.ts"
import { type DbConfig, dbConfigFromEnv } from "../../store/database/open-db.ts"
import { isProduction, securitySettings } from "../boot-settings.ts"
import { publicSettingsFromEnv } from "../http/public-settings.ts"
import { defaultConfig as defaultEdge, type EdgeConfig } from "../services.ts"

export type Env = Readonly<Record<string, string | undefined>>

export interface AppConfig {
  readonly env: Env
  readonly port: number
  readonly production: boolean
  readonly db: DbConfig
  readonly keys: {
    readonly dir: string
    readonly passphrase: string
    /** Outside production: where the development root's key is, and its passphrase. */
    readonly root: { readonly dir: string; readonly passphrase: string } | undefined
  }
  /** Seconds between reloads of the key store (0: only on SIGHUP). */
  readonly keyReloadSeconds: number
  /** Valid signatures remembered (0: no cache). */
  readonly verifiedCacheSize: number
  readonly edge: EdgeConfig
  /** Seed the demo data on a first start (never in production). */
  readonly demo: boolean
  /** The in-process OCR worker's engines, or undefined for none (BIENLAI_OCR_WORKER=0). */
  readonly ocrWorkers: number | undefined
  /** Where start-up lines go (the console's stderr; tests collect them). */
  readonly say: (line: string) => void
}

export const appConfigFromEnv = (env: Env, say: (line: string) => void): AppConfig => {
  const port = Number(env["PORT"] ?? 8787)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT=${env["PORT"]} is not a port number`)
  const publicUrl = env["PUBLIC_URL"] ?? `http://localhost:${port}`
  const production = isProduction(env)
  const keysDir = defaultKeysDir(env as NodeJS.ProcessEnv)
  const passphrase = keyPassphrase(env as NodeJS.ProcessEnv, say)
  if (typeof passphrase !== "string") throw new Error(passphrase.message)
  let root: AppConfig["keys"]["root"]
  if (!production) {
    const rootPass = rootPassphrase(env as NodeJS.ProcessEnv, say)
    if (typeof rootPass !== "string") throw new Error(rootPass.message)
    root = { dir: defaultRootDir(env as NodeJS.ProcessEnv, keysDir), passphrase: rootPass }
  }
  // The same receipts are scanned again and again; in Deno an ECDSA verification costs four to eight times Bun's (docs/SIGNING.md).
  const cacheSize = Number(env["VERIFIED_CACHE"] ?? 10_000)
  if (!Number.isInteger(cacheSize) || cacheSize < 0) throw new Error(`VERIFIED_CACHE=${env["VERIFIED_CACHE"]} is not a whole number of signatures (0 turns the cache off)`)
  const keyReloadSeconds = Number(env["KEY_RELOAD_SECONDS"] ?? 60)
  if (!Number.isFinite(keyReloadSeconds) || keyReloadSeconds < 0 || keyReloadSeconds > 86_400) {
    throw new Error(`KEY_RELOAD_SECONDS=${env["KEY_RELOAD_SECONDS"]} is not a number of seconds from 0 (only on SIGHUP) to 86400`)
  }
  const limit = Number(env["RATE_LIMIT_PER_MINUTE"] ?? 120)
  const security = securitySettings(env)
  const edge: EdgeConfig = {
    ...defaultEdge,
    publicUrl,
    rateLimit: limit > 0 ? { perMinute: limit, burst: Math.max(1, Math.ceil(limit / 2)) } : null,
    ...publicSettingsFromEnv(env),
    ...security
  }
  return {
    env,
    port,
    production,
    db: dbConfigFromEnv(env),
    keys: { dir: keysDir, passphrase, root },
    keyReloadSeconds,
    verifiedCacheSize: cacheSize,
    edge,
    demo: !production && env["BIENLAI_DEMO"] !== "0",
    ocrWorkers: env["BIENLAI_OCR_WORKER"] === "0" ? undefined : Math.max(1, Number(env["BIENLAI_OCR_WORKERS"] ?? 2) || 2),
    say
  }
}
