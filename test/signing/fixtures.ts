/**
 * Shared test fixtures for signing: a small in-memory PKI (root, agency
 * keys, one revoked, one expired, one outside the trust list; with an RSA
 * seal, a token certificate beside it), its trust list signed by the root,
 * issued receipts built by hand, and helpers to sign tokens and status lists.
 */
import { Effect, Layer, Result } from "effect"
import type { IssuedReceipt } from "../../domain/receipt.ts"
import { signStatusList, signToken } from "../../domain/signing/issue-token.ts"
import { indexStatusLists, openStatusList } from "../../domain/signing/status-list.ts"
import type { StatusList, StatusListContent, StatusLists } from "../../domain/signing/status-list.ts"
import type { TrustAnchors, TrustList } from "../../domain/signing/trust.ts"
import { createRoot, issueAgencyCertificate, purposeOf, rootKeyTypeFor } from "../../adapters/keys/pki.ts"
import type { IssuedCertificate, KeyType } from "../../adapters/keys/pki.ts"
import { MemorySigner } from "../../adapters/keys/signer.ts"
import type { SigningKey } from "../../adapters/keys/signer.ts"
import type { StoredAgencyCertificate } from "../../adapters/keys/keystore.ts"
import { signTrustList } from "../../adapters/keys/signed-trust-list.ts"
import type { SignedTrustList } from "../../adapters/keys/signed-trust-list.ts"
import { buildTrustList, loadTrustList } from "../../adapters/keys/trust-list.ts"
import { Signer } from "../../domain/ports/signer.ts"

export const receipt = (over: Partial<IssuedReceipt> = {}): IssuedReceipt => ({
  id: "0b7e4a52-3c1d-4f8e-9a6b-2d5c8e1f4a70",
  agency: "HCM",
  office: "HCM-KV01",
  series: { form: "01-BLTHADS", symbol: "AA/25E" },
  number: 42,
  lookupCode: "7KQ2M9XD4TPR",
  payer: { name: "Nguyễn Văn Hòa", idNumber: "079085001234", address: "12 Lê Lợi, phường Bến Thành, TP. Hồ Chí Minh" },
  case: { decisionNumber: "1234/QĐ-CTHADS", decisionDate: "2025-05-12", judgmentNumber: "12/2025/DS-ST", judgmentDate: "2025-03-02" },
  reason: "Nộp tiền thi hành án theo Quyết định số 1234/QĐ-CTHADS",
  amount: 125_500_000n,
  amountInWords: "Một trăm hai mươi lăm triệu năm trăm nghìn đồng",
  payment: { method: "bank_transfer", reference: "FT25163123456" },
  maker: "can-bo.lan",
  approver: "truong-phong.minh",
  createdAt: "2025-06-23T01:00:00.000Z",
  issuedAt: "2025-06-23T08:15:30.000Z",
  status: "issued",
  annotations: [],
  ...over
})

const Y2024 = new Date("2024-01-01T00:00:00.000Z")
const Y2030 = new Date("2030-01-01T00:00:00.000Z")

export interface Pki {
  readonly algorithm: KeyType
  readonly root: IssuedCertificate
  /** Trusted, current keys (with an RSA seal, the seal keys). */
  readonly hcm: IssuedCertificate
  readonly hni: IssuedCertificate
  /** With an RSA seal: HCM's ECDSA P-256 token certificate; otherwise hcm itself. */
  readonly hcmToken: IssuedCertificate
  /** In the trust list but revoked. */
  readonly revoked: IssuedCertificate
  /** Valid only during 2020. */
  readonly expired: IssuedCertificate
  /** Issued by a different root, absent from the trust list. */
  readonly stranger: IssuedCertificate
  readonly trust: TrustAnchors
  /** The trust list, and as the root signed it. */
  readonly list: TrustList
  readonly signedList: SignedTrustList
}

export const stored = (agency: string, c: IssuedCertificate): StoredAgencyCertificate => {
  const purpose = purposeOf(c.certificate)
  return { agency, keyId: c.keyId, algorithm: c.algorithm, ...(purpose === undefined ? {} : { purpose }), certificate: c.certificate, keyPath: "" }
}

