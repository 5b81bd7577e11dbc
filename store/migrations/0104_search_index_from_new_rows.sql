-- A cheaper search index for bulk writes (measured on 5,000 issued rows:
-- the index trigger was 60 % of an INSERT into receipts, most of it the
-- row-by-row foreign key check and reading every new row back).
--
-- 1. New receipts are indexed from the inserted rows themselves: a receipt
--    that is being inserted has no annotations yet (receipt_annotations
--    references receipts), so its entry is its payer's name alone, and there
--    is no need to join back to receipts.
-- 2. The foreign key receipt_search -> receipts, checked row by row, gives way
--    to one statement-level delete trigger: only these triggers write
--    receipt_search, and only drafts can be deleted.

CREATE OR REPLACE FUNCTION receipt_search_from_receipts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
  INSERT INTO receipt_search (agency, id, payer_folded, payer_words, id_number, decision_number)
  SELECT n.agency, n.id, f.folded,
         ARRAY(SELECT DISTINCT w FROM unnest(string_to_array(f.folded, ' ')) w WHERE w <> '' ORDER BY w),
         c.content -> 'payer' ->> 'idNumber', c.content -> 'case' ->> 'decisionNumber'
    FROM new_rows n
    CROSS JOIN LATERAL (SELECT coalesce(n.draft, n.canonical::jsonb) AS content) c
    CROSS JOIN LATERAL (SELECT coalesce(fold_for_search(c.content -> 'payer' ->> 'name'), '') AS folded) f
  ON CONFLICT (agency, id) DO UPDATE SET payer_folded = excluded.payer_folded, payer_words = excluded.payer_words,
    id_number = excluded.id_number, decision_number = excluded.decision_number;
  RETURN NULL;
END $$;

ALTER TABLE receipt_search DROP CONSTRAINT IF EXISTS receipt_search_agency_id_fkey;

CREATE FUNCTION receipt_search_forget_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM receipt_search s USING old_rows o WHERE s.agency = o.agency AND s.id = o.id;
  RETURN NULL;
END $$;

CREATE TRIGGER receipt_search_delete AFTER DELETE ON receipts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION receipt_search_forget_deleted();
