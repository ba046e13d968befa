-- Regions are renamed in place, and retired rather than deleted: a retired region is hidden from pickers and
-- kept for history (old audit entries and deleted projects name it). A merged region is retired with the
-- region it went into.
ALTER TABLE regions ADD COLUMN retired_at TEXT;
ALTER TABLE regions ADD COLUMN merged_into BIGINT REFERENCES regions(id);
