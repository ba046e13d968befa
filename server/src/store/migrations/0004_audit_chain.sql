-- The tamper-evident audit log: each entry carries the SHA-256 of the previous entry's hash and
-- its own fields (store/audit_chain.h). audit_chain is the head of the chain, one row (id = 1):
-- appending an entry bumps it first, so two writers queue on that row and cannot fork the chain.
-- Rows written before this migration are hashed by the store in the same transaction.
ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';

CREATE TABLE audit_chain (
  id INTEGER PRIMARY KEY,
  entries BIGINT NOT NULL,
  last_id BIGINT NOT NULL,
  last_hash TEXT NOT NULL
);
