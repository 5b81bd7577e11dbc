/**
 * The signed status lists this server publishes, one per series, built from
 * the database and signed with the agency's key. A list is rebuilt when a
 * receipt of its series is issued, voided or replaced through this process
 * (`invalidate`), and at the latest `maxAgeMs` after it was built, which
 * bounds how stale a list can be when another process changed the series.
 * Each list states how long it vouches for itself (`freshForSeconds`), so
 * an offline verifier knows when "not voided" stops meaning "in force".
 *
 * Callers name series (a query string, a token's claims), so the cache is
 * bounded: an LRU of at most `capacity` lists, and a list enters it only
 * once it was built for a series that has receipts and signed successfully.
 * A series nobody issued in costs a query, never memory. Concurrent
 * requests for one series share one build (`building` holds only builds in
 * progress, so it is bounded by the requests in flight).
 */
import { Effect, Result } from "effect"
import type { Db } from "../../store/database/db.ts"
import { changedReceipts, seriesSize, seriesWithReceipts } from "../../store/receipts/status-list-source.ts"
import type { Signer } from "../../domain/ports/signer.ts"
import type { SigningError } from "../../domain/ports/signer.ts"
import { signStatusList } from "../../domain/signing/issue-token.ts"
import { openStatusList } from "../../domain/signing/status-list.ts"
import { seriesKey } from "../../domain/series-key.ts"
import type { StatusList, StatusListContent } from "../../domain/signing/status-list.ts"
import type { TrustAnchors } from "../../domain/signing/trust.ts"
import { etagOf } from "../http/etag.ts"
import { makeLru } from "./lru.ts"

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
  /** As `get`, but a held list that does not cover `number` and is not newer than `issuedAt` is rebuilt first (another process issued it since). */
  readonly getCovering: (series: SeriesId, number: number, issuedAt: string) => Promise<PublishedStatusList | undefined>
  readonly invalidate: (series: SeriesId) => void
  /** Every series with issued receipts. */
  readonly series: () => Promise<Array<SeriesId & { readonly size: number }>>
  /** How many lists are held (bounded by the capacity). */
  readonly size: () => number
}

export class StatusListUnavailable extends Error {}

export const makeStatusLists = (deps: {
  readonly db: Db
  /** Runs an effect in the app's runtime, where the Signer is (edge/services.ts). */
  readonly run: <A, E>(effect: Effect.Effect<A, E, Signer>) => Promise<A>
  readonly anchors: () => TrustAnchors
  readonly now: () => Date
  readonly maxAgeMs: number
  /** How long each list vouches for itself, in seconds (signed into it). */
  readonly freshForSeconds: number
  /** The most lists held at once. */
  readonly capacity: number
}): StatusListService => {
  const held = makeLru<string, PublishedStatusList>(deps.capacity)
  const building = new Map<string, Promise<PublishedStatusList | undefined>>()

  const content = async (s: SeriesId, issuedAt: string): Promise<StatusListContent | undefined> => {
    const size = await seriesSize(deps.db, s)
    if (size === 0) return undefined
    const changed = await changedReceipts(deps.db, s)
    return {
      ...s,
      issuedAt,
      freshForSeconds: deps.freshForSeconds,
      size,
      voided: changed.filter((r) => r.status === "voided").map((r) => r.number),
      replaced: changed.flatMap((r) => (r.by === null ? [] : [{ number: r.number, by: r.by }]))
    }
  }

  const build = async (s: SeriesId): Promise<PublishedStatusList | undefined> => {
    const nowMs = deps.now().getTime()
    const issuedAt = new Date(Math.floor(nowMs / 1000) * 1000).toISOString()
    const c = await content(s, issuedAt)
    if (c === undefined) return undefined
    const signed: Result.Result<Uint8Array, SigningError> = await deps.run(Effect.result(signStatusList(c)))
    if (Result.isFailure(signed)) throw new StatusListUnavailable(signed.failure.message)
    const opened = await openStatusList(signed.success, deps.anchors())
    if (Result.isFailure(opened)) throw new StatusListUnavailable(`the freshly signed status list does not verify: ${opened.failure.message}`)
    return { ...s, bytes: signed.success, list: opened.success, etag: await etagOf(signed.success), issuedAt, builtAtMs: nowMs }
  }

  const rebuild = (key: string, s: SeriesId): Promise<PublishedStatusList | undefined> => {
    const pending = building.get(key)
    if (pending !== undefined) return pending
    const started: Promise<PublishedStatusList | undefined> = build(s).then(
      (published) => {
        // Kept only if the series has receipts, the list signed and verified, and nothing changed the series meanwhile.
        if (building.get(key) === started) {
          building.delete(key)
          if (published !== undefined) held.set(key, published)
          else held.delete(key)
        }
        return published
      },
      (e: unknown) => {
        if (building.get(key) === started) building.delete(key)
        throw e
      }
    )
    building.set(key, started)
    return started
  }

  const current = (key: string): PublishedStatusList | undefined => {
    const list = held.get(key)
    return list !== undefined && deps.now().getTime() - list.builtAtMs < deps.maxAgeMs ? list : undefined
  }

  return {
    get: (s) => {
      const key = seriesKey(s)
      const list = current(key)
      return list !== undefined ? Promise.resolve(list) : rebuild(key, s)
    },
    getCovering: (s, number, issuedAt) => {
      const key = seriesKey(s)
      const list = current(key)
      if (list === undefined) return rebuild(key, s)
      // Rebuilt once for a receipt issued after the list (by another process); after that the list is newer than the receipt.
      return number > list.list.size && list.issuedAt <= issuedAt ? rebuild(key, s) : Promise.resolve(list)
    },
    invalidate: (s) => {
      const key = seriesKey(s)
      held.delete(key)
      // A build already under way may have read the series before the change: the next request starts a new one.
      building.delete(key)
    },
    series: () => seriesWithReceipts(deps.db),
    size: () => held.size()
  }
}
