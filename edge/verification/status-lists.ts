/**
 * The signed status lists this server publishes, one per series, built from
 * the database and signed with the agency's key. A list is rebuilt when a
 * receipt of its series is issued, voided or replaced through this process
 * (`invalidate`), and at the latest `maxAgeMs` after it was built, which
 * bounds how stale a list can be when another process changed the series.
 * Concurrent requests share one build.
 */
import { Effect, Result } from "effect"
import type { Db } from "../../store/db.ts"
import { Signer } from "../../domain/ports/signer.ts"
import type { SigningError } from "../../domain/ports/signer.ts"
import { signStatusList } from "../../domain/signing/issue-token.ts"
import { openStatusList, seriesKey } from "../../domain/signing/status-list.ts"
import type { StatusList, StatusListContent } from "../../domain/signing/status-list.ts"
import type { TrustAnchors } from "../../domain/signing/trust.ts"
import { etagOf } from "../http/etag.ts"

export interface SeriesId {
  readonly agency: string
  readonly form: string
  readonly symbol: string
}

export interface PublishedStatusList extends SeriesId {
  readonly bytes: Uint8Array
  readonly list: StatusList
  readonly etag: string
  readonly issuedAt: string
  readonly builtAtMs: number
}

export interface StatusListService {
  /** The current list of a series, or undefined when nothing was issued in it. */
  readonly get: (series: SeriesId) => Promise<PublishedStatusList | undefined>
  readonly invalidate: (series: SeriesId) => void
  /** Every series with issued receipts. */
  readonly series: () => Promise<Array<SeriesId & { readonly size: number }>>
}

const seriesSql = `SELECT agency, form, symbol, last_number FROM series_counter WHERE last_number > 0 ORDER BY agency, form, symbol`

const sizeSql = `SELECT last_number FROM series_counter WHERE agency = $1::text AND form = $2::text AND symbol = $3::text`

const changedSql = `
SELECT r.number, r.status, rb.form AS by_form, rb.symbol AS by_symbol, rb.number AS by_number
  FROM receipts r
  LEFT JOIN receipts rb ON rb.agency = r.agency AND rb.id = r.replaced_by_id
 WHERE r.agency = $1::text AND r.form = $2::text AND r.symbol = $3::text AND r.status IN ('voided', 'replaced')`

interface ChangedRow {
  readonly number: number | string
  readonly status: string
  readonly by_form: string | null
  readonly by_symbol: string | null
  readonly by_number: number | string | null
}

export class StatusListUnavailable extends Error {}

export const makeStatusLists = (deps: {
  readonly db: Db
  readonly signer: Signer["Service"]
  readonly anchors: () => TrustAnchors
  readonly now: () => Date
  readonly maxAgeMs: number
}): StatusListService => {
  const cache = new Map<string, Promise<PublishedStatusList | undefined>>()
  const builtAt = new Map<string, number>()

  const content = async (s: SeriesId, issuedAt: string): Promise<StatusListContent | undefined> => {
    const sized = await deps.db.query<{ last_number: number | string }>(sizeSql, [s.agency, s.form, s.symbol])
    const size = Number(sized[0]?.last_number ?? 0)
    if (size === 0) return undefined
    const rows = await deps.db.query<ChangedRow>(changedSql, [s.agency, s.form, s.symbol])
    return {
      ...s,
      issuedAt,
      size,
      voided: rows.filter((r) => r.status === "voided").map((r) => Number(r.number)),
      replaced: rows.filter((r) => r.status === "replaced" && r.by_form !== null).map((r) => ({
        number: Number(r.number),
        by: { form: r.by_form ?? "", symbol: r.by_symbol ?? "", number: Number(r.by_number) }
      }))
    }
  }

  const build = async (s: SeriesId): Promise<PublishedStatusList | undefined> => {
    const nowMs = deps.now().getTime()
    const issuedAt = new Date(Math.floor(nowMs / 1000) * 1000).toISOString()
    const c = await content(s, issuedAt)
    if (c === undefined) return undefined
    const signed: Result.Result<Uint8Array, SigningError> = await Effect.runPromise(
      Effect.result(Effect.provideService(signStatusList(c), Signer, deps.signer))
    )
    if (Result.isFailure(signed)) throw new StatusListUnavailable(signed.failure.message)
    const opened = await openStatusList(signed.success, deps.anchors())
    if (Result.isFailure(opened)) throw new StatusListUnavailable(`the freshly signed status list does not verify: ${opened.failure.message}`)
    return { ...s, bytes: signed.success, list: opened.success, etag: await etagOf(signed.success), issuedAt, builtAtMs: nowMs }
  }

  return {
    get: (s) => {
      const key = seriesKey(s.agency, s.form, s.symbol)
      const held = cache.get(key)
      const at = builtAt.get(key)
      if (held !== undefined && at !== undefined && deps.now().getTime() - at < deps.maxAgeMs) return held
      const pending = build(s)
      cache.set(key, pending)
      builtAt.set(key, deps.now().getTime())
      // A failed build is not kept: the next request tries again.
      pending.catch(() => {
        if (cache.get(key) === pending) {
          cache.delete(key)
          builtAt.delete(key)
        }
      })
      return pending
    },
    invalidate: (s) => {
      const key = seriesKey(s.agency, s.form, s.symbol)
      cache.delete(key)
      builtAt.delete(key)
    },
    series: async () =>
      (await deps.db.query<{ agency: string; form: string; symbol: string; last_number: number | string }>(seriesSql)).map((r) => ({
        agency: r.agency,
        form: r.form,
        symbol: r.symbol,
        size: Number(r.last_number)
      }))
  }
}
