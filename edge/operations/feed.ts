/**
 * Where the operations view's figures come from, for the console page, its
 * live stream and the officer API alike: the scope an officer may see
 * (domain/operations/scope.ts, with the central department read from the
 * database), and one snapshot per scope shared by every viewer for a
 * moment (`ttlMs`), so a room of wall screens costs the database one
 * reading per scope, not one per screen. The parts that cost in proportion
 * to the period (receipts before today, numbering health) are held longer
 * (`holdMs`, a minute): see store/operations/snapshot.ts for what that means.
 */
import { Result } from "effect"
import { resolveScope, type Scope, scopeKey } from "../../domain/operations/scope.ts"
import { agencyKnown, isCentralAgency } from "../../store/operations/agencies.ts"
import { type Held, operationsSnapshot, type OperationsSnapshot } from "../../store/operations/snapshot.ts"
import type { Principal } from "../http/env.ts"
import { refusal } from "../http/errors.ts"
import type { EdgeServices } from "../services.ts"

export interface OperationsFeed {
  /** The scope `asked` for by `p`, or a 404 ApiError (another agency's figures are "not found" to a provincial officer). */
  readonly scopeFor: (p: Principal, asked: string | undefined) => Promise<{ readonly scope: Scope; readonly central: boolean }>
  readonly snapshot: (scope: Scope) => Promise<OperationsSnapshot>
}

const notFound = (asked: string) =>
  refusal(404, "not_found", {
    vi: `Không có số liệu điều hành cho "${asked.slice(0, 40)}" trong phạm vi của bạn.`,
    en: `no operations figures for "${asked.slice(0, 40)}" in your scope`
  })

/** A holder of slow parts: each kept `holdMs`, expired ones dropped as new ones come (keys carry the day, so they do not pile up). */
export const makeHeld = (holdMs: number): Held => {
  const parts = new Map<string, { readonly at: number; readonly value: Promise<unknown> }>()
  return <A>(key: string, compute: () => Promise<A>): Promise<A> => {
    const now = performance.now()
    const kept = parts.get(key)
    if (kept !== undefined && now - kept.at < holdMs) return kept.value as Promise<A>
    for (const [k, v] of parts) if (now - v.at >= holdMs) parts.delete(k)
    const value = compute()
    parts.set(key, { at: now, value })
    value.catch(() => parts.delete(key))
    return value
  }
}

export const makeOperationsFeed = (s: EdgeServices, options: { readonly ttlMs?: number; readonly holdMs?: number } = {}): OperationsFeed => {
  const ttl = options.ttlMs ?? 1500
  const held = makeHeld(options.holdMs ?? 60_000)
  // Keyed by scope: at most the agencies in the database and "national", since scopes are checked first.
  const cache = new Map<string, { readonly at: number; readonly value: Promise<OperationsSnapshot> }>()
  return {
    scopeFor: async (p, asked) => {
      const central = await isCentralAgency(s.db, p.agency)
      const resolved = resolveScope({ agency: p.agency, central }, asked)
      if (Result.isFailure(resolved)) throw notFound(asked ?? "")
      const scope = resolved.success
      if (scope.kind === "agency" && scope.agency !== p.agency && !(await agencyKnown(s.db, scope.agency))) throw notFound(asked ?? "")
      return { scope, central }
    },
    snapshot: (scope) => {
      const key = scopeKey(scope)
      // Monotonic time for the cache: it is about load, not about the business clock.
      const now = performance.now()
      const kept = cache.get(key)
      if (kept !== undefined && now - kept.at < ttl) return kept.value
      const value = operationsSnapshot(s.db, scope, s.now().toISOString(), held)
      cache.set(key, { at: now, value })
      value.catch(() => cache.delete(key))
      return value
    }
  }
}
