// Operations against the real binary, on SQLite and PostgreSQL: backup and restore (also while
// the server writes), `audit verify` on a log tampered with in the database, /metrics,
// /api/openapi.json against the route table, `serve --config`, the JSON access log, and the
// README's operations commands run as written.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "../pg_test_database.h"
#include "demo_copy.h"
#include "http_client.h"

namespace kp::testing {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

const std::string kBin = KP_BINARY;
const std::string kSourceDir = KP_SOURCE_DIR;
const std::map<std::string, std::string> kJson = {{"Content-Type", "application/json"}};
const char* kStats = " stats --year 2024 --month 3 --by region --format json";

// A shell word: single-quoted, with any single quote in it closed, escaped and reopened.
std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

fs::path TempDir() {
  auto dir = fs::temp_directory_path() / ("kp-ops-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

class OpsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      const std::string u = PgTestDatabase::Url();  // this process's own database
      if (u.empty() && !std::getenv("KP_ALLOW_NO_PG")) FAIL() << "no PostgreSQL: run the tests through scripts/with-postgres.sh (make test does), or set KP_ALLOW_NO_PG=1 to skip its cases";
      if (u.empty()) GTEST_SKIP() << "KP_TEST_PG_URL not set";
      db_ = u;
    } else {
      db_ = NewSqliteUrl();
    }
    LoadDemo();
  }

  // The demo, with its random passwords read back from the logins file.
  void LoadDemo() {
    std::string logins = (TempDir() / ("logins-" + GetParam() + ".txt")).string();
    ASSERT_EQ(DemoCopy::Load(kBin, db_, logins), "");  // a copy of one `demo --reset` (demo_copy.h)
    std::istringstream in(Slurp(logins));
    for (std::string line; std::getline(in, line);) {
      size_t t1 = line.find('\t'), t2 = line.find('\t', t1 + 1);
      passwords_[line.substr(0, t1)] = line.substr(t1 + 1, t2 - t1 - 1);
    }
    ASSERT_EQ(passwords_.count("admin"), 1u);
  }
  std::string AdminLogin() const {
    return R"({"login":"admin","password":")" + passwords_.at("admin") + R"("})";
  }
  void TearDown() override {
    for (const std::string& name : made_databases_) RunCommand("psql -q " + Quote(db_) + " -c 'DROP DATABASE IF EXISTS " + name + "' 2>&1");
  }

  static std::string NewSqliteUrl() {
    static int n = 0;
    auto path = TempDir() / ("ops" + std::to_string(++n) + ".db");
    fs::remove(path);
    return path.string();
  }

  // An empty database of the same backend.
  std::string EmptyDatabase() {
    if (GetParam() != "postgresql") return NewSqliteUrl();
    static int n = 0;
    std::string name = "kp_ops_" + std::to_string(::getpid()) + "_" + std::to_string(++n);
    auto [code, out] = RunCommand("psql -q " + Quote(db_) + " -c 'DROP DATABASE IF EXISTS " + name + "' -c 'CREATE DATABASE " +
                                  name + "' 2>&1");
    EXPECT_EQ(code, 0) << out;
    made_databases_.push_back(name);
    return db_.substr(0, db_.rfind('/') + 1) + name;
  }

  std::pair<int, std::string> Kp(const std::string& db, const std::string& args) {
    return RunCommand(kBin + " --db " + Quote(db) + " " + args + " 2>&1");
  }

  // Runs SQL on the database behind the store's back.
  void Sql(const std::string& sql) {
    std::string cmd = GetParam() == "postgresql" ? "psql -q -v ON_ERROR_STOP=1 " + Quote(db_) + " -c " + Quote(sql)
                                                 : "sqlite3 " + Quote(db_) + " " + Quote(sql);
    auto [code, out] = RunCommand(cmd + " 2>&1");
    ASSERT_EQ(code, 0) << sql << "\n" << out;
  }
  std::vector<int64_t> AuditIds() {
    std::string q = "SELECT id FROM audit_log ORDER BY id";
    auto [code, out] = RunCommand(GetParam() == "postgresql" ? "psql -qtA " + Quote(db_) + " -c " + Quote(q)
                                                             : "sqlite3 " + Quote(db_) + " " + Quote(q));
    std::vector<int64_t> ids;
    for (const std::string& l : Lines(out)) ids.push_back(std::stoll(l));
    return ids;
  }

