// Photo evidence: the checks on the bytes (type, wholeness, pixels, size), EXIF time and GPS,
// content-addressed blobs (one copy per content), the item a photo goes to, the count limit, and
// the gallery by month, on SQLite and PostgreSQL.
#include "domain/photos.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>

#include <soci/soci.h>

#include "domain/milestones.h"
#include "domain/photo_codec.h"
#include "domain/problems.h"
#include "test_db.h"

namespace kp {
namespace {

namespace fs = std::filesystem;

std::string Jpeg(int seed = 0, std::optional<std::string> taken = std::nullopt) {
  SyntheticPhoto s;
  s.seed = seed;
  s.taken_at = std::move(taken);
  auto bytes = MakeSyntheticPhoto(s);
  EXPECT_TRUE(bytes.ok()) << bytes.status().message();
  return bytes.ok() ? *bytes : "";
}

// A PNG that says it is 100000 × 100000 pixels (1-bit grey) in a few hundred bytes.
std::string PngBomb() {
  auto be32 = [](uint32_t v) {
    return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                       static_cast<char>(v)};
  };
  auto chunk = [&](const std::string& type, const std::string& data) {
    std::string td = type + data;
    uLong crc = crc32(0, reinterpret_cast<const Bytef*>(td.data()), static_cast<uInt>(td.size()));
    return be32(static_cast<uint32_t>(data.size())) + td + be32(static_cast<uint32_t>(crc));
  };
  constexpr uint32_t kSide = 100000;
  std::string ihdr = be32(kSide) + be32(kSide) + std::string{1, 0, 0, 0, 0};  // depth 1, grey
  std::string raw(1 + kSide / 8, '\0');                                          // one row of zeros
  uLongf zlen = compressBound(static_cast<uLong>(raw.size()));
  std::string z(zlen, '\0');
  compress(reinterpret_cast<Bytef*>(z.data()), &zlen, reinterpret_cast<const Bytef*>(raw.data()),
           static_cast<uLong>(raw.size()));
  z.resize(zlen);
  return std::string("\x89PNG\r\n\x1A\n", 8) + chunk("IHDR", ihdr) + chunk("IDAT", z) + chunk("IEND", "");
}

TEST(PhotoCodec, ReadsTheCameraTimeAndGpsFromAJpegsExif) {
  SyntheticPhoto s;
  s.width = 320;
  s.height = 200;
  s.taken_at = "2024-03-15T09:41:07";
  s.lat = 31.034567;
  s.lon = -104.678901;
  auto bytes = MakeSyntheticPhoto(s);
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  auto p = ProcessPhoto(*bytes, kMaxPhotoPixels, kPhotoThumbSize);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->info.mime, "image/jpeg");
  EXPECT_EQ(p->info.width, 320);
  EXPECT_EQ(p->info.height, 200);
  EXPECT_EQ(p->info.taken_at, "2024-03-15T09:41:07");
  ASSERT_TRUE(p->info.lat_e6 && p->info.lon_e6);
  EXPECT_NEAR(*p->info.lat_e6, 31'034'567, 1);  // seconds are written to 1/10000″ (≈ 0.03 µ°)
  EXPECT_NEAR(*p->info.lon_e6, -104'678'901, 1);
  EXPECT_EQ(SniffPhotoType(p->thumb_jpeg), "image/jpeg");
  // Without a position, none is written or read (not 0°, 0°), and the time stays.
  s.lat.reset();
  s.lon.reset();
  auto unplaced = ProcessPhoto(*MakeSyntheticPhoto(s), kMaxPhotoPixels, kPhotoThumbSize);
  ASSERT_TRUE(unplaced.ok()) << unplaced.status().message();
  EXPECT_FALSE(unplaced->info.lat_e6);
  EXPECT_FALSE(unplaced->info.lon_e6);
  EXPECT_EQ(unplaced->info.taken_at, "2024-03-15T09:41:07");
}

TEST(PhotoCodec, AppliesTheExifOrientationToTheSizeAndTheThumbnail) {
  SyntheticPhoto s;
  s.width = 600;
  s.height = 300;
  s.orientation = 6;  // the phone was held upright: shown 300 × 600
  auto p = ProcessPhoto(*MakeSyntheticPhoto(s), kMaxPhotoPixels, 100);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->info.width, 300);
  EXPECT_EQ(p->info.height, 600);
  auto thumb = ProcessPhoto(p->thumb_jpeg, kMaxPhotoPixels, 100);
  ASSERT_TRUE(thumb.ok());
  EXPECT_EQ(thumb->info.width, 50);
  EXPECT_EQ(thumb->info.height, 100);
}

