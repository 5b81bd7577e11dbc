/**
 * An edge app over the real store on a fresh database (PGlite, or
 * PostgreSQL in its own schema when TEST_DATABASE_URL is set), with an
 * in-memory ECDSA P-256 PKI for HCM and HNI (its trust list signed by the
 * root), a clock the test moves, and a log captured
 * in memory so tests can read what was logged.
 */
import { Clock, Effect, Layer, ManagedRuntime, Result } from "effect"
import pino from "pino"
import { createDraft, type DraftInput, submit } from "../../domain/lifecycle.ts"
import { lookupCodeFromBytes, uuidFromBytes } from "../../domain/ids.ts"
import type { IssuedReceipt, Receipt } from "../../domain/receipt.ts"
import { Signer } from "../../domain/ports/signer.ts"
import { signToken } from "../../domain/signing/issue-token.ts"
import { buildApp } from "../../edge/app.ts"
import { AppLogger, Edge, type EdgeConfig, type EdgeServices } from "../../edge/services.ts"
import { edgeLayer } from "../../edge/program/app-layer.ts"
import { makeTrustSource, Trust } from "../../edge/verification/trust-source.ts"
import { servedToken } from "../../edge/verification/served-token.ts"
import { Database } from "../../store/database/database.ts"
import { movableClock } from "../support/clock.ts"
import { contentSha256 } from "../../store/receipts/content-hash.ts"
import type { StoredAgencyCertificate } from "../../adapters/keys/keystore.ts"
import { createRoot, issueAgencyCertificate, type IssuedCertificate } from "../../adapters/keys/pki.ts"
import { memorySigner } from "../../adapters/keys/signer.ts"
import { signTrustList } from "../../adapters/keys/signed-trust-list.ts"
import { buildTrustList } from "../../adapters/keys/trust-list.ts"
import type { TestDatabase } from "../store/databases.ts"

const Y2024 = new Date("2024-01-01T00:00:00.000Z")
const Y2030 = new Date("2030-01-01T00:00:00.000Z")

interface Keys {
  readonly root: IssuedCertificate
  readonly agencies: ReadonlyMap<string, IssuedCertificate>
  /** An older Ed25519 certificate of HCM, in the trust list only with `{ legacyEd25519: true }` (receipts issued before ECDSA). */
  readonly legacyHcm: IssuedCertificate
}

let keysMade: Promise<Keys> | undefined
const makeKeys = (): Promise<Keys> =>
  keysMade ??= (async () => {
    const root = await createRoot({ algorithm: "ECDSA-P256", notBefore: Y2024, notAfter: Y2030 })
    const agencies = new Map<string, IssuedCertificate>()
    for (const code of ["HCM", "HNI"]) {
      agencies.set(code, await issueAgencyCertificate({ root, agency: code, algorithm: "ECDSA-P256", notBefore: Y2024, notAfter: Y2030 }))
    }
    const legacyHcm = await issueAgencyCertificate({ root, agency: "HCM", algorithm: "Ed25519", notBefore: Y2024, notAfter: Y2030 })
    return { root, agencies, legacyHcm }
  })()

export interface Harness {
  /** The runtime the app runs its effects in, built from the same layers as the program's, over the test's database, keys and clock. */
  readonly runtime: ManagedRuntime.ManagedRuntime<Edge, never>
  readonly services: EdgeServices
  readonly app: ReturnType<typeof buildApp>
  readonly log: Array<Record<string, unknown>>
  readonly logText: () => string
  readonly setNow: (iso: string) => void
  readonly advance: (ms: number) => void
  readonly db: TestDatabase
  /** A stored draft of `maker` (lan.nguyen); submitted for approval with `{ submitted: true }`. */
  readonly draft: (over?: Partial<DraftInput>, maker?: string, options?: { readonly submitted?: boolean }) => Promise<Receipt>
  readonly issue: (over?: Partial<DraftInput>) => Promise<{ receipt: IssuedReceipt; token: string }>
  readonly tokenOf: (receipt: IssuedReceipt) => Promise<string>
  /** The legacy Ed25519 certificate of HCM (trusted only with `{ legacyEd25519: true }`). */
  readonly legacyHcm: IssuedCertificate
  readonly close: () => Promise<void>
}

const bytes = (n: number) => crypto.getRandomValues(new Uint8Array(n))

export const draftInput = (over: Partial<DraftInput> = {}): DraftInput => ({
  agency: "HCM",
  office: "HCM-KV01",
  series: { form: "01-BLTHADS", symbol: "AA/25E" },
  payer: { name: "Nguyễn Văn Hòa", idNumber: "079085001234", address: "12 Lê Lợi, phường Bến Thành, TP. Hồ Chí Minh" },
  case: { decisionNumber: "1234/QĐ-CTHADS", decisionDate: "2025-05-12" },
  reason: "Nộp tiền thi hành án theo Quyết định số 1234/QĐ-CTHADS",
  amount: 125_500_000n,
  payment: { method: "bank_transfer", reference: "FT25163123456" },
  ...over
})

