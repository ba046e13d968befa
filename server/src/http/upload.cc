#include "http/upload.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <random>

namespace kp::http {

std::string Upload::TempPath() {
  static std::atomic<uint64_t> counter{0};
  static const uint32_t salt = std::random_device{}();
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
  if (ec) dir = "/tmp";
  return (dir / ("kp-upload-" + std::to_string(::getpid()) + "-" + std::to_string(salt) + "-" +
                 std::to_string(++counter)))
      .string();
}

Result<std::shared_ptr<const Upload>> Upload::Map(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  ::unlink(path.c_str());
  if (fd < 0) return Internal("无法读取上传的文件 (cannot open the upload)");
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return Internal("无法读取上传的文件 (cannot stat the upload)");
  }
  const size_t size = static_cast<size_t>(st.st_size);
  if (size == 0) {
    ::close(fd);
    return std::shared_ptr<const Upload>(new Upload("", 0));
  }
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);  // the mapping keeps the file alive
  if (p == MAP_FAILED) return Internal("无法读取上传的文件 (cannot map the upload)");
  return std::shared_ptr<const Upload>(new Upload(static_cast<const char*>(p), size));
}

Upload::~Upload() {
  if (size_ > 0) ::munmap(const_cast<char*>(data_), size_);
}

}  // namespace kp::http
