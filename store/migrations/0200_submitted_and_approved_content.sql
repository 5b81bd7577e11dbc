-- Maker-checker in the database (docs/SECURITY.md, "Maker-checker and corrections").
--
-- 1. "submitted" is a state of its own: draft -> submitted -> issued. Only a
--    submitted row may become issued; a draft may not skip it.
-- 2. An approval names the content it approves: content_sha256 is the
--    SHA-256 (hex) of the draft's canonical content (domain/canonical.ts
--    contentBytes), written when the maker submits. Issuing a stored draft
--    must carry the same hash, so the content an approver read is the content
--    that is signed; a draft edited after it was read is refused. Issued rows
--    keep it as the record of what was approved (NULL for rows a bulk file
--    issued directly, which had no stored submission).
-- 3. Only a draft's maker deletes it, unless the deleting transaction names
--    a reason (an administrator's override), which the audit log keeps.
-- 4. Scans are added by the draft's maker only; a scan added to a submitted
--    draft makes it a draft again (OCR may change it, so it must be
--    submitted again).
-- 5. The audit log names the new steps: draft_submitted, draft_withdrawn.

ALTER TABLE receipts DROP CONSTRAINT IF EXISTS receipts_status_check;
ALTER TABLE receipts ADD CONSTRAINT receipts_status_check
  CHECK (status IN ('draft', 'submitted', 'issued', 'voided', 'replaced'));

ALTER TABLE receipts DROP CONSTRAINT IF EXISTS receipts_numbered_iff_issued;
ALTER TABLE receipts ADD CONSTRAINT receipts_numbered_iff_issued CHECK (
  CASE WHEN status IN ('draft', 'submitted')
    THEN num_nonnulls(number, lookup_code, approver, issued_at, canonical, seal_algorithm, seal_key_id, seal_signature) = 0
      AND draft IS NOT NULL
    ELSE num_nulls(number, lookup_code, approver, issued_at, canonical, seal_algorithm, seal_key_id, seal_signature) = 0
      AND draft IS NULL
  END);

ALTER TABLE receipts ADD COLUMN IF NOT EXISTS content_sha256 text;
ALTER TABLE receipts ADD CONSTRAINT receipts_content_sha256_hex CHECK (content_sha256 ~ '^[0-9a-f]{64}$');
ALTER TABLE receipts ADD CONSTRAINT receipts_submitted_names_content CHECK (status <> 'submitted' OR content_sha256 IS NOT NULL);

ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN
  ('draft_created', 'draft_edited', 'draft_submitted', 'draft_withdrawn', 'draft_deleted', 'issued', 'voided', 'replaced', 'annotated'));

-- `bienlai sign` walks an agency's submitted drafts in creation order.
DROP INDEX IF EXISTS receipts_bulk_pending_drafts;
CREATE INDEX IF NOT EXISTS receipts_bulk_submitted_drafts ON receipts (agency, created_at, id) WHERE status = 'submitted';

-- ---------------------------------------------------------------------------
-- The state machine, refused in the database whatever the writer

CREATE OR REPLACE FUNCTION receipts_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  mutable constant text[] := ARRAY['status', 'voided_reason', 'voided_by', 'voided_at', 'replaced_by_id', 'status_by', 'status_at'];
  actor text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status NOT IN ('draft', 'submitted') THEN
      RAISE EXCEPTION 'receipt % % % of agency % is % and can never be deleted', OLD.form, OLD.symbol, OLD.number, OLD.agency, OLD.status
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    actor := coalesce(current_setting('bienlai.actor', true), '');
    IF actor <> '' AND actor <> OLD.maker AND coalesce(current_setting('bienlai.delete_reason', true), '') = '' THEN
      RAISE EXCEPTION 'draft % of agency % was prepared by %; % may not delete it (an administrator must give a reason)',
        OLD.id, OLD.agency, OLD.maker, actor
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'draft' THEN
    IF NEW.status IN ('draft', 'submitted') THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'draft % of agency % was not submitted for approval and cannot become %', OLD.id, OLD.agency, NEW.status
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.status = 'submitted' THEN
    IF NEW.status = 'draft' THEN
      RETURN NEW;
    END IF;
    IF NEW.status = 'submitted' AND (to_jsonb(OLD) - ARRAY['status_by', 'status_at']) = (to_jsonb(NEW) - ARRAY['status_by', 'status_at']) THEN
      RETURN NEW;
    END IF;
    IF NEW.status = 'issued' AND NEW.content_sha256 = OLD.content_sha256 THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'draft % of agency % was submitted with content %; it is issued only with that content, and changed only by becoming a draft again',
      OLD.id, OLD.agency, OLD.content_sha256
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.status = 'issued' AND NEW.status IN ('voided', 'replaced')
     AND (to_jsonb(OLD) - mutable) = (to_jsonb(NEW) - mutable) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'receipt % % % of agency % is % and immutable: only issued → voided or issued → replaced may change it',
    OLD.form, OLD.symbol, OLD.number, OLD.agency, OLD.status
    USING ERRCODE = 'integrity_constraint_violation';
