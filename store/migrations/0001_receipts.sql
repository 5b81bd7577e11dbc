-- Receipts, series counters, annotations and the audit log.
--
-- Every table is keyed by agency first, so the schema can be distributed by
-- agency (docs/SCALING.md) and issuing a receipt touches one agency only.
-- The invariants live here, not only in the application: numbers unique per
-- series, issued rows immutable, numbers consumed exactly once, every state
-- change in an append-only audit log. See docs/STORAGE.md.

-- Instants travel as text "2025-06-23T08:15:30.000Z" (the domain's IsoInstant).
CREATE FUNCTION iso_instant(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

-- The calendar year in Vietnam (UTC+7, no daylight saving) of an instant.
CREATE FUNCTION vietnam_year(t timestamptz) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT extract(year FROM (t AT TIME ZONE 'UTC') + interval '7 hours')::integer $$;

-- One row per series (agency, form, symbol). The symbol carries the year, so
-- a new year is a new row starting at 0.
CREATE TABLE series_counter (
  agency      text        NOT NULL,
  form        text        NOT NULL,
  symbol      text        NOT NULL CHECK (symbol ~ '^[A-Z]{2}/[0-9]{2}E$'),
  last_number integer     NOT NULL DEFAULT 0 CHECK (last_number BETWEEN 0 AND 9999999),
  -- How many numbers the latest reservation took (last_number - last_block + 1 is its first).
  last_block  integer     NOT NULL DEFAULT 0 CHECK (last_block BETWEEN 0 AND last_number),
  opened_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (agency, form, symbol)
);

CREATE TABLE receipts (
  agency          text        NOT NULL,
  id              uuid        NOT NULL,
  office          text,
  form            text        NOT NULL,
  symbol          text        NOT NULL CHECK (symbol ~ '^[A-Z]{2}/[0-9]{2}E$'),
  number          integer     CHECK (number BETWEEN 1 AND 9999999),
  lookup_code     text        CHECK (lookup_code ~ '^[0-9A-HJKMNP-TV-Z]{12}$'),
  status          text        NOT NULL CHECK (status IN ('draft', 'issued', 'voided', 'replaced')),
  -- Whole đồng; never a float.
  amount          bigint      NOT NULL CHECK (amount >= 0 AND amount < 1000000000000000),
  maker           text        NOT NULL,
  approver        text,
  created_at      timestamptz NOT NULL,
  issued_at       timestamptz,
  -- A draft's content as JSON; it is edited until issuance.
  draft           jsonb,
  -- An issued receipt's signed content, exactly the canonical bytes (UTF-8).
  canonical       text,
  seal_algorithm  text        CHECK (seal_algorithm IN ('Ed25519', 'ECDSA-P256')),
  seal_key_id     text,
  seal_signature  text,
  voided_reason   text,
  voided_by       text,
  voided_at       timestamptz,
  replaces_id     uuid,
  replaced_by_id  uuid,
  -- Who made the latest state change and when; the audit triggers copy them.
  status_by       text        NOT NULL,
  status_at       timestamptz NOT NULL,
  PRIMARY KEY (agency, id),
  CONSTRAINT receipts_series_number_unique UNIQUE (agency, form, symbol, number),
  CONSTRAINT receipts_lookup_code_unique UNIQUE (lookup_code, agency),
  CONSTRAINT receipts_numbered_iff_issued CHECK (
    CASE WHEN status = 'draft'
      THEN num_nonnulls(number, lookup_code, approver, issued_at, canonical, seal_algorithm, seal_key_id, seal_signature) = 0
        AND draft IS NOT NULL
      ELSE num_nulls(number, lookup_code, approver, issued_at, canonical, seal_algorithm, seal_key_id, seal_signature) = 0
        AND draft IS NULL
    END),
  CONSTRAINT receipts_maker_checker CHECK (approver IS NULL OR approver <> maker),
  CONSTRAINT receipts_symbol_year CHECK (
    issued_at IS NULL OR vietnam_year(issued_at) = 2000 + substr(symbol, 4, 2)::integer),
  CONSTRAINT receipts_voided_details CHECK (
    (status = 'voided') = (voided_at IS NOT NULL) AND num_nulls(voided_reason, voided_by, voided_at) IN (0, 3)),
  CONSTRAINT receipts_replaced_details CHECK ((status = 'replaced') = (replaced_by_id IS NOT NULL)),
  CONSTRAINT receipts_not_self_replacing CHECK (replaces_id IS DISTINCT FROM id AND replaced_by_id IS DISTINCT FROM id)
);

CREATE INDEX receipts_issued_at ON receipts (agency, issued_at);

-- Corrections of the payer's name or address; never changed, never deleted.
CREATE TABLE receipt_annotations (
  agency     text        NOT NULL,
  seq        bigint      GENERATED ALWAYS AS IDENTITY,
  receipt_id uuid        NOT NULL,
  field      text        NOT NULL CHECK (field IN ('payerName', 'payerAddress')),
  value      text        NOT NULL,
  note       text,
  by         text        NOT NULL,
  at         timestamptz NOT NULL,
  PRIMARY KEY (agency, seq),
  FOREIGN KEY (agency, receipt_id) REFERENCES receipts (agency, id)
);
CREATE INDEX receipt_annotations_receipt ON receipt_annotations (agency, receipt_id);

-- Who did what, when, to which receipt. Written only by the triggers below.
CREATE TABLE audit_log (
  agency      text        NOT NULL,
  seq         bigint      GENERATED ALWAYS AS IDENTITY,
  receipt_id  uuid        NOT NULL,
  action      text        NOT NULL CHECK (action IN
    ('draft_created', 'draft_edited', 'draft_deleted', 'issued', 'voided', 'replaced', 'annotated')),
  actor       text        NOT NULL,
  at          timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  detail      jsonb       NOT NULL DEFAULT '{}',
  PRIMARY KEY (agency, seq)
);
CREATE INDEX audit_log_receipt ON audit_log (agency, receipt_id);

-- ---------------------------------------------------------------------------
-- Append-only tables

CREATE FUNCTION forbid_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
CREATE TRIGGER receipt_annotations_append_only BEFORE UPDATE OR DELETE ON receipt_annotations
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER receipt_annotations_no_truncate BEFORE TRUNCATE ON receipt_annotations
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
CREATE TRIGGER receipts_no_truncate BEFORE TRUNCATE ON receipts
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

-- ---------------------------------------------------------------------------
-- Issued receipts are immutable

-- Drafts change freely (the CHECKs still hold). An issued receipt may only
-- become voided or replaced, changing nothing but those columns; voided and
-- replaced receipts never change; only drafts may be deleted.
CREATE FUNCTION receipts_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  mutable constant text[] := ARRAY['status', 'voided_reason', 'voided_by', 'voided_at', 'replaced_by_id', 'status_by', 'status_at'];
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'receipt % % % of agency % is % and can never be deleted', OLD.form, OLD.symbol, OLD.number, OLD.agency, OLD.status
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'draft' THEN
    RETURN NEW;
  END IF;
  IF OLD.status = 'issued' AND NEW.status IN ('voided', 'replaced')
     AND (to_jsonb(OLD) - mutable) = (to_jsonb(NEW) - mutable) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'receipt % % % of agency % is % and immutable: only issued → voided or issued → replaced may change it',
    OLD.form, OLD.symbol, OLD.number, OLD.agency, OLD.status
    USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE TRIGGER receipts_guard BEFORE UPDATE OR DELETE ON receipts
  FOR EACH ROW EXECUTE FUNCTION receipts_guard();

-- ---------------------------------------------------------------------------
-- Numbers are consumed exactly once

-- Checked at commit: every number a transaction took from a counter belongs
-- to a receipt written in that same transaction. A reservation that is not
-- filled exactly cannot commit, so no process can leave a gap.
CREATE FUNCTION series_counter_filled() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  previous integer := CASE WHEN TG_OP = 'INSERT' THEN 0 ELSE OLD.last_number END;
  written  integer;
BEGIN
  IF NEW.last_number < previous THEN
    RAISE EXCEPTION 'series % % of agency % cannot go back from % to %', NEW.form, NEW.symbol, NEW.agency, previous, NEW.last_number
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  SELECT count(*) INTO written FROM receipts
   WHERE agency = NEW.agency AND form = NEW.form AND symbol = NEW.symbol
     AND number > previous AND number <= NEW.last_number AND status <> 'draft';
  IF written <> NEW.last_number - previous THEN
    RAISE EXCEPTION 'series % % of agency %: numbers % to % were reserved but % receipts were written; a reservation must be filled exactly',
      NEW.form, NEW.symbol, NEW.agency, previous + 1, NEW.last_number, written
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER series_counter_filled AFTER INSERT OR UPDATE ON series_counter
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION series_counter_filled();

-- ---------------------------------------------------------------------------
-- The audit log is written by the database itself

-- Statement-level triggers with transition tables: one INSERT ... SELECT per
-- statement, so a COPY of 100,000 receipts costs one audit statement.
CREATE FUNCTION receipts_audit_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_log (agency, receipt_id, action, actor, at, detail)
  SELECT n.agency, n.id, CASE WHEN n.status = 'draft' THEN 'draft_created' ELSE 'issued' END, n.status_by, n.status_at,
         jsonb_strip_nulls(jsonb_build_object('form', n.form, 'symbol', n.symbol, 'number', n.number, 'replaces', n.replaces_id))
    FROM new_rows n;
  RETURN NULL;
END $$;

CREATE FUNCTION receipts_audit_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
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

CREATE FUNCTION receipts_audit_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_log (agency, receipt_id, action, actor, at, detail)
  SELECT o.agency, o.id, 'draft_deleted',
         coalesce(nullif(current_setting('bienlai.actor', true), ''), o.status_by), now(),
         jsonb_build_object('form', o.form, 'symbol', o.symbol)
    FROM old_rows o;
  RETURN NULL;
END $$;

CREATE FUNCTION annotations_audit() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_log (agency, receipt_id, action, actor, at, detail)
  SELECT n.agency, n.receipt_id, 'annotated', n.by, n.at,
         jsonb_strip_nulls(jsonb_build_object('field', n.field, 'value', n.value, 'note', n.note))
    FROM new_rows n;
  RETURN NULL;
END $$;

CREATE TRIGGER receipts_audit_insert AFTER INSERT ON receipts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION receipts_audit_insert();
CREATE TRIGGER receipts_audit_update AFTER UPDATE ON receipts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION receipts_audit_update();
CREATE TRIGGER receipts_audit_delete AFTER DELETE ON receipts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION receipts_audit_delete();
CREATE TRIGGER annotations_audit AFTER INSERT ON receipt_annotations
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION annotations_audit();
