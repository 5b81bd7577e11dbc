-- The QR token is stored with the receipt at issuance and served as stored
-- (docs/QR-TOKEN.md): ECDSA signatures differ at every signing, so a token
-- signed again at each view would change from one view to the next.
--
-- receipts.qr_token is written in the same INSERT as the receipt, and the
-- receipts_guard trigger keeps it, like every other column of an issued row,
-- unchanged for ever (voiding and replacing do not touch it).
ALTER TABLE receipts ADD COLUMN IF NOT EXISTS qr_token text;

-- Receipts issued before this migration (or by a writer that signed no token)
-- have none: their token is signed once, at the first view, and kept here;
-- the first writer wins (INSERT ... ON CONFLICT DO NOTHING), so concurrent
-- first views still serve one token. A migration cannot sign (the keys are
-- not in the database), and signing every old receipt at boot would cost
-- one signature per receipt ever issued for tokens nobody may ask for.
-- A separate table, so the issued row stays immutable and its audit trail
-- untouched.
CREATE TABLE IF NOT EXISTS receipt_first_view_tokens (
  agency     text NOT NULL,
  receipt_id uuid NOT NULL,
  token      text NOT NULL,
  signed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (agency, receipt_id),
  FOREIGN KEY (agency, receipt_id) REFERENCES receipts (agency, id)
);
