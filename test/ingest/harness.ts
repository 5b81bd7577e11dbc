/**
 * Shared set-up for the ingest tests: a migrated database with the HCM
 * agency and its officers, a real Ed25519 key handed to the workers as
 * PKCS#8, and rows of real Vietnamese content written as CSV.
 */
import { grantToken } from "../../edge/officers/tokens.ts"
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import type { Db } from "../../store/database/db.ts"
import type { SignerSpec } from "../../jobs/ingest/signer-spec.ts"
import { formatCsvRecord } from "../../jobs/ingest/csv.ts"
import { amountInWords } from "../../domain/amount-in-words.ts"

export const outDir = (name: string): string => {
  const dir = join(import.meta.dir, "../../test-output/ingest", `${name}-${process.pid}-${Date.now().toString(36)}`)
  mkdirSync(dir, { recursive: true })
  return dir
}

export const seedOfficers = async (db: Db): Promise<void> => {
  await db.exec(`
    INSERT INTO agencies (code, name) VALUES ('HCM', 'Cục Thi hành án dân sự TP. Hồ Chí Minh'), ('HNI', 'Cục Thi hành án dân sự TP. Hà Nội');
    INSERT INTO officers (id, agency, name, role) VALUES
      ('lan.nguyen', 'HCM', 'Nguyễn Thị Lan', 'officer'),
      ('hung.tran', 'HCM', 'Trần Văn Hùng', 'approver'),
      ('mai.pham', 'HCM', 'Phạm Thị Mai', 'auditor'),
      ('tuan.le', 'HNI', 'Lê Anh Tuấn', 'approver');`)
}

/** An API token of `officer` (the CLI's approver comes from BIENLAI_TOKEN, never a typed name). */
export const tokenOf = (db: Db, officer: string): Promise<string> =>
  grantToken(db, officer, "ingest test", (n) => crypto.getRandomValues(new Uint8Array(n)))

export interface TestKey {
  readonly spec: SignerSpec
  readonly publicKey: CryptoKey
  readonly keyId: string
}

export const makeKey = async (agencies: ReadonlyArray<string> = ["HCM", "HNI"]): Promise<TestKey> => {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey))
  const keyId = "1d3c0ffee0ddba11"
  return { spec: { kind: "pkcs8", keys: agencies.map((agency) => ({ agency, keyId, algorithm: "Ed25519", pkcs8 })) }, publicKey: pair.publicKey, keyId }
}

export const header = [
  "external_id", "office", "form", "symbol", "payer_name", "payer_id_number", "payer_address", "decision_number", "decision_date",
  "reason", "amount", "amount_in_words", "payment_method", "bank_reference", "maker"
]

const names = ["Nguyễn Văn Hòa", "Trần Thị Bích Ngọc", "Lê Hoàng Phúc", "Phạm Minh Châu", "Công ty TNHH Xây dựng Phú Mỹ", "Võ Thị Thu Hằng"]
const streets = ["12 Lê Lợi, phường Bến Thành", "45 Nguyễn Huệ, phường Sài Gòn", "8 Trần Hưng Đạo, phường Cầu Ông Lãnh"]

/** A valid CCCD: HCM (079), male born 1985 (0, 85), six digits from `n`. */
export const cccd = (n: number): string => `07908${5}${String(n % 1_000_000).padStart(6, "0")}`

/** The cells of good row `n` (symbol of 2026 by default, for issuance in 2026). */
export const goodRow = (n: number, over: Partial<Record<string, string>> = {}): Record<string, string> => {
  const amount = 1_000_000n * BigInt(1 + (n % 997)) + BigInt(n % 1000) * 1000n
  return {
    external_id: `LEGACY-${String(n).padStart(7, "0")}`,
    office: "HCM-KV01",
    form: "01-BLTHADS",
    symbol: "AA/26E",
    payer_name: names[n % names.length] as string,
    payer_id_number: cccd(n),
    payer_address: `${streets[n % streets.length]}, TP. Hồ Chí Minh`,
    decision_number: `${100 + (n % 900)}/QĐ-CTHADS`,
    decision_date: "14/03/2025",
    reason: "Nộp tiền thi hành án theo quyết định",
    amount: amount.toString().replace(/\B(?=(\d{3})+(?!\d))/g, "."),
    amount_in_words: amountInWords(amount),
    payment_method: n % 3 === 0 ? "tiền mặt" : "chuyển khoản",
    bank_reference: n % 3 === 0 ? "" : `FT26${String(n).padStart(9, "0")}`,
    maker: "lan.nguyen",
    ...over
  }
}

export const csvOf = (rows: ReadonlyArray<Record<string, string>>, cols: ReadonlyArray<string> = header): string =>
  [formatCsvRecord(cols), ...rows.map((r) => formatCsvRecord(cols.map((c) => r[c] ?? "")))].join("\n") + "\n"

/** A fixed clock in 2026 (Vietnam time 10:00 on 5 January). */
export const fixedNow = () => "2026-01-05T03:00:00.000Z"

/** Deterministic "random" bytes, so two databases get the same lookup codes. */
export const seededBytes = (seed = 1) => {
  let state = seed >>> 0
  return (n: number): Uint8Array => {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0
      out[i] = state >>> 24
    }
    return out
  }
}
