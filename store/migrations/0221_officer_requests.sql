-- Four eyes on privileges. Creating an officer, changing a role, re-enabling
-- a disabled officer or giving one a new enrolment code is a request by one
-- admin that a second admin of the same agency approves; the database
-- refuses an approval by the requester itself. An approval that lets someone
-- in (create, enable, enrol) issues a one-time enrolment code: random, shown
-- once to the approving admin, stored as its SHA-256, single use, expiring.

CREATE TABLE officer_requests (
  id           uuid        PRIMARY KEY,
  agency       text        NOT NULL REFERENCES agencies (code),
  kind         text        NOT NULL CHECK (kind IN ('create', 'role', 'enable', 'enrol')),
  officer_id   text        NOT NULL CHECK (officer_id ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
  name         text        NOT NULL,
  role         text        NOT NULL CHECK (role IN ('officer', 'approver', 'auditor', 'admin')),
  requested_by text        NOT NULL REFERENCES officers (id),
  requested_at timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  decision     text        CHECK (decision IN ('approved', 'rejected', 'withdrawn', 'expired')),
  decided_by   text        REFERENCES officers (id),
  decided_at   timestamptz,
  CHECK ((decision IS NULL) = (decided_at IS NULL)),
  -- No one approves their own request.
  CHECK (decision IS DISTINCT FROM 'approved' OR (decided_by IS NOT NULL AND decided_by <> requested_by))
);
-- At most one open request per officer id, so an approver never chooses between two versions.
CREATE UNIQUE INDEX officer_requests_one_open ON officer_requests (officer_id) WHERE decision IS NULL;
CREATE INDEX officer_requests_agency ON officer_requests (agency, requested_at);

CREATE TABLE enrolment_codes (
  code_sha256 text        PRIMARY KEY CHECK (code_sha256 ~ '^[0-9a-f]{64}$'),
  officer_id  text        NOT NULL REFERENCES officers (id),
  request_id  uuid        REFERENCES officer_requests (id),
  issued_by   text        NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  redeemed_at timestamptz
);
CREATE INDEX enrolment_codes_officer ON enrolment_codes (officer_id);
