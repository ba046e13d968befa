// kp_bench_financing: the 融资对接 funnel and a bank's list page at province scale (issue 12's speed
// targets: 100k demands and 1M bank answers; the funnel by any grouping ≤ 20 ms; a bank's pushed
// list page ≤ 50 ms).
//
//   kp_bench_financing [--projects=N] [--demands=N] [--banks-per-demand=N] [--db=URL]...
//
// For each database (default bench/out/financing.db): loads a generated province's projects through
// the product's write path, inserts the demands with their pushes, answers, credit, contracts and
// loans through the financing store in batches, then times, as medians of repeated runs, the funnel
// by every grouping (Financing::Stats; the first call loads the cache and is shown apart) and a
// bank's first list page (Financing::List as a bank user). The funnel's total is checked against a
// count made here from the generated rows.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "domain/financing.h"
#include "domain/register.h"
#include "province_generator.h"
#include "province_loader.h"
#include "stats/stats_engine.h"
#include "store/store.h"

namespace kp::bench {
namespace {

constexpr int kRuns = 11;
constexpr double kFunnelTargetMs = 20, kPageTargetMs = 50;
const std::vector<std::string> kBanks = {"国家开发银行", "中国农业发展银行", "中国工商银行", "中国农业银行", "中国银行", "中国建设银行",
                                         "中国邮政储蓄银行", "农村商业银行", "交通银行", "招商银行", "兴业银行", "中信银行"};

double Ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int Run(const std::string& url, const Province& province, int n_demands, int per_demand) {
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
  {
    store::ProjectQuery q;
    q.page_size = 0;
    auto list = (*store)->ListProjects(q);
    for (const Project& p : list->items) ids.push_back(p.id);
  }
  std::mt19937 rng(20240630);
  std::vector<FinancingDemand> rows;
  std::set<int64_t> want_projects;
  int64_t want_demand = 0, want_loans = 0, answers = 0;
  for (int i = 0; i < n_demands; ++i) {
    FinancingDemand d;
    d.project_id = ids[rng() % ids.size()];
    d.kind = FinancingKinds()[rng() % FinancingKinds().size()];
    d.amount = Money::FromWan(1000 + static_cast<int64_t>(rng() % 50000));
    d.year_need = Money{d.amount.yuan / 2};
    d.registered_on = AddDays(Date{2024, 1, 1}, static_cast<int32_t>(rng() % 300));
    d.stage = FinancingStage::kReviewed;
    want_projects.insert(d.project_id);
    want_demand += d.amount.yuan;
    const size_t first = rng() % kBanks.size();
    for (int k = 0; k < per_demand; ++k) {
      BankPush p;
      p.bank = kBanks[(first + static_cast<size_t>(k)) % kBanks.size()];
      p.pushed_on = AddDays(d.registered_on, static_cast<int32_t>(rng() % 20));
      p.answer = rng() % 3 ? "interested" : "ineligible";
      p.answer_note = p.answer == "ineligible" ? "不符合授信条件" : "";
      p.answered_at = AddDays(p.pushed_on, 5).ToString() + "T00:00:00Z";
      p.answered_by = "bench";
      ++answers;
      if (p.answer == "interested" && rng() % 4 == 0) {
        p.credit = Money{d.amount.yuan / 2};
        p.credit_on = AddDays(p.pushed_on, 20);
        if (rng() % 2) {
          p.contract = p.credit;
          p.contract_on = AddDays(*p.credit_on, 10);
          p.disbursements.push_back(Disbursement{0, AddDays(*p.contract_on, 10), Money{p.contract->yuan / 2}});
          want_loans += p.contract->yuan / 2;
        }
      }
      d.pushes.push_back(std::move(p));
    }
    if (auto s = BankStageAsOf(d.pushes, TodayBeijing())) d.stage = *s;
    rows.push_back(std::move(d));
  }
  stats::StatsEngine engine;
  Register reg(**store, engine);
  if (!reg.LoadStats().ok()) return 1;
  Financing fin(**store, reg);
  t0 = std::chrono::steady_clock::now();
  constexpr size_t kBatch = 10'000;
  for (size_t i = 0; i < rows.size(); i += kBatch) {
    std::vector<FinancingDemand> batch(rows.begin() + static_cast<std::ptrdiff_t>(i),
                                       rows.begin() + static_cast<std::ptrdiff_t>(std::min(rows.size(), i + kBatch)));
    auto r = fin.InsertAll(batch, "bench");
    if (!r.ok()) {
      std::printf("insert failed: %s\n", r.status().message().c_str());
      return 1;
    }
  }
  std::printf("demands inserted: %d with %lld bank answers in %.1f s (batches of %zu)\n", n_demands,
              static_cast<long long>(answers), Ms(t0) / 1000, kBatch);

  int failures = 0;
  stats::FinancingQuery q;
  q.year = 2025;
  q.month = 12;
  q.as_of = Date{2025, 12, 31};
  t0 = std::chrono::steady_clock::now();
  auto first = fin.Stats(q);
  std::printf("first funnel (loads the cache from the database): %.0f ms\n", Ms(t0));
  if (!first.ok() || first->total.projects != static_cast<int64_t>(want_projects.size()) ||
      first->total.demand.yuan != want_demand || first->total.disbursed.yuan != want_loans) {
    std::printf("FAIL: the funnel's total differs from the count made here\n");
    return 1;
  }
  for (auto by : {stats::FinancingGroupBy::kNone, stats::FinancingGroupBy::kBank, stats::FinancingGroupBy::kKind,
                  stats::FinancingGroupBy::kStage, stats::FinancingGroupBy::kLevel, stats::FinancingGroupBy::kRegion}) {
    q.by = by;
    std::vector<double> times;
    for (int r = 0; r < kRuns; ++r) {
      t0 = std::chrono::steady_clock::now();
      auto s = fin.Stats(q);
      times.push_back(Ms(t0));
      if (!s.ok()) return 1;
    }
    const double m = Median(times);
    failures += m > kFunnelTargetMs;
    std::printf("funnel by %-7s median %7.2f ms (target ≤ %.0f)%s\n", stats::FinancingGroupByName(by), m, kFunnelTargetMs,
                m > kFunnelTargetMs ? "  OVER" : "");
  }
  User bank;
  bank.login = "bank";
  bank.role = Role::kBank;
  bank.unit = kBanks[3];
  FinancingFilter f;
  f.limit = 50;
  for (int page : {0, 100}) {
    f.offset = page * f.limit;
    std::vector<double> times;
    int64_t total = 0;
    for (int r = 0; r < kRuns; ++r) {
      t0 = std::chrono::steady_clock::now();
      auto p = fin.List(f, bank);
      times.push_back(Ms(t0));
      if (!p.ok()) return 1;
      total = p->total;
    }
    const double m = Median(times);
    failures += m > kPageTargetMs;
    std::printf("a bank's list, page %d of %lld demands: median %7.2f ms (target ≤ %.0f)%s\n", page + 1,
                static_cast<long long>(total), m, kPageTargetMs, m > kPageTargetMs ? "  OVER" : "");
  }
  return failures ? 2 : 0;
}

}  // namespace
}  // namespace kp::bench

int main(int argc, char** argv) {
  using namespace kp::bench;
  ProvinceShape shape;
  int demands = 100'000, per = 10;
  std::vector<std::string> dbs;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&](const char* k) { return a.rfind(k, 0) == 0 ? a.substr(std::string(k).size()) : std::string(); };
    if (auto v = val("--projects="); !v.empty()) shape.projects = std::stoi(v);
    else if (auto v2 = val("--demands="); !v2.empty()) demands = std::stoi(v2);
    else if (auto v3 = val("--banks-per-demand="); !v3.empty()) per = std::stoi(v3);
    else if (auto v4 = val("--db="); !v4.empty()) dbs.push_back(v4);
  }
  if (dbs.empty()) {
    std::filesystem::create_directories("bench/out");
    std::filesystem::remove("bench/out/financing.db");
    dbs.push_back("bench/out/financing.db");
  }
  const Province province = GenerateProvince(shape);
  int rc = 0;
  for (const auto& db : dbs) rc = std::max(rc, Run(db, province, demands, per));
  return rc;
}
