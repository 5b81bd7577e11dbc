/**
 * The trust list as the edge holds it: the root-signed envelope (served as
 * is, with its ETag), the CRL signed by the root (when the key store has
 * one), and the anchors `verify` needs, opened once. A list the root did
 * not sign, or that was altered, is refused: the edge does not start on it.
 */
import { Context, Effect, Layer, Result } from "effect"
import { SignatureVerifier } from "../../domain/ports/signature-verifier.ts"
import type { TrustAnchors, TrustList } from "../../domain/signing/trust.ts"
import type { SignedTrustList } from "../../adapters/keys/signed-trust-list.ts"
import { loadTrustList } from "../../adapters/keys/trust-list.ts"
import type { x509 } from "../../adapters/keys/x509.ts"
import { etagOf } from "../http/etag.ts"

export interface TrustSource {
  readonly list: TrustList
  readonly signed: SignedTrustList
  readonly bytes: Uint8Array
  readonly etag: string
  readonly anchors: TrustAnchors
  /** The root's CRL (DER), if the key store holds one. */
  readonly crl: { readonly bytes: Uint8Array; readonly etag: string } | undefined
  /** Entries the loader refused, with the reason (logged at start). */
  readonly rejected: ReadonlyArray<{ readonly keyId: string; readonly reason: string }>
}

export const makeTrustSource = async (
  signed: SignedTrustList,
  options: { readonly heldRoots?: ReadonlyArray<x509.X509Certificate>; readonly crl?: Uint8Array; readonly verifier?: SignatureVerifier["Service"] } = {}
): Promise<TrustSource> => {
  const loaded = await loadTrustList(signed, options)
  if (Result.isFailure(loaded)) throw new Error(loaded.failure.message)
  const bytes = new TextEncoder().encode(JSON.stringify(signed, null, 2) + "\n")
  return {
    list: loaded.success.list,
    signed,
    bytes,
    etag: await etagOf(bytes),
    anchors: loaded.success.anchors,
    crl: options.crl === undefined ? undefined : { bytes: options.crl, etag: await etagOf(options.crl) },
    rejected: loaded.success.rejected
  }
}

const currentOf = Symbol("bienlai/edge/verification/trust-source/current")

/**
 * A TrustSource that follows `current()` (a process that reloads its keys,
 * edge/program/key-reload.ts): each field reads the latest snapshot. Read
 * `snapshotOf(source)` once per use, so a use sees one list whole, never the
 * list of one snapshot with the anchors of the next.
 */
export const followingTrustSource = (current: () => TrustSource): TrustSource => ({
  get list() { return current().list },
  get signed() { return current().signed },
  get bytes() { return current().bytes },
  get etag() { return current().etag },
  get anchors() { return current().anchors },
  get crl() { return current().crl },
  get rejected() { return current().rejected },
  [currentOf]: current
} as TrustSource)

/** The immutable snapshot a (possibly following) TrustSource stands for now. */
export const snapshotOf = (source: TrustSource): TrustSource => {
  const current = (source as { [currentOf]?: () => TrustSource })[currentOf]
  return current === undefined ? source : current()
}

/** The trust list the edge serves and verifies against, as a service. */
export class Trust extends Context.Service<Trust, TrustSource>()("bienlai/edge/verification/Trust") {
  /** Loaded from the published (root-signed) list with the SignatureVerifier in context; a list the root did not sign stops the start. */
  static readonly layer = (published: {
    readonly signed: SignedTrustList
    readonly heldRoots: ReadonlyArray<x509.X509Certificate>
    readonly crl?: Uint8Array | undefined
  }): Layer.Layer<Trust, Error, SignatureVerifier> =>
    Layer.effect(
      Trust,
      Effect.gen(function*() {
        const verifier = yield* SignatureVerifier
        return yield* Effect.tryPromise({
          try: () => makeTrustSource(published.signed, { heldRoots: published.heldRoots, verifier, ...(published.crl === undefined ? {} : { crl: published.crl }) }),
          catch: (e) => (e instanceof Error ? e : new Error(String(e)))
        })
      })
    )

  static readonly layerOf = (source: TrustSource): Layer.Layer<Trust> => Layer.succeed(Trust, source)
}