  std::string db_;
  std::map<std::string, std::string> passwords_;
  std::vector<std::string> made_databases_;
};

TEST_P(OpsTest, ARestoredBackupHasTheSameFiguresAndAuditLog) {
  auto [c0, added] = RunCommand("echo 'Good#Pass1' | " + kBin + " --db " + Quote(db_) +
                                " user add clerk --role leader --password-stdin 2>&1");
  ASSERT_EQ(c0, 0) << added;
  std::string file = (TempDir() / ("backup-" + GetParam())).string();
  fs::remove(file);
  auto [c1, out1] = Kp(db_, "backup -o " + Quote(file));
  ASSERT_EQ(c1, 0) << out1;
  ASSERT_TRUE(fs::exists(file));
  EXPECT_FALSE(fs::exists(file + ".partial"));

  std::string target = EmptyDatabase();
  auto [c2, out2] = Kp(target, "restore " + Quote(file));
  ASSERT_EQ(c2, 0) << out2;
  EXPECT_NE(out2.find("audit log intact"), std::string::npos) << out2;

  auto [s1, stats_before] = Kp(db_, kStats);
  auto [s2, stats_after] = Kp(target, kStats);
  ASSERT_EQ(s1, 0);
  EXPECT_EQ(stats_before, stats_after);
  auto [v1, verify_before] = Kp(db_, "audit verify");
  auto [v2, verify_after] = Kp(target, "audit verify");
  EXPECT_EQ(v1, 0) << verify_before;
  EXPECT_EQ(v2, 0) << verify_after;
  EXPECT_EQ(verify_before, verify_after);  // same number of entries, same last hash: the same log
  auto [u, users] = Kp(target, "user list");
  EXPECT_NE(users.find("clerk"), std::string::npos);

  // The restored database goes on: a write there extends its own chain.
  auto [c3, out3] = RunCommand("echo 'Good#Pass1' | " + kBin + " --db " + Quote(target) +
                               " user add clerk2 --role leader --password-stdin 2>&1");
  EXPECT_EQ(c3, 0) << out3;
  EXPECT_EQ(Kp(target, "audit verify").first, 0);

  // Only into an empty database.
  auto [c4, out4] = Kp(target, "restore " + Quote(file));
  EXPECT_EQ(c4, 3) << out4;
  EXPECT_NE(out4.find("not empty"), std::string::npos) << out4;
  // Not a backup, or one of the other backend.
  std::string junk = (TempDir() / "junk.bin").string();
  std::ofstream(junk) << "hello";
  auto [c5, out5] = Kp(EmptyDatabase(), "restore " + Quote(junk));
  EXPECT_EQ(c5, 3) << out5;
}

TEST_P(OpsTest, ABackupTakenWhileTheServerWritesIsConsistent) {
  ServerProcess server(kBin, {"--db", db_, "serve", "--listen", "127.0.0.1:0", "--access-log", "off"});
  auto login = HttpCall(server.port(), "POST", "/api/auth/login", AdminLogin(), kJson);
  ASSERT_EQ(login.status, 200) << login.body;
  std::string cookie = login.set_cookies.at(0).substr(0, login.set_cookies.at(0).find(';'));
  std::string csrf = std::string(json::parse(login.body).at("csrf_token").as_string());
  std::map<std::string, std::string> h{{"Content-Type", "application/json"}, {"Cookie", cookie}, {"X-CSRF-Token", csrf}};
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      std::string body = R"({"code":"BK-)" + std::to_string(i) + R"(","name":"备份期间","level":"县重点","plan_year":2024,"plan_wan":10})";
      if (HttpCall(server.port(), "POST", "/api/projects", body, h).status == 201) ++written;
    }
  });
  while (written < 5) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::string file = (TempDir() / ("live-backup-" + GetParam())).string();
  auto [c1, out1] = Kp(db_, "backup -o " + Quote(file));
  int during = written;
  while (written < during + 5) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  stop = true;
  writer.join();
  ASSERT_EQ(c1, 0) << out1;

  std::string target = EmptyDatabase();
  auto [c2, out2] = Kp(target, "restore " + Quote(file));
  ASSERT_EQ(c2, 0) << out2;  // restore verifies the chain: a torn copy would fail here
  // Every project written before the backup began is there, none after it ended.
  auto [c3, count] = RunCommand(kBin + " --db " + Quote(target) + " stats --year 2024 --levels 县重点 --by level --format json");
  ASSERT_EQ(c3, 0) << count;
  auto [c4, full] = RunCommand(kBin + " --db " + Quote(db_) + " stats --year 2024 --levels 县重点 --by level --format json");
  int64_t restored = json::parse(count).at("total").at("projects").as_int64();
  int64_t now = json::parse(full).at("total").at("projects").as_int64();
  EXPECT_LT(restored, now);
  EXPECT_GE(restored, now - written);
}

