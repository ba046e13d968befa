#include "sql_dashboard.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <chrono>
#include <optional>
#include <unordered_map>
#include <vector>

#include "store/store.h"

namespace kp::bench {

// ---- SQL, as named constants ----------------------------------------------------------------
namespace {

constexpr const char* kDropAncestors = "DROP TABLE IF EXISTS bench_region_ancestor";
constexpr const char* kCreateAncestors =
    "CREATE TABLE bench_region_ancestor (region_id BIGINT NOT NULL, depth INTEGER NOT NULL, "
    "ancestor_id BIGINT NOT NULL, PRIMARY KEY (region_id, depth))";
constexpr const char* kInsertAncestor =
    "INSERT INTO bench_region_ancestor (region_id, depth, ancestor_id) VALUES (:r, :d, :a)";
constexpr const char* kSelectRegions = "SELECT id, parent_id, name FROM regions ORDER BY id";
constexpr const char* kSqliteCache[] = {"PRAGMA cache_size = -262144", "PRAGMA temp_store = MEMORY"};
constexpr const char* kPostgresWorkMem = "SET work_mem = '64MB'";
constexpr const char* kSqliteAnalyze = "ANALYZE";
constexpr const char* kPostgresAnalyze = "VACUUM ANALYZE";

// Cumulative completed amount per project up to the as-of month: {Y} year, {M} month.
constexpr const char* kDoneCte =
    "WITH done AS (SELECT project_id, SUM(completed_yuan) AS completed FROM monthly_reports "
    "WHERE year = {Y} AND month <= {M} GROUP BY project_id) ";
constexpr const char* kSums = "COUNT(*), COALESCE(SUM(a.plan_yuan), 0), COALESCE(SUM(d.completed), 0)";
constexpr const char* kFrom =
    " FROM annual_plans a JOIN projects p ON p.id = a.project_id AND p.deleted = 0 "
    "LEFT JOIN done d ON d.project_id = a.project_id ";
// {D} depth of the region grouping.
constexpr const char* kRegionJoin =
    "LEFT JOIN bench_region_ancestor ra ON ra.region_id = p.region_id AND ra.depth = {D} ";
constexpr const char* kWhere = "WHERE a.year = {Y}";

// Group key of each query of the dashboard, in DashboardQueryName order ("" = the total).
constexpr const char* kGroupKeys[kDashboardQueries] = {"",
                                                       "CAST(p.level AS TEXT)",
                                                       "CAST(ra.ancestor_id AS TEXT)",
                                                       "p.industry",
                                                       "p.unit",
                                                       "p.leader",
                                                       "CAST(p.is_demo AS TEXT)",
                                                       "p.status"};
constexpr size_t kRegionQuery = 2;
constexpr size_t kGroupings = kDashboardQueries - 1;
constexpr int kMaxRegionDepth = 8;

std::string Fill(std::string text, const DashboardSpec& spec) {
  auto replace = [&](const std::string& key, int value) {
    for (size_t pos; (pos = text.find(key)) != std::string::npos;) text.replace(pos, key.size(), std::to_string(value));
  };
  replace("{Y}", spec.year);
  replace("{M}", spec.month);
  replace("{D}", spec.region_depth);
  return text;
}

std::string GroupingQuery(size_t i, const DashboardSpec& spec) {
  std::string key = i == 0 ? std::string("'") + kTotalLabel + "'" : kGroupKeys[i];
  std::string q = std::string(kDoneCte) + "SELECT " + key + ", " + kSums + kFrom;
  if (i == kRegionQuery) q += kRegionJoin;
  q += kWhere;
  if (i != 0) q += std::string(" GROUP BY ") + kGroupKeys[i];
  return Fill(q, spec);
}

std::string GroupingSetsQuery(const DashboardSpec& spec) {
  std::string keys, sets = "()";
  for (size_t i = 1; i < kDashboardQueries; ++i) {
    keys += std::string(i > 1 ? ", " : "") + kGroupKeys[i];
    sets += std::string(", (") + kGroupKeys[i] + ")";
  }
  std::string q = std::string(kDoneCte) + "SELECT GROUPING(" + keys + "), " + keys + ", " + kSums + kFrom +
                  kRegionJoin + kWhere + " GROUP BY GROUPING SETS (" + sets + ")";
  return Fill(q, spec);
}

Status Error(const std::exception& e) { return Internal(std::string("SQL dashboard: ") + e.what()); }

}  // namespace

struct SqlDashboard::Impl {
  bool postgres = false;
  soci::session sql;
  std::unordered_map<std::string, std::string> region_names;  // id as text -> name

