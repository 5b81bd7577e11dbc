-- API tokens expire and can be revoked by id; console sessions are their own
-- random ids, stored hashed, with idle and absolute timeouts, ended at
-- sign-out. A session opened with a token ends when that token is revoked or
-- expires. See docs/SECURITY.md.

-- Tokens made before expiry existed get the default lifetime from now.
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
UPDATE api_tokens SET expires_at = greatest(created_at, now()) + interval '90 days' WHERE expires_at IS NULL;
ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;
ALTER TABLE api_tokens ADD COLUMN revoked_by text;
-- A public handle for listing and revoking: 64 bits of the hash, useless for signing in.
ALTER TABLE api_tokens ADD COLUMN token_id text GENERATED ALWAYS AS (substr(token_sha256, 1, 16)) STORED;
CREATE UNIQUE INDEX api_tokens_token_id ON api_tokens (token_id);

CREATE TABLE console_sessions (
  id_sha256    text        PRIMARY KEY CHECK (id_sha256 ~ '^[0-9a-f]{64}$'),
  officer_id   text        NOT NULL REFERENCES officers (id),
  token_sha256 text        REFERENCES api_tokens (token_sha256),
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  ended_at     timestamptz,
  end_reason   text
);
CREATE INDEX console_sessions_officer ON console_sessions (officer_id) WHERE ended_at IS NULL;
CREATE INDEX console_sessions_token ON console_sessions (token_sha256) WHERE ended_at IS NULL;
