-- Bounds on the OCR queue, kept by the database so that no path (the officer
-- API, the console, a script) can exceed them, also when uploads race: at
-- most `per_officer` of one officer's scans and `per_agency` of one agency's
-- scans wait or are being read at once. Uploads of one agency are counted
-- one at a time (a transaction-level advisory lock per agency), so two racing
-- uploads cannot both see room for one more. A refusal is SQLSTATE BL429
-- with DETAIL 'officer' or 'agency'; store/scans/scan-queue.ts turns it into
-- ScanQueueFull. The limits are one row, changed with UPDATE.
-- Fair claiming between agencies is in the claim itself (store/scans/scan-queue.ts).

CREATE TABLE IF NOT EXISTS scan_queue_limits (
  only_row    boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  per_officer integer NOT NULL CHECK (per_officer > 0),
  per_agency  integer NOT NULL CHECK (per_agency > 0)
);
INSERT INTO scan_queue_limits (per_officer, per_agency) VALUES (20, 200) ON CONFLICT (only_row) DO NOTHING;

CREATE OR REPLACE FUNCTION uploads_within_queue_limits() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  officer_limit integer;
  agency_limit integer;
  officer_pending integer;
  agency_pending integer;
BEGIN
  IF NEW.ocr_status NOT IN ('queued', 'running') THEN
    RETURN NEW;
  END IF;
  SELECT per_officer, per_agency INTO officer_limit, agency_limit FROM scan_queue_limits;
  PERFORM pg_advisory_xact_lock(hashtext('bienlai.uploads:' || current_schema() || ':' || NEW.agency));
  SELECT count(*) FILTER (WHERE uploaded_by = NEW.uploaded_by), count(*)
    INTO officer_pending, agency_pending
    FROM uploads
   WHERE agency = NEW.agency AND ocr_status IN ('queued', 'running');
  IF officer_pending >= officer_limit THEN
    RAISE EXCEPTION USING ERRCODE = 'BL429', DETAIL = 'officer', HINT = officer_limit::text,
      MESSAGE = format('%s scans of %s wait to be read; at most %s may wait at once', officer_pending, NEW.uploaded_by, officer_limit);
  END IF;
  IF agency_pending >= agency_limit THEN
    RAISE EXCEPTION USING ERRCODE = 'BL429', DETAIL = 'agency', HINT = agency_limit::text,
      MESSAGE = format('%s scans of agency %s wait to be read; at most %s may wait at once', agency_pending, NEW.agency, agency_limit);
  END IF;
  RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS uploads_queue_limits ON uploads;
CREATE TRIGGER uploads_queue_limits BEFORE INSERT ON uploads
  FOR EACH ROW EXECUTE FUNCTION uploads_within_queue_limits();

-- The claim ranks queued scans within their agency.
CREATE INDEX IF NOT EXISTS uploads_queue_by_agency ON uploads (agency, uploaded_at, id) WHERE ocr_status IN ('queued', 'running');