TEST_P(OpsTest, AuditVerifyNamesTheFirstBadEntry) {
  auto [c0, intact] = Kp(db_, "audit verify");
  ASSERT_EQ(c0, 0) << intact;
  EXPECT_NE(intact.find("audit log intact"), std::string::npos);
  auto ids = AuditIds();
  ASSERT_GE(ids.size(), 8u);
  auto expect_bad = [&](int64_t id, const std::string& what) {
    auto [code, out] = Kp(db_, "audit verify");
    EXPECT_EQ(code, 4) << what << ": " << out;
    EXPECT_NE(out.find("first bad entry) id=" + std::to_string(id) + " "), std::string::npos) << what << ": " << out;
  };
  auto fresh_log = [&] {
    LoadDemo();
    ids = AuditIds();
    ASSERT_GE(ids.size(), 8u);
    ASSERT_EQ(Kp(db_, "audit verify").first, 0);
  };
  // A changed row.
  Sql("UPDATE audit_log SET actor = 'intruder' WHERE id = " + std::to_string(ids[3]));
  expect_bad(ids[3], "changed");
  // Two rows swapped.
  fresh_log();
  std::string a = std::to_string(ids[2]), b = std::to_string(ids[4]);
  Sql("UPDATE audit_log SET id = -1 WHERE id = " + a);
  Sql("UPDATE audit_log SET id = " + a + " WHERE id = " + b);
  Sql("UPDATE audit_log SET id = " + b + " WHERE id = -1");
  expect_bad(ids[2], "swapped");
  // A deleted row: the next one no longer follows.
  fresh_log();
  Sql("DELETE FROM audit_log WHERE id = " + std::to_string(ids[5]));
  expect_bad(ids[6], "deleted");
  // The last row deleted: the head no longer agrees.
  fresh_log();
  Sql("DELETE FROM audit_log WHERE id = " + std::to_string(ids.back()));
  auto [code, out] = Kp(db_, "audit verify");
  EXPECT_EQ(code, 4) << out;
  EXPECT_NE(out.find("last id " + std::to_string(ids.back())), std::string::npos) << out;
}

