/**
 * Credits becoming draft receipts, as a state machine (fast-check
 * `fc.commands`) against the real store on PGlite and PostgreSQL: statements
 * imported (some credits paying an issued receipt by its bank reference, some
 * paying nothing), imported again, overlapping; runs repeated in any order.
 * After every command: no credit has more than one draft, every draft is the
 * importing officer's and carries its credit's amount and bank reference, no
 * credit is matched beyond its amount; after a run, every credit is matched
 * (to its receipt, or to its own draft) and nothing is left unmatched.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fc from "fast-check"
import { Effect } from "effect"
import { uuidFromBytes } from "../../domain/ids.ts"
import { readMt940 } from "../../domain/bank/mt940.ts"
import { SigningError } from "../../domain/ports/signer.ts"
import { registerBankAccount } from "../../store/reconciliation/accounts.ts"
import { recordImporter } from "../../store/reconciliation/credit-drafts.ts"
import { runWithDrafts } from "../../store/reconciliation/run-with-drafts.ts"
import { importStatementEvents } from "../../store/reconciliation/statement-import.ts"
import { makeReceiptStore } from "../../store/receipts/receipt-repository.ts"
import { targets, type TestDatabase } from "../store/databases.ts"
import { mt940Statement, type Mt940Entry } from "./mt940-builder.ts"

const now = "2025-06-24T01:00:00.000Z"

interface Real {
  readonly t: TestDatabase
  readonly agency: string
  readonly account: string
  readonly officer: string
  readonly save: ReturnType<typeof makeReceiptStore>["saveDraft"]
}

interface Model {
  /** Credits imported: bank reference → amount. */
  readonly credits: Map<string, bigint>
  /** Statements imported, to import again. */
  readonly statements: Array<string>
  statementNo: number
  ran: boolean
}

const check = async (m: Model, r: Real) => {
  const drafts = await r.t.db.query<{ bank_reference: string; n: string; maker: string; amount: string; reference: string }>(
    `SELECT d.bank_reference, count(*) OVER (PARTITION BY d.bank_reference)::text AS n, x.maker, x.amount::text AS amount, x.draft->'payment'->>'reference' AS reference
       FROM recon_credit_drafts d JOIN receipts x ON x.agency = d.agency AND x.id::text = d.receipt_id WHERE d.agency = $1::text`,
    [r.agency]
  )
  for (const d of drafts) {
    expect(d.n).toBe("1")
    expect([d.maker, d.reference, BigInt(d.amount)]).toEqual([r.officer, d.bank_reference, m.credits.get(d.bank_reference) as bigint])
  }
  const over = await r.t.db.query(
    `SELECT e.bank_reference FROM bank_entries e JOIN recon_matches x USING (agency, account, bank_reference) WHERE e.agency = $1::text GROUP BY e.bank_reference, e.amount HAVING sum(x.amount) > e.amount`,
    [r.agency]
  )
  expect(over).toEqual([])
  if (m.ran) {
    const unmatched = await r.t.db.query<{ bank_reference: string }>(
      `SELECT e.bank_reference FROM bank_entries e WHERE e.agency = $1::text AND e.direction = 'credit'
          AND NOT EXISTS (SELECT 1 FROM recon_matches x WHERE x.agency = e.agency AND x.account = e.account AND x.bank_reference = e.bank_reference)`,
      [r.agency]
    )
    expect(unmatched).toEqual([])
  }
}

