/**
 * Demo data for a first start: three agencies, officers of every role with
 * API tokens, and receipts in each state (issued, voided, replaced and its
 * replacement, annotated, a draft awaiting approval and one its maker has
 * not submitted yet), issued now in this year's series, each through the
 * same steps as in the console: drafted, submitted by its maker, approved
 * by another officer naming the content approved. The tokens exist only in what this returns (the database
 * keeps their hashes), so the caller saves them for later starts.
 *
 * The demo puts its officers and tokens straight into the store, outside the
 * four-eyes model of officer administration (docs/SECURITY.md), and says so
 * in officer_audit. It never runs in production (edge/boot.ts).
 */
import type { DraftInput } from "../../domain/lifecycle.ts"
import { vietnamDateOf } from "../../domain/dates.ts"
import type { Principal } from "../http/env.ts"
import { makeActions } from "../officers/actions.ts"
import { grantToken, insertOfficer, type Role } from "../officers/tokens.ts"
import type { EdgeServices } from "../services.ts"
import { recordOfficerAudit } from "../../store/officers/officer-audit.ts"
import { hasAgencies as agenciesExist, insertAgency } from "../../store/officers/officers.ts"
import { setAgencyLetterhead } from "../../store/agencies/letterhead.ts"
import { setOfficerTitle } from "../../store/officers/signatories.ts"

export interface DemoData {
  readonly officers: ReadonlyArray<{ readonly id: string; readonly agency: string; readonly role: Role; readonly token: string }>
  readonly receipts: ReadonlyArray<{ readonly label: string; readonly agency: string; readonly lookupCode?: string; readonly url?: string; readonly id: string }>
}

export const demoAgencies = [
  { code: "HCM", name: "Cục Thi hành án dân sự Thành phố Hồ Chí Minh" },
  { code: "HNI", name: "Cục Thi hành án dân sự Thành phố Hà Nội" },
  { code: "DNG", name: "Cục Thi hành án dân sự Thành phố Đà Nẵng" }
] as const

/** The parent body and place their receipts print (Decree 30/2020/NĐ-CP headings). */
const demoLetterheads: Record<string, { parentName: string; place: string }> = {
  HCM: { parentName: "Bộ Tư pháp", place: "Thành phố Hồ Chí Minh" },
  HNI: { parentName: "Bộ Tư pháp", place: "Hà Nội" },
  DNG: { parentName: "Bộ Tư pháp", place: "Đà Nẵng" }
}

/** The titles the approvers sign under. */
const demoTitles: Record<string, string> = { "hung.tran": "Phó Cục trưởng", "quang.vo": "Phó Cục trưởng", "binh.ho": "Cục trưởng", "lan.nguyen": "Chấp hành viên", "thu.pham": "Kế toán", "an.doan": "Kế toán" }

const demoOfficers: ReadonlyArray<{ id: string; agency: string; name: string; role: Role }> = [
  { id: "lan.nguyen", agency: "HCM", name: "Nguyễn Thị Lan", role: "officer" },
  { id: "hung.tran", agency: "HCM", name: "Trần Quốc Hùng", role: "approver" },
  { id: "mai.le", agency: "HCM", name: "Lê Thị Mai", role: "auditor" },
  { id: "admin.hcm", agency: "HCM", name: "Quản trị HCM", role: "admin" },
  { id: "thu.pham", agency: "HNI", name: "Phạm Thị Thu", role: "officer" },
  { id: "quang.vo", agency: "HNI", name: "Võ Minh Quang", role: "approver" },
  { id: "an.doan", agency: "DNG", name: "Đoàn Văn An", role: "officer" },
  { id: "binh.ho", agency: "DNG", name: "Hồ Thanh Bình", role: "approver" }
]

/** Whether the database was set up already (by a demo seed or by real agencies). */
export const hasAgencies = (s: EdgeServices): Promise<boolean> => agenciesExist(s.db)

/**
 * Seeds the demo for `agencies` (by default all three): only their agencies,
 * officers and receipts, so a key store made for some of them (`bienlai keys
 * init --agencies HCM,HNI`) still starts with a working demo.
 */
