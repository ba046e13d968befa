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

// Whether an Accept-Encoding header accepts `coding` (a listed token without q=0).
bool Accepts(std::string_view header, std::string_view coding) {
  size_t i = 0;
  while (i < header.size()) {
    size_t j = header.find(',', i);
    if (j == std::string_view::npos) j = header.size();
    std::string_view part = header.substr(i, j - i);
    i = j + 1;
    size_t semi = part.find(';');
    std::string_view name = part.substr(0, semi);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name != coding) continue;
    if (semi == std::string_view::npos) return true;
    std::string_view params = part.substr(semi + 1);
    size_t q = params.find("q=");
    if (q == std::string_view::npos) return true;
    std::string_view v = params.substr(q + 2);
    return !(v.starts_with("0") && v.find_first_not_of("0. ") == std::string_view::npos);
  }
  return false;
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
    files_[rel] = File{ss.str(), TypeOf(rel), {}, {}};
  }
  // X.br and X.gz are variants of X, not files of their own.
  for (const char* ext : {".br", ".gz"}) {
    for (auto it = files_.begin(); it != files_.end();) {
      auto base = it->first.ends_with(ext) ? files_.find(it->first.substr(0, it->first.size() - 3)) : files_.end();
      if (base == files_.end()) {
        ++it;
        continue;
      }
      (ext[1] == 'b' ? base->second.br : base->second.gz) = std::move(it->second.body);
      it = files_.erase(it);
    }
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
  const File& f = it->second;
  r.content_type = f.type;
  const std::string accept = req.Header("accept-encoding");
  if (!f.br.empty() && Accepts(accept, "br")) {
    r.body = f.br;
    r.headers.emplace_back("Content-Encoding", "br");
  } else if (!f.gz.empty() && Accepts(accept, "gzip")) {
    r.body = f.gz;
    r.headers.emplace_back("Content-Encoding", "gzip");
  } else {
    r.body = f.body;
  }
  if (!f.br.empty() || !f.gz.empty()) r.headers.emplace_back("Vary", "Accept-Encoding");
  bool hashed = req.path.starts_with("/assets/");
  r.headers.emplace_back("Cache-Control", is_index || !hashed ? "no-cache" : "public, max-age=31536000, immutable");
  return r;
}

}  // namespace kp::http