TEST(PhotoCodec, TakesPngWebpAndHeicByTheirBytes) {
  for (const char* format : {"png", "webp", "heic"}) {
    SyntheticPhoto s;
    s.width = 256;
    s.height = 128;
    s.format = format;
    auto bytes = MakeSyntheticPhoto(s);
    ASSERT_TRUE(bytes.ok()) << format << ": " << bytes.status().message();
    auto p = ProcessPhoto(*bytes, kMaxPhotoPixels, kPhotoThumbSize);
    ASSERT_TRUE(p.ok()) << format << ": " << p.status().message();
    EXPECT_EQ(p->info.mime, std::string("image/") + format);
    EXPECT_EQ(p->info.width, 256) << format;
    EXPECT_EQ(p->info.height, 128) << format;
    EXPECT_FALSE(p->thumb_jpeg.empty()) << format;
  }
}

TEST(PhotoCodec, RejectsAProgramATruncatedJpegAndADecompressionBomb) {
  const std::string exe = std::string("\x7F" "ELF\x02\x01\x01", 7) + std::string(4000, '\x90');
  auto e = ProcessPhoto(exe, kMaxPhotoPixels, kPhotoThumbSize);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(e.status().message().find("not a JPEG, PNG, HEIC or WebP image"), std::string::npos) << e.status().message();

  const std::string jpeg = Jpeg();
  auto t = ProcessPhoto(std::string_view(jpeg).substr(0, jpeg.size() * 2 / 3), kMaxPhotoPixels, kPhotoThumbSize);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("corrupt or truncated"), std::string::npos) << t.status().message();

  const std::string bomb = PngBomb();
  EXPECT_LT(bomb.size(), 2000u);
  auto b = ProcessPhoto(bomb, kMaxPhotoPixels, kPhotoThumbSize);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("100000×100000"), std::string::npos) << b.status().message();
}

class PhotosTest : public testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    blob_dir_ = fs::temp_directory_path() / ("kp-blobs-" + std::to_string(::getpid()) + "-" + GetParam());
    fs::remove_all(blob_dir_);
    photos_ = std::make_unique<Photos>(*store_, std::make_unique<FolderBlobStore>(blob_dir_.string()));
    std::vector<ProjectImportRow> rows;
    for (const char* code : {"P1", "P2"}) {
      ProjectImportRow r;
      r.project.code = code;
      r.project.name = std::string("项目") + code;
      r.project.level = Level::kCounty;
      r.project.status = "在建";
      r.project.unit = "县交通运输局";
      r.project.owner = "业主";
      rows.push_back(r);
    }
    ASSERT_TRUE(reg_->ImportProjectRows(rows, "test").ok());
    auto page = store_->ListProjects({});
    ASSERT_TRUE(page.ok());
    for (const Project& p : page->items) (p.code == "P1" ? p1_ : p2_) = p.id;
    ReportImportRow r;
    r.project_code = "P1";
    r.report.month = {2024, 3};
    r.report.completed = Money::FromWan(5);
    r.report.submitted_at = "2024-04-01T00:00:00Z";
    ASSERT_TRUE(reg_->ImportReportRows({r}, "test").ok());
    Milestones ms(*store_, *reg_);
    ProjectNode n;
    n.project_id = p2_;
    n.name = "开工";
    auto node = ms.CreateNode(n, "test");
    ASSERT_TRUE(node.ok()) << node.status().message();
    p2_node_ = node->id;
  }
  void TearDown() override { fs::remove_all(blob_dir_); }

  // Blob files (originals and thumbnails) in the store.
  int BlobFiles() {
    int n = 0;
    if (!fs::exists(blob_dir_)) return 0;
    for (const auto& e : fs::recursive_directory_iterator(blob_dir_)) n += e.is_regular_file();
    return n;
  }
  PhotoTarget March(const std::string& caption = "") { return {p1_, PhotoKind::kReport, "2024-03", caption}; }

  fs::path blob_dir_;
  std::unique_ptr<Photos> photos_;
  int64_t p1_ = 0, p2_ = 0, p2_node_ = 0;
};

