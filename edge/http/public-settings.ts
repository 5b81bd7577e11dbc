/**
 * The public side's settings from the environment (see docs/EDGE.md):
 *
 *   TRUST_PROXY           number of proxies in front that append to X-Forwarded-For (0, the default: ignore it)
 *   ACCEPTED_QR_HOSTS     comma-separated hosts, besides PUBLIC_URL's, whose QR codes are the agency's own
 *   LOOKUP_MAX_FAILURES   wrong identity numbers a lookup code allows before it locks (default 5)
 *   LOOKUP_LOCK_MINUTES   how long it then stays locked (default 60)
 *   STATUS_LIST_CACHE     most status lists held in memory (default 1000)
 *
 * A value that is not what it should be stops the start with a message
 * naming the variable, rather than quietly meaning something else.
 */
import { defaultLookupGuardPolicy } from "../../domain/lookup-guard.ts"
import type { EdgeConfig } from "../services.ts"

type Env = Record<string, string | undefined>

const count = (env: Env, name: string, fallback: number, min: number): number => {
  const raw = env[name]
  if (raw === undefined || raw.trim() === "") return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}=${raw} is not a whole number of at least ${min}`)
  return n
}

export const publicSettingsFromEnv = (env: Env): Pick<EdgeConfig, "trustProxyHops" | "acceptedQrHosts" | "lookupGuard" | "statusListCacheSize"> => ({
  trustProxyHops: count(env, "TRUST_PROXY", 0, 0),
  acceptedQrHosts: (env["ACCEPTED_QR_HOSTS"] ?? "").split(",").map((h) => h.trim()).filter((h) => h !== ""),
  lookupGuard: {
    ...defaultLookupGuardPolicy,
    maxFailures: count(env, "LOOKUP_MAX_FAILURES", defaultLookupGuardPolicy.maxFailures, 1),
    lockSeconds: count(env, "LOOKUP_LOCK_MINUTES", defaultLookupGuardPolicy.lockSeconds / 60, 1) * 60
  },
  statusListCacheSize: count(env, "STATUS_LIST_CACHE", 1000, 1)
})