export const signingKeyOf = (c: IssuedCertificate): SigningKey => {
  const purpose = purposeOf(c.certificate)
  return { keyId: c.keyId, algorithm: c.algorithm, ...(purpose === undefined ? {} : { purpose }), privateKey: c.keys.privateKey }
}

const cache = new Map<KeyType, Promise<Pki>>()

/** A PKI whose agency keys are of `algorithm` (ECDSA P-256, the default, like `bienlai keys init`). */
export const makePki = (algorithm: KeyType = "ECDSA-P256"): Promise<Pki> => {
  const held = cache.get(algorithm)
  if (held) return held
  const made = (async () => {
    const rootType = rootKeyTypeFor(algorithm)
    const root = await createRoot({ algorithm: rootType, notBefore: Y2024, notAfter: new Date("2044-01-01T00:00:00.000Z") })
    const rsa = algorithm.startsWith("RSA")
    // Tokens and status lists need a compact key: with an RSA seal, each agency also has an ECDSA token certificate.
    const tokenType: KeyType = rsa ? "ECDSA-P256" : algorithm
    const agency = (code: string, notBefore = Y2024, notAfter = Y2030, by = root, type: KeyType = tokenType) =>
      issueAgencyCertificate({ root: by, agency: code, algorithm: type, notBefore, notAfter, ...(rsa ? { purpose: "token" as const } : {}) })
    const hcm = rsa ? await issueAgencyCertificate({ root, agency: "HCM", algorithm, notBefore: Y2024, notAfter: Y2030 }) : await agency("HCM")
    const hcmToken = rsa ? await agency("HCM") : hcm
    const hni = rsa ? await agency("HNI") : await agency("HNI")
    const revoked = await agency("HCM")
    const expired = await agency("HCM", new Date("2020-01-01T00:00:00.000Z"), new Date("2020-12-31T00:00:00.000Z"))
    const otherRoot = await createRoot({ algorithm: rootType, notBefore: Y2024, notAfter: Y2030, name: "CN=Not the Ministry" })
    const stranger = await agency("HCM", Y2024, Y2030, otherRoot)
    const list = buildTrustList({
      root: root.certificate,
      agencies: [stored("HCM", hcm), ...(rsa ? [stored("HCM", hcmToken)] : []), stored("HNI", hni), stored("HCM", revoked), stored("HCM", expired)],
      revocations: [{ keyId: revoked.keyId, revokedAt: "2025-07-01T00:00:00.000Z", reason: "keyCompromise" }],
      issuedAt: new Date("2025-07-02T00:00:00.000Z")
    })
    const signedList = await signTrustList(list, { certificate: root.certificate, privateKey: root.keys.privateKey })
    const loaded = await loadTrustList(JSON.parse(JSON.stringify(signedList)), { heldRoots: [root.certificate] })
    if (Result.isFailure(loaded)) throw loaded.failure
    if (loaded.success.rejected.length > 0) throw new Error(`fixture trust list entries refused: ${JSON.stringify(loaded.success.rejected)}`)
    return { algorithm, root, hcm, hcmToken, hni, revoked, expired, stranger, trust: loaded.success.anchors, list, signedList }
  })()
  cache.set(algorithm, made)
  return made
}

/** A signer holding `c` (and, for an RSA seal, the agency's token certificate) for the agency. */
export const signerFor = (agency: string, c: IssuedCertificate, ...more: ReadonlyArray<IssuedCertificate>) =>
  MemorySigner.layerTest(new Map([[agency, [c, ...more].map(signingKeyOf)]]))

export const run = <A, E>(effect: Effect.Effect<A, E, Signer>, layer: Layer.Layer<Signer>): Promise<A> =>
  Effect.runPromise(Effect.provide(effect, layer))

export const tokenFor = (r: IssuedReceipt, c: IssuedCertificate): Promise<string> => run(signToken(r), signerFor(r.agency, c))

export const statusListFor = async (content: StatusListContent, c: IssuedCertificate, trust: TrustAnchors): Promise<StatusList> => {
  const bytes = await run(signStatusList(content), signerFor(content.agency, c))
  const opened = await openStatusList(bytes, trust)
  if (Result.isFailure(opened)) throw opened.failure
  return opened.success
}

export const noStatus: StatusLists = indexStatusLists([])
