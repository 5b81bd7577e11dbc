-- The live operations view (IOC): which agency is the central department,
-- and an index for the national figures. See docs/OPERATIONS.md.

-- The Department of Civil Judgment Enforcement Management (the central
-- department) is an agency like the others in this database; its officers
-- see the national view. Set by the operator (`bienlai ioc central`).
ALTER TABLE agencies ADD COLUMN IF NOT EXISTS central boolean NOT NULL DEFAULT false;

-- National figures read every agency's receipts issued since a day: an
-- index led by issued_at, carrying what they sum, answers them from the
-- index alone (receipts_issued_at is led by agency, which a national query
-- does not name). Drafts have no issued_at and are left out.
CREATE INDEX IF NOT EXISTS receipts_operations_issued ON receipts (issued_at) INCLUDE (agency, status, amount) WHERE issued_at IS NOT NULL;