export const makeHarness = async (
  db: TestDatabase,
  config: Partial<EdgeConfig> = {},
  startAt = "2025-06-23T03:00:00.000Z",
  options: { readonly legacyEd25519?: boolean } = {}
): Promise<Harness> => {
  const keys = await makeKeys()
  const clock = movableClock(startAt)
  const now = () => new Date(clock.currentTimeMillisUnsafe())
  const trusted = [...keys.agencies, ...(options.legacyEd25519 === true ? [["HCM", keys.legacyHcm] as const] : [])]
  const list = buildTrustList({
    root: keys.root.certificate,
    agencies: trusted.map(([agency, c]): StoredAgencyCertificate => ({
      agency,
      keyId: c.keyId,
      algorithm: c.algorithm,
      certificate: c.certificate,
      keyPath: ""
    })),
    revocations: [],
    issuedAt: Y2024
  })
  const signer = memorySigner(
    new Map([...keys.agencies].map(([agency, c]) => [agency, { keyId: c.keyId, algorithm: c.algorithm, privateKey: c.keys.privateKey }]))
  )
  const log: Array<Record<string, unknown>> = []
  const lines: Array<string> = []
  const logger = pino({ base: undefined }, {
    write: (line: string) => {
      lines.push(line)
      log.push(JSON.parse(line) as Record<string, unknown>)
    }
  })
  const signedList = await signTrustList(list, { certificate: keys.root.certificate, privateKey: keys.root.keys.privateKey })
  // The program's own composition (edge/program/app-layer.ts) over the test's database, keys, log and clock.
  const layer = edgeLayer({
    database: Database.layerOf(db.db),
    signer: Layer.succeed(Signer, signer),
    trust: Trust.layerOf(await makeTrustSource(signedList, { heldRoots: [keys.root.certificate] })),
    settings: config,
    logger: AppLogger.layerOf(logger)
  }).pipe(Layer.provide(Layer.succeed(Clock.Clock, clock)))
  const runtime = ManagedRuntime.make(layer)
  const services = await runtime.runPromise(Edge)
  const app = buildApp(runtime)

  const run = <A, E>(effect: Effect.Effect<A, E>): Promise<A> =>
    Effect.runPromise(Effect.result(effect)).then((r) => {
      if (Result.isFailure(r)) throw new Error((r.failure as { message?: string }).message ?? String(r.failure))
      return r.success
    })
  const tokenOf = (receipt: IssuedReceipt) => run(Effect.provideService(signToken(receipt), Signer, signer))
  const draft = async (over: Partial<DraftInput> = {}, maker = "lan.nguyen", options: { readonly submitted?: boolean } = {}) => {
    const made = Result.getOrThrow(createDraft(draftInput(over), { id: uuidFromBytes(bytes(16)), maker, now: now().toISOString() }))
    const d = options.submitted === true ? Result.getOrThrow(submit(made, { by: maker })) : made
    return run(services.store.saveDraft(d, { now: now().toISOString() }))
  }
  // Made, submitted and approved as the officer API does it: the approval names the content it approves.
  const issue = async (over: Partial<DraftInput> = {}) => {
    const d = await draft(over, "lan.nguyen", { submitted: true })
    const receipt = await run(
      services.store.issue({ draft: d, approver: "hung.tran", lookupCode: lookupCodeFromBytes(bytes(8)), now: now().toISOString(), contentHash: contentSha256(d) })
    )
    services.statusLists.invalidate({ agency: receipt.agency, ...receipt.series })
    // The token stored at issuance, as the app serves it (edge/verification/served-token.ts).
    return { receipt, token: await servedToken(services, receipt) }
  }
  return {
    runtime,
    services,
    app,
    log,
    logText: () => lines.join(""),
    setNow: clock.setNow,
    advance: clock.advance,
    db,
    draft,
    issue,
    tokenOf,
    legacyHcm: keys.legacyHcm,
    close: async () => {
      await runtime.dispose()
      await db.dispose()
    }
  }
}

/**
 * The harness the citizen-facing tests start from: public rate limits off
 * (a test asks more often than a citizen may) and the agency HCM under the
 * full name its public pages print.
 */
export const makeCitizenHarness = async (db: TestDatabase): Promise<Harness> => {
  const h = await makeHarness(db, { rateLimit: null })
  await h.db.db.query("INSERT INTO agencies (code, name) VALUES ('HCM', 'Cục Thi hành án dân sự Thành phố Hồ Chí Minh')")
  return h
}
