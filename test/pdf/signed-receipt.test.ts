/**
 * The receipt PDF as the shipped app serves it (buildApp over the real
 * store, as `npm start` builds it), to the public (POST /api/lookup/pdf)
 * and to officers (GET /console/receipts/:id/pdf): PAdES-signed by the
 * agency's ECDSA P-256 or RSA-PSS key, checked independently with OpenSSL
 * over the byte ranges against the root (and pdfsig where installed); the
 * signature's /Name is the approver's full name; the text holds the motto,
 * the agency, the number, the amount in words, the approver's full name and
 * title, the signature appearance, and never a login id. An agency whose
 * seal key is Ed25519 gets its PDF unsigned, with a header and a note on
 * the page saying why, never a failure. Voided and replaced receipts carry
 * their stamps through the app too.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Clock, Layer, ManagedRuntime } from "effect"
import { buildApp, buildAppWith } from "../../edge/app.ts"
import { makeActions } from "../../edge/officers/actions.ts"
import { grantToken, insertOfficer } from "../../edge/officers/tokens.ts"
import type { Principal } from "../../edge/http/env.ts"
import { edgeLayer } from "../../edge/program/app-layer.ts"
import { AppLogger, Edge } from "../../edge/services.ts"
import { makeTrustSource, Trust } from "../../edge/verification/trust-source.ts"
import { Signer } from "../../domain/ports/signer.ts"
import { Database } from "../../store/database/database.ts"
import { movableClock } from "../support/clock.ts"
import { memorySigner } from "../../adapters/keys/signer.ts"
import { renderPdfPages } from "../../adapters/pdfjs/pdf-pages.ts"
import { setAgencyLetterhead } from "../../store/agencies/letterhead.ts"
import { setOfficerTitle } from "../../store/officers/signatories.ts"
import { formatReceiptNumber } from "../../domain/receipt.ts"
import { draftInput } from "../edge/harness.ts"
import { makePki, signingKeyOf } from "../signing/fixtures.ts"
import { scratch } from "../signing/openssl-tools.ts"
import { opensslVerifiesPdf, pdfsig, pdfsigPath, readPdfSignature } from "../signing/pdf-check.ts"
import { freshPglite, freshPostgres, type TestDatabase, testDatabaseUrl } from "../store/databases.ts"
import { pdfText } from "../support/pdf-text.ts"

const out = join(import.meta.dir, "..", "..", "test-output", "pdf")
mkdirSync(out, { recursive: true })

const officers = [
  { id: "lan.nguyen", agency: "HCM", name: "Nguyễn Thị Lan", role: "officer" as const, title: "Chấp hành viên" },
  { id: "hung.tran", agency: "HCM", name: "Trần Quốc Hùng", role: "approver" as const, title: "Phó Cục trưởng" },
  { id: "mai.le", agency: "HCM", name: "Lê Thị Mai", role: "auditor" as const, title: undefined }
]
const as = (id: string): Principal => {
  const o = officers.find((x) => x.id === id)!
  return { officer: o.id, agency: o.agency, role: o.role }
}

/** A PDF text string as the signature dictionary holds it: literal, or UTF-16BE hex with a byte order mark. */
const dictionaryText = (pdf: Uint8Array, key: string): string | undefined => {
  const text = Buffer.from(pdf).toString("latin1")
  const hex = new RegExp(`/${key}\\s*<(FEFF[0-9A-Fa-f]*)>`).exec(text)
  if (hex !== null) return Buffer.from(hex[1]!.slice(4), "hex").swap16().toString("utf16le")
  return new RegExp(`/${key}\\s*\\(([^)]*)\\)`).exec(text)?.[1]
}

const rootPem = (list: { readonly roots: ReadonlyArray<{ readonly certificate: string }> }) =>
  `-----BEGIN CERTIFICATE-----\n${list.roots[0]!.certificate.match(/.{1,64}/g)!.join("\n")}\n-----END CERTIFICATE-----\n`

const opened: Array<TestDatabase> = []
const runtimes: Array<ManagedRuntime.ManagedRuntime<Edge, unknown>> = []
afterAll(async () => {
  for (const runtime of runtimes) await runtime.dispose()
  for (const db of opened) await db.dispose()
})