TEST_P(PhotosTest, APhotoIsStoredOnceByItsContentWithAThumbnail) {
  const std::string jpeg = Jpeg(1, "2024-03-20T08:00:00");
  auto a = photos_->Add(March("东立面"), jpeg, "owner1");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_TRUE(a->added);
  EXPECT_EQ(a->photo.sha256, Sha256Hex(jpeg));
  EXPECT_EQ(a->photo.caption, "东立面");
  EXPECT_EQ(a->photo.uploaded_by, "owner1");
  EXPECT_EQ(a->photo.taken_at, "2024-03-20T08:00:00");
  EXPECT_EQ(*photos_->Original(a->photo), jpeg);
  EXPECT_EQ(SniffPhotoType(*photos_->Thumb(a->photo)), "image/jpeg");
  EXPECT_EQ(BlobFiles(), 2);  // original + thumbnail

  // The same bytes on the same item again: the attachment there is answered, nothing new stored.
  auto again = photos_->Add(March(), jpeg, "owner2");
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_FALSE(again->added);
  EXPECT_EQ(again->photo.id, a->photo.id);
  // The same bytes on another item: a second attachment over the same blob.
  auto other = photos_->Add({p2_, PhotoKind::kNode, std::to_string(p2_node_), ""}, jpeg, "owner1");
  ASSERT_TRUE(other.ok()) << other.status().message();
  EXPECT_TRUE(other->added);
  EXPECT_NE(other->photo.id, a->photo.id);
  EXPECT_EQ(BlobFiles(), 2);
  EXPECT_EQ(photos_->List(p1_, std::nullopt, "")->size(), 1u);
  EXPECT_EQ(photos_->List(p2_, PhotoKind::kNode, std::to_string(p2_node_))->size(), 1u);

  // Detaching one leaves the blob to the other.
  ASSERT_TRUE(photos_->Remove(a->photo, "admin").ok());
  EXPECT_TRUE(photos_->List(p1_, std::nullopt, "")->empty());
  EXPECT_EQ(*photos_->Original(other->photo), jpeg);
}

TEST_P(PhotosTest, ABadOrOversizedFileIsRefusedAndNothingIsStored) {
  const std::string jpeg = Jpeg(2);
  struct Case {
    const char* what;
    std::string bytes;
    ErrorCode code;
    const char* says;
  };
  const std::vector<Case> cases = {
      {"a renamed .exe", std::string("MZ\x90\x00\x03", 5) + std::string(5000, 'x'), ErrorCode::kInvalidArgument,
       "not a JPEG, PNG, HEIC or WebP image"},
      {"a truncated JPEG", jpeg.substr(0, jpeg.size() / 2), ErrorCode::kInvalidArgument, "corrupt or truncated"},
      {"a decompression bomb", PngBomb(), ErrorCode::kInvalidArgument, "too large"},
      {"a 50 MB file", jpeg + std::string((50 << 20) - jpeg.size(), '\0'), ErrorCode::kPayloadTooLarge,
       "the photo is too large: at most 20.0 MB"},
      {"nothing", "", ErrorCode::kInvalidArgument, "no photo file"},
  };
  for (const Case& c : cases) {
    auto r = photos_->Add(March(), c.bytes, "owner1");
    ASSERT_FALSE(r.ok()) << c.what;
    EXPECT_EQ(r.status().code(), c.code) << c.what;
    EXPECT_NE(r.status().message().find(c.says), std::string::npos) << c.what << ": " << r.status().message();
    EXPECT_EQ(r.status().field(), "file") << c.what;
  }
  EXPECT_TRUE(photos_->List(p1_, std::nullopt, "")->empty());
  EXPECT_EQ(BlobFiles(), 0);
}

