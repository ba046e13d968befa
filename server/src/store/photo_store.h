#pragma once
// SQL of photo attachments (photos), over the store's shared connection (db.h). The bytes are not
// here: they live in the blob store under the photo's sha256. Every write is one transaction with
// its audit entry.
// Thread-safety: as the Store (calls are serialised on the connection).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/model.h"

namespace kp {

// What a photo is attached to.
enum class PhotoKind { kReport, kNode, kProblem, kVisit };
const char* PhotoKindName(PhotoKind k);
std::optional<PhotoKind> ParsePhotoKind(const std::string& s);

// Which side of the 整改 a problem's photo shows: 整改前 (as found) or 整改后 (the fix). Other items'
// photos have none.
enum class PhotoPhase { kNone, kBefore, kAfter };
const char* PhotoPhaseName(PhotoPhase p);  // "", "before", "after"
std::optional<PhotoPhase> ParsePhotoPhase(const std::string& s);

// One attachment: a photo (by content) on one item of one project.
struct Photo {
  int64_t id = 0;
  int64_t project_id = 0;
  PhotoKind kind = PhotoKind::kReport;
  std::string ref;      // "YYYY-MM" for a report, else the node's, problem's or visit's id
  std::string caption;
  PhotoPhase phase = PhotoPhase::kNone;  // a problem's photo only
  std::string sha256;   // lower-case hex of the original's bytes
  std::string mime;
  int width = 0;
  int height = 0;
  int64_t bytes = 0;
  std::optional<std::string> taken_at;  // "YYYY-MM-DDTHH:MM:SS", camera time (no zone)
  std::optional<int64_t> lat_e6, lon_e6;  // millionths of a degree
  std::string uploaded_by;
  std::string uploaded_at;  // UTC, NowIso()
};

namespace store {

class Db;

class PhotoStore {
 public:
  explicit PhotoStore(Db& db) : db_(db) {}

  // Whether the item exists and belongs to the project (a report: that month's report row; a node:
  // its project_nodes row; a problem: its problems row; a visit: a stop at the project).
  Result<bool> ItemExists(int64_t project_id, PhotoKind kind, const std::string& ref);
  // Photos of the item.
  Result<int> CountOn(int64_t project_id, PhotoKind kind, const std::string& ref);
  // Attaches p (id and uploaded_* set here), unless the same bytes are already on the item: then
  // that attachment, with *added false. `max_per_item` is checked in the same transaction.
  Result<Photo> Add(const Photo& p, int max_per_item, const Actor& by, bool* added);
  Result<Photo> Get(int64_t id);
  // The project's photos, oldest first; kind and ref narrow it when given.
  Result<std::vector<Photo>> List(int64_t project_id, std::optional<PhotoKind> kind, const std::string& ref);
  // The newest `per_project` photos of each project (by camera time, else upload time, then id), grouped
  // by project in the order of the ids, newest first: one query.
  Result<std::vector<Photo>> LatestOf(const std::vector<int64_t>& project_ids, int per_project);
  // Removes the attachment (the blob stays: other attachments may share it).
  Status Remove(int64_t id, const Actor& by);
  // How many attachments use these bytes.
  Result<int64_t> CountSha(const std::string& sha256);

 private:
  Db& db_;
};

}  // namespace store
}  // namespace kp
