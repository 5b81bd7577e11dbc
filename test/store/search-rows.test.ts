/**
 * The fast writers send each new receipt's search entry (store/receipts/search-rows.ts)
 * instead of letting the database build it (migration 0105). Both must build
 * the same entry, or a receipt would be found by one writer's rows and not by
 * another's: checked on arbitrary drafts and issued receipts against the
 * insert trigger's own entry. And the entries the writers send are kept: the
 * trigger neither duplicates nor rebuilds them.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fc from "fast-check"
import { Effect, Result } from "effect"
import type { IssuedReceipt, Seal } from "../../domain/receipt.ts"
import { canonicalText, issuedColumns, issuedRow, recordsetDefinition } from "../../store/receipts/receipt-rows.ts"
import { makeReceiptStore } from "../../store/receipts/receipt-repository.ts"
import { searchRow, type SearchRow } from "../../store/receipts/search-rows.ts"
import { draftReceiptArbitrary, issuedReceiptArbitrary } from "../domain/receipt.arbitraries.ts"
import { type TestDatabase, targets } from "./databases.ts"
import { makeDraft, newId, newLookupCode, requestFor } from "./fixtures.ts"

const seal: Seal = { algorithm: "Ed25519", keyId: "test-placeholder", signature: "A".repeat(86) }
const placeholderSign = () => Effect.succeed(seal)

interface StoredEntry {
  readonly agency: string
  readonly id: string
  readonly payer_folded: string
  readonly payer_words: string
  readonly id_number: string | null
  readonly decision_number: string | null
}

const comparable = (e: SearchRow) => ({ ...e, payer_words: [...e.payer_words].sort() })

/** Reads entries back; the words through a JSON array, so both drivers return the same shape. */
const storedEntries = async (t: TestDatabase, ids: ReadonlyArray<string>) =>
  (await t.db.query<StoredEntry>(
    `SELECT agency, id::text AS id, payer_folded, array_to_json(payer_words)::text AS payer_words, id_number, decision_number
       FROM receipt_search WHERE id = ANY($1::text::uuid[]) ORDER BY id`,
    [`{${ids.join(",")}}`]
  )).map((e) => comparable({ ...e, payer_words: JSON.parse(e.payer_words) as Array<string> }))

const byId = (entries: ReadonlyArray<SearchRow>) => [...entries].map(comparable).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

/** Fresh ids (and lookup codes), so runs and shrinking never meet rows of earlier runs. */
const fresh = <A extends { readonly id: string; readonly lookupCode?: string | undefined }>(rs: ReadonlyArray<A>): Array<A> =>
  rs.map((r) => ({ ...r, id: newId(), ...(r.lookupCode === undefined ? {} : { lookupCode: newLookupCode() }) }))

for (const target of targets) {
  describe(`search entries on ${target.name}`, () => {
    let t: TestDatabase
    beforeAll(async () => {
      t = await target.make()
    }, 60_000)
    afterAll(async () => {
      await t?.dispose()
    })

    test("the database's own entry of a draft is the one searchRow builds", async () => {
      const store = makeReceiptStore(t.db, placeholderSign)
      await fc.assert(
        fc.asyncProperty(fc.array(draftReceiptArbitrary, { minLength: 1, maxLength: 8 }), async (drafts) => {
          const unique = fresh(drafts)
          for (const d of unique) await Effect.runPromise(store.saveDraft(d, { now: d.createdAt }))
          expect(await storedEntries(t, unique.map((d) => d.id))).toEqual(byId(unique.map(searchRow)))
        }),
        { numRuns: 25 }
      )
    }, 60_000)

    test("the database's own entry of an issued receipt written without one is the one searchRow builds", async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(issuedReceiptArbitrary, { minLength: 1, maxLength: 8 }), async (issued) => {
          const unique = fresh(issued).map((r, i): IssuedReceipt => ({ ...r, number: 1 + i }))
          // A plain INSERT, as a program that knows nothing of search entries would write; in a form of its own, so no number is taken twice.
          const rows = unique.map((r) => issuedRow(r, seal, canonicalText(r)))
          await t.db.query(
            `INSERT INTO receipts (${issuedColumns.join(", ")})
             SELECT ${issuedColumns.join(", ")} FROM jsonb_to_recordset($1::text::jsonb) AS x(${recordsetDefinition})`,
            [JSON.stringify(rows.map((row) => ({ ...row, form: `SEARCH-${newId()}` })))]
          )
          expect(await storedEntries(t, unique.map((r) => r.id))).toEqual(byId(unique.map(searchRow)))
        }),
        { numRuns: 25 }
      )
    }, 60_000)

    test("issuing through the store keeps the entries it sends, one per receipt, found by the officers' search words", async () => {
      const store = makeReceiptStore(t.db, placeholderSign)
      const names = ["Nguyễn Văn Hòa", "ĐẶNG THỊ  THU HÀ", "Trần Quốc Toản"]
      const requests = names.map((name) => requestFor(makeDraft({ payer: { name, idNumber: "079090001234" } }), { lookupCode: newLookupCode() }))
      const outcomes = await Promise.all(requests.map((r) => Effect.runPromise(Effect.result(store.issue(r)))))
      const issued = outcomes.map((o) => Result.getOrThrow(o))
      const ids = issued.map((r) => r.id)
      expect(await storedEntries(t, ids)).toEqual(byId(issued.map(searchRow)))
      const found = await t.db.query<{ id: string }>(
        "SELECT id::text AS id FROM receipt_search WHERE payer_words @> '{ha,thu,dang}'::text[] AND id = ANY($1::text::uuid[])",
        [`{${ids.join(",")}}`]
      )
      expect(found.map((r) => r.id)).toEqual([issued[1]?.id as string])
    }, 60_000)
  })
}
