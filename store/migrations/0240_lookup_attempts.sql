-- Identity-number checks at public lookup, counted per lookup code
-- (domain/lookup-guard.ts): a few failures, then the code is locked for a
-- while, whatever the number of clients guessing. A row exists only for a
-- code of a receipt someone checked a number against, so the table is
-- bounded by the receipts. See docs/SECURITY.md, "The public side".

CREATE TABLE IF NOT EXISTS lookup_attempts (
  lookup_code       text        PRIMARY KEY,
  -- failed checks, and admitted checks not yet settled, since window_started_at
  failures          integer     NOT NULL DEFAULT 0 CHECK (failures >= 0),
  window_started_at timestamptz,
  locked_until      timestamptz
);
