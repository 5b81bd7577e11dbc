import { describe, expect, test } from "bun:test"
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import fc from "fast-check"
import { SaxesParser, type SaxesTagNS } from "saxes"
import { readCamt054 } from "../../adapters/bank/iso20022/camt.ts"
import { readPain002 } from "../../adapters/bank/iso20022/pain002.ts"
import { writePain001File } from "../../adapters/bank/iso20022/pain001-file.ts"
import { banks } from "../../domain/bank/banks.ts"
import {
  checkPain001Line,
  type Pain001Header,
  type Pain001Line,
  pain001Chunks,
  pain001Document,
  Pain001Refused
} from "../../domain/bank/pain001.ts"
import type { PaymentStatusEvent } from "../../domain/bank/payment-status.ts"
import type { StatementEvent } from "../../domain/bank/statement.ts"
import { freeText } from "../../domain/bank/iso-text.ts"
import { nfc, stripDiacritics } from "../../domain/text.ts"
import { debitNotificationFor, pain002Document } from "./iso-writers.ts"
import { nativeXmllint, nativeXsdErrors, xsdErrors } from "./xsd.ts"

const out = join(import.meta.dir, "..", "..", "test-output", "bank")
mkdirSync(out, { recursive: true })

const header: Pain001Header = {
  messageId: "PAYOUT-HCM-R8",
  createdAt: "2025-06-16T09:30:00+07:00",
  debtor: { name: "Cục Thi hành án dân sự TP. Hồ Chí Minh", account: "0071000123456", bankBin: "970436" }
}
const twoLines: ReadonlyArray<Pain001Line> = [
  { endToEndId: "PAY-R8-000001", creditorName: "Trần Thị B", creditorAccount: "0451000111222", creditorBankBin: "970436", amount: 20_000_000n, remittance: "Chi trả tiền THA vụ án 3699, đợt 8" },
  { endToEndId: "PAY-R8-000002", creditorName: "Lê Văn C & Co <test>", creditorAccount: "19030413601018", creditorBankBin: "970407", amount: 15_000_000n }
]

const refusal = (f: () => unknown): Pain001Refused => {
  try {
    f()
  } catch (e) {
    if (e instanceof Pain001Refused) return e
    throw e
  }
  throw new Error("expected the pain.001 to be refused")
}

/** Reads back what a pain.001 says, with a plain SAX pass that shares no code with the writer. */
const readBack = (xml: string) => {
  const parser = new SaxesParser({ xmlns: true })
  const path: Array<string> = []
  const txs: Array<Record<string, string>> = []
  const group: Record<string, string> = {}
  let text = ""
  parser.on("opentag", (t) => {
    path.push((t as SaxesTagNS).local)
    text = ""
    if ((t as SaxesTagNS).local === "CdtTrfTxInf") txs.push({})
  })
  parser.on("text", (t) => {
    text += t
  })
  parser.on("closetag", () => {
    const p = path.join("/")
    const tx = txs.at(-1)
    const set = (key: string) => {
      if (tx !== undefined) tx[key] = text
    }
    if (p.endsWith("CdtTrfTxInf/PmtId/EndToEndId")) set("endToEndId")
    else if (p.endsWith("CdtTrfTxInf/Amt/InstdAmt")) set("amount")
    else if (p.endsWith("CdtTrfTxInf/Cdtr/Nm")) set("name")
    else if (p.endsWith("CdtTrfTxInf/CdtrAcct/Id/Othr/Id")) set("account")
    else if (p.endsWith("CdtTrfTxInf/CdtrAgt/FinInstnId/ClrSysMmbId/MmbId")) set("bin")
    else if (p.endsWith("CdtTrfTxInf/RmtInf/Ustrd")) set("remittance")
    else if (p.endsWith("GrpHdr/NbOfTxs")) group.count = text
    else if (p.endsWith("GrpHdr/CtrlSum")) group.sum = text
    path.pop()
  })
  parser.write(xml).close()
  return { group, txs }
}

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: min, maxLength: max }).map((s) => `1${s}`)
const vietnameseName = fc.array(fc.constantFrom("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Văn", "Thị", "Ánh", "Đức", "Hòa", "Quỳnh", "Ngọc", "&", "O'Brien", "<Cty>"), { minLength: 1, maxLength: 6 }).map((w) => w.join(" "))
const lineArbitrary = (i: number): fc.Arbitrary<Pain001Line> =>
  fc.record({
    endToEndId: fc.constant(`PAY-${i}`),
    creditorName: vietnameseName,
    creditorAccount: digits(6, 17),
    creditorBankBin: fc.constantFrom(...banks.map((b) => b.bin)),
    amount: fc.bigInt({ min: 1n, max: 10n ** 15n - 1n }),
    remittance: fc.option(vietnameseName, { nil: undefined })
  }).map((l) => (l.remittance === undefined ? (({ remittance: _r, ...rest }) => rest)(l) : l))
