/**
 * The search index is written by the database (fold_for_search in
 * store/migrations/0102_edge_search_triggers.sql) and queried with the
 * domain's foldForSearch: both must fold every name the same way. Checked
 * on Vietnamese text in every Unicode shape (NFC, NFD, tone on either vowel,
 * odd spaces), and on arbitrary text from the Latin blocks, the combining
 * marks and the punctuation and space block. (Letters of scripts added to
 * Unicode after the database's own tables, such as Vithkuqi, may fold
 * differently in PGlite; no name on a receipt uses them.)
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fc from "fast-check"
import { foldForSearch } from "../../domain/text.ts"
import { type TestDatabase, targets } from "../store/databases.ts"

const letters = Array.from("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY")
const tones = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
const spaces = [" ", " ", " ", "\u00a0", "\t", "  ", "\u2009", "\n"]
const vietnamese = fc
  .array(fc.oneof({ weight: 8, arbitrary: fc.tuple(fc.constantFrom(...letters), fc.constantFrom(...tones)).map(([l, t]) => l + t) }, { weight: 2, arbitrary: fc.constantFrom(...spaces) }, fc.constantFrom("-", ".", "'", "0", "7")), { maxLength: 40 })
  .chain((parts) => fc.constantFrom("NFC", "NFD", "none").map((form) => (form === "none" ? parts.join("") : parts.join("").normalize(form as "NFC" | "NFD"))))

for (const target of targets) {
  describe(`fold_for_search on ${target.name}`, () => {
    let t: TestDatabase
    beforeAll(async () => {
      t = await target.make()
    }, 60_000)
    afterAll(async () => {
      await t?.dispose()
    })

    const sqlFold = async (values: Array<string>): Promise<Array<string>> =>
      (await t.db.query<{ f: string }>("SELECT fold_for_search(v) AS f FROM unnest($1::text::text[]) WITH ORDINALITY AS x(v, i) ORDER BY i", [
        `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(",")}}`
      ])).map((r) => r.f)

    test("agrees with foldForSearch on Vietnamese names in every Unicode shape", async () => {
      expect(await sqlFold(["Nguyễn Văn Hòa", "NGUYỄN\u00a0VĂN  HOÀ", "Đặng Thị Thu Hà", "Nguye\u0302\u0303n"])).toEqual(["nguyen van hoa", "nguyen van hoa", "dang thi thu ha", "nguyen"])
      await fc.assert(
        fc.asyncProperty(fc.array(vietnamese, { minLength: 1, maxLength: 50 }), async (names) => {
          expect(await sqlFold(names)).toEqual(names.map(foldForSearch))
        }),
        { numRuns: 40 }
      )
    }, 30_000)

    test("agrees with foldForSearch on arbitrary Latin text, marks, punctuation and spaces", async () => {
      const ranges: Array<[number, number]> = [[0x20, 0x24f], [0x300, 0x36f], [0x1e00, 0x1eff], [0x2000, 0x206f], [0x9, 0xd], [0xa0, 0xa0], [0x3000, 0x3000]]
      const char = fc.constantFrom(...ranges).chain(([lo, hi]) => fc.integer({ min: lo, max: hi })).map((c) => String.fromCodePoint(c))
      await fc.assert(
        fc.asyncProperty(fc.array(fc.string({ unit: char, maxLength: 20 }), { minLength: 1, maxLength: 50 }), async (names) => {
          expect(await sqlFold(names)).toEqual(names.map(foldForSearch))
        }),
        { numRuns: 40 }
      )
    }, 30_000)
  })
}
