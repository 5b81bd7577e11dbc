/**
 * Where the operations view's figures come from, for the console page, its
 * live stream and the officer API alike: the scope an officer may see
 * (domain/operations/scope.ts, with the central department read from the
 * database), and one snapshot per scope shared by every viewer for a
 * moment (`ttlMs`), so a room of wall screens costs the database one
 * reading per scope, not one per screen.
 */
import { Result } from "effect"
import { resolveScope, type Scope, scopeKey } from "../../domain/operations/scope.ts"
import { agencyKnown, isCentralAgency } from "../../store/operations/agencies.ts"
import { operationsSnapshot, type OperationsSnapshot } from "../../store/operations/snapshot.ts"
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

export const makeOperationsFeed = (s: EdgeServices, options: { readonly ttlMs?: number } = {}): OperationsFeed => {
  const ttl = options.ttlMs ?? 1500
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
      const held = cache.get(key)
      if (held !== undefined && now - held.at < ttl) return held.value
      const value = operationsSnapshot(s.db, scope, s.now().toISOString())
      cache.set(key, { at: now, value })
      value.catch(() => cache.delete(key))
      return value
    }
  }
}
