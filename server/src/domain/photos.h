#pragma once
// Photo evidence (形象进度): photos attached to a project's monthly report, node, problem or visit.
// The rules: what a photo may be (the bytes, not the name: JPEG, PNG, HEIC, WebP; whole; at most
// photo_max_bytes and kMaxPhotoPixels), where it may go (an item of the project that exists), how
// many (photo_max_per_item), and who may remove it. Originals and thumbnails go to the BlobStore by
// SHA-256 (one copy per content); the rows to store/photo_store. A rejected file stores nothing.
// Who may see or add to which project is the caller's (api: CanSee) to check.
// Thread-safety: safe to call from several threads (image work runs outside any lock).
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/blob_store.h"
#include "store/photo_store.h"
#include "store/store.h"

namespace kp {

inline constexpr int64_t kMaxPhotoPixels = 200'000'000;  // a 200-megapixel phone sensor; more is a bomb
inline constexpr int kPhotoThumbSize = 400;              // the thumbnail's longer side, pixels

struct PhotoLimits {
  int64_t max_bytes = 20LL << 20;  // setting photo_max_bytes
  int max_per_item = 20;           // setting photo_max_per_item
};

struct PhotoTarget {
  int64_t project_id = 0;
  PhotoKind kind = PhotoKind::kReport;
  std::string ref;
  std::string caption;
  PhotoPhase phase = PhotoPhase::kNone;  // 整改前/整改后: a problem's photo only
};

struct PhotoAdded {
  Photo photo;
  bool added = true;  // false: the same bytes were already on the item (that attachment is returned)
};

// A project's photos of one month (taken_at's month, else the upload's).
struct GalleryMonth {
  std::string month;  // YYYY-MM
  std::vector<Photo> photos;
};

class Photos {
 public:
  Photos(store::Store& store, std::unique_ptr<BlobStore> blobs)
      : photos_(store.db()), store_(store), blobs_(std::move(blobs)) {}

  Result<PhotoLimits> Limits();
  Status SaveLimits(const PhotoLimits& l, const Actor& by);

  // Checks and stores one photo. REQUIRES: the caller may add photos to t.project_id.
  Result<PhotoAdded> Add(const PhotoTarget& t, std::string_view bytes, const Actor& by);
  Result<Photo> Get(int64_t id) { return photos_.Get(id); }
  // kind/ref narrow the list when given (ref only with kind).
  Result<std::vector<Photo>> List(int64_t project_id, std::optional<PhotoKind> kind, const std::string& ref);
  Result<std::vector<GalleryMonth>> Gallery(int64_t project_id);
  Result<std::vector<Photo>> LatestOf(const std::vector<int64_t>& project_ids, int per_project) {
    return photos_.LatestOf(project_ids, per_project);
  }
  Result<std::string> Original(const Photo& p) { return blobs_->Get(p.sha256); }
  Result<std::string> Thumb(const Photo& p) { return blobs_->Get(ThumbKey(p.sha256)); }
  // Detaches the photo; its blob stays (other attachments may share it).
  Status Remove(const Photo& p, const Actor& by) { return photos_.Remove(p.id, by); }

  // The canonical ref of a kind ("2024-03" for a report, a positive id's digits otherwise), or the error.
  static Result<std::string> NormaliseRef(PhotoKind kind, const std::string& ref);
  static std::string ThumbKey(const std::string& sha256) { return sha256 + ".thumb.jpg"; }
  BlobStore& blobs() { return *blobs_; }

 private:
  store::PhotoStore photos_;
  store::Store& store_;
  std::unique_ptr<BlobStore> blobs_;
};

}  // namespace kp
