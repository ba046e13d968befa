#pragma once
// Where photo bytes live: content-addressed blobs behind a small interface, so that an
// S3-compatible store can replace the folder later. A key is the lower-case hex SHA-256 of the
// original's bytes, optionally followed by a suffix of [a-z0-9.] (".thumb.jpg" for a thumbnail).
// Thread-safety: implementations are safe to call from several threads.
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kp {

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  // Stores bytes under key, once: a key already present is left as it is (same key, same bytes).
  virtual Status Put(const std::string& key, std::string_view bytes) = 0;
  virtual Result<std::string> Get(const std::string& key) = 0;
  virtual Result<bool> Exists(const std::string& key) = 0;
};

// Blobs as files under a folder: <root>/ab/cd/<key> (ab, cd: the key's first two byte pairs).
// Each is written to <root>/tmp, fsynced and renamed into place, so a crash never leaves half a blob
// under its name. durable=false skips the fsyncs (the demo, whose data can be made again).
class FolderBlobStore : public BlobStore {
 public:
  explicit FolderBlobStore(std::string root, bool durable = true) : root_(std::move(root)), durable_(durable) {}
  Status Put(const std::string& key, std::string_view bytes) override;
  Result<std::string> Get(const std::string& key) override;
  Result<bool> Exists(const std::string& key) override;
  // The file of a key (whether or not it exists). REQUIRES: ValidBlobKey(key).
  std::string PathOf(const std::string& key) const;
  const std::string& root() const { return root_; }

 private:
  std::string root_;
  bool durable_;
};

bool ValidBlobKey(const std::string& key);
// Lower-case hex SHA-256 of bytes.
std::string Sha256Hex(std::string_view bytes);
// The blob folder of a database: <the SQLite file's folder>/blobs, or data/blobs for PostgreSQL and
// an in-memory database.
std::string DefaultBlobDir(const std::string& db_url);

}  // namespace kp