TEST_P(PhotosTest, APhotoGoesOnlyToAnItemOfItsOwnProject) {
  const std::string jpeg = Jpeg(3);
  const std::vector<std::pair<PhotoTarget, const char*>> refused = {
      {{p1_, PhotoKind::kReport, "2024-02", ""}, "no such report"},           // no February report
      {{p1_, PhotoKind::kReport, "2024-13", ""}, "YYYY-MM"},
      {{p1_, PhotoKind::kNode, std::to_string(p2_node_), ""}, "no such node"},  // P2's node
      {{p1_, PhotoKind::kNode, "abc", ""}, "node's id"},
      {{p1_, PhotoKind::kProblem, "1", ""}, "no such problem"},
      {{p1_, PhotoKind::kVisit, "1", ""}, "no such visit"},
  };
  for (const auto& [t, says] : refused) {
    auto r = photos_->Add(t, jpeg, "owner1");
    ASSERT_FALSE(r.ok()) << says;
    EXPECT_EQ(r.status().field(), "ref") << says;
    EXPECT_NE(r.status().message().find(says), std::string::npos) << r.status().message();
  }
  EXPECT_EQ(BlobFiles(), 0);
  auto ok = photos_->Add({p2_, PhotoKind::kNode, " " + std::to_string(p2_node_), ""}, jpeg, "owner1");
  EXPECT_FALSE(ok.ok()) << "a ref is digits only";
  EXPECT_TRUE(photos_->Add({p2_, PhotoKind::kNode, std::to_string(p2_node_), ""}, jpeg, "owner1").ok());
}

TEST_P(PhotosTest, AProblemsPhotoKeepsItsPhaseAndOtherItemsTakeNone) {
  Problems problems(*store_, *reg_);
  User admin;
  admin.login = "admin";
  admin.role = Role::kAdmin;
  Problem raise;
  raise.project_id = p1_;
  raise.category = "用地";
  raise.text = "围挡破损";
  raise.source = "现场督导";
  raise.raised_on = {2024, 3, 1};
  auto problem = problems.Raise(raise, admin, "admin");
  ASSERT_TRUE(problem.ok()) << problem.status().message();
  const std::string ref = std::to_string(problem->id);
  auto before = photos_->Add({p1_, PhotoKind::kProblem, ref, "", PhotoPhase::kBefore}, Jpeg(11), "admin");
  ASSERT_TRUE(before.ok()) << before.status().message();
  auto after = photos_->Add({p1_, PhotoKind::kProblem, ref, "", PhotoPhase::kAfter}, Jpeg(12), "dept1");
  ASSERT_TRUE(after.ok()) << after.status().message();
  auto unsaid = photos_->Add({p1_, PhotoKind::kProblem, ref, ""}, Jpeg(13), "dept1");
  ASSERT_TRUE(unsaid.ok()) << unsaid.status().message();
  // As read back from the database, in upload order.
  auto listed = photos_->List(p1_, PhotoKind::kProblem, ref);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].phase, PhotoPhase::kBefore);
  EXPECT_EQ((*listed)[1].phase, PhotoPhase::kAfter);
  EXPECT_EQ((*listed)[2].phase, PhotoPhase::kNone);
  EXPECT_EQ(photos_->Get(after->photo.id)->phase, PhotoPhase::kAfter);
  // A phase on a report's or a node's photo is refused, naming the field, and nothing is stored.
  const int blobs = BlobFiles();
  for (const PhotoTarget& t : {PhotoTarget{p1_, PhotoKind::kReport, "2024-03", "", PhotoPhase::kAfter},
                               PhotoTarget{p2_, PhotoKind::kNode, std::to_string(p2_node_), "", PhotoPhase::kBefore}}) {
    auto r = photos_->Add(t, Jpeg(14), "owner1");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().field(), "phase");
  }
  EXPECT_EQ(BlobFiles(), blobs);
  EXPECT_TRUE(photos_->List(p1_, PhotoKind::kReport, "2024-03")->empty());
  EXPECT_EQ(ParsePhotoPhase("after"), PhotoPhase::kAfter);
  EXPECT_EQ(ParsePhotoPhase(""), PhotoPhase::kNone);
  EXPECT_FALSE(ParsePhotoPhase("later").has_value());
}

