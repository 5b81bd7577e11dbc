-- The notification outbox (docs/NOTIFICATIONS.md): who is told (notify_recipients),
-- what happened (notify_events) and each message to each recipient with its
-- delivery state (notifications). Events and their notifications are written
-- by triggers on the tables whose changes they report, so they commit in the
-- same transaction as the change, whichever code path made it (one approval,
-- the group issuer, its predicted statement, range issuance, bulk COPY, a
-- void, a replacement, the bank's answers, a deposit, a payment request).
-- The dispatcher (`bienlai notify-worker`, jobs/notify/) delivers them.

-- Who is told, per agency. A recipient with person_id_number NULL hears
-- every listed event of the agency (the agency's accounting system on a
-- webhook, an office inbox); with it set, only events about that person (the
-- payer of a receipt, the creditor of a payout line): a payer who gave an
-- e-mail address, or a citizen reached on VNeID by identity number.
CREATE TABLE notify_recipients (
  agency           text        NOT NULL,
  id               uuid        NOT NULL,
  channel          text        NOT NULL CHECK (channel IN ('webhook', 'email', 'vneid')),
  -- webhook: the endpoint URL; email: the address; vneid: the 12-digit identity number.
  target           text        NOT NULL CHECK (target <> ''),
  person_id_number text        CHECK (person_id_number ~ '^[0-9]{9}$|^[0-9]{12}$'),
  events           text[]      NOT NULL CHECK (events <@ ARRAY['receipt.issued', 'receipt.voided', 'receipt.replaced',
                                 'payout.paid', 'payout.deposited', 'payment_request.created']::text[] AND cardinality(events) > 0),
  -- Webhook signing secrets (whsec_...), newest first; never shown, never logged.
  secrets          text[]      NOT NULL DEFAULT '{}',
  active           boolean     NOT NULL DEFAULT true,
  created_by       text        NOT NULL,
  created_at       timestamptz NOT NULL,
  PRIMARY KEY (agency, id),
  CONSTRAINT notify_recipients_webhook_secret CHECK (channel <> 'webhook' OR cardinality(secrets) > 0),
  CONSTRAINT notify_recipients_vneid_is_person CHECK (channel <> 'vneid' OR (person_id_number IS NOT NULL AND target = person_id_number))
);
CREATE INDEX notify_recipients_person ON notify_recipients (agency, person_id_number) WHERE active;
-- A recipient is deactivated, never deleted: its notifications keep naming it.
CREATE TRIGGER notify_recipients_kept BEFORE DELETE ON notify_recipients
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER notify_recipients_no_truncate BEFORE TRUNCATE ON notify_recipients
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

-- What happened, once per event. Only the least personal data: the printed
-- reference, the lookup code and the hash of the signed bytes; the link is
-- made when a message is sent (a receipt's /v/ address carries a signed token).
CREATE TABLE notify_events (
  agency        text        NOT NULL,
  id            uuid        NOT NULL,
  event         text        NOT NULL,
  subject_kind  text        NOT NULL CHECK (subject_kind IN ('receipt', 'payout', 'payment_request')),
  -- The receipt's id, the payout line's id, the payment request's reference.
  subject_id    text        NOT NULL,
  reference     text        NOT NULL,
  lookup_code   text,
  document_hash text,
  occurred_at   timestamptz NOT NULL,
  PRIMARY KEY (agency, id)
);
CREATE INDEX notify_events_subject ON notify_events (agency, subject_kind, subject_id);
-- An event is a fact: never changed, never deleted (forbid_change, migration 0001).
CREATE TRIGGER notify_events_append_only BEFORE UPDATE OR DELETE ON notify_events
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER notify_events_no_truncate BEFORE TRUNCATE ON notify_events
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

-- One message to one recipient. Its id is the idempotency key at the receiver.
--   pending   waits for next_attempt_at;
--   leased    a dispatcher holds it until lease_expires_at (then any dispatcher may take it again);
--   delivered the receiver accepted it;
--   dead      given up after the last attempt, or refused for good, with last_error.
-- attempts counts attempts started (a dispatcher killed mid-delivery has used one).
CREATE TABLE notifications (
  agency           text        NOT NULL,
  id               uuid        NOT NULL,
  event_id         uuid        NOT NULL,
  recipient_id     uuid        NOT NULL,
  channel          text        NOT NULL CHECK (channel IN ('webhook', 'email', 'vneid')),
  -- webhook: the recipient's id (its endpoint and secrets are looked up when sending); email: the address; vneid: the identity number.
  recipient        text        NOT NULL,
  state            text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'leased', 'delivered', 'dead')),
  attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at  timestamptz NOT NULL,
  lease_owner      text,
  lease_id         uuid,
  lease_expires_at timestamptz,
  last_error       text,
  response         text,
  created_at       timestamptz NOT NULL,
  finished_at      timestamptz,
  -- event_id and recipient_id name rows that cannot go away (triggers below), written by the same
  -- statement that reads them (notify_fan_out): no foreign keys, whose row-by-row checks doubled the
  -- fan-out's cost (docs/NOTIFICATIONS.md, "Cost and speed").
  PRIMARY KEY (agency, id),
  CONSTRAINT notifications_lease_whole CHECK ((state = 'leased') = (lease_id IS NOT NULL AND lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL)),
  CONSTRAINT notifications_dead_says_why CHECK (state <> 'dead' OR last_error IS NOT NULL)
);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE state = 'pending';
CREATE INDEX notifications_leases ON notifications (lease_expires_at) WHERE state = 'leased';
CREATE INDEX notifications_event ON notifications (agency, event_id);

