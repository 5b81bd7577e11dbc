/**
 * The trust list as the edge holds it: the published JSON (served as is, with
 * its ETag) and the anchors `verify` needs, parsed once.
 */
import { Result } from "effect"
import type { TrustAnchors, TrustList } from "../../domain/signing/trust.ts"
import { loadTrustList } from "../../adapters/keys/trust-list.ts"
import { etagOf } from "../http/etag.ts"

export interface TrustSource {
  readonly list: TrustList
  readonly bytes: Uint8Array
  readonly etag: string
  readonly anchors: TrustAnchors
  /** Entries the loader refused, with the reason (logged at start). */
  readonly rejected: ReadonlyArray<{ readonly keyId: string; readonly reason: string }>
}

export const makeTrustSource = async (list: TrustList): Promise<TrustSource> => {
  const loaded = await loadTrustList(list)
  if (Result.isFailure(loaded)) throw new Error(loaded.failure.message)
  const bytes = new TextEncoder().encode(JSON.stringify(list, null, 2) + "\n")
  return { list, bytes, etag: await etagOf(bytes), anchors: loaded.success.anchors, rejected: loaded.success.rejected }
}
