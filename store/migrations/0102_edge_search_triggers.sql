-- The officers' search index (receipt_search, 0100_edge.sql) kept by the
-- database itself, so every writer is covered: the edge, bulk ingestion's
-- COPY, OCR drafts, the console. Statement-level triggers with transition
-- tables, as the audit log's: one INSERT ... SELECT per statement.
--
-- fold_for_search is the SQL twin of the domain's foldForSearch
-- (domain/text.ts): NFD, lower case, combining marks (U+0300-U+036F)
-- removed, đ → d, NFC, every run of what JavaScript's \s matches (listed
-- one by one: the database's own \s differs between builds) to one space,
-- trimmed. test/edge/search-fold.test.ts checks that both agree.

CREATE FUNCTION fold_for_search(s text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT btrim(regexp_replace(
    normalize(translate(regexp_replace(lower(normalize(s, NFD)), '[\u0300-\u036f]', '', 'g'), 'Đđ', 'dd'), NFC),
    '[\t\n\u000b\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+', ' ', 'g'), ' ')
$$;

-- The search entry of the given receipts: the payer's name and every
-- annotated name, folded; their words; the identity and decision numbers.
CREATE FUNCTION refresh_receipt_search(agencies text[], ids uuid[]) RETURNS void
LANGUAGE sql
AS $$
  INSERT INTO receipt_search (agency, id, payer_folded, payer_words, id_number, decision_number)
  SELECT c.agency, c.id, n.folded,
         ARRAY(SELECT DISTINCT w FROM unnest(string_to_array(replace(n.folded, ' | ', ' '), ' ')) w WHERE w <> '' ORDER BY w),
         c.content -> 'payer' ->> 'idNumber', c.content -> 'case' ->> 'decisionNumber'
    FROM (SELECT r.agency, r.id, coalesce(r.draft, r.canonical::jsonb) AS content
            FROM receipts r JOIN unnest(agencies, ids) AS k(agency, id) ON r.agency = k.agency AND r.id = k.id) c
    CROSS JOIN LATERAL (
      SELECT concat_ws(' | ', fold_for_search(c.content -> 'payer' ->> 'name'),
               (SELECT string_agg(fold_for_search(a.value), ' | ' ORDER BY a.seq)
                  FROM receipt_annotations a
                 WHERE a.agency = c.agency AND a.receipt_id = c.id AND a.field = 'payerName')) AS folded
    ) n
  ON CONFLICT (agency, id) DO UPDATE SET payer_folded = excluded.payer_folded, payer_words = excluded.payer_words,
    id_number = excluded.id_number, decision_number = excluded.decision_number
$$;

CREATE FUNCTION receipt_search_from_receipts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_receipt_search(array_agg(n.agency), array_agg(n.id)) FROM new_rows n;
  RETURN NULL;
END $$;

CREATE FUNCTION receipt_search_from_annotations() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_receipt_search(array_agg(n.agency), array_agg(n.receipt_id))
     FROM new_rows n WHERE n.field = 'payerName';
  RETURN NULL;
END $$;

CREATE TRIGGER receipt_search_insert AFTER INSERT ON receipts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION receipt_search_from_receipts();
CREATE TRIGGER receipt_search_update AFTER UPDATE ON receipts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION receipt_search_from_receipts();
CREATE TRIGGER receipt_search_annotations AFTER INSERT ON receipt_annotations
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION receipt_search_from_annotations();

-- Receipts written before this migration.
SELECT refresh_receipt_search(array_agg(agency), array_agg(id)) FROM receipts;