TEST_P(PhotosTest, TheLimitsAreSettingsAndTheCountIsKeptPerItem) {
  EXPECT_EQ(photos_->Limits()->max_bytes, 20 << 20);
  EXPECT_EQ(photos_->Limits()->max_per_item, 20);
  ASSERT_TRUE(photos_->SaveLimits({1 << 20, 2}, "admin").ok());
  EXPECT_EQ(photos_->Limits()->max_per_item, 2);
  EXPECT_FALSE(photos_->SaveLimits({1 << 20, 0}, "admin").ok());
  ASSERT_TRUE(photos_->Add(March(), Jpeg(4), "owner1").ok());
  ASSERT_TRUE(photos_->Add(March(), Jpeg(5), "owner1").ok());
  auto third = photos_->Add(March(), Jpeg(6), "owner1");
  ASSERT_FALSE(third.ok());
  EXPECT_NE(third.status().message().find("too many photos"), std::string::npos) << third.status().message();
  EXPECT_EQ(BlobFiles(), 4);
  auto big = photos_->Add({p2_, PhotoKind::kNode, std::to_string(p2_node_), ""}, Jpeg(7) + std::string(1 << 20, '\0'),
                          "owner1");
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().code(), ErrorCode::kPayloadTooLarge);
  // Limits that cannot be read are an error (and no photo is taken), not a crash.
  auto parsed = store::ParseDbUrl(url_);
  ASSERT_TRUE(parsed.ok());
  soci::session raw(parsed->postgres ? "postgresql" : "sqlite3", parsed->connect);
  raw << "ALTER TABLE settings RENAME TO settings_away";
  auto unread = photos_->Limits();
  EXPECT_FALSE(unread.ok());
  EXPECT_EQ(unread.status().code(), ErrorCode::kInternal);
  auto refused = photos_->Add({p2_, PhotoKind::kNode, std::to_string(p2_node_), ""}, Jpeg(12), "owner1");
  EXPECT_FALSE(refused.ok());
  raw << "ALTER TABLE settings_away RENAME TO settings";
  EXPECT_EQ(BlobFiles(), 4);
  EXPECT_EQ(photos_->Limits()->max_per_item, 2);
}

TEST_P(PhotosTest, TheGalleryGroupsByTheMonthThePhotoWasTaken) {
  ASSERT_TRUE(photos_->Add(March(), Jpeg(8, "2024-01-31T23:59:59"), "u").ok());
  ASSERT_TRUE(photos_->Add(March(), Jpeg(9, "2024-03-02T10:00:00"), "u").ok());
  ASSERT_TRUE(photos_->Add(March(), Jpeg(10, "2024-03-01T10:00:00"), "u").ok());
  ASSERT_TRUE(photos_->Add(March(), Jpeg(11), "u").ok());  // no EXIF time: the upload's month
  auto g = photos_->Gallery(p1_);
  ASSERT_TRUE(g.ok());
  ASSERT_EQ(g->size(), 3u);
  EXPECT_EQ((*g)[0].month, "2024-01");
  EXPECT_EQ((*g)[1].month, "2024-03");
  ASSERT_EQ((*g)[1].photos.size(), 2u);
  EXPECT_EQ((*g)[1].photos[0].taken_at, "2024-03-01T10:00:00");
  EXPECT_EQ((*g)[2].month, NowIso().substr(0, 7));
  EXPECT_TRUE(photos_->Gallery(p2_)->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, PhotosTest, ::testing::Values("sqlite", "postgresql"), testing::BackendName);

TEST(FolderBlobStore, KeepsBlobsUnderTheirHashAndNeverAHalfWrittenOne) {
  const fs::path dir = fs::temp_directory_path() / ("kp-blobstore-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  FolderBlobStore blobs(dir.string());
  const std::string bytes = "hello";
  const std::string key = Sha256Hex(bytes);
  EXPECT_EQ(key, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  EXPECT_FALSE(*blobs.Exists(key));
  ASSERT_TRUE(blobs.Put(key, bytes).ok());
  EXPECT_TRUE(fs::exists(dir / "2c" / "f2" / key));
  EXPECT_TRUE(*blobs.Exists(key));
  EXPECT_EQ(*blobs.Get(key), bytes);
  ASSERT_TRUE(blobs.Put(key, bytes).ok()) << "a second put of the same content is a no-op";
  EXPECT_TRUE(fs::is_empty(dir / "tmp")) << "no temporary file is left behind";
  EXPECT_FALSE(blobs.Put("../../etc/passwd", bytes).ok());
  EXPECT_FALSE(blobs.Get("../" + key).ok());
  EXPECT_EQ(DefaultBlobDir("data/keyproject.db"), "data/blobs");
  EXPECT_EQ(DefaultBlobDir("sqlite:/srv/kp/county.db"), "/srv/kp/blobs");
  EXPECT_EQ(DefaultBlobDir("postgresql://kp@localhost/kp"), "data/blobs");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace kp