/** The shipped app over a fresh database, with HCM's keys of `algorithm`, the agency's heading and its officers with titles. */
const shippedApp = async (algorithm: "ECDSA-P256" | "RSA-PSS-2048" | "Ed25519") => {
  const db = testDatabaseUrl === undefined ? await freshPglite() : await freshPostgres(testDatabaseUrl, "bienlai-pdf-test")
  opened.push(db)
  const pki = await makePki(algorithm)
  const keys = pki.hcm === pki.hcmToken ? [signingKeyOf(pki.hcm)] : [signingKeyOf(pki.hcm), signingKeyOf(pki.hcmToken)]
  const log: Array<Record<string, unknown>> = []
  // The program's own edge layer over this database, these keys, a log read here and a clock at 2025-06-23.
  const runtime = ManagedRuntime.make(edgeLayer({
    database: Database.layerOf(db.db),
    signer: Layer.succeed(Signer, memorySigner(new Map([["HCM", keys]]))),
    trust: Trust.layerOf(await makeTrustSource(pki.signedList, { heldRoots: [pki.root.certificate] })),
    settings: { rateLimit: null },
    logger: AppLogger.layerOf((await import("pino")).default({ base: undefined }, { write: (l: string) => void log.push(JSON.parse(l)) }))
  }).pipe(Layer.provide(Layer.succeed(Clock.Clock, movableClock("2025-06-23T03:00:00.000Z")))))
  runtimes.push(runtime)
  const services = await runtime.runPromise(Edge)
  await db.db.query("INSERT INTO agencies (code, name) VALUES ('HCM', 'Cục Thi hành án dân sự Thành phố Hồ Chí Minh')")
  await setAgencyLetterhead(db.db, "HCM", { parentName: "Bộ Tư pháp", place: "Thành phố Hồ Chí Minh" })
  const tokens: Record<string, string> = {}
  for (const o of officers) {
    await insertOfficer(db.db, o)
    await setOfficerTitle(db.db, o.id, o.title)
    tokens[o.id] = await grantToken(db.db, o.id, "test", (n) => crypto.getRandomValues(new Uint8Array(n)))
  }
  const app = buildApp(runtime)
  const actions = makeActions(services)
  const issue = async (over: Parameters<typeof draftInput>[0] = {}) => {
    const d = await actions.createDraft(as("lan.nguyen"), draftInput(over))
    const submitted = await actions.submit(as("lan.nguyen"), d.id)
    return (await actions.approve(as("hung.tran"), d.id, actions.contentHashOf(submitted))).receipt
  }
  const lookupPdf = async (lookupCode: string, idNumber = "079085001234") => {
    const res = await app.request("/api/lookup/pdf", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ lookupCode, idNumber }) })
    return { res, bytes: new Uint8Array(await res.arrayBuffer()) }
  }
  const consoleGet = async (officer: string, path: string) => {
    const signIn = await app.request("/console/sign-in", { method: "POST", body: new URLSearchParams({ token: tokens[officer]!, next: "/console/queue" }) })
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0]!
    return app.request(path, { headers: { cookie } })
  }
  const consolePdf = async (officer: string, id: string) => {
    const res = await consoleGet(officer, `/console/receipts/${id}/pdf`)
    return { res, bytes: new Uint8Array(await res.arrayBuffer()) }
  }
  return { pki, services, app, actions, issue, lookupPdf, consoleGet, consolePdf, log, rootPem: rootPem(pki.list) }
}

const words = async (bytes: Uint8Array) => (await pdfText(bytes)).replace(/\s+/g, " ")

if (pdfsigPath === undefined) console.warn("pdfsig (poppler-utils) is not installed: the served PDFs are checked with OpenSSL only")

