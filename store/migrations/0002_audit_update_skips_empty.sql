-- INSERT ... ON CONFLICT DO UPDATE fires the statement-level UPDATE triggers
-- even when no row was updated, which is every issuance of a receipt that was
-- never saved as a draft. Their work then happens under the series counter
-- lock for nothing; return at once when there is nothing to log.
CREATE OR REPLACE FUNCTION receipts_audit_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows) THEN
    RETURN NULL;
  END IF;
  INSERT INTO audit_log (agency, receipt_id, action, actor, at, detail)
  SELECT n.agency, n.id,
         CASE WHEN o.status = 'draft' AND n.status = 'draft' THEN 'draft_edited'
              WHEN o.status = 'draft' THEN 'issued'
              ELSE n.status END,
         n.status_by, n.status_at,
         jsonb_strip_nulls(jsonb_build_object('form', n.form, 'symbol', n.symbol, 'number', n.number,
           'replaces', n.replaces_id, 'reason', n.voided_reason, 'replacedBy', n.replaced_by_id))
    FROM new_rows n JOIN old_rows o ON o.agency = n.agency AND o.id = n.id;
  RETURN NULL;
END $$;
