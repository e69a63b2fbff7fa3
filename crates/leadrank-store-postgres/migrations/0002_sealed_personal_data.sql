-- Migration 2: personal data is sealed with per-lead keys kept in a key vault outside the
-- database (text "enc1:" + base64 of nonce, ciphertext and tag; see docs/privacy.md).
-- The upgrade that applies it re-seals every row written in plain JSON, in the same
-- transaction. A leadrank that does not know this version refuses the database instead of
-- reading sealed rows as corrupt JSON. Never edit an applied migration: add a new one.
COMMENT ON COLUMN leads.data IS 'sealed with the lead''s key from the key vault (enc1:)';
COMMENT ON COLUMN events.data IS 'sealed with the lead''s key from the key vault (enc1:)';
COMMENT ON COLUMN consents.data IS 'sealed with the lead''s key from the key vault (enc1:)';
COMMENT ON COLUMN scores.body IS 'sealed with the lead''s key from the key vault (enc1:)';
COMMENT ON COLUMN score_history.body IS 'sealed with the lead''s key from the key vault (enc1:)';
COMMENT ON COLUMN deliveries.body IS 'sealed with the lead''s key from the key vault (enc1:) when lead_id is set';
COMMENT ON COLUMN lead_ops.body IS 'sealed with the lead''s key from the key vault (enc1:)';
COMMENT ON COLUMN ops_log.body IS 'sealed with the lead''s key from the key vault (enc1:)';