for (const algorithm of ["ECDSA-P256", "RSA-PSS-2048"] as const) {
  describe(`the served receipt PDF, signed with ${algorithm}`, async () => {
    const a = await shippedApp(algorithm)
    const receipt = await a.issue()
    const { res, bytes } = await a.lookupPdf(receipt.lookupCode)
    writeFileSync(join(out, `signed-${algorithm}.pdf`), bytes)

    test("the public PDF is PAdES-signed: OpenSSL verifies the CMS over the byte ranges against the root; one changed byte fails", () => {
      expect(res.status).toBe(200)
      expect(res.headers.get("bienlai-pdf-signature")).toBe("signed")
      expect(Buffer.from(bytes).toString("latin1")).toContain("/SubFilter /ETSI.CAdES.detached")
      const sig = readPdfSignature(bytes)
      expect(sig.byteRange[0]).toBe(0)
      expect(sig.byteRange[2] + sig.byteRange[3]).toBe(bytes.length)
      expect(opensslVerifiesPdf(bytes, a.rootPem).ok).toBe(true)
      const changed = sig.signed.slice()
      changed[changed.length >> 1]! ^= 0x01
      expect(opensslVerifiesPdf(bytes, a.rootPem, changed).ok).toBe(false)
    })

    test("the signature names the approver by full name, in Unicode, and its widget sits on the visible appearance", () => {
      expect(dictionaryText(bytes, "Name")).toBe("Trần Quốc Hùng")
      expect(dictionaryText(bytes, "Reason")).toBe(`Ký duyệt biên lai thu tiền ký hiệu AA/25E số ${formatReceiptNumber(receipt.number)}`)
      expect(dictionaryText(bytes, "Location")).toBe("Thành phố Hồ Chí Minh")
      const rect = /\/FT \/Sig[\s\S]*?\/Rect \[\s*([\d.\s-]+)\]/.exec(Buffer.from(bytes).toString("latin1")) ??
        /\/Rect \[\s*([\d.\s-]+)\][\s\S]*?\/FT \/Sig/.exec(Buffer.from(bytes).toString("latin1"))
      const [x1, y1, x2, y2] = rect![1]!.trim().split(/\s+/).map(Number) as [number, number, number, number]
      expect(x2 - x1).toBeGreaterThan(150)
      expect(y2 - y1).toBeGreaterThan(20)
      expect(x2).toBeLessThanOrEqual(595.28 - 57)
    })

    test("the text is the official document's: motto, agency, number, place and date, amount in words, the approver's full name and title, the signature appearance; no login id", async () => {
      const text = await words(bytes)
      for (
        const expected of [
          "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
          "Độc lập - Tự do - Hạnh phúc",
          "BỘ TƯ PHÁP",
          "CỤC THI HÀNH ÁN DÂN SỰ",
          `Số: ${formatReceiptNumber(receipt.number)}`,
          "Ký hiệu: AA/25E",
          "Mẫu số: 01-BLTHADS",
          "Thành phố Hồ Chí Minh, ngày 23 tháng 06 năm 2025",
          "BIÊN LAI THU TIỀN THI HÀNH ÁN DÂN SỰ",
          "Một trăm hai mươi lăm triệu năm trăm nghìn đồng",
          "125.500.000 đồng",
          "PHÓ CỤC TRƯỞNG",
          "Trần Quốc Hùng",
          "Người lập biên lai: Nguyễn Thị Lan",
          "Ký bởi: Cục Thi hành án dân sự Thành phố Hồ Chí Minh",
          "Ký ngày: 23/06/2025 10:00",
          `Mã tra cứu: ${receipt.lookupCode}`
        ]
      ) expect(text).toContain(expected)
      for (const login of ["hung.tran", "lan.nguyen"]) expect(text).not.toContain(login)
      expect(Buffer.from(bytes).toString("latin1")).not.toContain("hung.tran")
    })

    test("officers get the same signed PDF from the console", async () => {
      const got = await a.consolePdf("mai.le", receipt.id)
      expect(got.res.status).toBe(200)
      expect(got.res.headers.get("bienlai-pdf-signature")).toBe("signed")
      expect(opensslVerifiesPdf(got.bytes, a.rootPem).ok).toBe(true)
      expect(dictionaryText(got.bytes, "Name")).toBe("Trần Quốc Hùng")
      expect(await words(got.bytes)).toContain("PHÓ CỤC TRƯỞNG")
      // The receipt's screen names the officers as the PDF does, with the login id beside for colleagues.
      const screen = await (await a.consoleGet("mai.le", `/console/receipts/${receipt.id}`)).text()
      expect(screen).toContain("Trần Quốc Hùng, Phó Cục trưởng (hung.tran)")
      expect(screen).toContain("Nguyễn Thị Lan, Chấp hành viên (lan.nguyen)")
    })

    test.skipIf(pdfsigPath === undefined)("pdfsig reads the served PDF's signature as valid", () => {
      const { file } = scratch("bienlai-served-pdfsig-")
      expect(pdfsig(file("served.pdf", bytes)).stdout).toContain("Signature is Valid")
    })
  })
}

