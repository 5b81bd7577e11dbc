/**
 * The signed notice status lists this server publishes, one per approved
 * payout round: the state of each line, from the database, signed with the
 * agency's token key (domain/payout/notice-status.ts). As with receipts'
 * lists (status-lists.ts), a list is rebuilt at the latest `maxAgeMs` after
 * it was built, states in it how long it vouches for itself, and the cache
 * is a bounded LRU that only rounds with lines enter; concurrent requests
 * for one round share one build. Bank answers are applied by another
 * process (the CLI or the officer API), so the age bound is what makes a
 * returned line show.
 */
import { Effect, Result } from "effect"
import type { Signer, SigningError } from "../../domain/ports/signer.ts"
import { signNoticeStatus } from "../../domain/payout/notice-sign.ts"
import { isNoticeLineState, type NoticeRoundRef, noticeRoundKey, type NoticeStatusList, openNoticeStatus } from "../../domain/payout/notice-status.ts"
import type { TrustAnchors } from "../../domain/signing/trust.ts"
import type { Db } from "../../store/database/db.ts"
import { roundLineStates } from "../../store/payout/notice-tokens.ts"
import { etagOf } from "../http/etag.ts"
import { makeLru } from "./lru.ts"
import { StatusListUnavailable } from "./status-lists.ts"

export interface PublishedNoticeStatus {
  readonly bytes: Uint8Array
  readonly list: NoticeStatusList
  readonly etag: string
  readonly issuedAt: string
  readonly builtAtMs: number
}

export interface NoticeStatusService {
  /** The round's current list, or undefined when the round is not approved (or has no lines). */
  readonly get: (round: NoticeRoundRef) => Promise<PublishedNoticeStatus | undefined>
}

export const makeNoticeStatusLists = (deps: {
  readonly db: Db
  /** Runs an effect that cannot fail in the app's runtime, where the Signer is. */
  readonly run: <A>(effect: Effect.Effect<A, never, Signer>) => Promise<A>
  readonly anchors: () => TrustAnchors
  readonly now: () => Date
  readonly maxAgeMs: number
  readonly freshForSeconds: number
  readonly capacity: number
}): NoticeStatusService => {
  const held = makeLru<string, PublishedNoticeStatus>(deps.capacity)
  const building = new Map<string, Promise<PublishedNoticeStatus | undefined>>()

  const build = async (r: NoticeRoundRef): Promise<PublishedNoticeStatus | undefined> => {
    const nowMs = deps.now().getTime()
    const issuedAt = new Date(Math.floor(nowMs / 1000) * 1000).toISOString()
    const stored = await roundLineStates(deps.db, r.agency, r.caseDecision, r.round)
    if (stored.length === 0) return undefined
    const states = stored.map((s) => {
      if (!isNoticeLineState(s)) throw new StatusListUnavailable(`a line of round ${r.round} has the state "${s}", which no status list carries`)
      return s
    })
    const signed: Result.Result<Uint8Array, SigningError> = await deps.run(
      Effect.result(signNoticeStatus({ ...r, issuedAt, freshForSeconds: deps.freshForSeconds, states }))
    )
    if (Result.isFailure(signed)) throw new StatusListUnavailable(signed.failure.message)
    const opened = await openNoticeStatus(signed.success, deps.anchors())
    if (Result.isFailure(opened)) throw new StatusListUnavailable(`the freshly signed notice status list does not verify: ${opened.failure.message}`)
    return { bytes: signed.success, list: opened.success, etag: await etagOf(signed.success), issuedAt, builtAtMs: nowMs }
  }

  return {
    get: (r) => {
      const key = noticeRoundKey(r)
      const list = held.get(key)
      if (list !== undefined && deps.now().getTime() - list.builtAtMs < deps.maxAgeMs) return Promise.resolve(list)
      const pending = building.get(key)
      if (pending !== undefined) return pending
      const started = build(r).finally(() => building.delete(key)).then((published) => {
        if (published !== undefined) held.set(key, published)
        return published
      })
      building.set(key, started)
      return started
    }
  }
}
