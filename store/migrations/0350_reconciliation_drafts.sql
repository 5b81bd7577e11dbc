-- Draft receipts made from credits (issue 16): who imported each statement
-- (a run makes a credit's draft receipt on that officer's behalf), and the
-- draft receipt each credit became, once: a re-run finds the row and makes
-- no second draft.
--
-- This file sorts before 0430_reconciliation.sql, so on a fresh database it
-- runs first: its tables stand alone and name none of 0430's.

CREATE TABLE recon_statement_importers (
  agency       text        NOT NULL,
  account      text        NOT NULL,
  statement_id text        NOT NULL,
  imported_by  text        NOT NULL,
  imported_at  timestamptz NOT NULL,
  PRIMARY KEY (agency, account, statement_id)
);

CREATE TABLE recon_credit_drafts (
  agency            text        NOT NULL,
  account           text        NOT NULL,
  bank_reference    text        NOT NULL,
  -- '' for an unmatched credit; the request's reference for a credit that paid a payment request.
  request_reference text        NOT NULL DEFAULT '',
  receipt_id        text        NOT NULL,
  -- unmatched: nothing matched the credit; request: it paid a payment request; officer: an officer rejected every candidate.
  source            text        NOT NULL CHECK (source IN ('unmatched', 'request', 'officer')),
  made_for          text        NOT NULL,
  made_at           timestamptz NOT NULL,
  PRIMARY KEY (agency, account, bank_reference, request_reference)
);
CREATE UNIQUE INDEX recon_credit_drafts_receipt ON recon_credit_drafts (agency, receipt_id);
