#include "http/static_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace kp::http {
namespace {

// A built app in a temporary folder: index.html with variants, a hashed asset with a gzip variant only.
class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("kp_static_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_ / "assets");
    Write("index.html", "<html>plain</html>");
    Write("index.html.br", "BR-INDEX");
    Write("index.html.gz", "GZ-INDEX");
    Write("assets/app-1a2b.js", "console.log(1)");
    Write("assets/app-1a2b.js.gz", "GZ-JS");
    Write("favicon.ico", "ICO");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& rel, const std::string& body) { std::ofstream(dir_ / rel, std::ios::binary) << body; }
  static Request Get(const std::string& path, const std::string& accept) {
    Request r;
    r.method = "GET";
    r.path = path;
    if (!accept.empty()) r.headers["accept-encoding"] = accept;
    return r;
  }
  static std::string HeaderOf(const Response& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }
  std::filesystem::path dir_;
};

TEST_F(StaticFilesTest, ServesBrotliThenGzipByAcceptEncoding) {
  StaticFiles files(dir_.string());
  EXPECT_EQ(files.size(), 3u);  // the variants are not files of their own
  Response br = files.Serve(Get("/index.html", "gzip, deflate, br"));
  EXPECT_EQ(br.body, "BR-INDEX");
  EXPECT_EQ(HeaderOf(br, "Content-Encoding"), "br");
  EXPECT_EQ(HeaderOf(br, "Vary"), "Accept-Encoding");
  EXPECT_EQ(br.content_type, "text/html; charset=utf-8");
  Response gz = files.Serve(Get("/index.html", "gzip"));
  EXPECT_EQ(gz.body, "GZ-INDEX");
  EXPECT_EQ(HeaderOf(gz, "Content-Encoding"), "gzip");
  Response plain = files.Serve(Get("/index.html", ""));
  EXPECT_EQ(plain.body, "<html>plain</html>");
  EXPECT_EQ(HeaderOf(plain, "Content-Encoding"), "");
  EXPECT_EQ(HeaderOf(plain, "Vary"), "Accept-Encoding");
  Response refused = files.Serve(Get("/index.html", "br;q=0, gzip;q=0.5"));
  EXPECT_EQ(refused.body, "GZ-INDEX");
}

TEST_F(StaticFilesTest, HashedAssetsAreImmutableAndTheIndexRevalidates) {
  StaticFiles files(dir_.string());
  Response js = files.Serve(Get("/assets/app-1a2b.js", "br, gzip"));
  EXPECT_EQ(js.body, "GZ-JS");  // no .br built for it
  EXPECT_EQ(HeaderOf(js, "Cache-Control"), "public, max-age=31536000, immutable");
  Response route = files.Serve(Get("/projects", "br"));  // history routing gets the index
  EXPECT_EQ(route.body, "BR-INDEX");
  EXPECT_EQ(HeaderOf(route, "Cache-Control"), "no-cache");
  Response ico = files.Serve(Get("/favicon.ico", "br"));
  EXPECT_EQ(ico.body, "ICO");
  EXPECT_EQ(HeaderOf(ico, "Vary"), "");
  EXPECT_EQ(files.Serve(Get("/assets/app-1a2b.js.gz", "")).status, 404);
}

}  // namespace
}  // namespace kp::http