  // The label the product shows for a group key of query i (key null = no value).
  std::string Label(size_t i, const std::string* key) const {
    if (i == 0) return kTotalLabel;
    switch (stats::kDashboardGroupings[i - 1]) {
      case stats::GroupBy::kLevel:
        return LevelName(static_cast<Level>(std::stoi(*key)));
      case stats::GroupBy::kRegion: {
        if (!key) return "未指定地区";
        auto it = region_names.find(*key);
        return it == region_names.end() ? "?" + *key : it->second;
      }
      case stats::GroupBy::kDemo:
        return *key == "1" ? "示范项目" : "非示范项目";
      default:
        return key->empty() ? "（未填写）" : *key;
    }
  }
};

SqlDashboard::SqlDashboard(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqlDashboard::~SqlDashboard() = default;
bool SqlDashboard::postgres() const { return impl_->postgres; }

Result<std::unique_ptr<SqlDashboard>> SqlDashboard::Open(const std::string& url) {
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
  return std::unique_ptr<SqlDashboard>(new SqlDashboard(std::move(impl)));
}

Status SqlDashboard::SetPostgresParameter(const std::string& name, const std::string& value) {
  if (!impl_->postgres) return Status::Ok();
  try {
    impl_->sql << "SET " + name + " = " + value;
  } catch (const std::exception& e) {
    return Error(e);
  }
  return Status::Ok();
}

Status SqlDashboard::Prepare() {
  soci::session& sql = impl_->sql;
  try {
    std::vector<long long> ids;
    std::vector<std::optional<long long>> parents;
    impl_->region_names.clear();
    {
      long long id = 0, parent = 0;
      soci::indicator parent_ind = soci::i_ok;
      std::string name;
      soci::statement st =
          (sql.prepare << kSelectRegions, soci::into(id), soci::into(parent, parent_ind), soci::into(name));
      st.execute(false);
      while (st.fetch()) {
        ids.push_back(id);
        parents.push_back(parent_ind == soci::i_ok ? std::optional<long long>(parent) : std::nullopt);
        impl_->region_names[std::to_string(id)] = name;
      }
    }
    std::unordered_map<long long, size_t> index;
    for (size_t i = 0; i < ids.size(); ++i) index[ids[i]] = i;
    std::vector<long long> col_region, col_ancestor;
    std::vector<int> col_depth;
    for (size_t i = 0; i < ids.size(); ++i) {
      std::vector<long long> chain{ids[i]};  // the region, then its parent … up to the root
      for (auto p = parents[i]; p && chain.size() <= ids.size(); p = parents[index.at(*p)]) chain.push_back(*p);
      const int depth = static_cast<int>(chain.size()) - 1;
      for (int d = 0; d <= kMaxRegionDepth; ++d) {
        col_region.push_back(ids[i]);
        col_depth.push_back(d);
        col_ancestor.push_back(chain[d >= depth ? 0 : depth - d]);
      }
    }
    sql << kDropAncestors;
    sql << kCreateAncestors;
    {
      soci::transaction tr(sql);
      sql << kInsertAncestor, soci::use(col_region), soci::use(col_depth), soci::use(col_ancestor);
      tr.commit();
    }
    sql << (impl_->postgres ? kPostgresAnalyze : kSqliteAnalyze);
  } catch (const std::exception& e) {
    return Error(e);
  }
  return Status::Ok();
}

Result<DashboardTables> SqlDashboard::Run(const DashboardSpec& spec, std::array<double, kDashboardQueries>* seconds) {
  DashboardTables out;
  try {
    for (size_t i = 0; i < kDashboardQueries; ++i) {
      auto start = std::chrono::steady_clock::now();
      std::string key;
      soci::indicator key_ind = soci::i_ok;
      long long projects = 0, plan = 0, completed = 0;
      soci::statement st = (impl_->sql.prepare << GroupingQuery(i, spec), soci::into(key, key_ind),
                            soci::into(projects), soci::into(plan), soci::into(completed));
      st.execute(false);
      while (st.fetch()) {
        out[i][impl_->Label(i, key_ind == soci::i_ok ? &key : nullptr)] =
            GroupSums{projects, Money(plan), Money(completed)};
      }
      if (seconds) (*seconds)[i] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
  } catch (const std::exception& e) {
    return Error(e);
  }
  return out;
}

Result<DashboardTables> SqlDashboard::RunGroupingSets(const DashboardSpec& spec) {
  if (!impl_->postgres) return Internal("GROUPING SETS: PostgreSQL only");
  DashboardTables out;
  try {
    int grouping = 0;
    std::array<std::string, kGroupings> keys;
    std::array<soci::indicator, kGroupings> inds{};
    long long projects = 0, plan = 0, completed = 0;
    soci::statement st(impl_->sql);
    st.alloc();
    st.prepare(GroupingSetsQuery(spec));
    st.exchange(soci::into(grouping));
    for (size_t k = 0; k < kGroupings; ++k) st.exchange(soci::into(keys[k], inds[k]));
    st.exchange(soci::into(projects));
    st.exchange(soci::into(plan));
    st.exchange(soci::into(completed));
    st.define_and_bind();
    st.execute(false);
    constexpr int kAllBits = (1 << kGroupings) - 1;
    while (st.fetch()) {
      // GROUPING() has a 1 bit for every key not in the row's set; the first key is the highest bit.
      size_t query = 0;
      if (grouping != kAllBits) {
        for (size_t k = 0; k < kGroupings; ++k) {
          if (!(grouping & (1 << (kGroupings - 1 - k)))) query = k + 1;
        }
      }
      const std::string* key = query == 0 || inds[query - 1] != soci::i_ok ? nullptr : &keys[query - 1];
      out[query][impl_->Label(query, key)] = GroupSums{projects, Money(plan), Money(completed)};
    }
  } catch (const std::exception& e) {
    return Error(e);
  }
  return out;
}

}  // namespace kp::bench
