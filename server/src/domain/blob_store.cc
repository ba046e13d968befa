#include "domain/blob_store.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace kp {
namespace {

constexpr size_t kShaHexLength = 64;

Status WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Internal(std::string("blob write: ") + std::strerror(errno));
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

void SyncDir(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

bool ValidBlobKey(const std::string& key) {
  if (key.size() < kShaHexLength) return false;
  for (size_t i = 0; i < key.size(); ++i) {
    char c = key[i];
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    bool suffix = hex || (c >= 'a' && c <= 'z') || c == '.';
    if (i < kShaHexLength ? !hex : !suffix) return false;
  }
  return true;
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 0xf]);
  }
  return out;
}

std::string DefaultBlobDir(const std::string& db_url) {
  if (db_url.starts_with("postgres") || db_url == ":memory:" || db_url == "sqlite::memory:") return "data/blobs";
  std::string path = db_url.starts_with("sqlite:") ? db_url.substr(7) : db_url;
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return (parent.empty() ? std::filesystem::path("blobs") : parent / "blobs").string();
}

std::string FolderBlobStore::PathOf(const std::string& key) const {
  return (std::filesystem::path(root_) / key.substr(0, 2) / key.substr(2, 2) / key).string();
}

Status FolderBlobStore::Put(const std::string& key, std::string_view bytes) {
  if (!ValidBlobKey(key)) return Internal("bad blob key: " + key);
  const std::filesystem::path target = PathOf(key);
  std::error_code ec;
  if (std::filesystem::exists(target, ec)) return Status::Ok();
  const std::filesystem::path tmp_dir = std::filesystem::path(root_) / "tmp";
  std::filesystem::create_directories(tmp_dir, ec);
  std::filesystem::create_directories(target.parent_path(), ec);
  if (ec) return Internal("blob folder " + target.parent_path().string() + ": " + ec.message());
  static std::atomic<uint64_t> counter{0};
  const std::filesystem::path tmp =
      tmp_dir / (key + "." + std::to_string(::getpid()) + "." + std::to_string(counter.fetch_add(1)));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return Internal("blob temp " + tmp.string() + ": " + std::strerror(errno));
  Status s = WriteAll(fd, bytes);
  if (s.ok() && durable_ && ::fsync(fd) != 0) s = Internal(std::string("blob fsync: ") + std::strerror(errno));
  ::close(fd);
  if (s.ok() && ::rename(tmp.c_str(), target.c_str()) != 0) {
    s = Internal(std::string("blob rename: ") + std::strerror(errno));
  }
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return s;
  }
  if (durable_) SyncDir(target.parent_path());
  return Status::Ok();
}

Result<std::string> FolderBlobStore::Get(const std::string& key) {
  if (!ValidBlobKey(key)) return NotFound("no such blob");
  std::ifstream in(PathOf(key), std::ios::binary);
  if (!in) return NotFound("照片文件不存在 (photo file missing): " + key);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<bool> FolderBlobStore::Exists(const std::string& key) {
  if (!ValidBlobKey(key)) return false;
  std::error_code ec;
  return std::filesystem::exists(PathOf(key), ec);
}

}  // namespace kp
