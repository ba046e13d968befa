-- Photo evidence (形象进度): a photo attached to a project's monthly report, node, problem or visit.
-- The bytes live in the blob store, content-addressed by SHA-256 (one copy per content); a row here
-- is one attachment. The same bytes attached twice to the same item are one row; to two items, two
-- rows over one blob.
CREATE TABLE photos (
  id @ID@,
  project_id BIGINT NOT NULL REFERENCES projects(id),
  kind TEXT NOT NULL,          -- report node problem visit
  ref TEXT NOT NULL,           -- YYYY-MM (report) or the node's, problem's or visit's id
  caption TEXT NOT NULL DEFAULT '',
  sha256 TEXT NOT NULL,        -- the original's, lower-case hex: its name in the blob store
  mime TEXT NOT NULL,          -- image/jpeg image/png image/heic image/webp: what the bytes are
  width INTEGER NOT NULL,      -- as displayed (EXIF orientation applied)
  height INTEGER NOT NULL,
  bytes BIGINT NOT NULL,
  taken_at TEXT,               -- EXIF DateTimeOriginal as written by the camera, "YYYY-MM-DDTHH:MM:SS"
  gps_lat_e6 BIGINT,           -- EXIF GPS in millionths of a degree (north, east positive)
  gps_lon_e6 BIGINT,
  uploaded_by TEXT NOT NULL,
  uploaded_at TEXT NOT NULL,
  UNIQUE (project_id, kind, ref, sha256)
);
CREATE INDEX photos_item ON photos(project_id, kind, ref);
CREATE INDEX photos_sha ON photos(sha256);