const linesArbitrary = fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => lineArbitrary(i + 1))))

describe("pain.001.001.09: the file a bank takes", () => {
  test("two lines give exactly the reviewed document (test/bank/fixtures/pain001-two-lines.xml)", () => {
    expect(pain001Document(header, twoLines)).toBe(readFileSync(join(import.meta.dir, "fixtures", "pain001-two-lines.xml"), "utf8"))
  })

  test("it is valid against the official XSD (xmllint-wasm)", async () => {
    expect(await xsdErrors("pain.001.001.09", pain001Document(header, twoLines))).toEqual([])
  })

  test.skipIf(!nativeXmllint)(`native xmllint --schema accepts it ${nativeXmllint ? "" : "(skipped: xmllint is not installed on this machine)"}`, () => {
    const file = join(out, "pain001-two-lines.xml")
    writeFileSync(file, pain001Document(header, twoLines))
    const errors = nativeXsdErrors("pain.001.001.09", file)
    if (errors !== undefined) expect(errors).toEqual([])
  })

  test("the validator does catch a document that breaks the schema (so the checks above mean something)", async () => {
    const broken = pain001Document(header, twoLines).replace("<PmtMtd>TRF</PmtMtd>", "<PmtMtd>WIRE</PmtMtd>")
    expect((await xsdErrors("pain.001.001.09", broken)).join("\n")).toContain("PmtMtd")
  })

  test("names and remittance go without diacritics by default; as given on request", () => {
    const given = pain001Document({ ...header, textForm: "as-given" }, twoLines)
    expect(given).toContain("<Nm>Trần Thị B</Nm>")
    expect(pain001Document(header, twoLines)).toContain("<Nm>Tran Thi B</Nm>")
  })
})

describe("pain.001 properties", () => {
  test("every generated file is XSD-valid, deterministic, and says exactly what it was given", async () => {
    await fc.assert(
      fc.asyncProperty(linesArbitrary, fc.constantFrom("unaccented" as const, "as-given" as const), async (lines, textForm) => {
        const h = { ...header, textForm }
        const doc = pain001Document(h, lines)
        expect(pain001Document(h, lines)).toBe(doc)
        expect(await xsdErrors("pain.001.001.09", doc)).toEqual([])
        const back = readBack(doc)
        expect(back.group).toEqual({ count: String(lines.length), sum: lines.reduce((s, l) => s + l.amount, 0n).toString() })
        const fold = (s: string) => (textForm === "unaccented" ? stripDiacritics(s) : s).replace(/\s+/g, " ").trim()
        expect(back.txs).toEqual(
          lines.map((l) => ({
            endToEndId: l.endToEndId,
            amount: l.amount.toString(),
            name: fold(l.creditorName),
            account: l.creditorAccount,
            bin: l.creditorBankBin,
            ...(l.remittance === undefined ? {} : { remittance: fold(l.remittance) })
          }))
        )
      }),
      { numRuns: 25 }
    )
  }, 120_000)

  test("the fast unaccenting of names gives exactly stripDiacritics, for any text", () => {
    const text = fc.string({ unit: fc.oneof(fc.constantFrom(..."ĐđăâêôơưÀÁẢÃẠàáảãạệỆỹỸ ½ß\u0301\u0323"), fc.string({ unit: "binary", minLength: 1, maxLength: 1 })), minLength: 1, maxLength: 60 })
    fc.assert(
      fc.property(text, (s) => {
        const r = freeText("x", s, 1000, "unaccented")
        const expected = stripDiacritics(nfc(s).replace(/\s+/g, " ").trim())
        if ("text" in r) expect(r.text).toBe(expected)
      }),
      { numRuns: 2000 }
    )
  })

  test("with totals declared, lines are read once; without, twice; the bytes are the same", () => {
    fc.assert(
      fc.property(linesArbitrary, (lines) => {
        let reads = 0
        const once = { [Symbol.iterator]: function*() {
          reads++
          yield* lines
        } }
        const totals = { count: lines.length, sum: lines.reduce((s, l) => s + l.amount, 0n) }
        const a = [...pain001Chunks(header, once, totals)].join("")
        expect(reads).toBe(1)
        expect([...pain001Chunks(header, lines)].join("")).toBe(a)
      }),
      { numRuns: 50 }
    )
  })
})

