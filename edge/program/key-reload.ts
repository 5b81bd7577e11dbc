/**
 * Key rollover and revocation without a restart. The process holds one
 * immutable KeySnapshot (edge/program/key-snapshot.ts: the Signer over the
 * keys that may sign, and the trust list); every KEY_RELOAD_SECONDS
 * (default 60) and on SIGHUP it reads the key store again and, if anything
 * changed and the new view passes its checks, swaps the snapshot in one
 * assignment. A signature or a verification already under way finishes with
 * the snapshot it started with; the next one uses the new one: no request
 * fails during the change.
 *
 * A view that fails its checks (a tampered trust list or CRL, a certificate
 * that does not chain to the root) is refused whole: the process keeps the
 * snapshot it has, so nothing is signed with a key the trust list does not
 * vouch for, and logs one error naming what is wrong (once per state of the
 * key store, not at every tick).
 *
 * The Signer and Trust services the rest of the program holds follow the
 * current snapshot (followingSigner, followingTrustSource), so the store,
 * the edge and the in-process jobs all see the swap.
 */
import { Context, Effect, Layer } from "effect"
import { Signer } from "../../domain/ports/signer.ts"
import { SignatureVerifier } from "../../domain/ports/signature-verifier.ts"
import type { Pkcs11Settings } from "../../adapters/keys/pkcs11-settings.ts"
import type { RawKey } from "../../adapters/keys/raw-key.ts"
import { AppLogger } from "../services.ts"
import { followingTrustSource, Trust } from "../verification/trust-source.ts"
import { keyDirFingerprint, type KeySnapshot, loadKeySnapshot } from "./key-snapshot.ts"

export type ReloadOutcome = "reloaded" | "unchanged" | "refused"

export interface KeyReloader {
  readonly current: () => KeySnapshot
  /** Reads the key store again; `force` reloads even if nothing seems changed (SIGHUP). Concurrent calls share one reload. */
  readonly reload: (why: string, force?: boolean) => Promise<ReloadOutcome>
}

export interface KeyReloadSettings {
  readonly dir: string
  readonly passphrase: string
  readonly pkcs11?: Pkcs11Settings
  /** Seconds between checks of the key store (KEY_RELOAD_SECONDS); 0: only on SIGHUP. */
  readonly intervalSeconds: number
}

/** A Signer that signs with the current snapshot's: each signature with one snapshot's key, whole. */
export const followingSigner = (current: () => KeySnapshot): Signer["Service"] =>
  Signer.of({
    sign: (agency, bytes) => Effect.suspend(() => current().signer.sign(agency, bytes)),
    signWith: (agency, purpose, message) => Effect.suspend(() => current().signer.signWith(agency, purpose, message))
  })

const onHangUp = (handler: () => void): () => void => {
  const deno = (globalThis as { Deno?: { addSignalListener: (s: string, h: () => void) => void; removeSignalListener: (s: string, h: () => void) => void; build?: { os: string } } }).Deno
  if (deno !== undefined) {
    if (deno.build?.os === "windows") return () => {}
    deno.addSignalListener("SIGHUP", handler)
    return () => deno.removeSignalListener("SIGHUP", handler)
  }
  if (process.platform === "win32") return () => {}
  process.on("SIGHUP", handler)
  return () => void process.off("SIGHUP", handler)
}

export const makeKeyReloader = async (
  settings: KeyReloadSettings,
  deps: {
    readonly verifier: SignatureVerifier["Service"]
    readonly now: () => Date
    readonly log: { readonly info: (fields: object, msg: string) => void; readonly error: (fields: object, msg: string) => void }
  }
): Promise<KeyReloader> => {
  const opened = new Map<string, Promise<RawKey>>()
  const load = () =>
    loadKeySnapshot({ dir: settings.dir, passphrase: settings.passphrase, verifier: deps.verifier, now: deps.now(), opened, ...(settings.pkcs11 === undefined ? {} : { pkcs11: settings.pkcs11 }) })
  // The first view must load: a process does not start on keys it cannot trust.
  let current = await load()
  let refusedFingerprint: string | undefined
  let running: Promise<ReloadOutcome> | undefined

  const reloadOnce = async (why: string, force: boolean): Promise<ReloadOutcome> => {
    const fingerprint = keyDirFingerprint(settings.dir)
    if (!force && fingerprint === current.fingerprint) return "unchanged"
    if (!force && fingerprint === refusedFingerprint) return "refused"
    try {
      const next = await load()
      current = next
      refusedFingerprint = undefined
      deps.log.info({ why, signing: next.signing, waiting: next.waiting, trustListIssuedAt: next.trust.list.issuedAt }, "keys reloaded")
      return "reloaded"
    } catch (e) {
      if (refusedFingerprint !== fingerprint || force) {
        deps.log.error(
          { why, err: e instanceof Error ? e.message : String(e), keeping: current.signing.map((s) => s.keyId) },
          "keys not reloaded: the key store's new state is refused, still signing and verifying with the keys loaded before"
        )
      }
      refusedFingerprint = fingerprint
      return "refused"
    }
  }

  return {
    current: () => current,
    reload: (why, force = false) => {
      running ??= reloadOnce(why, force).finally(() => (running = undefined))
      return running
    }
  }
}

export class KeyReload extends Context.Service<KeyReload, KeyReloader>()("bienlai/edge/program/KeyReload") {
  /** Loads the key store (failing the start if its first view is refused), then reloads it on a timer and on SIGHUP until the runtime is disposed. */
  static readonly layer = (settings: KeyReloadSettings): Layer.Layer<KeyReload, Error, SignatureVerifier | AppLogger> =>
    Layer.effect(
      KeyReload,
      Effect.gen(function*() {
        const verifier = yield* SignatureVerifier
        const logger = yield* AppLogger
        const reloader = yield* Effect.tryPromise({
          try: () =>
            makeKeyReloader(settings, {
              verifier,
              now: () => new Date(),
              log: { info: (f, m) => logger.info(f, m), error: (f, m) => logger.error(f, m) }
            }),
          catch: (e) => (e instanceof Error ? e : new Error(String(e)))
        })
        yield* Effect.acquireRelease(
          Effect.sync(() => {
            const timer = settings.intervalSeconds > 0 ? setInterval(() => void reloader.reload("timer"), settings.intervalSeconds * 1000) : undefined
            const stopListening = onHangUp(() => void reloader.reload("SIGHUP", true))
            return { timer, stopListening }
          }),
          ({ timer, stopListening }) =>
            Effect.sync(() => {
              if (timer !== undefined) clearInterval(timer)
              stopListening()
            })
        )
        return reloader
      })
    )
}

/** The Signer that follows the reloaded keys. */
export const followingSignerLayer: Layer.Layer<Signer, never, KeyReload> = Layer.effect(
  Signer,
  Effect.gen(function*() {
    const reloader = yield* KeyReload
    return followingSigner(reloader.current)
  })
)

/** The trust list that follows the reloaded keys. */
export const followingTrustLayer: Layer.Layer<Trust, never, KeyReload> = Layer.effect(
  Trust,
  Effect.gen(function*() {
    const reloader = yield* KeyReload
    return followingTrustSource(() => reloader.current().trust)
  })
)
