#pragma once
// The built single-page app, read once into memory and served from there. Pre-compressed variants
// made at web build time (X.br, X.gz beside X) are served to clients that accept them, with
// Vary: Accept-Encoding; hashed files under /assets/ are cached for a year, everything else revalidated.
#include <string>
#include <unordered_map>

#include "http/request.h"

namespace kp::http {

class StaticFiles {
 public:
  // Reads every file under dir (e.g. web/dist). Missing dir: an explanatory page is served.
  explicit StaticFiles(const std::string& dir);
  // Serves a file by path; unknown paths without an extension get index.html (history routing).
  Response Serve(const Request& req) const;
  size_t size() const { return files_.size(); }

 private:
  struct File {
    std::string body;
    std::string type;
    std::string br, gz;  // pre-compressed bodies, empty when none was built
  };
  std::unordered_map<std::string, File> files_;
};

}  // namespace kp::http
