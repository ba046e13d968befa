#include "domain/photos.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <type_traits>

#include <boost/json.hpp>

#include "common/dates.h"
#include "common/text.h"
#include "domain/audited_setting.h"
#include "domain/photo_codec.h"

namespace kp {
namespace {

constexpr const char* kMaxBytesKey = "photo_max_bytes";
constexpr const char* kMaxPerItemKey = "photo_max_per_item";
constexpr size_t kMaxCaptionBytes = 300;
constexpr int64_t kMinMaxBytes = 64 * 1024;
constexpr int64_t kMaxMaxBytes = 60LL << 20;  // below the server's 64 MiB body limit
constexpr int kMaxMaxPerItem = 500;
constexpr int64_t kMiB = 1 << 20;

std::string MiB(int64_t bytes) {
  const int64_t tenths = (bytes * 10 + kMiB / 2) / kMiB;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " MB";
}

std::string LimitsJson(const PhotoLimits& l) {
  return boost::json::serialize(boost::json::object{{kMaxBytesKey, l.max_bytes}, {kMaxPerItemKey, l.max_per_item}});
}

}  // namespace

namespace {

// The limits as stored (a key not stored, or not a positive number, keeps its default).
PhotoLimits LimitsOf(const StoredSettings& stored) {
  PhotoLimits l;
  auto read = [&](const char* key, auto& field) {
    auto it = stored.find(key);
    if (it == stored.end() || !it->second) return;
    std::remove_reference_t<decltype(field)> x = 0;
    const std::string& v = *it->second;
    if (std::from_chars(v.data(), v.data() + v.size(), x).ec == std::errc() && x > 0) field = x;
  };
  read(kMaxBytesKey, l.max_bytes);
  read(kMaxPerItemKey, l.max_per_item);
  return l;
}

}  // namespace

Result<PhotoLimits> Photos::Limits() {
  StoredSettings stored;
  for (const char* key : {kMaxBytesKey, kMaxPerItemKey}) {
    auto v = store_.GetSetting(key);
    if (!v.ok()) return v.status();
    stored[key] = *v;
  }
  return LimitsOf(stored);
}

Status Photos::SaveLimits(const PhotoLimits& l, const Actor& by) {
  if (l.max_bytes < kMinMaxBytes || l.max_bytes > kMaxMaxBytes) {
    return InvalidArgument("照片大小上限应在 64 KB 到 60 MB 之间 (photo size limit out of range)", kMaxBytesKey);
  }
  if (l.max_per_item < 1 || l.max_per_item > kMaxMaxPerItem) {
    return InvalidArgument("每项照片数上限应为 1-500 (photos per item out of range)", kMaxPerItemKey);
  }
  AuditEntry e;
  e.actor = by.login;
  e.ip = by.ip;
  e.action = "update";
  e.entity = "photo_limits";
  return SaveAuditedSettings(store_, {{kMaxBytesKey, std::to_string(l.max_bytes)}, {kMaxPerItemKey, std::to_string(l.max_per_item)}},
                             {kMaxBytesKey, kMaxPerItemKey}, LimitsJson(l), e,
                             [](const StoredSettings& stored) -> Result<std::string> { return LimitsJson(LimitsOf(stored)); });
}

Result<std::string> Photos::NormaliseRef(PhotoKind kind, const std::string& ref) {
  if (kind == PhotoKind::kReport) {
    auto ym = ParseYearMonth(ref);
    if (!ym.ok()) return InvalidArgument("月报月份应为 YYYY-MM (ref: the report's month, YYYY-MM)", "ref");
    return ym->ToString();
  }
  int64_t id = 0;
  auto [p, ec] = std::from_chars(ref.data(), ref.data() + ref.size(), id);
  if (ec != std::errc() || p != ref.data() + ref.size() || id <= 0) {
    return InvalidArgument(std::string("ref 应为") + (kind == PhotoKind::kNode ? "节点" : kind == PhotoKind::kProblem ? "问题" : "督导") +
                               "编号 (ref: the " + PhotoKindName(kind) + "'s id)",
                           "ref");
  }
  return std::to_string(id);
}

Result<PhotoAdded> Photos::Add(const PhotoTarget& t, std::string_view bytes, const Actor& by) {
  auto limits = Limits();
  if (!limits.ok()) return limits.status();
  // The cheap checks first: nothing is decoded for a file that cannot be taken.
  if (bytes.empty()) return InvalidArgument("没有收到照片文件 (no photo file in the request)", "file");
  if (static_cast<int64_t>(bytes.size()) > limits->max_bytes) {
    return Status(ErrorCode::kPayloadTooLarge,
                  "照片过大：" + MiB(static_cast<int64_t>(bytes.size())) + "，上限 " + MiB(limits->max_bytes) +
                      " (the photo is too large: at most " + MiB(limits->max_bytes) + ")",
                  "file");
  }
  if (t.caption.size() > kMaxCaptionBytes) return InvalidArgument("照片说明过长 (caption too long)", "caption");
  if (std::string why = TextProblem(t.caption, TextShape::kSingleLine); !why.empty()) return InvalidArgument(why, "caption");
  if (t.phase != PhotoPhase::kNone && t.kind != PhotoKind::kProblem) {
    return InvalidArgument("只有问题的照片分整改前、整改后 (phase: only a problem's photos are before or after)", "phase");
  }
  auto ref = NormaliseRef(t.kind, t.ref);
  if (!ref.ok()) return ref.status();
  auto exists = photos_.ItemExists(t.project_id, t.kind, *ref);
  if (!exists.ok()) return exists.status();
  if (!*exists) {
    return InvalidArgument(std::string("该项目没有这个") +
                               (t.kind == PhotoKind::kReport ? "月份的月报" : t.kind == PhotoKind::kNode ? "节点" : t.kind == PhotoKind::kProblem ? "问题" : "督导记录") +
                               " (the project has no such " + PhotoKindName(t.kind) + ": " + *ref + ")",
                           "ref");
  }
  auto count = photos_.CountOn(t.project_id, t.kind, *ref);
  if (!count.ok()) return count.status();
  if (*count >= limits->max_per_item) {
    return InvalidArgument("该事项的照片已达上限 " + std::to_string(limits->max_per_item) + " 张 (too many photos on this item)", "file");
  }
  auto processed = ProcessPhoto(bytes, kMaxPhotoPixels, kPhotoThumbSize);
  if (!processed.ok()) return processed.status();
  Photo p;
  p.project_id = t.project_id;
  p.kind = t.kind;
  p.ref = *ref;
  p.caption = t.caption;
  p.phase = t.phase;
  p.sha256 = Sha256Hex(bytes);
  p.mime = processed->info.mime;
  p.width = processed->info.width;
  p.height = processed->info.height;
  p.bytes = static_cast<int64_t>(bytes.size());
  p.taken_at = processed->info.taken_at;
  p.lat_e6 = processed->info.lat_e6;
  p.lon_e6 = processed->info.lon_e6;
  // Blobs before the row: a row never names a missing blob (a crash in between leaves an unnamed blob).
  if (Status s = blobs_->Put(p.sha256, bytes); !s.ok()) return s;
  if (Status s = blobs_->Put(ThumbKey(p.sha256), processed->thumb_jpeg); !s.ok()) return s;
  PhotoAdded out;
  auto saved = photos_.Add(p, limits->max_per_item, by, &out.added);
  if (!saved.ok()) return saved.status();
  out.photo = std::move(*saved);
  return out;
}

Result<std::vector<Photo>> Photos::List(int64_t project_id, std::optional<PhotoKind> kind, const std::string& ref) {
  std::string r = ref;
  if (kind && !ref.empty()) {
    auto n = NormaliseRef(*kind, ref);
    if (!n.ok()) return n.status();
    r = *n;
  }
  return photos_.List(project_id, kind, r);
}

Result<std::vector<GalleryMonth>> Photos::Gallery(int64_t project_id) {
  auto all = photos_.List(project_id, std::nullopt, "");
  if (!all.ok()) return all.status();
  std::map<std::string, std::vector<Photo>> by_month;
  for (Photo& p : *all) {
    const std::string& when = p.taken_at ? *p.taken_at : p.uploaded_at;
    by_month[when.substr(0, 7)].push_back(std::move(p));
  }
  std::vector<GalleryMonth> out;
  for (auto& [month, photos] : by_month) {
    std::stable_sort(photos.begin(), photos.end(), [](const Photo& a, const Photo& b) {
      return a.taken_at.value_or(a.uploaded_at) < b.taken_at.value_or(b.uploaded_at);
    });
    out.push_back({month, std::move(photos)});
  }
  return out;
}

}  // namespace kp
