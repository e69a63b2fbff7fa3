-- Migration 4: partition leases of cluster mode (`leadrank serve --cluster`). One row per
-- partition: the node that owns it, until when, and its fencing token, which grows by one at
-- every change of owner. Every write of an owner checks its token in the same transaction
-- (SELECT ... FOR SHARE), so a former owner can never write after a takeover. Never edit an
-- applied migration: add a new one.
CREATE TABLE cluster_leases (
    partition INTEGER PRIMARY KEY,
    owner TEXT NOT NULL,
    token BIGINT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    acquired_at TIMESTAMPTZ NOT NULL
);
