-- Seals may be RSA-PSS (SHA-256, 2048 or 3072 bits), as Circular 15/2025/TT-BKHCN
-- allows beside ECDSA; Ed25519 seals already stored keep verifying (docs/SIGNING.md).
ALTER TABLE receipts DROP CONSTRAINT IF EXISTS receipts_seal_algorithm_check;
ALTER TABLE receipts ADD CONSTRAINT receipts_seal_algorithm_check
  CHECK (seal_algorithm IN ('Ed25519', 'ECDSA-P256', 'RSA-PSS'));
