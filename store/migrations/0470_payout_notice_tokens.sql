-- Payout notices' QR tokens (docs/PAYOUT.md, "Notices"; layout in
-- docs/QR-TOKEN.md). With ECDSA a token differs at every signing, so each
-- notice's token is signed once, when the notice is first asked for, stored
-- here, and served as stored from then on: a printed notice and the portal
-- show the same token. Signing a million tokens inside the approval would
-- put a million signatures in the round's approval (docs/PAYOUT.md says why
-- not). A row is written once and never changes.

CREATE TABLE payout_notice_tokens (
  agency        text        NOT NULL,
  lookup_code   text        NOT NULL CHECK (lookup_code ~ '^[0-9A-HJKMNP-TV-Z]{12}$'),
  round_id      uuid        NOT NULL,
  claim_id      text        NOT NULL,
  -- SHA-256 of the notice's canonical bytes (the token carries its first 16 bytes).
  notice_sha256 text        NOT NULL CHECK (notice_sha256 ~ '^[0-9a-f]{64}$'),
  token         text        NOT NULL CHECK (length(token) BETWEEN 60 AND 1000),
  key_id        text        NOT NULL CHECK (key_id ~ '^[0-9a-f]{16}$'),
  signed_at     timestamptz NOT NULL,
  PRIMARY KEY (agency, lookup_code),
  FOREIGN KEY (agency, round_id) REFERENCES payout_rounds (agency, id)
);

CREATE TRIGGER payout_notice_tokens_append_only BEFORE UPDATE OR DELETE ON payout_notice_tokens
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER payout_notice_tokens_no_truncate BEFORE TRUNCATE ON payout_notice_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