-- Writes events (a JSON array of {agency, event, subject_kind, subject_id,
-- reference, lookup_code, document_hash, occurred_at, person}) and one
-- notification per event and recipient that wants it. The triggers below
-- only pass events some active recipient wants, so an agency without
-- recipients pays one index probe and writes nothing. `person` (an identity
-- number) is used to pick recipients and is not stored with the event.
-- PL/pgSQL so that the statement's plan is kept for the session (a SQL
-- function holding a data-modifying statement is planned on every call).
CREATE FUNCTION notify_fan_out(events jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  WITH e AS MATERIALIZED (
    SELECT x.*, gen_random_uuid() AS id
      FROM jsonb_to_recordset(events) AS x(agency text, event text, subject_kind text, subject_id text, reference text,
                                           lookup_code text, document_hash text, occurred_at timestamptz, person text)
  ), written AS (
    INSERT INTO notify_events (agency, id, event, subject_kind, subject_id, reference, lookup_code, document_hash, occurred_at)
    SELECT agency, id, event, subject_kind, subject_id, reference, lookup_code, document_hash, occurred_at FROM e
  )
  INSERT INTO notifications (agency, id, event_id, recipient_id, channel, recipient, next_attempt_at, created_at)
  SELECT e.agency, gen_random_uuid(), e.id, r.id, r.channel, CASE WHEN r.channel = 'webhook' THEN r.id::text ELSE r.target END,
         e.occurred_at, e.occurred_at
    FROM e
    JOIN notify_recipients r ON r.agency = e.agency AND r.active AND e.event = ANY (r.events)
                            AND (r.person_id_number IS NULL OR r.person_id_number = e.person);
END $$;

-- "sha256:" and the unpadded base64url SHA-256 of a text's UTF-8 bytes.
CREATE FUNCTION notify_document_hash(content text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT 'sha256:' || rtrim(translate(encode(sha256(convert_to(content, 'UTF8')), 'base64'), '+/', '-_'), '=')
$$;

CREATE FUNCTION notify_receipt_events() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  found jsonb;
  scoped boolean;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM notify_recipients WHERE active AND events && ARRAY['receipt.issued', 'receipt.voided', 'receipt.replaced']) THEN
    RETURN NULL;
  END IF;
  -- The payer's identity number is read from the signed content only when someone is told about one person.
  scoped := EXISTS (SELECT 1 FROM notify_recipients WHERE active AND person_id_number IS NOT NULL);
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(jsonb_build_object('agency', n.agency, 'event', 'receipt.issued', 'subject_kind', 'receipt', 'subject_id', n.id,
             'reference', n.symbol || ' số ' || lpad(n.number::text, 7, '0'), 'lookup_code', n.lookup_code,
             'document_hash', notify_document_hash(n.canonical), 'occurred_at', n.issued_at, 'person', CASE WHEN scoped THEN n.canonical::jsonb #>> '{payer,idNumber}' END))
      INTO found
      FROM new_rows n
     WHERE n.status = 'issued'
       AND EXISTS (SELECT 1 FROM notify_recipients r WHERE r.agency = n.agency AND r.active AND 'receipt.issued' = ANY (r.events));
  ELSE
    SELECT jsonb_agg(jsonb_build_object('agency', n.agency, 'event', x.event, 'subject_kind', 'receipt', 'subject_id', n.id,
             'reference', n.symbol || ' số ' || lpad(n.number::text, 7, '0'), 'lookup_code', n.lookup_code,
             'document_hash', notify_document_hash(n.canonical), 'occurred_at', x.at, 'person', CASE WHEN scoped THEN n.canonical::jsonb #>> '{payer,idNumber}' END))
      INTO found
      FROM new_rows n
      JOIN old_rows o ON o.agency = n.agency AND o.id = n.id
     CROSS JOIN LATERAL (SELECT CASE n.status WHEN 'issued' THEN 'receipt.issued' WHEN 'voided' THEN 'receipt.voided' ELSE 'receipt.replaced' END AS event,
                                CASE n.status WHEN 'issued' THEN n.issued_at WHEN 'voided' THEN coalesce(n.voided_at, n.status_at) ELSE n.status_at END AS at) x
     WHERE n.status IS DISTINCT FROM o.status AND n.status IN ('issued', 'voided', 'replaced')
       AND EXISTS (SELECT 1 FROM notify_recipients r WHERE r.agency = n.agency AND r.active AND x.event = ANY (r.events));
  END IF;
  IF found IS NOT NULL THEN PERFORM notify_fan_out(found); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER receipts_notify_insert AFTER INSERT ON receipts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_receipt_events();
CREATE TRIGGER receipts_notify_update AFTER UPDATE ON receipts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_receipt_events();

-- A payout line paid by the bank, or its money put on a savings deposit. The
-- person is the creditor (the claim's identity number); the lookup code is
-- the one on the creditor's notice (the claim's own line in the round).
CREATE FUNCTION notify_payout_events() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  found jsonb;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM notify_recipients WHERE active AND events && ARRAY['payout.paid', 'payout.deposited']) THEN
    RETURN NULL;
  END IF;
  SELECT jsonb_agg(jsonb_build_object('agency', n.agency, 'event', 'payout.' || n.state, 'subject_kind', 'payout', 'subject_id', n.line_id,
           'reference', 'Đợt ' || pr.round || ' – ' || pr.case_decision,
           'lookup_code', coalesce(n.lookup_code, (SELECT l.lookup_code FROM payout_lines l WHERE l.agency = n.agency AND l.round_id = n.round_id
                                                    AND l.claim_id = n.claim_id AND l.lookup_code IS NOT NULL LIMIT 1)),
           'occurred_at', coalesce(n.state_at, now()), 'person', c.identity_number))
    INTO found
    FROM new_rows n
    JOIN old_rows o ON o.agency = n.agency AND o.round_id = n.round_id AND o.line_no = n.line_no
    JOIN payout_rounds pr ON pr.agency = n.agency AND pr.id = n.round_id
    LEFT JOIN payout_claims c ON c.agency = n.agency AND c.case_decision = pr.case_decision AND c.claim_id = n.claim_id
   WHERE n.state IS DISTINCT FROM o.state AND n.state IN ('paid', 'deposited')
     AND EXISTS (SELECT 1 FROM notify_recipients r WHERE r.agency = n.agency AND r.active AND ('payout.' || n.state) = ANY (r.events));
  IF found IS NOT NULL THEN PERFORM notify_fan_out(found); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER payout_lines_notify AFTER UPDATE ON payout_lines
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_payout_events();

-- A payment request (the payer is named, not identified: agency-wide recipients only).
CREATE FUNCTION notify_payment_request_events() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  found jsonb;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM notify_recipients WHERE active AND 'payment_request.created' = ANY (events)) THEN
    RETURN NULL;
  END IF;
  SELECT jsonb_agg(jsonb_build_object('agency', n.agency, 'event', 'payment_request.created', 'subject_kind', 'payment_request',
           'subject_id', n.reference, 'reference', n.reference || coalesce(' – ' || n.decision_number, ''), 'occurred_at', n.created_at))
    INTO found
    FROM new_rows n
   WHERE EXISTS (SELECT 1 FROM notify_recipients r WHERE r.agency = n.agency AND r.active AND 'payment_request.created' = ANY (r.events));
  IF found IS NOT NULL THEN PERFORM notify_fan_out(found); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER payment_requests_notify AFTER INSERT ON payment_requests
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_payment_request_events();
