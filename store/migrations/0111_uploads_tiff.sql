-- Scans may be TIFF too (what office scanners and fax servers often write);
-- PDF stays allowed. The CHECK of 0100_edge.sql is inline, so PostgreSQL named
-- it uploads_content_type_check; it is dropped and made again by that name,
-- which keeps this migration idempotent.
ALTER TABLE uploads DROP CONSTRAINT IF EXISTS uploads_content_type_check;
ALTER TABLE uploads ADD CONSTRAINT uploads_content_type_check
  CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp', 'image/tiff', 'application/pdf'));
