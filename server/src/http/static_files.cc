#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace kp::http {
namespace {

std::string TypeOf(const std::string& path) {
  static const std::unordered_map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},   {".json", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},             {".png", "image/png"},
      {".ico", "image/x-icon"},              {".woff2", "font/woff2"},
      {".woff", "font/woff"},                {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"}, {".map", "application/json"}};
  auto it = kTypes.find(std::filesystem::path(path).extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

}  // namespace

StaticFiles::StaticFiles(const std::string& dir) {
  std::error_code ec;
  if (dir.empty() || !std::filesystem::is_directory(dir, ec)) return;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string rel = "/" + std::filesystem::relative(entry.path(), dir).generic_string();
    files_[rel] = File{ss.str(), TypeOf(rel)};
  }
}

Response StaticFiles::Serve(const Request& req) const {
  Response r;
  auto it = files_.find(req.path);
  bool is_index = false;
  if (it == files_.end()) {
    if (std::filesystem::path(req.path).has_extension()) {
      return ErrorResponse(NotFound("文件不存在 (no such file): " + req.path));
    }
    it = files_.find("/index.html");
    is_index = true;
  }
  if (it == files_.end()) {
    r.content_type = "text/html; charset=utf-8";
    r.body =
        "<!doctype html><meta charset=utf-8><title>KeyProject</title><p>前端尚未构建 (the web app is not built): "
        "run <code>make build</code>, then start <code>keyproject serve --web web/dist</code>.</p>";
    return r;
  }
  r.content_type = it->second.type;
  r.body = it->second.body;
  bool hashed = req.path.starts_with("/assets/");
  r.headers.emplace_back("Cache-Control", is_index || !hashed ? "no-cache" : "public, max-age=31536000, immutable");
  return r;
}

}  // namespace kp::http
