-- Search entries may arrive with the receipts (store/receipts/search-rows.ts).
--
-- Building an entry in the database (parse the row's JSON, fold the name
-- with fold_for_search, split it into words) cost about 70 µs a row, more
-- than half of inserting an issued receipt (measured on 20,000 rows: 2.5 s
-- with the trigger, 0.9 s without it, 0.22 s to insert the same entries
-- ready-made). The fast writers (group issuance, bulk ranges, ingestion)
-- now send each new receipt's entry, folded by the domain's foldForSearch,
-- in the same statement or transaction, written before or with the rows.
-- The insert trigger still indexes every new receipt that arrived without
-- an entry, so any other writer stays covered. It looks each new row up by
-- the primary key (a subquery per row, which the planner cannot turn into a
-- hash join over the whole index table).

CREATE OR REPLACE FUNCTION receipt_search_from_receipts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO receipt_search (agency, id, payer_folded, payer_words, id_number, decision_number)
  SELECT n.agency, n.id, f.folded,
         ARRAY(SELECT DISTINCT w FROM unnest(string_to_array(f.folded, ' ')) w WHERE w <> '' ORDER BY w),
         c.content -> 'payer' ->> 'idNumber', c.content -> 'case' ->> 'decisionNumber'
    FROM (SELECT * FROM new_rows n
           WHERE (SELECT true FROM receipt_search s WHERE s.agency = n.agency AND s.id = n.id) IS NULL
          OFFSET 0) n
    CROSS JOIN LATERAL (SELECT coalesce(n.draft, n.canonical::jsonb) AS content) c
    CROSS JOIN LATERAL (SELECT coalesce(fold_for_search(c.content -> 'payer' ->> 'name'), '') AS folded) f
  ON CONFLICT (agency, id) DO UPDATE SET payer_folded = excluded.payer_folded, payer_words = excluded.payer_words,
    id_number = excluded.id_number, decision_number = excluded.decision_number;
  RETURN NULL;
END $$;