describe("pain.001 refuses what a bank would bounce, naming the line", () => {
  const line = twoLines[0] as Pain001Line
  test.each([
    ["an unknown bank", { creditorBankBin: "999999" }, "999999 is not in the NAPAS bank list"],
    ["an account with a letter", { creditorAccount: "04510O0111222" }, "found \"O\" at position 6"],
    ["an account too short", { creditorAccount: "12345" }, "6 to 19 digits"],
    ["a zero amount", { amount: 0n }, "at least 1 đồng"],
    ["a negative amount", { amount: -5n }, "at least 1 đồng"],
    ["an amount of 10^15", { amount: 10n ** 15n }, "below 10^15"],
    ["an end-to-end id with a space", { endToEndId: "PAY R8 1" }, "contains \" \""],
    ["an end-to-end id of 36 characters", { endToEndId: "X".repeat(36) }, "at most 35"],
    ["an empty name", { creditorName: "   " }, "the creditor name is empty"],
    ["a name of 141 characters", { creditorName: "A".repeat(141) }, "at most 140"],
    ["a control character", { remittance: "CHI TRA\u0007" }, "control character U+0007"]
  ])("%s", (_what, change, fragment) => {
    const e = refusal(() => pain001Document(header, [twoLines[1] as Pain001Line, { ...line, ...change }]))
    expect(e.line).toBe(2)
    expect(e.message).toContain("pain.001 line 2")
    expect(e.message).toContain(fragment)
  })

  test("checkPain001Line lists every problem of a line at once", () => {
    const problems = checkPain001Line({ ...line, endToEndId: "", creditorBankBin: "1", creditorAccount: "x", amount: 0n })
    expect(problems).toEqual([
      "the end-to-end id is empty",
      "The bank code \"1\" is not a 6-digit NAPAS BIN",
      "Account number \"x\": only digits are allowed, found \"x\" at position 1",
      "the amount 0 must be at least 1 đồng"
    ])
  })

  test("the same end-to-end id twice (a line must never be paid twice)", () => {
    expect(refusal(() => pain001Document(header, [line, { ...line, amount: 1n }])).message).toContain("already used by an earlier line")
  })

  test("declared totals that do not match the lines", () => {
    expect(refusal(() => [...pain001Chunks(header, twoLines, { count: 2, sum: 1n })]).message).toContain("do not match the declared totals")
  })

  test.each([
    ["a creation time without offset", { createdAt: "2025-06-16T09:30:00" }, "creation time"],
    ["a message id with a space", { messageId: "ROUND 8" }, "the message id"],
    ["a debtor account at an unknown bank", { debtor: { ...header.debtor, bankBin: "000000" } }, "debtor:"],
    ["no lines", {}, "at least one line"]
  ])("a header problem: %s", (what, change, fragment) => {
    const e = refusal(() => pain001Document({ ...header, ...change }, what === "no lines" ? [] : twoLines))
    expect(e.message).toContain(fragment)
  })
})

