/**
 * The readers: CSV cells and records, NDJSON rows, the encoding check that
 * names TCVN3 and VNI, and the progress line. Properties cover every
 * parser/formatter pair and the independence from chunk boundaries that
 * streaming needs.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { Result } from "effect"
import { formatCsvRecord, parseCsvRecord, detectDelimiter, type Delimiter } from "../../jobs/ingest/csv.ts"
import { describeBadBytes, firstInvalidByte, guessLegacyEncoding, sniffEncoding } from "../../jobs/ingest/encoding.ts"
import { fieldsOfJson } from "../../jobs/ingest/ndjson.ts"
import { makeProgress, progressLine } from "../../jobs/ingest/progress.ts"
import { MAX_RECORD_BYTES, recordBytes, RecordTooLong, splitRecords } from "../../jobs/ingest/records.ts"
import { columnOf } from "../../jobs/ingest/columns.ts"
import { splitInput } from "../../jobs/ingest/parts.ts"

const enc = new TextEncoder()
const dec = new TextDecoder()

// TCVN3 (ABC) and VNI-Windows for lower-case Vietnamese and Đ, from their code charts.
const tones = ["\u0300", "\u0309", "\u0303", "\u0301", "\u0323"] // huyền, hỏi, ngã, sắc, nặng
const tcvnVowels: Record<string, [number, Array<number>]> = {
  a: [0x61, [0xb5, 0xb6, 0xb7, 0xb8, 0xb9]], "ă": [0xa8, [0xbb, 0xbc, 0xbd, 0xbe, 0xc6]], "â": [0xa9, [0xc7, 0xc8, 0xc9, 0xca, 0xcb]],
  e: [0x65, [0xcc, 0xce, 0xcf, 0xd0, 0xd1]], "ê": [0xaa, [0xd2, 0xd3, 0xd4, 0xd5, 0xd6]], i: [0x69, [0xd7, 0xd8, 0xdc, 0xdd, 0xde]],
  o: [0x6f, [0xdf, 0xe1, 0xe2, 0xe3, 0xe4]], "ô": [0xab, [0xe5, 0xe6, 0xe7, 0xe8, 0xe9]], "ơ": [0xac, [0xea, 0xeb, 0xec, 0xed, 0xee]],
  u: [0x75, [0xef, 0xf1, 0xf2, 0xf3, 0xf4]], "ư": [0xad, [0xf5, 0xf6, 0xf7, 0xf8, 0xf9]], y: [0x79, [0xfa, 0xfb, 0xfc, 0xfd, 0xfe]]
}
// VNI: a vowel is its base letter plus mark bytes; the tone bytes are ø û õ ù ï.
const vniTone = [0xf8, 0xfb, 0xf5, 0xf9, 0xef]
const vniVowels: Record<string, [Array<number>, Array<Array<number>>]> = {
  a: [[0x61], vniTone.map((t) => [0x61, t])], "ă": [[0x61, 0xea], [[0x61, 0xe8], [0x61, 0xfa], [0x61, 0xfc], [0x61, 0xe9], [0x61, 0xeb]]],
  "â": [[0x61, 0xe2], [[0x61, 0xe0], [0x61, 0xe5], [0x61, 0xe3], [0x61, 0xe1], [0x61, 0xe4]]],
  e: [[0x65], vniTone.map((t) => [0x65, t])], "ê": [[0x65, 0xe2], [[0x65, 0xe0], [0x65, 0xe5], [0x65, 0xe3], [0x65, 0xe1], [0x65, 0xe4]]],
  // i with a tone is one byte of its own in VNI.
  i: [[0x69], [[0xec], [0xe6], [0xf3], [0xed], [0xf2]]],
  o: [[0x6f], vniTone.map((t) => [0x6f, t])], "ô": [[0x6f, 0xe2], [[0x6f, 0xe0], [0x6f, 0xe5], [0x6f, 0xe3], [0x6f, 0xe1], [0x6f, 0xe4]]],
  "ơ": [[0xf4], vniTone.map((t) => [0xf4, t])], u: [[0x75], vniTone.map((t) => [0x75, t])], "ư": [[0xf6], vniTone.map((t) => [0xf6, t])],
  y: [[0x79], vniTone.map((t) => [0x79, t])]
}
const tableOf = (vowels: Record<string, [unknown, Array<unknown>]>, base: (v: string) => Array<number>, toned: (v: string, k: number) => Array<number>, d: [Array<number>, Array<number>]) => {
  const table: Record<string, Array<number>> = { "đ": d[0], "Đ": d[1] }
  for (const v of Object.keys(vowels)) {
    table[v] = base(v)
    tones.forEach((t, k) => (table[(v + t).normalize("NFC")] = toned(v, k)))
  }
  return table
}
const tcvn3 = tableOf(tcvnVowels, (v) => [tcvnVowels[v]?.[0] as number], (v, k) => [tcvnVowels[v]?.[1][k] as number], [[0xae], [0xa7]])
const vni = tableOf(vniVowels, (v) => vniVowels[v]?.[0] as Array<number>, (v, k) => vniVowels[v]?.[1][k] as Array<number>, [[0xf1], [0xd1]])
const legacy = (table: Record<string, Array<number>>, text: string): Uint8Array =>
  Uint8Array.from(Array.from(text).flatMap((c) => table[c] ?? Array.from(enc.encode(c))))

const names = ["Nguyễn Văn Đạt", "Trần Thị Bích Ngọc", "Lê Hoàng Phúc", "Phạm Minh Châu", "Hồ Chí Minh", "Võ Thị Thu Hằng", "Đặng Quốc Việt"]
const reasons = ["Nộp tiền thi hành án theo quyết định", "Nộp tiền án phí dân sự sơ thẩm", "Nộp tiền bồi thường thiệt hại"]
// A legacy file as offices have them: a few rows of names, reasons and amounts.
const legacyRows = fc.array(fc.tuple(fc.constantFrom(...names), fc.constantFrom(...reasons), fc.integer({ min: 1, max: 999 })), { minLength: 2, maxLength: 8 })
  .map((rows) => rows.map(([n, r, a]) => `${n},${r},${a}.000.000`.normalize("NFC")).join("\n"))

describe("encoding", () => {
  test("UTF-8 files pass, whatever they hold (property)", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 400 }), (s) => {
      expect(sniffEncoding(enc.encode(s))).toBeUndefined()
      expect(firstInvalidByte(enc.encode(s))).toBe(-1)
    }), { numRuns: 200 })
  })

  test("a TCVN3 file is refused by name (property over realistic rows)", () => {
    fc.assert(fc.property(legacyRows, (text) => {
      const refused = sniffEncoding(legacy(tcvn3, `payer_name,reason,amount\n${text}\n`))
      expect(refused?.encoding).toBe("TCVN3")
      expect(refused?.message).toMatch(/legacy Vietnamese encoding TCVN3, not UTF-8; save it as UTF-8/)
    }), { numRuns: 50 })
  })

  test("a VNI file is refused by name (property over realistic rows)", () => {
    fc.assert(fc.property(legacyRows, (text) => {
      const refused = sniffEncoding(legacy(vni, `payer_name,reason,amount\n${text}\n`))
      expect(refused?.encoding).toBe("VNI")
      expect(refused?.message).toMatch(/legacy Vietnamese encoding VNI/)
    }), { numRuns: 50 })
  })

  test("UTF-16 is refused by its byte-order mark; Latin-1 noise is refused without a false name", () => {
    expect(sniffEncoding(Uint8Array.from([0xff, 0xfe, 0x61, 0x00]))?.encoding).toBe("UTF-16")
    const latin1 = Uint8Array.from(Buffer.from("payer_name\nJosé Müller, 5 EUR\n", "latin1"))
    expect(sniffEncoding(latin1)?.message).toMatch(/^the file is not UTF-8/)
  })

  test("a UTF-8 file with one legacy row is not refused; the row is described with its encoding", () => {
    const good = enc.encode("payer_name\nNguyễn Văn Hòa\n")
    const bad = legacy(vni, "Nguyễn Văn Đạt")
    const file = new Uint8Array([...good, ...bad, 0x0a])
    expect(sniffEncoding(file)).toBeUndefined()
    expect(describeBadBytes(bad)).toMatch(/not valid UTF-8 \(byte 0xE3 at byte 6 of the row\); it looks like VNI/)
    expect(describeBadBytes(legacy(tcvn3, "Nguyễn Văn Đạt"))).toMatch(/byte 0xD4 at byte 5 .*looks like TCVN3/)
    expect(guessLegacyEncoding(legacy(tcvn3, "Đặng"))).not.toBe("VNI")
  })

  test("a multi-byte character cut at the end of the sample is not an error", () => {
    const bytes = enc.encode("payer_name\nNguyễn")
    expect(sniffEncoding(bytes.subarray(0, bytes.length - 2))).toBeUndefined()
  })
})

const cell = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.constantFrom("", " a ", "\"quoted\"", "a,b", "a;b", "line\nbreak", "crlf\r\nx", "Nguyễn Văn Hòa", "125.500.000")
)
const delimiter = fc.constantFrom<Delimiter>(",", ";", "\t")

describe("CSV", () => {
  test("parse(format(cells)) = cells for every delimiter (property)", () => {
    fc.assert(fc.property(fc.array(cell, { minLength: 1, maxLength: 8 }), delimiter, (cells, d) => {
      expect(parseCsvRecord(formatCsvRecord(cells, d), d)).toEqual(cells)
    }), { numRuns: 300 })
  })

  test("the delimiter is read from the header", () => {
    expect(detectDelimiter("payer_name,amount,reason")).toBe(",")
    expect(detectDelimiter("Họ tên;Số tiền;\"Lý do, ghi chú\"")).toBe(";")
    expect(detectDelimiter("payer_name\tamount")).toBe("\t")
  })

  test("records do not depend on where the stream's chunks end (property)", async () => {
    const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 12 })
    await fc.assert(fc.asyncProperty(table, fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 5 }), fc.boolean(), fc.boolean(), async (rows, cuts, batchSize, crlf, bom) => {
      const eol = crlf ? "\r\n" : "\n"
      const text = rows.map((r) => formatCsvRecord(r)).join(eol) + eol
      const bytes = new Uint8Array([...(bom ? [0xef, 0xbb, 0xbf] : []), ...enc.encode(text)])
      async function* chunks() {
        let at = 0
        let i = 0
        while (at < bytes.length) {
          const size = cuts[i++ % cuts.length] as number
          yield bytes.subarray(at, at + size)
          at += size
        }
      }
      const got: Array<{ row: number; cells: Array<string> }> = []
      for await (const b of splitRecords(chunks(), { quoted: true, batchSize })) {
        expect(b.rows.length).toBeLessThanOrEqual(batchSize)
        for (let i = 0; i < b.rows.length; i++) got.push({ row: b.rows[i] as number, cells: parseCsvRecord(dec.decode(recordBytes(b, i)), ",") })
      }
      // Rows whose cells are all blank are skipped, but still counted.
      const expected = rows.map((r, i) => ({ row: i + 1, cells: r })).filter((r) => formatCsvRecord(r.cells).replace(/[ \t\r]/g, "") !== "")
      expect(got).toEqual(expected)
    }), { numRuns: 150 })
  })
})

const recordsOf = async (text: string, batchSize = 100): Promise<Array<{ row: number; text: string }>> => {
  async function* one() {
    yield enc.encode(text)
  }
  const out: Array<{ row: number; text: string }> = []
  for await (const b of splitRecords(one(), { quoted: true, delimiter: 0x2c, batchSize })) {
    for (let i = 0; i < b.rows.length; i++) out.push({ row: b.rows[i] as number, text: dec.decode(recordBytes(b, i)) })
  }
  return out
}

test("a batch cut into parts for the workers is the same records, in order (property)", async () => {
  await fc.assert(fc.asyncProperty(fc.array(fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }).filter((s) => !/[\r\n"]/.test(s) && s.trim() !== ""), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 6 }), async (lines, n) => {
    async function* one() {
      yield enc.encode(lines.join("\n") + "\n")
    }
    for await (const batch of splitRecords(one(), { quoted: true, batchSize: 1000 })) {
      const parts = splitInput({ kind: "records", batch }, n)
      expect(parts.length).toBe(Math.min(n, batch.rows.length))
      const texts = parts.flatMap((p) => {
        if (p.kind !== "records") throw new Error("records expected")
        return Array.from(p.batch.rows, (row, i) => ({ row, text: dec.decode(recordBytes(p.batch, i)) }))
      })
      expect(texts).toEqual(lines.map((text, i) => ({ row: i + 1, text })))
    }
  }), { numRuns: 100 })
})

describe("CSV records with stray quotes", () => {
  test("a quote inside a bare cell is text and does not swallow the next rows", async () => {
    const rows = await recordsOf("payer_name,reason\nTivi 12\" Samsung,Nộp tiền\nNguyễn Văn Hòa,\"Nộp tiền, lần 2\"\n")
    expect(rows).toEqual([
      { row: 1, text: "payer_name,reason" },
      { row: 2, text: "Tivi 12\" Samsung,Nộp tiền" },
      { row: 3, text: "Nguyễn Văn Hòa,\"Nộp tiền, lần 2\"" }
    ])
    expect(parseCsvRecord(rows[1]?.text ?? "", ",")).toEqual(["Tivi 12\" Samsung", "Nộp tiền"])
  })

  test("a quote never closed stops at the size limit with the row it began on", async () => {
    const text = "payer_name,reason\nAn,ok\n\"Bình,never closed\n" + "x,y\n".repeat(MAX_RECORD_BYTES / 4 + 10)
    const error = await recordsOf(text).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RecordTooLong)
    expect((error as RecordTooLong).row).toBe(3)
    expect((error as Error).message).toMatch(/^row 3: a record longer than 4 MiB; a quoted cell is probably never closed/)
  })
})

describe("NDJSON", () => {
  test("columns by name, exact numbers accepted, inexact ones and non-objects refused", () => {
    expect(fieldsOfJson(JSON.stringify({ "Số tiền": 125500000, payer_name: " Nguyễn Văn Hòa ", unknown: 1 }))).toEqual(
      Result.succeed({ amount: "125500000", payer_name: "Nguyễn Văn Hòa" })
    )
    const inexact = fieldsOfJson("{\"amount\": 12345678901234567890}")
    expect(Result.isFailure(inexact) && inexact.failure[0]).toMatch(/^amount: the number .* is not exact in JSON; write it as a string/)
    expect(Result.isFailure(fieldsOfJson("[1,2]"))).toBe(true)
    expect(Result.isFailure(fieldsOfJson("{\"amount\": \"1\""))).toBe(true)
    expect(Result.isFailure(fieldsOfJson("{\"payer_name\": {\"first\": \"An\"}}"))).toBe(true)
  })

  test("Vietnamese headers name the same columns as the English ones", () => {
    expect(["Số tiền", "so_tien", "AMOUNT", "Họ tên người nộp", "Số CCCD", "Bằng chữ", "Ký hiệu", "Mẫu số", "Người lập"].map(columnOf)).toEqual(
      ["amount", "amount", "amount", "payer_name", "payer_id_number", "amount_in_words", "symbol", "form", "maker"]
    )
    expect(columnOf("ghi chú nội bộ")).toBeUndefined()
  })
})

describe("progress", () => {
  test("the terminal line shows the bar, rows, rows per second and the time left", () => {
    expect(progressLine("ingest", 250_000, 0.25, 5)).toBe("ingest [######------------------]  25%  250,000 rows  50,000 rows/s  ETA 0:15")
    expect(progressLine("sign", 10, undefined, 0)).toBe("sign 10 rows  0 rows/s  ETA ?")
    expect(progressLine("ingest", 1_000_000, 0.5, 3725)).toMatch(/ETA 1:02:05$/)
  })

  test("a terminal gets one redrawn line; a log gets a plain line every few seconds", () => {
    let now = 0
    const tty: Array<string> = []
    const bar = makeProgress("ingest", { isTTY: true, write: (t) => void tty.push(t) }, () => now)
    for (const [t, done] of [[100, 10], [150, 20], [400, 50], [1000, 100]] as const) {
      now = t
      bar.update(done, done / 100)
    }
    bar.finish()
    // Redrawn at most every 200 ms, then once more at the end, and a newline.
    expect(tty.length).toBe(5)
    expect(tty.slice(0, 4).every((t) => t.startsWith("\r\x1b[2K") && !t.includes("\n"))).toBe(true)
    expect(tty[3]).toContain("100 rows")
    expect(tty[4]).toBe("\n")

    const log: Array<string> = []
    const plain = makeProgress("sign", { isTTY: false, write: (t) => void log.push(t) }, () => now, 5000)
    for (const t of [1000, 2000, 6500, 7000, 12000]) {
      now = t
      plain.update(t, undefined)
    }
    plain.finish()
    expect(log).toEqual([
      expect.stringMatching(/^sign 1,000 rows .*\n$/),
      expect.stringMatching(/^sign 6,500 rows .*\n$/),
      expect.stringMatching(/^sign 12,000 rows .*\n$/)
    ])
  })
})