describe("an agency whose seal key is Ed25519", async () => {
  const a = await shippedApp("Ed25519")
  const receipt = await a.issue()

  test("gets its PDF unsigned, with a header and a note on the page saying why, never a failure", async () => {
    const { res, bytes } = await a.lookupPdf(receipt.lookupCode)
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toBe("application/pdf")
    expect(res.headers.get("bienlai-pdf-signature")).toStartWith("unsigned; reason=unsupported")
    expect(res.headers.get("bienlai-pdf-signature")).toContain("Ed25519")
    expect(Buffer.from(bytes).toString("latin1")).not.toContain("/ByteRange")
    const text = await words(bytes)
    expect(text).toContain("Bản PDF này không mang chữ ký số: khóa niêm phong của cơ quan là Ed25519")
    expect(text).not.toContain("Ký bởi:")
    expect(text).toContain("Trần Quốc Hùng")
    expect(a.log.some((l) => l["msg"] === "receipt PDF served unsigned" && l["reason"] === "unsupported")).toBe(true)
  })
})

describe("a key whose certificate is not in the trust list", async () => {
  const a = await shippedApp("ECDSA-P256")
  const receipt = await a.issue()
  // The same service with another PKI's trust list: HCM's key is not in it, so no chain can go into the PDF.
  const other = await makePki("RSA-PSS-2048")
  const app = buildAppWith({ ...a.services, trust: () => ({ ...a.services.trust(), list: other.list }) })

  test("signs nothing and serves the PDF unsigned, saying why", async () => {
    const res = await app.request("/api/lookup/pdf", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ lookupCode: receipt.lookupCode, idNumber: "079085001234" }) })
    expect(res.status).toBe(200)
    expect(res.headers.get("bienlai-pdf-signature")).toStartWith("unsigned; reason=no_certificate")
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect(Buffer.from(bytes).toString("latin1")).not.toContain("/ByteRange")
    expect(await words(bytes)).toContain("chứng thư số của khóa ký không có trong danh sách tin cậy")
  })
})

describe("stamps through the app", async () => {
  const a = await shippedApp("ECDSA-P256")

  test("a voided receipt is stamped ĐÃ HỦY with the date and the reason, and still signed", async () => {
    const receipt = await a.issue()
    await a.actions.voidReceipt(as("hung.tran"), receipt.id, "Nộp trùng, đã hoàn trả cho người nộp")
    const { res, bytes } = await a.lookupPdf(receipt.lookupCode)
    expect(res.headers.get("bienlai-pdf-signature")).toBe("signed")
    writeFileSync(join(out, "voided.pdf"), bytes)
    const text = await words(bytes)
    expect(text).toContain("ĐÃ HỦY")
    expect(text).toContain("Biên lai này đã bị hủy ngày 23/06/2025.")
    expect(text).toContain("Lý do: Nộp trùng, đã hoàn trả cho người nộp")
    const [page] = await renderPdfPages(bytes, { dpi: 100, maxPagePixels: 40_000_000, maxPages: 1, pageTimeMs: 20_000 })
    writeFileSync(join(out, "voided.png"), page!.png)
  })

  test("a replaced receipt is stamped ĐÃ THAY THẾ with its replacement's number, date and what it corrects", async () => {
    const original = await a.issue()
    const draft = await a.actions.replace(as("lan.nguyen"), original.id, draftInput({ amount: 126_000_000n }))
    const submitted = await a.actions.submit(as("lan.nguyen"), draft.id)
    const replacement = (await a.actions.approve(as("hung.tran"), draft.id, a.actions.contentHashOf(submitted))).receipt
    const { bytes } = await a.lookupPdf(original.lookupCode)
    writeFileSync(join(out, "replaced.pdf"), bytes)
    const text = await words(bytes)
    expect(text).toContain("ĐÃ THAY THẾ")
    expect(text).toContain(`Biên lai này đã được thay thế bởi biên lai ký hiệu AA/25E số ${formatReceiptNumber(replacement.number)} ngày 23/06/2025.`)
    expect(text).toContain("Lý do: biên lai thay thế ghi số tiền 126.000.000 đồng")
    const [page] = await renderPdfPages(bytes, { dpi: 100, maxPagePixels: 40_000_000, maxPages: 1, pageTimeMs: 20_000 })
    writeFileSync(join(out, "replaced.png"), page!.png)
    // The replacement itself is issued and carries no stamp.
    const mine = await words((await a.lookupPdf(replacement.lookupCode)).bytes)
    expect(mine).not.toContain("ĐÃ THAY THẾ")
    expect(mine).not.toContain("ĐÃ HỦY")
  })
})
