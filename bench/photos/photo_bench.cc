// Photo upload cost on one core: an ~8 MB phone-sized JPEG (4032 × 3024, noisy like a real photo)
// → checked, EXIF read, thumbnail made, original and thumbnail stored (SHA-256, temp + fsync +
// rename) and the row written: Photos::Add, as the API calls it, on a fresh SQLite database.
// Each round uploads different bytes (a counter in a JPEG comment segment), so nothing is deduplicated.
//   kp_bench_photos [--rounds N] [--write-jpeg PATH [--width W --height H --quality Q]]
// --write-jpeg only writes a test photo (for bench/photos/upload_rss.py) and exits.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "domain/milestones.h"
#include "domain/photo_codec.h"
#include "domain/photos.h"
#include "domain/register.h"
#include "stats/stats_engine.h"
#include "store/store.h"

namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double, std::milli>(b - a).count(); }

// The JPEG with a comment segment (FF FE) holding `n` right after its SOI marker: other bytes, same picture.
std::string Variant(const std::string& jpeg, int n) {
  const std::string text = "kp-bench-" + std::to_string(n);
  const size_t len = text.size() + 2;
  std::string seg = {'\xFF', '\xFE', static_cast<char>(len >> 8), static_cast<char>(len & 0xff)};
  return jpeg.substr(0, 2) + seg + text + jpeg.substr(2);
}

struct Summary {
  double min, median, max;
};
Summary Summarise(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v.front(), v[v.size() / 2], v.back()};
}

}  // namespace

int main(int argc, char** argv) {
  // One core: libvips's own worker threads off, before it starts.
  setenv("VIPS_CONCURRENCY", "1", 1);
  int rounds = 15, width = 4032, height = 3024, quality = 90;
  std::string write_jpeg;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--rounds") rounds = std::atoi(argv[i + 1]);
    if (a == "--write-jpeg") write_jpeg = argv[i + 1];
    if (a == "--width") width = std::atoi(argv[i + 1]);
    if (a == "--height") height = std::atoi(argv[i + 1]);
    if (a == "--quality") quality = std::atoi(argv[i + 1]);
  }
  kp::SyntheticPhoto spec;
  spec.width = width;
  spec.height = height;
  spec.noise = true;
  spec.quality = quality;
  spec.taken_at = "2024-03-15T10:20:30";
  spec.lat = 31.0339;
  spec.lon = 104.6785;
  auto made = kp::MakeSyntheticPhoto(spec);
  if (!made.ok()) {
    std::cerr << made.status().message() << "\n";
    return 1;
  }
  if (!write_jpeg.empty()) {
    std::ofstream(write_jpeg, std::ios::binary) << *made;
    std::cout << write_jpeg << ": " << made->size() << " bytes, " << width << "x" << height << "\n";
    return 0;
  }
  const std::string& jpeg = *made;
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("kp-photo-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto store = kp::store::Store::Open((dir / "bench.db").string());
  if (!store.ok() || !(*store)->Migrate().ok()) {
    std::cerr << "cannot open the bench database\n";
    return 1;
  }
  kp::stats::StatsEngine engine;
  kp::Register reg(**store, engine);
  kp::ProjectImportRow row;
  row.project.code = "BENCH-1";
  row.project.name = "照片基准项目";
  row.project.level = kp::Level::kCounty;
  row.project.status = "在建";
  if (!reg.ImportProjectRows({row}, "bench").ok()) return 1;
  const int64_t pid = (*store)->ListProjects({})->items.at(0).id;
  kp::Milestones ms(**store, reg);
  std::vector<int64_t> nodes;
  for (int i = 0; i * 20 < rounds + 1; ++i) {
    kp::ProjectNode n;
    n.project_id = pid;
    n.name = "节点" + std::to_string(i);
    nodes.push_back(ms.CreateNode(n, "bench")->id);
  }
  kp::Photos photos(**store, std::make_unique<kp::FolderBlobStore>((dir / "blobs").string()));

  // Warm-up (libvips start, first allocation of its buffers), not counted.
  if (auto w = kp::ProcessPhoto(Variant(jpeg, -1), kp::kMaxPhotoPixels, kp::kPhotoThumbSize); !w.ok()) {
    std::cerr << w.status().message() << "\n";
    return 1;
  }
  std::vector<double> decode, sha, add;
  for (int r = 0; r < rounds; ++r) {
    const std::string bytes = Variant(jpeg, r);
    auto t0 = Clock::now();
    auto p = kp::ProcessPhoto(bytes, kp::kMaxPhotoPixels, kp::kPhotoThumbSize);
    auto t1 = Clock::now();
    const std::string hash = kp::Sha256Hex(bytes);
    auto t2 = Clock::now();
    decode.push_back(Ms(t0, t1));
    sha.push_back(Ms(t1, t2));
    const kp::PhotoTarget target{pid, kp::PhotoKind::kNode, std::to_string(nodes[r / 20]), ""};
    auto t3 = Clock::now();
    auto added = photos.Add(target, bytes, "bench");
    auto t4 = Clock::now();
    if (!added.ok() || !added->added || !p.ok() || hash != added->photo.sha256) {
      std::cerr << "round " << r << ": " << (added.ok() ? "not added" : added.status().message()) << "\n";
      return 1;
    }
    add.push_back(Ms(t3, t4));
  }
  auto d = Summarise(decode), s = Summarise(sha), a = Summarise(add);
  std::cout << "photo: " << width << "x" << height << " JPEG, " << jpeg.size() << " bytes (" << jpeg.size() / 1048576.0
            << " MiB), " << rounds << " rounds, VIPS_CONCURRENCY=1\n";
  std::cout << "ProcessPhoto (check, EXIF, thumbnail)  min " << d.min << " ms  median " << d.median << " ms  max " << d.max << " ms\n";
  std::cout << "SHA-256                                min " << s.min << " ms  median " << s.median << " ms  max " << s.max << " ms\n";
  std::cout << "Photos::Add (all of it, stored + row)  min " << a.min << " ms  median " << a.median << " ms  max " << a.max << " ms\n";
  fs::remove_all(dir);
  return a.median <= 400 ? 0 : 2;
}
