#include "sql_warnings.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <iterator>
#include <unordered_map>
#include <vector>

#include "stats/schedule.h"
#include "stats/stats_engine.h"
#include "store/store.h"

namespace kp::bench {

// ---- SQL, as named constants ----------------------------------------------------------------
namespace {

constexpr const char* kSqliteCache[] = {"PRAGMA cache_size = -262144", "PRAGMA temp_store = MEMORY"};
constexpr const char* kPostgresWorkMem = "SET work_mem = '64MB'";
constexpr const char* kDeleteNodes = "DELETE FROM project_nodes";
constexpr const char* kSqliteAnalyze = "ANALYZE";
constexpr const char* kPostgresAnalyze = "VACUUM ANALYZE project_nodes";
constexpr const char* kSelectRegions = "SELECT id, name FROM regions";

// Node names of the bench, in order: the later ones of the 前期 template, then the 建设 template.
constexpr const char* kNodeNames[] = {"项目建议书/可研批复", "用地预审与选址", "环评批复", "用地批复/供地",
                                      "建设工程规划许可", "施工许可", "开工", "基础完工", "主体完工/封顶",
                                      "设备安装调试", "竣工验收", "投产/投用"};

// Twelve nodes a project (named as kNodeNames): node k (0..11) of project number i (0.. in code order) is planned on
// day k × 30 + i mod 29 of the year, and done (i mod 7) − 3 days after that unless (i + k) mod 5 = 0.
// {DATE(n)}: the dialect's "January 1st of {Y} plus n days" as ISO text.
constexpr const char* kGenerateNodes =
    "WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < 11), "
    "numbered AS (SELECT id, unit, person, ROW_NUMBER() OVER (ORDER BY code) - 1 AS i FROM projects "
    "WHERE deleted = 0) "
    "INSERT INTO project_nodes (project_id, seq, name, planned_date, actual_date, unit, person, "
    "updated_at, updated_by) "
    "SELECT p.id, k.n + 1, {NAME(k.n)}, "
    "{DATE(k.n * 30 + p.i % 29)}, "
    "CASE WHEN (p.i + k.n) % 5 <> 0 THEN {DATE(k.n * 30 + p.i % 29 + p.i % 7 - 3)} END, "
    "p.unit, p.person, '2024-01-01T00:00:00Z', 'bench' FROM numbered p CROSS JOIN k";

// The four rules for every project with a plan in {Y}, as of {A} (ISO text); 0 green, 1 yellow, 2 red.
// {SN}/{SD}: 时序进度 as an exact fraction; {IY}/{IR} investment points; {AM} = {Y} × 12 + as-of month;
// {SR} start red months; {NR} node red days; {DAYS(x)}: the dialect's {A} − x in days; {REPORT}: the
// report rule over rep.r1 … (1 = that due month, latest first, has a report); {MAX}: GREATEST or MAX.
constexpr const char* kColourCounts =
    "WITH done AS (SELECT project_id, SUM(completed_yuan) AS completed FROM monthly_reports "
    "WHERE year = {Y} AND month <= {M} GROUP BY project_id), "
    "late AS (SELECT project_id, MIN(planned_date) AS first_planned FROM project_nodes "
    "WHERE planned_date IS NOT NULL AND planned_date < '{A}' AND (actual_date IS NULL OR actual_date > '{A}') "
    "GROUP BY project_id), "
    "st AS (SELECT project_id, actual_date FROM project_nodes WHERE name = '开工'), "
    "rep AS (SELECT project_id{REPCOLS} FROM monthly_reports WHERE year = {Y} GROUP BY project_id), "
    "c AS (SELECT p.region_id, "
    " CASE WHEN a.plan_yuan > 0 AND {SN} * a.plan_yuan - 100 * COALESCE(d.completed, 0) * {SD} > {IR} * {SD} * "
    "a.plan_yuan THEN 2 "
    "      WHEN a.plan_yuan > 0 AND {SN} * a.plan_yuan - 100 * COALESCE(d.completed, 0) * {SD} >= {IY} * {SD} * "
    "a.plan_yuan THEN 1 ELSE 0 END AS r_invest, "
    " CASE WHEN p.status = '停缓建' OR p.planned_start IS NULL OR p.planned_start > '{A}' THEN 0 "
    "      WHEN s.project_id IS NOT NULL AND s.actual_date IS NOT NULL AND s.actual_date <= '{A}' THEN 0 "
    "      WHEN s.project_id IS NULL AND p.status <> '前期' THEN 0 "
    "      WHEN {AM} - (CAST(substr(p.planned_start, 1, 4) AS INTEGER) * 12 + "
    "CAST(substr(p.planned_start, 6, 2) AS INTEGER)) >= {SR} THEN 2 ELSE 1 END AS r_start, "
    " CASE WHEN p.status = '停缓建' OR l.project_id IS NULL THEN 0 "
    "      WHEN {DAYS(l.first_planned)} > {NR} THEN 2 ELSE 1 END AS r_node, "
    " {REPORT} AS r_report "
    " FROM annual_plans a JOIN projects p ON p.id = a.project_id AND p.deleted = 0 "
    " LEFT JOIN done d ON d.project_id = p.id LEFT JOIN late l ON l.project_id = p.id "
    " LEFT JOIN st s ON s.project_id = p.id LEFT JOIN rep r ON r.project_id = p.id "
    " WHERE a.year = {Y}) "
    "SELECT CAST(ra.ancestor_id AS TEXT), {MAX}(r_invest, r_start, r_node, r_report), COUNT(*) FROM c "
    "LEFT JOIN bench_region_ancestor ra ON ra.region_id = c.region_id AND ra.depth = 1 GROUP BY 1, 2";

constexpr int kMonthsPerYear = 12;

void Replace(std::string& text, const std::string& key, const std::string& value) {
  for (size_t pos = 0; (pos = text.find(key, pos)) != std::string::npos; pos += value.size()) {
    text.replace(pos, key.size(), value);
  }
}

// Replaces each {NAME(arg)} with wrap(arg).
template <typename F>
void ReplaceCall(std::string& text, const std::string& name, F wrap) {
  const std::string open = "{" + name + "(";
  for (size_t pos; (pos = text.find(open)) != std::string::npos;) {
    size_t end = text.find(")}", pos);
    std::string arg = text.substr(pos + open.size(), end - pos - open.size());
    text.replace(pos, end + 2 - pos, wrap(arg));
  }
}

std::string Int(__int128 v) { return std::to_string(static_cast<long long>(v)); }

Status Error(const std::exception& e) { return Internal(std::string("SQL warnings: ") + e.what()); }

}  // namespace

struct SqlWarnings::Impl {
  bool postgres = false;
  soci::session sql;
};

SqlWarnings::SqlWarnings(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqlWarnings::~SqlWarnings() = default;
bool SqlWarnings::postgres() const { return impl_->postgres; }

Result<std::unique_ptr<SqlWarnings>> SqlWarnings::Open(const std::string& url) {
  auto parsed = store::ParseDbUrl(url);
  if (!parsed.ok()) return parsed.status();
  auto impl = std::make_unique<Impl>();
  impl->postgres = parsed->postgres;
  try {
    if (parsed->postgres) {
      impl->sql.open(soci::postgresql, parsed->connect);
      impl->sql << kPostgresWorkMem;
    } else {
      impl->sql.open(soci::sqlite3, parsed->connect);
      for (const char* pragma : kSqliteCache) impl->sql << pragma;
    }
  } catch (const std::exception& e) {
    return Error(e);
  }
  return std::unique_ptr<SqlWarnings>(new SqlWarnings(std::move(impl)));
}

Status SqlWarnings::SetPostgresParameter(const std::string& name, const std::string& value) {
  if (!impl_->postgres) return Status::Ok();
  try {
    impl_->sql << "SET " + name + " = " + value;
  } catch (const std::exception& e) {
    return Error(e);
  }
  return Status::Ok();
}

Status SqlWarnings::GenerateNodes(int year) {
  std::string q = kGenerateNodes;
  const std::string jan1 = std::to_string(year) + "-01-01";
  ReplaceCall(q, "NAME", [](const std::string& k) {
    std::string out = "CASE " + k;
    for (size_t i = 0; i < std::size(kNodeNames); ++i) out += " WHEN " + std::to_string(i) + " THEN '" + kNodeNames[i] + "'";
    return out + " END";
  });
  ReplaceCall(q, "DATE", [&](const std::string& n) {
    return impl_->postgres ? "CAST(DATE '" + jan1 + "' + CAST(" + n + " AS INTEGER) AS TEXT)"
                           : "date('" + jan1 + "', (" + n + ") || ' days')";
  });
  try {
    soci::transaction tr(impl_->sql);
    impl_->sql << kDeleteNodes;
    impl_->sql << q;
    tr.commit();
    impl_->sql << (impl_->postgres ? kPostgresAnalyze : kSqliteAnalyze);
  } catch (const std::exception& e) {
    return Error(e);
  }
  return Status::Ok();
}

Result<ColourTable> SqlWarnings::Counts(const Date& as_of, const stats::WarningRules& rules) {
  const Ratio schedule = stats::SchedulePct(rules.schedule, as_of.year, as_of.month, as_of.day);
  // The months of the year whose report deadline has passed, latest first (as the engine's).
  std::vector<int> due;
  for (int m = kMonthsPerYear; m >= 1; --m) {
    if (stats::ReportDeadline(YearMonth{as_of.year, m}, rules.deadline_day) <= as_of) due.push_back(m);
  }
  std::string repcols, report = "0";
  const size_t red_months = static_cast<size_t>(rules.report_red_months);
  for (size_t k = 0; k < due.size() && k < red_months; ++k) {
    repcols += ", MAX(CASE WHEN month = " + std::to_string(due[k]) + " THEN 1 ELSE 0 END) AS r" + std::to_string(k + 1);
  }
  if (!due.empty()) {
    std::string red;
    if (due.size() >= red_months) {
      for (size_t k = 0; k < red_months; ++k) {
        red += std::string(k ? " AND " : "") + "COALESCE(r.r" + std::to_string(k + 1) + ", 0) = 0";
      }
    }
    report = "CASE " + (red.empty() ? "" : "WHEN " + red + " THEN 2 ") + "WHEN COALESCE(r.r1, 0) = 0 THEN 1 ELSE 0 END";
  }
  const std::string a = as_of.ToString();
  std::string q = kColourCounts;
  Replace(q, "{REPCOLS}", repcols);
  Replace(q, "{REPORT}", report);
  Replace(q, "{A}", a);
  Replace(q, "{Y}", std::to_string(as_of.year));
  Replace(q, "{M}", std::to_string(as_of.month));
  Replace(q, "{AM}", std::to_string(as_of.year * kMonthsPerYear + as_of.month));
  Replace(q, "{SN}", Int(schedule.num));
  Replace(q, "{SD}", Int(schedule.den));
  Replace(q, "{IY}", std::to_string(rules.invest_yellow_points));
  Replace(q, "{IR}", std::to_string(rules.invest_red_points));
  Replace(q, "{SR}", std::to_string(rules.start_red_months));
  Replace(q, "{NR}", std::to_string(rules.node_red_days));
  Replace(q, "{MAX}", impl_->postgres ? "GREATEST" : "MAX");
  ReplaceCall(q, "DAYS", [&](const std::string& x) {
    return impl_->postgres ? "(DATE '" + a + "' - CAST(" + x + " AS DATE))"
                           : "CAST(julianday('" + a + "') - julianday(" + x + ") AS INTEGER)";
  });
  ColourTable out;
  try {
    std::unordered_map<std::string, std::string> names;
    {
      long long id = 0;
      std::string name;
      soci::statement st = (impl_->sql.prepare << kSelectRegions, soci::into(id), soci::into(name));
      st.execute(false);
      while (st.fetch()) names[std::to_string(id)] = name;
    }
    std::string key;
    soci::indicator key_ind = soci::i_ok;
    int colour = 0;
    long long count = 0;
    soci::statement st = (impl_->sql.prepare << q, soci::into(key, key_ind), soci::into(colour), soci::into(count));
    st.execute(false);
    while (st.fetch()) {
      const std::string group = key_ind == soci::i_ok ? names[key] : "未指定地区";
      out[group][static_cast<size_t>(colour)] += count;
      out[""][static_cast<size_t>(colour)] += count;
    }
  } catch (const std::exception& e) {
    return Error(e);
  }
  return out;
}

}  // namespace kp::bench
