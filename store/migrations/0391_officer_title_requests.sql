-- An officer's title (chức vụ, migration 0340), printed under their name on
-- the receipts they approve, is set like every other officer change: one
-- admin asks, a second admin of the agency approves exactly that text
-- (four eyes; docs/SECURITY.md). The requested title travels in the request;
-- null asks to clear it.
ALTER TABLE officer_requests ADD COLUMN IF NOT EXISTS title text CHECK (title IS NULL OR length(title) BETWEEN 1 AND 120);
ALTER TABLE officer_requests DROP CONSTRAINT IF EXISTS officer_requests_kind_check;
ALTER TABLE officer_requests ADD CONSTRAINT officer_requests_kind_check CHECK (kind IN ('create', 'role', 'enable', 'enrol', 'title'));
