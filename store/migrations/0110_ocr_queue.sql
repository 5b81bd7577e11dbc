-- The OCR queue over the uploads table (0100_edge.sql): several workers claim
-- queued scans with FOR UPDATE SKIP LOCKED; a claim is a lease that expires,
-- so a crashed worker's scan is claimed again; attempts are counted and a
-- scan that keeps failing ends 'failed' with its reason. The extraction
-- (fields, confidences, warnings) stays with the upload for the console.
-- Idempotent: it only adds what is missing. See docs/OCR.md.

ALTER TABLE uploads ADD COLUMN IF NOT EXISTS ocr_attempts integer NOT NULL DEFAULT 0;
-- Who holds the claim and until when; with ocr_attempts it fences a stale worker out.
ALTER TABLE uploads ADD COLUMN IF NOT EXISTS ocr_worker text;
ALTER TABLE uploads ADD COLUMN IF NOT EXISTS ocr_lease_until timestamptz;
ALTER TABLE uploads ADD COLUMN IF NOT EXISTS ocr_error text;
ALTER TABLE uploads ADD COLUMN IF NOT EXISTS ocr_result jsonb;
ALTER TABLE uploads ADD COLUMN IF NOT EXISTS ocr_finished_at timestamptz;

CREATE INDEX IF NOT EXISTS uploads_ocr_leases ON uploads (ocr_lease_until) WHERE ocr_status = 'running';
