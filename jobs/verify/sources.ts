/**
 * Where `bienlai verify` gets what it verifies with: the trust list (a local
 * file, or fetched from the configured public service and checked against a
 * root certificate already held) and the status lists (local files, and the
 * token's series fetched from the configured service unless offline).
 *
 * The service is the one configured (--service, BIENLAI_SERVICE_URL, or the
 * serviceUrl of the local trust list), never the host a QR code names: that
 * host may be anyone's, and it could replay a genuine list signed before the
 * receipt was voided. So it is never asked.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { Result } from "effect"
import { openStatusList } from "../../domain/signing/status-list.ts"
import type { StatusList } from "../../domain/signing/status-list.ts"
import type { TrustAnchors } from "../../domain/signing/trust.ts"
import { publicServiceClient } from "../../adapters/public-service/client.ts"
import { parseRootCertificate, checkTrustListAnchor } from "../../adapters/keys/trust-anchor.ts"
import { loadTrustList } from "../../adapters/keys/trust-list.ts"
import type { x509 } from "../../adapters/keys/x509.ts"

export class VerifySetupError extends Error {}

export interface HeldTrust {
  readonly anchors: TrustAnchors
  /** The service the local trust list names, if any. */
  readonly serviceUrl: string | undefined
  readonly source: string
}

const readJson = (path: string): unknown => {
  try {
    return JSON.parse(readFileSync(path, "utf8"))
  } catch {
    throw new VerifySetupError(`${path} is not JSON`)
  }
}

/**
 * The local trust list, or undefined when there is none at `path`. It must
 * be signed by the root (and unaltered); by one of `roots` when the
 * verifier holds a root, else by the root it names itself.
 */
export const localTrust = async (path: string, roots: ReadonlyArray<x509.X509Certificate>, warn: (line: string) => void): Promise<HeldTrust | undefined> => {
  if (!existsSync(path)) return undefined
  const json = readJson(path)
  const loaded = await loadTrustList(json, roots.length === 0 ? {} : { heldRoots: roots })
  if (Result.isFailure(loaded)) throw new VerifySetupError(`${path}: ${loaded.failure.message}`)
  for (const r of loaded.success.rejected) warn(`warning: trust list entry ${r.keyId} ignored: ${r.reason}`)
  return { anchors: loaded.success.anchors, serviceUrl: loaded.success.list.serviceUrl, source: path }
}

/** The roots a fetched trust list must be anchored in: --root, else the key store's root certificate. */
export const heldRoots = (rootPath: string | undefined, keysDir: string): Array<x509.X509Certificate> => {
  const path = rootPath ?? join(keysDir, "root.crt.pem")
  if (!existsSync(path)) {
    if (rootPath !== undefined) throw new VerifySetupError(`no root certificate at ${rootPath}`)
    return []
  }
  try {
    return [parseRootCertificate(new Uint8Array(readFileSync(path)))]
  } catch {
    throw new VerifySetupError(`${path} is not a certificate (PEM or DER)`)
  }
}

/** The trust list fetched from the service, believed only if anchored in a held root. */
export const fetchedTrust = async (serviceUrl: string, roots: ReadonlyArray<x509.X509Certificate>, warn: (line: string) => void): Promise<HeldTrust> => {
  if (roots.length === 0) {
    throw new VerifySetupError(`no trust list is held, and none can be fetched from ${serviceUrl} without a root certificate to check it against (give --root root.crt.pem, or --trust trust-list.json)`)
  }
  const json = await publicServiceClient(serviceUrl).trustList().catch((e: unknown) => {
    throw new VerifySetupError(e instanceof Error ? e.message : String(e))
  })
  const loaded = await checkTrustListAnchor(json, roots)
  if (Result.isFailure(loaded)) throw new VerifySetupError(`the trust list from ${serviceUrl} was refused: ${loaded.failure.message}`)
  for (const r of loaded.success.rejected) warn(`warning: trust list entry ${r.keyId} ignored: ${r.reason}`)
  return { anchors: loaded.success.anchors, serviceUrl, source: `${serviceUrl}/api/trust-list` }
}

const statusFiles = (paths: ReadonlyArray<string>): Array<string> =>
  paths.flatMap((p) =>
    existsSync(p) && statSync(p).isDirectory()
      ? readdirSync(p).filter((f) => f.endsWith(".bin")).map((f) => join(p, f))
      : [p]
  )

export interface HeldStatus {
  readonly list: StatusList
  readonly source: string
}

/** Status lists from files; each is checked against the trust anchors, and one that fails is reported and left out. */
export const localStatusLists = async (paths: ReadonlyArray<string>, trust: TrustAnchors, warn: (line: string) => void): Promise<Array<HeldStatus>> => {
  const held: Array<HeldStatus> = []
  for (const file of statusFiles(paths)) {
    if (!existsSync(file)) {
      warn(`warning: status list ${file} does not exist`)
      continue
    }
    const opened = await openStatusList(new Uint8Array(readFileSync(file)), trust)
    if (Result.isFailure(opened)) warn(`warning: ${file}: ${opened.failure.message}`)
    else held.push({ list: opened.success, source: file })
  }
  return held
}

/** The series' current status list from the configured service; undefined (with a warning) when it cannot be had or does not verify. */
export const fetchedStatusList = async (
  serviceUrl: string,
  series: { readonly agency: string; readonly form: string; readonly symbol: string },
  trust: TrustAnchors,
  warn: (line: string) => void
): Promise<HeldStatus | undefined> => {
  let bytes: Uint8Array | undefined
  try {
    bytes = await publicServiceClient(serviceUrl).statusList(series)
  } catch (e) {
    warn(`warning: no status list fetched: ${e instanceof Error ? e.message : String(e)}`)
    return undefined
  }
  if (bytes === undefined) {
    warn(`warning: ${serviceUrl} has no status list of ${series.agency} ${series.form} ${series.symbol}`)
    return undefined
  }
  const opened = await openStatusList(bytes, trust)
  if (Result.isFailure(opened)) {
    warn(`warning: the status list from ${serviceUrl} was refused: ${opened.failure.message}`)
    return undefined
  }
  return { list: opened.success, source: `${serviceUrl}/api/status-list` }
}
