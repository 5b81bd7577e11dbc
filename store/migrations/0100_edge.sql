-- Tables of the edge service (edge/): agencies as the public pages name
-- them, officers and their API tokens, the search index of receipts, and
-- uploaded scans waiting for OCR. Numbered 0100 so that the store's own
-- migrations (0001...) always come first. See docs/EDGE.md.

CREATE TABLE agencies (
  code text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9]{1,15}$'),
  name text NOT NULL
);

-- An officer belongs to exactly one agency and has one role there.
CREATE TABLE officers (
  id         text        PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
  agency     text        NOT NULL REFERENCES agencies (code),
  name       text        NOT NULL,
  role       text        NOT NULL CHECK (role IN ('officer', 'approver', 'auditor', 'admin')),
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);
CREATE INDEX officers_agency ON officers (agency);

-- Bearer tokens are stored as their SHA-256 only: a database dump reveals no
-- usable token.
CREATE TABLE api_tokens (
  token_sha256 text        PRIMARY KEY CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
  officer_id   text        NOT NULL REFERENCES officers (id),
  label        text        NOT NULL DEFAULT '',
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz
);
CREATE INDEX api_tokens_officer ON api_tokens (officer_id);

-- What officers search by, folded with the domain's foldForSearch (no
-- accents, lower case) so "nguyen van hoa" finds "Nguyễn Văn Hòa". The name
-- is also split into words for the GIN index, so a search by some of the
-- words, in any order, stays indexed at millions of rows. Annotated names
-- are added, so a receipt is found by its corrected name too.
CREATE TABLE receipt_search (
  agency          text   NOT NULL,
  id              uuid   NOT NULL,
  payer_folded    text   NOT NULL,
  payer_words     text[] NOT NULL,
  id_number       text,
  decision_number text,
  PRIMARY KEY (agency, id),
  FOREIGN KEY (agency, id) REFERENCES receipts (agency, id) ON DELETE CASCADE
);
CREATE INDEX receipt_search_words ON receipt_search USING gin (payer_words);
CREATE INDEX receipt_search_folded ON receipt_search (agency, payer_folded text_pattern_ops);
CREATE INDEX receipt_search_id_number ON receipt_search (agency, id_number);
CREATE INDEX receipt_search_decision ON receipt_search (agency, decision_number);

-- Officers filter by these; the store's own indexes cover issued_at.
CREATE INDEX receipts_edge_status ON receipts (agency, status, issued_at);
CREATE INDEX receipts_edge_amount ON receipts (agency, amount);
CREATE INDEX receipts_edge_lookup ON receipts (lookup_code);
-- Status lists read only the voided and replaced receipts of a series.
CREATE INDEX receipts_edge_changed ON receipts (agency, form, symbol) WHERE status IN ('voided', 'replaced');

-- Scans uploaded to a draft, queued for OCR (its own issue).
CREATE TABLE uploads (
  agency       text        NOT NULL,
  id           uuid        NOT NULL,
  receipt_id   uuid        NOT NULL,
  content_type text        NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp', 'application/pdf')),
  size         integer     NOT NULL CHECK (size > 0),
  sha256       text        NOT NULL,
  content      bytea       NOT NULL,
  uploaded_by  text        NOT NULL,
  uploaded_at  timestamptz NOT NULL,
  ocr_status   text        NOT NULL DEFAULT 'queued' CHECK (ocr_status IN ('queued', 'running', 'done', 'failed')),
  PRIMARY KEY (agency, id),
  FOREIGN KEY (agency, receipt_id) REFERENCES receipts (agency, id) ON DELETE CASCADE
);
CREATE INDEX uploads_queue ON uploads (uploaded_at) WHERE ocr_status = 'queued';

-- Officer actions that are not receipt state changes (the store's triggers
-- log those in audit_log): uploads, token use refused, searches of personal
-- data. Append-only like audit_log.
CREATE TABLE edge_audit (
  seq       bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  agency    text        NOT NULL,
  actor     text        NOT NULL,
  action    text        NOT NULL,
  target    text,
  at        timestamptz NOT NULL,
  detail    jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX edge_audit_agency ON edge_audit (agency, at);
CREATE TRIGGER edge_audit_append_only BEFORE UPDATE OR DELETE ON edge_audit
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
