-- The search index (0102) refreshed only where it can change.
--
-- Statement-level triggers fire even when a statement touched no row: every
-- issuance upsert (INSERT ... ON CONFLICT DO UPDATE WHERE status = 'draft')
-- fires the UPDATE trigger with an empty transition table, and voiding or
-- replacing rewrites rows whose searchable content (payer name, identity and
-- decision numbers) cannot change. Measured under the counter lock this was
-- the largest cost of an issuance group, so both cases now return at once.

-- What the index is built from, for comparing a row before and after.
CREATE FUNCTION receipt_search_source(draft jsonb, canonical text) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT jsonb_build_array(c -> 'payer' ->> 'name', c -> 'payer' ->> 'idNumber', c -> 'case' ->> 'decisionNumber')
    FROM (SELECT coalesce(draft, canonical::jsonb) AS c) s
$$;

CREATE OR REPLACE FUNCTION receipt_search_from_receipts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
  PERFORM refresh_receipt_search(array_agg(n.agency), array_agg(n.id)) FROM new_rows n;
  RETURN NULL;
END $$;

CREATE FUNCTION receipt_search_from_receipt_updates() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  agencies text[];
  ids uuid[];
BEGIN
  -- Only rows whose draft or signed content changed can change the index;
  -- status changes (void, replace) leave both as they were.
  SELECT array_agg(n.agency), array_agg(n.id) INTO agencies, ids
    FROM new_rows n JOIN old_rows o ON o.agency = n.agency AND o.id = n.id
   WHERE (n.draft IS DISTINCT FROM o.draft OR n.canonical IS DISTINCT FROM o.canonical)
     AND receipt_search_source(n.draft, n.canonical) IS DISTINCT FROM receipt_search_source(o.draft, o.canonical);
  IF agencies IS NOT NULL THEN PERFORM refresh_receipt_search(agencies, ids); END IF;
  RETURN NULL;
END $$;

DROP TRIGGER receipt_search_update ON receipts;
CREATE TRIGGER receipt_search_update AFTER UPDATE ON receipts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION receipt_search_from_receipt_updates();

-- receipts_lookup_code_unique (lookup_code, agency) already serves lookups by code.
DROP INDEX IF EXISTS receipts_edge_lookup;
