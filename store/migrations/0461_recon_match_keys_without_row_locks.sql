-- The two foreign keys of recon_matches checked and locked their bank_entries
-- and recon_targets row for every match inserted: at a million credits about
-- a million row locks written to each table inside one INSERT (run 9.4 s →
-- 5.5 s at 100,000 credits without them). The same guarantee, set-based:
--   * a new match names a stored credit and a stored target: checked once per
--     INSERT statement by recon_matches_within_credit (0460);
--   * a match's keys never change afterwards (below);
--   * a referenced credit or target never disappears nor changes key: bank
--     entries and match targets are never deleted, truncated or re-keyed by
--     anyone (below), so no concurrent transaction can orphan a match that
--     its own snapshot did not see — the race the FK's row lock prevented.
CREATE FUNCTION recon_refuse_unkeying() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are never deleted nor re-keyed: reconciliation matches refer to them by key', TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END $$;

ALTER TABLE recon_matches DROP CONSTRAINT recon_matches_agency_account_bank_reference_fkey;
ALTER TABLE recon_matches DROP CONSTRAINT recon_matches_agency_target_kind_target_id_fkey;

CREATE TRIGGER bank_entries_keep_keys BEFORE DELETE OR UPDATE OF agency, account, bank_reference ON bank_entries
  FOR EACH ROW EXECUTE FUNCTION recon_refuse_unkeying();
CREATE TRIGGER bank_entries_no_truncate BEFORE TRUNCATE ON bank_entries
  FOR EACH STATEMENT EXECUTE FUNCTION recon_refuse_unkeying();
CREATE TRIGGER recon_targets_keep_keys BEFORE DELETE OR UPDATE OF agency, kind, id ON recon_targets
  FOR EACH ROW EXECUTE FUNCTION recon_refuse_unkeying();
CREATE TRIGGER recon_targets_no_truncate BEFORE TRUNCATE ON recon_targets
  FOR EACH STATEMENT EXECUTE FUNCTION recon_refuse_unkeying();
CREATE TRIGGER recon_matches_keep_keys BEFORE UPDATE OF agency, account, bank_reference, target_kind, target_id ON recon_matches
  FOR EACH ROW EXECUTE FUNCTION recon_refuse_unkeying();