TEST_P(OpsTest, MetricsCountRequestsSignInsAndTheCacheGeneration) {
  ServerProcess server(kBin, {"--db", db_, "serve", "--listen", "127.0.0.1:0", "--access-log", "off", "--max-body-kb", "1"});
  int port = server.port();
  EXPECT_EQ(HttpCall(port, "POST", "/api/auth/login", R"({"login":"admin","password":"wrong"})", kJson).status, 401);
  auto login = HttpCall(port, "POST", "/api/auth/login", AdminLogin(), kJson);
  ASSERT_EQ(login.status, 200);
  std::string cookie = login.set_cookies.at(0).substr(0, login.set_cookies.at(0).find(';'));
  std::string csrf = std::string(json::parse(login.body).at("csrf_token").as_string());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(HttpCall(port, "GET", "/api/projects/999999", "", {{"Cookie", cookie}}).status, 404);
  EXPECT_EQ(HttpCall(port, "GET", "/api/projects").status, 401);
  // Over the body limit (signed in, so the head is admitted): refused by the transport, and counted.
  EXPECT_EQ(HttpCall(port, "POST", "/api/import/projects", std::string(2048, 'x'),
                     {{"Cookie", cookie}, {"X-CSRF-Token", csrf}})
                .status,
            413);
  auto generation = [&] {
    auto m = HttpCall(port, "GET", "/metrics");
    std::smatch match;
    EXPECT_TRUE(std::regex_search(m.body, match, std::regex("\nkeyproject_cache_generation ([0-9]+)\n"))) << m.body;
    return match.size() > 1 ? std::stoll(match[1]) : -1LL;
  };
  long long g0 = generation();
  auto created = HttpCall(port, "POST", "/api/projects", R"({"code":"M-1","name":"指标","level":"县重点"})",
                          {{"Cookie", cookie}, {"X-CSRF-Token", csrf}, {"Content-Type", "application/json"}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_GT(generation(), g0);

  auto m = HttpCall(port, "GET", "/metrics");
  EXPECT_EQ(m.status, 200);
  EXPECT_EQ(m.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  const std::string& t = m.body;
  auto has = [&](const std::string& line) { EXPECT_NE(t.find("\n" + line + "\n"), std::string::npos) << line << "\n" << t; };
  has(R"(keyproject_http_requests_total{route="/api/projects/{id}",method="GET",status="404"} 3)");
  has(R"(keyproject_http_requests_total{route="/api/projects",method="GET",status="401"} 1)");
  has(R"(keyproject_http_requests_total{route="/api/projects",method="POST",status="201"} 1)");
  has(R"(keyproject_http_requests_total{route="refused",method="POST",status="413"} 1)");
  has(R"(keyproject_sign_ins_total{result="ok"} 1)");
  has(R"(keyproject_sign_ins_total{result="failed"} 1)");
  has(R"(keyproject_http_request_duration_seconds_bucket{route="/api/projects/{id}",method="GET",le="+Inf"} 3)");
  has(R"(keyproject_http_request_duration_seconds_count{route="/api/projects/{id}",method="GET"} 3)");
  has("# TYPE keyproject_http_request_duration_seconds histogram");
  // The cache was confirmed equal to the change log within the follower's poll (200 ms on SQLite,
  // 1 s on PostgreSQL): a few seconds at most on a busy machine.
  std::smatch lag;
  ASSERT_TRUE(std::regex_search(t, lag, std::regex("\nkeyproject_cache_lag_seconds ([0-9.e+-]+)\n"))) << t;
  EXPECT_GE(std::stod(lag[1]), 0.0);
  EXPECT_LT(std::stod(lag[1]), 5.0);
  EXPECT_NE(t.find("\nkeyproject_change_seq "), std::string::npos);
  // Buckets are cumulative.
  std::regex bucket(R"re(keyproject_http_request_duration_seconds_bucket\{route="/api/projects/\{id\}",method="GET",le="[^"]+"\} ([0-9]+))re");
  long long last = 0;
  int buckets = 0;
  for (std::sregex_iterator it(t.begin(), t.end(), bucket), end; it != end; ++it, ++buckets) {
    long long v = std::stoll((*it)[1]);
    EXPECT_GE(v, last);
    last = v;
  }
  EXPECT_EQ(buckets, 13);
  EXPECT_EQ(last, 3);
}

TEST_P(OpsTest, TheOpenApiDescriptionListsEveryRegisteredRouteWithItsRoles) {
  auto [code, table] = RunCommand(kBin + " routes");
  ASSERT_EQ(code, 0);
  ServerProcess server(kBin, {"--db", db_, "serve", "--listen", "127.0.0.1:0", "--access-log", "off"});
  auto r = HttpCall(server.port(), "GET", "/api/openapi.json");
  ASSERT_EQ(r.status, 200);
  json::value doc = json::parse(r.body);
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  const json::object& paths = doc.at("paths").as_object();
  size_t operations = 0;
  for (const auto& [path, item] : paths) operations += item.as_object().size();
  std::vector<std::string> routes = Lines(table);
  EXPECT_EQ(operations, routes.size());
  std::set<std::string> operation_ids;
  for (const std::string& line : routes) {
    std::istringstream in(line);
    std::string method, pattern, roles;
    in >> method >> pattern >> roles;
    std::string m = method;
    for (char& c : m) c = static_cast<char>(std::tolower(c));
    ASSERT_TRUE(paths.contains(pattern)) << pattern;
    ASSERT_TRUE(paths.at(pattern).as_object().contains(m)) << line;
    const json::object& op = paths.at(pattern).at(m).as_object();
    std::string listed;
    for (const auto& role : op.at("x-roles").as_array()) listed += (listed.empty() ? "" : ",") + std::string(role.as_string());
    EXPECT_EQ(listed, roles) << line;
    EXPECT_EQ(op.at("security").as_array().empty(), roles == "public") << line;
    EXPECT_TRUE(operation_ids.insert(std::string(op.at("operationId").as_string())).second) << line;
    size_t params = 0;
    for (size_t at = pattern.find('{'); at != std::string::npos; at = pattern.find('{', at + 1)) ++params;
    size_t path_params = 0;
    if (op.contains("parameters")) {
      for (const auto& p : op.at("parameters").as_array()) path_params += p.at("in").as_string() == "path";
    }
    EXPECT_EQ(path_params, params) << line;
  }
  EXPECT_NE(table.find("GET /metrics public"), std::string::npos);
  EXPECT_NE(table.find("GET /api/openapi.json public"), std::string::npos);
}

TEST_P(OpsTest, ServeTakesEveryFlagFromAConfigFileAndTheCommandLineWins) {
  std::string log = (TempDir() / ("access-" + GetParam() + ".log")).string();
  fs::remove(log);
  std::string conf = (TempDir() / "serve.conf").string();
  std::ofstream(conf) << "# KeyProject\n"
                      << "db = " << db_ << "\n"
                      << "listen = 127.0.0.1:1\n"
                      << "threads = 2\n"
                      << "web = \"/nonexistent\"\n"
                      << "max-body-kb = 1\n"
                      << "read_timeout_seconds = 30   # underscores work too\n"
                      << "body-timeout-seconds = 60\n"
                      << "session-idle-seconds = 600\n"
                      << "access-log = " << log << "\n";
  // The file's port 1 would fail: the command line's --listen wins; the rest comes from the file.
  ServerProcess server(kBin, {"serve", "--config", conf, "--listen", "127.0.0.1:0"});
  int port = server.port();
  auto login = HttpCall(port, "POST", "/api/auth/login", AdminLogin(), kJson);
  ASSERT_EQ(login.status, 200) << login.body;  // the demo database from the file's db
  EXPECT_EQ(HttpCall(port, "POST", "/api/auth/login", std::string(2048, 'x')).status, 413);  // max-body-kb = 1
  EXPECT_EQ(HttpCall(port, "GET", "/api/nothing").status, 404);
  EXPECT_EQ(server.Terminate(10000), 0);
  std::vector<std::string> lines = Lines(Slurp(log));
  ASSERT_EQ(lines.size(), 3u) << Slurp(log);
  json::object first = json::parse(lines[0]).as_object();  // structured: one JSON object a line
  EXPECT_EQ(first.at("method").as_string(), "POST");
  EXPECT_EQ(first.at("path").as_string(), "/api/auth/login");
  EXPECT_EQ(first.at("route").as_string(), "/api/auth/login");
  EXPECT_EQ(first.at("status").as_int64(), 200);
  EXPECT_FALSE(first.at("request_id").as_string().empty());
  EXPECT_TRUE(first.at("duration_ms").is_double());
  // A body over the limit is refused by the transport, and logged like the rest.
  EXPECT_EQ(json::parse(lines[1]).at("status").as_int64(), 413);
  EXPECT_EQ(json::parse(lines[1]).at("route").as_string(), "refused");
  EXPECT_EQ(json::parse(lines[1]).at("path").as_string(), "/api/auth/login");
  EXPECT_EQ(json::parse(lines[2]).at("status").as_int64(), 404);
  EXPECT_EQ(json::parse(lines[2]).at("route").as_string(), "unmatched");

  std::string bad = (TempDir() / "bad.conf").string();
  std::ofstream(bad) << "listen = 127.0.0.1:0\n\n# fine so far\nlisen = 127.0.0.1:0\n";
  auto [c1, out1] = RunCommand(kBin + " serve --config " + Quote(bad) + " 2>&1");
  EXPECT_EQ(c1, 3);
  EXPECT_NE(out1.find(bad + ":4: "), std::string::npos) << out1;
  EXPECT_NE(out1.find("unknown key) 'lisen'"), std::string::npos) << out1;
  std::ofstream(bad) << "threads = 0\n";
  auto [c2, out2] = RunCommand(kBin + " serve --config " + Quote(bad) + " 2>&1");
  EXPECT_EQ(c2, 3);
  EXPECT_NE(out2.find(bad + ":1: "), std::string::npos) << out2;
}

// The code blocks of a README section: each block's lines.
std::vector<std::vector<std::string>> ReadmeBlocks(const std::string& heading) {
  std::string readme = Slurp(kSourceDir + "/README.md");
  size_t start = readme.find("\n" + heading + "\n");
  EXPECT_NE(start, std::string::npos) << heading;
  size_t end = readme.find("\n## ", start + 1);
  std::istringstream in(readme.substr(start, end - start));
  std::vector<std::vector<std::string>> blocks;
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("```")) {
      inside = !inside;
      if (inside) blocks.emplace_back();
    } else if (inside) {
      blocks.back().push_back(line);
    }
  }
  return blocks;
}

TEST(Readme, TheOperationsCommandsRunAsWritten) {
  fs::path dir = TempDir() / "readme";
  fs::remove_all(dir);
  fs::create_directories(dir / "build");
  fs::create_symlink(kBin, dir / "build" / "keyproject");
  auto in_dir = [&](const std::string& cmd) { return RunCommand("cd " + Quote(dir.string()) + " && " + cmd + " 2>&1"); };
  auto [c0, demo] = in_dir("build/keyproject --db data/county.db demo --reset");
  ASSERT_EQ(c0, 0) << demo;
  auto blocks = ReadmeBlocks("## Operations");
  ASSERT_EQ(blocks.size(), 2u);
  // The config file example, as keyproject.conf.
  std::ofstream conf(dir / "keyproject.conf");
  for (const std::string& line : blocks[1]) conf << line << "\n";
  conf.close();
  int ran = 0;
  for (const std::string& line : blocks[0]) {
    ASSERT_TRUE(line.starts_with("build/keyproject ")) << line;
    if (line.find(" serve ") != std::string::npos) {
      // As written, but on a free port: 8080 may be taken on a shared machine (a flag wins over the file).
      std::vector<std::string> args;
      std::istringstream words(line.substr(std::string("build/keyproject ").size()));
      for (std::string w; words >> w;) args.push_back(w);
      args.insert(args.end(), {"--listen", "127.0.0.1:0"});
      fs::path back = fs::current_path();
      fs::current_path(dir);
      {
        ServerProcess server(kBin, args);
        fs::current_path(back);
        EXPECT_EQ(HttpCall(server.port(), "GET", "/healthz").status, 200) << line;
        EXPECT_EQ(server.Terminate(10000), 0);
      }
      EXPECT_NE(Slurp((dir / "access.log").string()).find("\"route\":\"/healthz\""), std::string::npos) << line;
    } else {
      auto [code, out] = in_dir(line);
      EXPECT_EQ(code, 0) << line << "\n" << out;
      if (line.find("audit verify") != std::string::npos) {
        EXPECT_NE(out.find("audit log intact"), std::string::npos) << out;
      }
    }
    ++ran;
  }
  EXPECT_EQ(ran, 4);
  auto [c1, a] = in_dir("build/keyproject --db data/county.db stats --year 2024 --month 3 --format json");
  auto [c2, b] = in_dir("build/keyproject --db data/restored.db stats --year 2024 --month 3 --format json");
  EXPECT_EQ(a, b);
}

INSTANTIATE_TEST_SUITE_P(Backends, OpsTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kp::testing
