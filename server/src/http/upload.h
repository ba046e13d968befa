#pragma once
// A request body that was streamed to a temporary file (a spreadsheet upload), mapped read-only
// into memory for the handler. The file is unlinked as soon as it is mapped, so nothing is left
// behind whatever happens; its pages belong to the page cache, not to the process's heap.
// Thread-safety: immutable after Map.
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kp::http {

class Upload {
 public:
  // Maps the file at path and unlinks it (also on failure).
  static Result<std::shared_ptr<const Upload>> Map(const std::string& path);
  // A fresh, private temporary file name for an upload (the file is not created).
  static std::string TempPath();
  ~Upload();
  Upload(const Upload&) = delete;
  Upload& operator=(const Upload&) = delete;

  std::string_view bytes() const { return {data_, size_}; }

 private:
  Upload(const char* data, size_t size) : data_(data), size_(size) {}
  const char* data_;
  size_t size_;
};

}  // namespace kp::http
