-- Officers' search pages newest first (ORDER BY created_at DESC, id DESC).
-- With this index a search for a common name ("nguyen van") walks the
-- agency's newest receipts and stops after one page, instead of sorting
-- every match; a rare name still goes through the GIN index on words.
CREATE INDEX receipts_edge_newest ON receipts (agency, created_at DESC, id DESC);
