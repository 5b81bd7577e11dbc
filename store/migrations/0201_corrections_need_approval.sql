-- Corrections of the payer's name or address with four eyes (domain/corrections.ts).
--
-- One officer requests a correction (correction_requests); another approves
-- it, naming the exact text, and only then is it written as an annotation,
-- with its approver. The database refuses an annotation without an approver
-- or approved by its requester, and a request decided by its requester; a
-- request changes only from pending to approved, rejected or withdrawn.
-- Annotations written before this migration have no approver: they stay on
-- record, but correct nothing (domain/lifecycle.ts effectivePayer).

CREATE TABLE correction_requests (
  agency        text        NOT NULL,
  id            uuid        NOT NULL,
  receipt_id    uuid        NOT NULL,
  field         text        NOT NULL CHECK (field IN ('payerName', 'payerAddress')),
  value         text        NOT NULL CHECK (value <> '' AND value = btrim(value)),
  note          text,
  requested_by  text        NOT NULL,
  requested_at  timestamptz NOT NULL,
  status        text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
  decided_by    text,
  decided_at    timestamptz,
  decision_note text,
  PRIMARY KEY (agency, id),
  FOREIGN KEY (agency, receipt_id) REFERENCES receipts (agency, id),
  CONSTRAINT correction_requests_decided CHECK ((status = 'pending') = (decided_at IS NULL) AND (status = 'pending') = (decided_by IS NULL)),
  CONSTRAINT correction_requests_four_eyes CHECK (status NOT IN ('approved', 'rejected') OR decided_by <> requested_by),
  CONSTRAINT correction_requests_withdrawn_by_requester CHECK (status <> 'withdrawn' OR decided_by = requested_by),
  CONSTRAINT correction_requests_rejected_with_reason CHECK (status <> 'rejected' OR coalesce(btrim(decision_note), '') <> '')
);
CREATE INDEX correction_requests_pending ON correction_requests (agency, requested_at) WHERE status = 'pending';
CREATE INDEX correction_requests_receipt ON correction_requests (agency, receipt_id);

CREATE FUNCTION correction_requests_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'correction request % is kept on record and cannot be deleted', OLD.id USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.status <> 'pending' OR NEW.status = 'pending'
     OR (to_jsonb(OLD) - ARRAY['status', 'decided_by', 'decided_at', 'decision_note']) <> (to_jsonb(NEW) - ARRAY['status', 'decided_by', 'decided_at', 'decision_note']) THEN
    RAISE EXCEPTION 'correction request % is %: only a pending request is decided, and its text never changes', OLD.id, OLD.status
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER correction_requests_guard BEFORE UPDATE OR DELETE ON correction_requests
  FOR EACH ROW EXECUTE FUNCTION correction_requests_guard();

ALTER TABLE receipt_annotations ADD COLUMN IF NOT EXISTS approved_by text;
ALTER TABLE receipt_annotations ADD COLUMN IF NOT EXISTS request_id uuid;

-- New annotations only through an approved request: an approver, not the requester.
CREATE FUNCTION receipt_annotations_approved() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.approved_by IS NULL OR NEW.approved_by = NEW."by" THEN
    RAISE EXCEPTION 'a correction of receipt % needs the approval of an officer other than %, who requested it', NEW.receipt_id, NEW."by"
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NEW.request_id IS NULL OR NOT EXISTS (
       SELECT 1 FROM correction_requests q
        WHERE q.agency = NEW.agency AND q.id = NEW.request_id AND q.receipt_id = NEW.receipt_id AND q.field = NEW.field
          AND q.value = NEW.value AND q.requested_by = NEW."by" AND q.status = 'pending') THEN
    RAISE EXCEPTION 'a correction of receipt % is written only from its pending request, with the text requested', NEW.receipt_id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER receipt_annotations_approved BEFORE INSERT ON receipt_annotations
  FOR EACH ROW EXECUTE FUNCTION receipt_annotations_approved();

-- The audit log: requested, rejected, withdrawn from the requests; approved is the annotation itself.
ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN
  ('draft_created', 'draft_edited', 'draft_submitted', 'draft_withdrawn', 'draft_deleted', 'issued', 'voided', 'replaced', 'annotated',
   'correction_requested', 'correction_rejected', 'correction_withdrawn'));

CREATE FUNCTION correction_requests_audit() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO audit_log (agency, receipt_id, action, actor, at, detail)
    SELECT n.agency, n.receipt_id, 'correction_requested', n.requested_by, n.requested_at,
           jsonb_strip_nulls(jsonb_build_object('request', n.id, 'field', n.field, 'value', n.value, 'note', n.note))
      FROM new_rows n;
  ELSE
    INSERT INTO audit_log (agency, receipt_id, action, actor, at, detail)
    SELECT n.agency, n.receipt_id, 'correction_' || n.status, n.decided_by, n.decided_at,
           jsonb_strip_nulls(jsonb_build_object('request', n.id, 'field', n.field, 'value', n.value, 'reason', n.decision_note))
      FROM new_rows n WHERE n.status IN ('rejected', 'withdrawn');
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER correction_requests_audit_insert AFTER INSERT ON correction_requests
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION correction_requests_audit();
CREATE TRIGGER correction_requests_audit_update AFTER UPDATE ON correction_requests
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION correction_requests_audit();

-- An approved correction is logged by its approver, naming who requested it.
CREATE OR REPLACE FUNCTION annotations_audit() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_log (agency, receipt_id, action, actor, at, detail)
  SELECT n.agency, n.receipt_id, 'annotated', coalesce(n.approved_by, n.by), n.at,
         jsonb_strip_nulls(jsonb_build_object('field', n.field, 'value', n.value, 'note', n.note, 'requestedBy', n.by, 'request', n.request_id))
    FROM new_rows n;
  RETURN NULL;
END $$;
ALTER FUNCTION annotations_audit() SET jit = off;