class ImportStatement implements fc.AsyncCommand<Model, Real> {
  readonly entries: ReadonlyArray<{ readonly amount: bigint; readonly paysReceipt: boolean }>
  constructor(entries: ReadonlyArray<{ readonly amount: bigint; readonly paysReceipt: boolean }>) {
    this.entries = entries
  }
  check = () => true
  async run(m: Model, r: Real) {
    const no = ++m.statementNo
    const lines: Array<Mt940Entry> = []
    for (const [i, e] of this.entries.entries()) {
      const ref = `FT${String(no).padStart(5, "0")}${String(i).padStart(6, "0")}`
      if (e.paysReceipt) {
        // A receipt already issued for this transfer: the credit matches it by the bank reference.
        await r.t.db.query(
          `INSERT INTO recon_targets (agency, kind, id, receipt_status, amount, payment_reference, bank_reference, payer_name, method)
           VALUES ($1::text, 'receipt', $2::text, 'issued', $3::bigint, 'BL000000000' || $4::text, $5::text, 'X', 'bank_transfer')`,
          [r.agency, `r-${ref}`, e.amount.toString(), "0", ref]
        )
      }
      lines.push({ amount: e.amount, ref, memo: e.paysReceipt ? `NOP TIEN ${ref}` : "CHUYEN TIEN" })
      m.credits.set(ref, e.amount)
    }
    const text = mt940Statement({ id: `S${no}`, account: r.account, day: `2025-06-${String(1 + (no % 28)).padStart(2, "0")}`, opening: 0n, entries: lines })
    m.statements.push(text)
    await this.load(r, text)
    m.ran = false
    await check(m, r)
  }
  async load(r: Real, text: string) {
    const s = await importStatementEvents(r.t.db, readMt940(text.split("\n")), { agency: r.agency, now, source: "model" })
    await recordImporter(r.t.db, r.agency, s.statements.map((x) => ({ account: x.account, statementId: x.statementId })), r.officer, now)
  }
  toString = () => `import(${this.entries.map((e) => `${e.amount}${e.paysReceipt ? "R" : ""}`).join(",")})`
}

class ImportAgain implements fc.AsyncCommand<Model, Real> {
  readonly pick: number
  constructor(pick: number) {
    this.pick = pick
  }
  check = (m: Readonly<Model>) => m.statements.length > 0
  async run(m: Model, r: Real) {
    const text = m.statements[this.pick % m.statements.length] as string
    const s = await importStatementEvents(r.t.db, readMt940(text.split("\n")), { agency: r.agency, now, source: "model" })
    expect(s.newEntries).toBe(0)
    await check(m, r)
  }
  toString = () => `importAgain(${this.pick})`
}

class Run implements fc.AsyncCommand<Model, Real> {
  check = () => true
  async run(m: Model, r: Real) {
    const s = await runWithDrafts(r.t.db, { agency: r.agency, now, today: "2025-06-30" }, {
      save: (draft, auditDetail) => Effect.runPromise(r.save(draft, { now, auditDetail })),
      newId: () => uuidFromBytes(crypto.getRandomValues(new Uint8Array(16))),
      series: () => ({ form: "01-BLTHADS", symbol: "AA/25E" }),
      now
    })
    expect(s.drafts.refused).toEqual([])
    m.ran = true
    await check(m, r)
  }
  toString = () => "run"
}

for (const target of targets) {
  describe(`credits become draft receipts, once (model) on ${target.name}`, () => {
    let t: TestDatabase
    let runs = 0
    beforeAll(async () => {
      t = await target.make()
    }, 60_000)
    afterAll(async () => {
      await t?.dispose()
    })

    test("any sequence of imports, re-imports and runs", async () => {
      const entry = fc.record({ amount: fc.bigInt({ min: 1n, max: 10_000_000_000n }), paysReceipt: fc.boolean() })
      const commands = [
        fc.array(entry, { minLength: 1, maxLength: 4 }).map((es) => new ImportStatement(es)),
        fc.nat(20).map((i) => new ImportAgain(i)),
        fc.constant(new Run())
      ]
      await fc.assert(
        fc.asyncProperty(fc.commands(commands, { maxCommands: 8 }), async (cmds) => {
          const no = ++runs
          const agency = `M${no}`
          const officer = `lan.m${no}`
          const account = `0099${String(no).padStart(9, "0")}`
          await t.db.query("INSERT INTO agencies (code, name) VALUES ($1::text, $1::text)", [agency])
          await t.db.query("INSERT INTO officers (id, agency, name, role) VALUES ($1::text, $2::text, 'Lan', 'officer')", [officer, agency])
          await registerBankAccount(t.db, { agency, account, bankBin: "970436" })
          const store = makeReceiptStore(t.db, (a) => Effect.fail(new SigningError({ agency: a, reason: "no_key", message: "no signing here" })))
          await fc.asyncModelRun(() => ({ model: { credits: new Map(), statements: [], statementNo: 0, ran: false }, real: { t, agency, account, officer, save: store.saveDraft } }), cmds)
        }),
        { numRuns: 12 }
      )
    }, 300_000)
  })
}