describe("the bank's answers to our pain.001 come back to the right lines", () => {
  const collect = async <E>(events: AsyncIterable<E>): Promise<Array<E>> => {
    const all: Array<E> = []
    for await (const e of events) all.push(e)
    return all
  }

  test("property: a camt.054 of the executed lines gives back every end-to-end id and amount", async () => {
    await fc.assert(
      fc.asyncProperty(linesArbitrary, async (lines) => {
        const doc = debitNotificationFor(header.debtor.account, "2025-06-16", lines)
        const entries = (await collect<StatementEvent>(readCamt054([doc]))).flatMap((e) => (e.type === "entry" ? [e.entry] : []))
        expect(entries.map((e) => [e.endToEndId, e.amount, e.direction])).toEqual(lines.map((l) => [l.endToEndId, l.amount, "debit"]))
      }),
      { numRuns: 50 }
    )
  })

  test("a pain.002 that rejects some lines says which and why", async () => {
    const lines = [...twoLines, { ...(twoLines[0] as Pain001Line), endToEndId: "PAY-R8-000003" }]
    const doc = pain002Document(header.messageId, [
      { endToEndId: "PAY-R8-000001", status: "ACSC", amount: 20_000_000n },
      { endToEndId: "PAY-R8-000002", status: "RJCT", reason: "AC01" },
      { endToEndId: "PAY-R8-000003", status: "RJCT", reason: "AM04" }
    ], "PART")
    expect(await xsdErrors("pain.002.001.11", doc)).toEqual([])
    const events = await collect<PaymentStatusEvent>(readPain002([doc]))
    const txs = events.flatMap((e) => (e.type === "transaction" ? [e.transaction] : []))
    expect(txs.map((t) => [t.originalEndToEndId, t.meaning, t.reasons[0]?.code])).toEqual([
      ["PAY-R8-000001", "settled", undefined],
      ["PAY-R8-000002", "rejected", "AC01"],
      ["PAY-R8-000003", "rejected", "AM04"]
    ])
    expect(new Set(txs.map((t) => t.originalEndToEndId))).toEqual(new Set(lines.map((l) => l.endToEndId)))
  })
})

describe("writing a pain.001 file", () => {
  test("50,000 lines from an async source stream to disk in bounded memory and validate", async () => {
    const count = 50_000
    const bins = banks.filter((b) => b.kind === "bank").map((b) => b.bin)
    // Live heap after a full collection, at 10,000 and at 40,000 lines: a writer that kept
    // its lines would grow by some 15 MB between the two; a streaming one by the ids it remembers.
    const live: Array<number> = []
    async function* lines(): AsyncGenerator<Pain001Line> {
      for (let i = 1; i <= count; i++) {
        if (i === 10_000 || i === 40_000) {
          Bun.gc(true)
          live.push(process.memoryUsage().heapUsed)
        }
        yield { endToEndId: `PAY-${i}`, creditorName: `Người nhận ${i}`, creditorAccount: String(1_000_000_000 + i), creditorBankBin: bins[i % bins.length] as string, amount: BigInt(100_000 + i), remittance: "Chi trả tiền THA" }
      }
    }
    const sum = BigInt(count) * 100_000n + BigInt((count * (count + 1)) / 2)
    const file = join(out, "pain001-50k.xml")
    const written = await writePain001File(file, header, lines(), { count, sum })
    expect(live).toHaveLength(2)
    expect((live[1] as number) - (live[0] as number)).toBeLessThan(5 * 1024 * 1024)
    expect(written.bytes).toBeGreaterThan(count * 300)
    const xml = readFileSync(file, "utf8")
    expect(xml).toContain(`<NbOfTxs>${count}</NbOfTxs><CtrlSum>${sum}</CtrlSum>`)
    expect(await xsdErrors("pain.001.001.09", xml)).toEqual([])
  }, 120_000)

  test("a refused line leaves no file behind, not even a partial one", async () => {
    const file = join(out, "pain001-refused.xml")
    rmSync(file, { force: true })
    const bad = [...twoLines, { ...(twoLines[0] as Pain001Line), endToEndId: "PAY-X", creditorBankBin: "999999" }]
    await expect(writePain001File(file, header, bad)).rejects.toThrow("pain.001 line 3")
    expect(existsSync(file)).toBe(false)
    expect(existsSync(`${file}.partial`)).toBe(false)
  })
})
