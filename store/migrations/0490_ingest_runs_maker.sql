-- Who made the rows of a `bienlai ingest` run: the officer of the maker's API
-- token (jobs/cli/ingest-officers.ts), beside the approver who issued them.
-- Null for `bienlai sign` (its drafts keep their own makers) and for runs
-- recorded before the maker came from a token.
ALTER TABLE ingest_runs ADD COLUMN maker text;
