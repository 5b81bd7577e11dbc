-- Officer administration leaves a trail that nobody can edit: requests to
-- create an officer, grant a role, re-enable or re-enrol one, their approval
-- or rejection by a second admin, enrolment codes issued and redeemed, API
-- tokens made and revoked, console sessions started and ended, and what the
-- operator did from the command line (actor 'operator:<user>@<host>').
-- Append-only like audit_log (0001_receipts.sql). See docs/SECURITY.md.

CREATE TABLE officer_audit (
  seq      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  agency   text        NOT NULL,
  actor    text        NOT NULL,
  action   text        NOT NULL,
  officer  text,
  request  uuid,
  at       timestamptz NOT NULL,
  detail   jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX officer_audit_agency ON officer_audit (agency, seq);
CREATE INDEX officer_audit_officer ON officer_audit (officer, seq);

CREATE TRIGGER officer_audit_append_only BEFORE UPDATE OR DELETE ON officer_audit
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER officer_audit_no_truncate BEFORE TRUNCATE ON officer_audit
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