export const seedDemo = async (s: EdgeServices, agencies: ReadonlyArray<string> = demoAgencies.map((a) => a.code)): Promise<DemoData> => {
  const has = (agency: string) => agencies.includes(agency)
  for (const a of demoAgencies.filter((x) => has(x.code))) {
    await insertAgency(s.db, a.code, a.name)
    await setAgencyLetterhead(s.db, a.code, demoLetterheads[a.code] ?? {})
  }
  const officers = []
  for (const o of demoOfficers.filter((x) => has(x.agency))) {
    await insertOfficer(s.db, o)
    await setOfficerTitle(s.db, o.id, demoTitles[o.id])
    // The demo's tokens are printed at every start, so they get the longest lifetime allowed.
    const token = await grantToken(s.db, o.id, "demo", s.randomBytes, { now: s.now(), days: s.config.tokens.maxDays })
    await recordOfficerAudit(s.db, { agency: o.agency, actor: "demo-seed", action: "officer_created_outside_four_eyes", officer: o.id, at: s.now().toISOString(), detail: { role: o.role, why: "demo data of a development start" } })
    officers.push({ id: o.id, agency: o.agency, role: o.role, token })
  }

  const actions = makeActions(s)
  const as = (id: string): Principal => {
    const o = demoOfficers.find((x) => x.id === id)!
    return { officer: o.id, agency: o.agency, role: o.role }
  }
  const today = vietnamDateOf(s.now().toISOString())
  const series = { form: "01-BLTHADS", symbol: `AA/${today.slice(2, 4)}E` }
  const input = (over: Partial<DraftInput> & Pick<DraftInput, "payer" | "amount">): DraftInput => ({
    agency: "HCM",
    series,
    case: { decisionNumber: "1234/QĐ-CTHADS", decisionDate: today },
    reason: "Nộp tiền thi hành án theo quyết định thi hành án",
    payment: { method: "bank_transfer", reference: "FT" + today.replace(/-/g, "") + "0001" },
    ...over
  })
  const receipts: Array<DemoData["receipts"][number]> = []
  const approve = async (maker: string, approver: string, id: string) => {
    const submitted = await actions.submit(as(maker), id)
    return actions.approve(as(approver), id, actions.contentHashOf(submitted))
  }
  const issue = async (label: string, maker: string, approver: string, draft: DraftInput) => {
    const d = await actions.createDraft(as(maker), draft)
    const issued = await approve(maker, approver, d.id)
    receipts.push({ label, agency: issued.receipt.agency, id: issued.receipt.id, lookupCode: issued.receipt.lookupCode, url: issued.url })
    return issued
  }

  if (has("HCM")) {
    await issue("HCM, hợp lệ (valid)", "lan.nguyen", "hung.tran", input({
      office: "HCM-KV01",
      payer: { name: "Nguyễn Văn Hòa", idNumber: "079085001234", address: "12 Lê Lợi, phường Bến Thành, TP. Hồ Chí Minh" },
      amount: 125_500_000n
    }))
    const voided = await issue("HCM, đã hủy (voided)", "lan.nguyen", "hung.tran", input({
      office: "HCM-KV01",
      payer: { name: "Trần Thị Bích Ngọc", idNumber: "079190004567", address: "45 Nguyễn Huệ, phường Sài Gòn, TP. Hồ Chí Minh" },
      case: { decisionNumber: "567/QĐ-CTHADS", decisionDate: today },
      amount: 2_350_000_000n
    }))
    await actions.voidReceipt(as("hung.tran"), voided.receipt.id, "Nộp trùng, đã hoàn trả cho người nộp")
    const original = await issue("HCM, đã bị thay thế (replaced)", "lan.nguyen", "hung.tran", input({
      office: "HCM-KV02",
      payer: { name: "Công ty TNHH Xây dựng Phú Mỹ", address: "88 Điện Biên Phủ, phường Gia Định, TP. Hồ Chí Minh" },
      case: { decisionNumber: "89/QĐ-CTHADS", decisionDate: today },
      amount: 1_000_000_000n
    }))
    const replacementDraft = await actions.replace(as("lan.nguyen"), original.receipt.id, input({
      office: "HCM-KV02",
      payer: { name: "Công ty TNHH Xây dựng Phú Mỹ", address: "88 Điện Biên Phủ, phường Gia Định, TP. Hồ Chí Minh" },
      case: { decisionNumber: "89/QĐ-CTHADS", decisionDate: today },
      amount: 1_050_000_000n
    }))
    const replacement = await approve("lan.nguyen", "hung.tran", replacementDraft.id)
    receipts.push({ label: "HCM, biên lai thay thế (the replacement)", agency: "HCM", id: replacement.receipt.id, lookupCode: replacement.receipt.lookupCode, url: replacement.url })
    const annotated = await issue("HCM, có đính chính địa chỉ (annotated)", "lan.nguyen", "hung.tran", input({
      office: "HCM-KV01",
      payer: { name: "Lê Hoàng Phúc", idNumber: "079095007788", address: "3 Hai Bà Trưng, TP. Hồ Chí Minh" },
      amount: 45_000_000n,
      payment: { method: "cash" }
    }))
    // A correction is requested by one officer and approved by another, naming the exact text.
    const correction = await actions.requestCorrection(as("lan.nguyen"), annotated.receipt.id, {
      field: "payerAddress",
      value: "3 Hai Bà Trưng, phường Sài Gòn, TP. Hồ Chí Minh",
      note: "Đính chính tên phường"
    })
    await actions.approveCorrection(as("hung.tran"), correction.id, correction.value)
    const pending = await actions.createDraft(as("lan.nguyen"), input({
      office: "HCM-KV01",
      payer: { name: "Phạm Minh Châu", idNumber: "079088009900" },
      amount: 15_000_000n
    }))
    await actions.submit(as("lan.nguyen"), pending.id)
    receipts.push({ label: "HCM, bản nháp đã trình, chờ duyệt (submitted, awaiting approval)", agency: "HCM", id: pending.id })
    const unsent = await actions.createDraft(as("lan.nguyen"), input({
      office: "HCM-KV02",
      payer: { name: "Trương Thị Kim Liên", idNumber: "079186003344" },
      amount: 7_500_000n
    }))
    receipts.push({ label: "HCM, bản nháp chưa trình (draft not submitted)", agency: "HCM", id: unsent.id })
  }
  if (has("HNI")) {
    await issue("HNI, hợp lệ (valid)", "thu.pham", "quang.vo", input({
      agency: "HNI",
      office: "HNI-KV03",
      payer: { name: "Đỗ Thị Thu Hà", idNumber: "001190012345", address: "15 Tràng Tiền, phường Hoàn Kiếm, Hà Nội" },
      case: { decisionNumber: "321/QĐ-CTHADS", decisionDate: today },
      amount: 80_000_000n
    }))
  }
  if (has("DNG")) {
    await issue("DNG, hợp lệ (valid)", "an.doan", "binh.ho", input({
      agency: "DNG",
      office: "DNG-KV01",
      payer: { name: "Võ Đức Thắng", idNumber: "048095004321", address: "20 Bạch Đằng, phường Hải Châu, Đà Nẵng" },
      case: { decisionNumber: "45/QĐ-CTHADS", decisionDate: today },
      amount: 12_000_000n,
      payment: { method: "cash" }
    }))
  }
  return { officers, receipts }
}
