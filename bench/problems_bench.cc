// kp_bench_problems: problem-list figures and list pages at province scale (issue 11's speed
// targets: 100k problems, figures by unit as of any date ≤ 20 ms; a filtered page of the list
// ≤ 50 ms on SQLite and PostgreSQL), side by side with the same questions asked in SQL.
//
//   kp_bench_problems [--projects=N] [--problems=N] [--db=URL]...
//
// For each database (default bench/out/problems.db; add --db=postgresql://… for PostgreSQL):
// loads a generated province's projects through the product's write path, inserts the problems in
// batches through the problem store (events and audit chain included), then times, as medians of
// repeated runs: the figures by unit as of several dates (Problems::Stats: the first call loads
// the cache, shown apart), a department's open page and an overdue page (Problems::List), and the
// same figures and pages in SQL over the same tables. The SQL answers are checked equal to ours,
// so a benchmark that computes the wrong thing fails.
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "domain/problems.h"
#include "domain/register.h"
#include "province_generator.h"
#include "province_loader.h"
#include "stats/stats_engine.h"
#include "store/store.h"

namespace kp::bench {
namespace {

constexpr int kRuns = 11;
constexpr double kFiguresTargetMs = 20, kPageTargetMs = 50;

// The figures by lead unit as of {D}, as the product defines them (no reopenings in this data).
constexpr const char* kSqlFigures =
    "SELECT p.lead_unit, COUNT(*), "
    "SUM(CASE WHEN p.state = 'closed' AND p.closed_on <= '{D}' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN NOT (p.state = 'closed' AND p.closed_on <= '{D}') AND p.deadline < '{D}' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN p.state = 'closed' AND p.closed_on <= '{D}' AND (p.deadline IS NULL OR p.closed_on <= p.deadline) "
    "THEN 1 ELSE 0 END) "
    "FROM problems p JOIN projects j ON j.id = p.project_id AND j.deleted = 0 WHERE p.raised_on <= '{D}' "
    "GROUP BY p.lead_unit";
// A department's open problems, by deadline (none last), first page.
constexpr const char* kSqlPage =
    "SELECT p.id, p.text, p.deadline, j.code, j.name FROM problems p JOIN projects j ON j.id = p.project_id "
    "AND j.deleted = 0 WHERE (p.lead_unit = :u OR j.unit = :u2) AND p.state <> 'closed' "
    "ORDER BY CASE WHEN p.deadline IS NULL THEN 1 ELSE 0 END, p.deadline, p.id LIMIT 50";

double Ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::string Replace(std::string s, const std::string& key, const std::string& value) {
  for (size_t at = s.find(key); at != std::string::npos; at = s.find(key, at + value.size())) s.replace(at, key.size(), value);
  return s;
}

struct Counts {
  int64_t raised = 0, closed = 0, overdue = 0, on_time = 0;
  bool operator==(const Counts&) const = default;
};

int Run(const std::string& url, const Province& province, int n_problems) {
  std::printf("== %s\n", url.c_str());
  auto store = store::Store::Open(url);
  if (!store.ok() || !(*store)->Migrate().ok()) {
    std::printf("cannot open %s\n", url.c_str());
    return 1;
  }
  auto t0 = std::chrono::steady_clock::now();
  auto loaded = LoadProvince(**store, province, 0);
  if (!loaded.ok()) {
    std::printf("load failed: %s\n", loaded.status().message().c_str());
    return 1;
  }
  std::printf("projects loaded: %zu in %.1f s\n", province.projects.size(), Ms(t0) / 1000);
  std::vector<int64_t> ids;
  std::vector<std::string> units;
  {
    store::ProjectQuery q;
    q.page_size = 0;
    auto list = (*store)->ListProjects(q);
    for (const Project& p : list->items) {
      ids.push_back(p.id);
      units.push_back(p.unit);
    }
  }
  const std::vector<std::string> cats = {"用地", "规划", "环评", "节能", "资金", "审批", "拆迁/征地", "水电气讯", "施工许可", "劳务", "其他"};
  const std::vector<std::string> sources = {"月报", "现场督导", "拉练", "业主反映", "领导交办"};
  std::mt19937 rng(20240630);
  std::vector<Problem> rows;
  for (int i = 0; i < n_problems; ++i) {
    const size_t k = rng() % ids.size();
    Problem p;
    p.project_id = ids[k];
    p.category = cats[rng() % cats.size()];
    p.source = sources[rng() % sources.size()];
    p.text = "问题 " + std::to_string(i);
    p.raised_by = "bench";
    p.raised_on = AddDays(Date{2024, 1, 1}, static_cast<int32_t>(rng() % 180));
    p.lead_unit = rng() % 10 < 7 ? units[k] : units[rng() % units.size()];
    p.person = "联络员";
    if (rng() % 10) p.deadline = AddDays(p.raised_on, 10 + static_cast<int32_t>(rng() % 50));
    const int state = static_cast<int>(rng() % 10);
    if (state < 6) {
      p.state = ProblemState::kClosed;
      p.closed_on = AddDays(p.raised_on, 1 + static_cast<int32_t>(rng() % 70));
    } else if (state < 9) {
      p.state = ProblemState::kWorking;
    } else {
      p.state = ProblemState::kAnswered;
    }
    rows.push_back(std::move(p));
  }
  store::ProblemStore ps((*store)->db());
  t0 = std::chrono::steady_clock::now();
  constexpr size_t kBatch = 10'000;
  for (size_t i = 0; i < rows.size(); i += kBatch) {
    std::vector<Problem> batch(rows.begin() + static_cast<std::ptrdiff_t>(i),
                               rows.begin() + static_cast<std::ptrdiff_t>(std::min(rows.size(), i + kBatch)));
    auto r = ps.InsertAll(batch, "bench");
    if (!r.ok()) {
      std::printf("insert failed: %s\n", r.status().message().c_str());
      return 1;
    }
  }
  std::printf("problems inserted: %d in %.1f s (batches of %zu, each with its events and audit entries)\n", n_problems,
              Ms(t0) / 1000, kBatch);

  stats::StatsEngine engine;
  Register reg(**store, engine);
  if (!reg.LoadStats().ok()) return 1;
  Problems problems(**store, reg);
  const std::vector<Date> dates = {{2024, 1, 31}, {2024, 2, 29}, {2024, 3, 31}, {2024, 4, 30}, {2024, 5, 31}, {2024, 6, 30}};
  stats::ProblemQuery q;
  q.by = stats::ProblemGroupBy::kUnit;
  q.as_of = dates[2];
  t0 = std::chrono::steady_clock::now();
  auto first = problems.Stats(q);
  const double cold = Ms(t0);
  std::vector<double> warm;
  std::map<std::string, std::map<std::string, Counts>> ours;  // date -> unit -> counts
  for (int run = 0; run < kRuns; ++run) {
    for (const Date& d : dates) {
      q.as_of = d;
      t0 = std::chrono::steady_clock::now();
      auto r = problems.Stats(q);
      warm.push_back(Ms(t0));
      if (run == 0) {
        for (const auto& g : r->groups) {
          ours[d.ToString()][g.key] = Counts{g.raised, g.closed, g.overdue, g.closed_on_time};
        }
      }
    }
  }
  std::printf("figures by unit (%zu units) as of a date: first call (loads the cache) %.1f ms; then median %.2f ms "
              "(target ≤ %.0f ms)\n",
              first->groups.size(), cold, Median(warm), kFiguresTargetMs);
  User admin;
  admin.login = "bench";
  admin.role = Role::kAdmin;
  User dept;
  dept.login = "dept";
  dept.role = Role::kDepartment;
  dept.unit = units[0];
  std::vector<double> page_dept, page_overdue;
  int64_t dept_total = 0;
  for (int run = 0; run < kRuns; ++run) {
    ProblemFilter f;
    f.as_of = {2024, 6, 30};
    f.open = true;
    f.mine = true;
    t0 = std::chrono::steady_clock::now();
    auto page = problems.List(f, dept);
    page_dept.push_back(Ms(t0));
    dept_total = page->total;
    ProblemFilter g;
    g.as_of = {2024, 6, 30};
    g.overdue = true;
    g.offset = 100;
    t0 = std::chrono::steady_clock::now();
    auto o = problems.List(g, admin);
    page_overdue.push_back(Ms(t0));
  }
  std::printf("list page: a department's open worklist (%lld problems, first 50) median %.2f ms; every overdue problem, "
              "page 3, as the bureau median %.2f ms (target ≤ %.0f ms)\n",
              static_cast<long long>(dept_total), Median(page_dept), Median(page_overdue), kPageTargetMs);

  // The same in SQL.
  auto parsed = store::ParseDbUrl(url);
  soci::session sql;
  if (parsed->postgres) {
    sql.open(soci::postgresql, parsed->connect);
    sql << "VACUUM ANALYZE";
  } else {
    sql.open(soci::sqlite3, parsed->connect);
    sql << "ANALYZE";
  }
  std::vector<double> sql_fig;
  bool equal = true;
  for (int run = 0; run < 3; ++run) {
    for (const Date& d : dates) {
      std::map<std::string, Counts> got;
      t0 = std::chrono::steady_clock::now();
      std::string unit;
      long long raised = 0, closed = 0, overdue = 0, on_time = 0;
      soci::statement st = (sql.prepare << Replace(kSqlFigures, "{D}", d.ToString()), soci::into(unit), soci::into(raised),
                            soci::into(closed), soci::into(overdue), soci::into(on_time));
      st.execute(false);
      while (st.fetch()) got[unit.empty() ? "（未填写）" : unit] = Counts{raised, closed, overdue, on_time};
      sql_fig.push_back(Ms(t0));
      if (run == 0 && got != ours[d.ToString()]) {
        equal = false;
        std::printf("MISMATCH as of %s: SQL %zu groups, ours %zu\n", d.ToString().c_str(), got.size(), ours[d.ToString()].size());
      }
    }
  }
  std::vector<double> sql_page;
  for (int run = 0; run < kRuns; ++run) {
    t0 = std::chrono::steady_clock::now();
    long long id = 0;
    std::string text, deadline, code, name;
    soci::indicator di = soci::i_ok;
    soci::statement st = (sql.prepare << kSqlPage, soci::use(dept.unit), soci::use(dept.unit), soci::into(id),
                          soci::into(text), soci::into(deadline, di), soci::into(code), soci::into(name));
    st.execute(false);
    size_t n = 0;
    while (st.fetch()) ++n;
    if (n == 0) std::printf("(the SQL page is empty)\n");
    sql_page.push_back(Ms(t0));
  }
  std::printf("same in SQL (%s): figures by unit median %.1f ms (ours %.0f× faster), department page median %.2f ms "
              "(ours %.1f×)\n",
              parsed->postgres ? "PostgreSQL" : "SQLite", Median(sql_fig), Median(sql_fig) / Median(warm), Median(sql_page),
              Median(sql_page) / Median(page_dept));
  std::printf("SQL figures equal ours on every date: %s\n", equal ? "yes" : "NO");
  return equal ? 0 : 1;
}

}  // namespace
}  // namespace kp::bench

int main(int argc, char** argv) {
  kp::bench::ProvinceShape shape;
  int n_problems = 100'000;
  std::vector<std::string> urls;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--projects=", 0) == 0) shape.projects = std::stoi(a.substr(11));
    else if (a.rfind("--problems=", 0) == 0) n_problems = std::stoi(a.substr(11));
    else if (a.rfind("--db=", 0) == 0) urls.push_back(a.substr(5));
  }
  if (urls.empty()) {
    std::filesystem::create_directories("bench/out");
    std::filesystem::remove("bench/out/problems.db");
    urls.push_back("bench/out/problems.db");
  }
  auto province = kp::bench::GenerateProvince(shape);
  std::printf("province: %zu projects, %d problems\n", province.projects.size(), n_problems);
  int rc = 0;
  for (const auto& url : urls) rc |= kp::bench::Run(url, province, n_problems);
  return rc;
}
