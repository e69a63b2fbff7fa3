-- Migration 3: deals (opportunities), the outcomes lead quality is measured against. The body
-- is the service's JSON (deal fields, no personal data); lead_id is kept in a column so that
-- erasing a lead removes the deals that name it. Never edit an applied migration: add a new one.
CREATE TABLE deals (deal_id TEXT PRIMARY KEY, lead_id TEXT, account_id TEXT, body TEXT NOT NULL, updated_at BIGINT NOT NULL);
CREATE INDEX deals_lead ON deals (lead_id);
