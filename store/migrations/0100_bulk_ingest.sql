-- Bulk ingestion and bulk signing (jobs/ingest/, docs/INGEST.md).
--
-- Idempotency needs no table: a row's receipt id is derived from its external
-- id or its content, so the receipts primary key refuses a second copy.
-- Resuming needs none either: every batch commits whole or not at all.

-- One row per finished run, for the record: what came in, from where, by whom.
CREATE TABLE ingest_runs (
  seq         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind        text        NOT NULL CHECK (kind IN ('ingest', 'sign')),
  agency      text,
  source      text        NOT NULL,
  mode        text        NOT NULL CHECK (mode IN ('drafts', 'issue')),
  approver    text,
  started_at  timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  summary     jsonb       NOT NULL
);
CREATE TRIGGER ingest_runs_append_only BEFORE UPDATE OR DELETE ON ingest_runs
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- `bienlai sign` walks an agency's pending drafts in creation order.
CREATE INDEX receipts_bulk_pending_drafts ON receipts (agency, created_at, id) WHERE status = 'draft';