END $$;

-- ---------------------------------------------------------------------------
-- The audit log names the steps. A writer may add to an entry's detail
-- through the transaction-local setting bienlai.audit_detail (a JSON object):
-- the OCR worker says it filled the draft on behalf of the scan's uploader.
-- It is read once per statement, not per row (issuance writes groups).

CREATE OR REPLACE FUNCTION audit_detail_extra() RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('bienlai.audit_detail', true), '')::jsonb, '{}'::jsonb)
$$;

CREATE OR REPLACE FUNCTION receipts_audit_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_log (agency, receipt_id, action, actor, at, detail)
  SELECT n.agency, n.id,
         CASE n.status WHEN 'draft' THEN 'draft_created' WHEN 'submitted' THEN 'draft_submitted' ELSE 'issued' END,
         n.status_by, n.status_at,
         jsonb_strip_nulls(jsonb_build_object('form', n.form, 'symbol', n.symbol, 'number', n.number, 'replaces', n.replaces_id,
           'contentSha256', n.content_sha256)) || x.extra
    FROM new_rows n CROSS JOIN (SELECT audit_detail_extra() AS extra) x;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION receipts_audit_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows) THEN
    RETURN NULL;
  END IF;
  INSERT INTO audit_log (agency, receipt_id, action, actor, at, detail)
  SELECT n.agency, n.id,
         CASE WHEN o.status IN ('draft', 'submitted') AND n.status = 'submitted' THEN 'draft_submitted'
              WHEN o.status = 'submitted' AND n.status = 'draft' AND (o.draft - 'status') = (n.draft - 'status') THEN 'draft_withdrawn'
              WHEN o.status IN ('draft', 'submitted') AND n.status = 'draft' THEN 'draft_edited'
              WHEN o.status IN ('draft', 'submitted') THEN 'issued'
              ELSE n.status END,
         n.status_by, n.status_at,
         jsonb_strip_nulls(jsonb_build_object('form', n.form, 'symbol', n.symbol, 'number', n.number,
           'replaces', n.replaces_id, 'reason', n.voided_reason, 'replacedBy', n.replaced_by_id,
           'contentSha256', CASE WHEN n.status IN ('submitted', 'issued') THEN n.content_sha256 END,
           'returnedToDraft', CASE WHEN o.status = 'submitted' AND n.status = 'draft' THEN true END)) || x.extra
    FROM new_rows n JOIN old_rows o ON o.agency = n.agency AND o.id = n.id CROSS JOIN (SELECT audit_detail_extra() AS extra) x;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION receipts_audit_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_log (agency, receipt_id, action, actor, at, detail)
  SELECT o.agency, o.id, 'draft_deleted',
         coalesce(nullif(current_setting('bienlai.actor', true), ''), o.status_by), now(),
         jsonb_strip_nulls(jsonb_build_object('form', o.form, 'symbol', o.symbol, 'status', o.status, 'maker', o.maker,
           'reason', nullif(current_setting('bienlai.delete_reason', true), '')))
    FROM old_rows o;
  RETURN NULL;
END $$;

ALTER FUNCTION receipts_audit_insert() SET jit = off;
ALTER FUNCTION receipts_audit_update() SET jit = off;
ALTER FUNCTION receipts_audit_delete() SET jit = off;

-- ---------------------------------------------------------------------------
-- Scans: only the maker adds them, and a submitted draft goes back to draft

CREATE OR REPLACE FUNCTION uploads_by_the_maker() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  target record;
BEGIN
  SELECT status, maker INTO target FROM receipts WHERE agency = NEW.agency AND id = NEW.receipt_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NEW; -- the foreign key names the missing receipt
  END IF;
  IF target.status NOT IN ('draft', 'submitted') THEN
    RAISE EXCEPTION 'receipt % of agency % is %; scans are attached to drafts only', NEW.receipt_id, NEW.agency, target.status
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF target.maker <> NEW.uploaded_by THEN
    RAISE EXCEPTION 'draft % of agency % was prepared by %; only they may add scans to it, not %', NEW.receipt_id, NEW.agency, target.maker, NEW.uploaded_by
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF target.status = 'submitted' THEN
    PERFORM set_config('bienlai.audit_detail', jsonb_build_object('why', 'scan_added', 'upload', NEW.id)::text, true);
    UPDATE receipts SET status = 'draft', draft = jsonb_set(draft, '{status}', '"draft"'), content_sha256 = NULL,
                        status_by = NEW.uploaded_by, status_at = NEW.uploaded_at
     WHERE agency = NEW.agency AND id = NEW.receipt_id;
    PERFORM set_config('bienlai.audit_detail', '', true);
  END IF;
  RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS uploads_by_the_maker ON uploads;
CREATE TRIGGER uploads_by_the_maker BEFORE INSERT ON uploads
  FOR EACH ROW EXECUTE FUNCTION uploads_by_the_maker();
