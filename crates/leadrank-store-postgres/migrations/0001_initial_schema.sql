-- Migration 1: the schema of the service before migrations were recorded
-- (the setting schema_version = "2"). Every statement creates only what is missing, so a
-- database made by that code (or by the one before it, schema_version = "1") is completed
-- and then recorded as version 1. Never edit an applied migration: add a new one.
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS leads (lead_id TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (account_id TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS events (seq BIGSERIAL PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, lead_id TEXT NOT NULL, occurred_at BIGINT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_lead ON events (lead_id);
CREATE TABLE IF NOT EXISTS consents (seq BIGSERIAL PRIMARY KEY, lead_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS consents_lead ON consents (lead_id);
CREATE TABLE IF NOT EXISTS scores (lead_id TEXT PRIMARY KEY, as_of BIGINT NOT NULL, model_id BIGINT NOT NULL, total INTEGER NOT NULL, quality BOOLEAN NOT NULL, grade TEXT NOT NULL, cell TEXT NOT NULL, body TEXT NOT NULL, cause TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS score_history (seq BIGSERIAL PRIMARY KEY, lead_id TEXT NOT NULL, as_of BIGINT NOT NULL, model_id BIGINT NOT NULL, total INTEGER NOT NULL, quality BOOLEAN NOT NULL, grade TEXT NOT NULL, cell TEXT NOT NULL, body TEXT NOT NULL, cause TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS score_history_lead ON score_history (lead_id);
CREATE TABLE IF NOT EXISTS models (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, version TEXT NOT NULL, source TEXT NOT NULL, created_at BIGINT NOT NULL, active BOOLEAN NOT NULL DEFAULT FALSE);
CREATE TABLE IF NOT EXISTS api_keys (id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, name TEXT NOT NULL, scopes TEXT NOT NULL, created_at BIGINT NOT NULL, revoked_at BIGINT);
CREATE TABLE IF NOT EXISTS subscriptions (id TEXT PRIMARY KEY, url TEXT NOT NULL, secret TEXT NOT NULL, events TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS deliveries (seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, subscription_id TEXT NOT NULL, event_type TEXT NOT NULL, lead_id TEXT, body TEXT NOT NULL, created_at BIGINT NOT NULL, next_attempt_at BIGINT NOT NULL, attempts BIGINT NOT NULL, state TEXT NOT NULL, last_attempt_at BIGINT, last_status BIGINT, last_error TEXT);
CREATE INDEX IF NOT EXISTS deliveries_subscription ON deliveries (subscription_id);
CREATE INDEX IF NOT EXISTS deliveries_lead ON deliveries (lead_id);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (state, next_attempt_at);
CREATE TABLE IF NOT EXISTS suppressions (marker TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS audit (seq BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS lead_ops (lead_id TEXT PRIMARY KEY, body TEXT NOT NULL, updated_at BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS ops_log (id BIGSERIAL PRIMARY KEY, lead_id TEXT NOT NULL, kind TEXT NOT NULL, at BIGINT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ops_log_lead ON ops_log (lead_id);
CREATE INDEX IF NOT EXISTS ops_log_kind ON ops_log (kind);
CREATE TABLE IF NOT EXISTS directory (kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (kind, id));
