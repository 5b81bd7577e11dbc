/**
 * Shared test fixtures for signing: a small in-memory PKI (root, agency
 * keys, one revoked, one expired, one outside the trust list), issued
 * receipts built by hand, and helpers to sign tokens and status lists.
 */
import { Effect, Layer, Result } from "effect"
import type { IssuedReceipt } from "../../domain/receipt.ts"
import { signStatusList, signToken } from "../../domain/signing/issue-token.ts"
import { indexStatusLists, openStatusList } from "../../domain/signing/status-list.ts"
import type { StatusList, StatusListContent, StatusLists } from "../../domain/signing/status-list.ts"
import type { SignatureAlgorithm, TrustAnchors } from "../../domain/signing/trust.ts"
import { createRoot, issueAgencyCertificate } from "../../adapters/keys/pki.ts"
import type { IssuedCertificate } from "../../adapters/keys/pki.ts"
import { MemorySignerLayer } from "../../adapters/keys/signer.ts"
import type { StoredAgencyCertificate } from "../../adapters/keys/keystore.ts"
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
  readonly algorithm: SignatureAlgorithm
  readonly root: IssuedCertificate
  /** Trusted, current keys. */
  readonly hcm: IssuedCertificate
  readonly hni: IssuedCertificate
  /** In the trust list but revoked. */
  readonly revoked: IssuedCertificate
  /** Valid only during 2020. */
  readonly expired: IssuedCertificate
  /** Issued by a different root, absent from the trust list. */
  readonly stranger: IssuedCertificate
  readonly trust: TrustAnchors
}

const stored = (agency: string, c: IssuedCertificate): StoredAgencyCertificate => ({
  agency,
  keyId: c.keyId,
  algorithm: c.algorithm,
  certificate: c.certificate,
  keyPath: ""
})

const cache = new Map<SignatureAlgorithm, Promise<Pki>>()

export const makePki = (algorithm: SignatureAlgorithm = "Ed25519"): Promise<Pki> => {
  const held = cache.get(algorithm)
  if (held) return held
  const made = (async () => {
    const root = await createRoot({ algorithm, notBefore: Y2024, notAfter: new Date("2044-01-01T00:00:00.000Z") })
    const agency = (code: string, notBefore = Y2024, notAfter = Y2030, by = root) =>
      issueAgencyCertificate({ root: by, agency: code, algorithm, notBefore, notAfter })
    const hcm = await agency("HCM")
    const hni = await agency("HNI")
    const revoked = await agency("HCM")
    const expired = await agency("HCM", new Date("2020-01-01T00:00:00.000Z"), new Date("2020-12-31T00:00:00.000Z"))
    const otherRoot = await createRoot({ algorithm, notBefore: Y2024, notAfter: Y2030, name: "CN=Not the Ministry" })
    const stranger = await agency("HCM", Y2024, Y2030, otherRoot)
    const list = buildTrustList({
      root: root.certificate,
      agencies: [stored("HCM", hcm), stored("HNI", hni), stored("HCM", revoked), stored("HCM", expired)],
      revocations: [{ keyId: revoked.keyId, revokedAt: "2025-07-01T00:00:00.000Z", reason: "keyCompromise" }],
      issuedAt: new Date("2025-07-02T00:00:00.000Z")
    })
    const loaded = await loadTrustList(JSON.parse(JSON.stringify(list)))
    if (Result.isFailure(loaded)) throw loaded.failure
    return { algorithm, root, hcm, hni, revoked, expired, stranger, trust: loaded.success.anchors }
  })()
  cache.set(algorithm, made)
  return made
}

export const signerFor = (agency: string, c: IssuedCertificate) =>
  MemorySignerLayer(new Map([[agency, { keyId: c.keyId, algorithm: c.algorithm, privateKey: c.keys.privateKey }]]))

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
