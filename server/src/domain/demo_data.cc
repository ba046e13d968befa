#include "domain/demo_data.h"

#include "domain/photo_codec.h"
#include "domain/photos.h"
#include "store/store.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace kp {
namespace {

// A small deterministic generator: the demo is the same on every machine.
class Rng {
 public:
  explicit Rng(uint32_t seed) : s_(seed * 2654435761u + 1) {}
  uint32_t Next() {
    s_ ^= s_ << 13;
    s_ ^= s_ >> 17;
    s_ ^= s_ << 5;
    return s_;
  }
  int Uniform(int lo, int hi) { return lo + static_cast<int>(Next() % static_cast<uint32_t>(hi - lo + 1)); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) { return v[Next() % v.size()]; }

 private:
  uint32_t s_;
};

const std::vector<std::string> kTowns = {"凯江镇", "南华镇", "辑庆镇", "广福镇", "仓山镇", "集凤镇", "永太镇",
                                         "黄鹿镇", "龙台镇", "冯店镇", "兴隆镇", "通济镇", "富兴镇", "永丰镇"};
const std::vector<std::string> kLeaders = {"王建国", "李明", "陈志强", "刘洋", "赵敏", "周涛", "吴刚", "孙丽"};
const std::vector<std::string> kPersons = {"张伟", "王芳", "李娜", "刘强", "陈静", "杨洋", "黄磊", "周敏",
                                           "吴军", "徐丽", "孙浩", "马超", "朱婷", "胡斌", "郭勇", "何雪"};

struct IndustrySpec {
  std::string industry;
  std::string unit;
  std::vector<std::string> names;  // {T} town, {N} number
  std::vector<std::string> owners;
};

const std::vector<IndustrySpec>& Industries() {
  static const std::vector<IndustrySpec> kSpecs = {
      {"先进制造", "县经济信息化和科技局",
       {"年产{N}万套汽车零部件生产线项目", "{T}智能装备制造产业园项目", "年产{N}万吨新型建材生产项目",
        "精密机械加工基地建设项目"},
       {"四川天府智造科技有限公司", "德阳精工机械有限公司", "中江县鑫达建材有限公司"}},
      {"新能源", "县发展和改革局",
       {"{T}{N}MW农光互补光伏发电项目", "{T}分散式风电项目", "储能电池材料生产项目", "{T}天然气分布式能源站项目"},
       {"中江绿能新能源有限公司", "四川蜀能电力开发有限公司", "德阳清源能源科技有限公司"}},
      {"医药健康", "县卫生健康局",
       {"中药材精深加工项目", "{T}康养中心建设项目", "县人民医院医技综合楼建设项目", "县中医医院迁建项目"},
       {"中江县人民医院", "四川本草堂药业有限公司", "中江县中医医院"}},
      {"农产品加工", "县农业农村局",
       {"{T}{N}万亩高标准农田建设项目", "{T}丹参产业园建设项目", "年产{N}万吨粮油加工项目", "{T}生猪养殖基地项目"},
       {"中江县农业投资发展有限公司", "四川丰谷农业科技有限公司", "中江县粮油贸易有限公司"}},
      {"现代物流", "县商务局",
       {"{T}冷链物流园建设项目", "县城乡商贸物流配送中心项目", "{T}农产品仓储物流中心项目"},
       {"中江县供销物流有限公司", "四川通达冷链物流有限公司"}},
      {"文化旅游", "县文化广播电视和旅游局",
       {"{T}文旅融合发展项目", "{T}古镇保护与开发项目", "县全域旅游基础设施提升项目"},
       {"中江县文化旅游投资有限公司", "四川锦绣文旅发展有限公司"}},
      {"交通基础设施", "县交通运输局",
       {"{T}至{U}公路改建工程", "县城北环线道路工程", "{T}乡村振兴产业路建设项目", "{T}客运站建设项目"},
       {"中江县交通投资建设有限公司", "中江县城乡建设发展有限公司"}},
      {"水利", "县水利局",
       {"{T}灌区续建配套与节水改造项目", "{T}水库除险加固工程", "县城乡供水一体化项目", "凯江河道综合治理工程"},
       {"中江县水务投资有限公司", "中江县水利工程建设管理站"}},
      {"城市建设", "县住房和城乡建设局",
       {"城区{N}片区老旧小区改造项目", "县城污水管网提升改造项目", "{T}新型城镇化建设项目", "县城智慧停车场建设项目"},
       {"中江县城乡建设发展有限公司", "中江县城市更新投资有限公司"}},
      {"教育", "县教育局",
       {"县{N}中学新校区建设项目", "{T}中心小学改扩建项目", "县职业中专实训基地项目"},
       {"中江县教育局", "中江县职业中专学校"}},
  };
  return kSpecs;
}

std::string Fill(std::string tpl, const std::string& t, Rng& rng) {
  auto replace = [&](const std::string& key, const std::string& value) {
    for (size_t pos; (pos = tpl.find(key)) != std::string::npos;) tpl.replace(pos, key.size(), value);
  };
  std::string u = rng.Pick(kTowns);
  while (u == t) u = rng.Pick(kTowns);
  replace("{T}", t);
  replace("{U}", u);
  replace("{N}", std::to_string(rng.Uniform(2, 50)));
  return tpl;
}

// Splits `total` into parts proportional to weights, in multiples of `step`, exactly.
std::vector<int64_t> Split(int64_t total, const std::vector<int64_t>& weights, int64_t step) {
  __int128 w = 0;
  for (int64_t x : weights) w += x;
  std::vector<int64_t> out(weights.size());
  int64_t used = 0;
  for (size_t i = 0; i + 1 < weights.size(); ++i) {
    out[i] = static_cast<int64_t>(static_cast<__int128>(total) * weights[i] / w) / step * step;
    used += out[i];
  }
  out.back() = total - used;
  return out;
}

struct Group {
  Level level;
  int count;
  int64_t plan;
  int64_t done;
};

}  // namespace

namespace {

// Milestone nodes for the 2024 projects, from the default templates: 前期手续 before the planned
// start (for projects starting in 2024), 建设实施 from start to end. As of 2024-03-31 most nodes
// due are done on time; a few projects are late with one node (yellow), fewer badly (red), and a
// few 2024 starts have not started. Deterministic in the project's position; draws nothing from
// the generator, so the reference figures stay as they are.
void AddDemoNodes(DemoData& d) {
  const Date as_of{2024, 3, 31};
  const int32_t cut = DayNumber(as_of);
  constexpr int32_t kPrepSpanDays = 300;
  const std::vector<std::string> prep = {"项目建议书/可研批复", "用地预审与选址", "环评批复", "节能审查", "用地批复/供地",
                                         "建设工程规划许可", "施工图审查", "招标", "施工许可"};
  const std::vector<std::string> build = {"开工", "基础完工", "主体完工/封顶", "设备安装调试", "竣工验收", "投产/投用"};
  int index = 0;
  for (const ProjectImportRow& row : d.projects_2024) {
    const Project& p = row.project;
    const int i = index++;
    if (!p.planned_start || !p.planned_end) continue;
    const int32_t start = DayNumber(*p.planned_start), end = std::max(DayNumber(*p.planned_end), start + 180);
    std::vector<std::pair<std::string, int32_t>> planned;
    if (p.planned_start->year == 2024) {
      for (size_t k = 0; k < prep.size(); ++k) {
        planned.emplace_back(prep[k], start - kPrepSpanDays + static_cast<int32_t>(kPrepSpanDays * (k + 1) / (prep.size() + 1)));
      }
    }
    for (size_t k = 0; k < build.size(); ++k) {
      planned.emplace_back(build[k], k == 0 ? start : start + static_cast<int32_t>((end - start) * k / (build.size() - 1)));
    }
    const bool late_yellow = i % 9 == 4, late_red = i % 23 == 7, not_started = i % 11 == 2;
    // The latest node due by the as-of date carries the project's lateness.
    int latest_due = -1;
    for (size_t k = 0; k < planned.size(); ++k) {
      if (planned[k].second < cut && planned[k].first != "开工") latest_due = static_cast<int>(k);
    }
    int seq = 0;
    for (size_t k = 0; k < planned.size(); ++k) {
      NodeImportRow n;
      n.project_code = p.code;
      n.node.name = planned[k].first;
      n.node.seq = ++seq;
      n.has_seq = n.has_planned = n.has_actual = n.has_unit = n.has_person = n.has_note = true;
      int32_t due = planned[k].second;
      const bool is_start = planned[k].first == "开工";
      std::optional<int32_t> actual;
      if (static_cast<int>(k) == latest_due && (late_yellow || late_red)) {
        due = cut - (late_red ? 40 + i % 20 : 5 + i % 20);  // 5–24 days overdue, or 40–59
        n.node.note = late_red ? "要素保障未到位，已列入问题清单" : "正在协调办理";
      } else if (is_start && not_started && p.planned_start->year == 2024) {
        n.node.note = "尚未具备开工条件";
      } else if (due <= cut) {
        actual = std::min(cut, due - 3 + (i + static_cast<int>(k)) % 7);  // a few days either side
      }
      n.node.planned = FromDayNumber(due);
      if (actual) n.node.actual = FromDayNumber(*actual);
      n.node.unit = p.unit;
      n.node.person = p.person;
      d.nodes.push_back(std::move(n));
    }
  }
}

// A few county projects (outside the reference figures) reported late: two have no February
// report, one neither January's nor February's; their amounts arrive with March's report, so
// every cumulative figure as of March stays what it was.
void AddDemoReportGaps(DemoData& d) {
  std::vector<std::string> codes;
  for (const ProjectImportRow& row : d.projects_2024) {
    if (row.project.level == Level::kCounty && row.plan && row.plan->yuan > 0) codes.push_back(row.project.code);
  }
  constexpr size_t kFirst = 3, kStep = 7;
  for (size_t k = 0; k < 3 && kFirst + k * kStep < codes.size(); ++k) {
    const std::string& code = codes[kFirst + k * kStep];
    const int through = k == 2 ? 2 : 1;  // the third misses January too
    int64_t moved = 0;
    ReportImportRow* march = nullptr;
    for (ReportImportRow& r : d.reports) {
      if (r.project_code == code && r.report.month == YearMonth{2024, 3}) march = &r;
    }
    if (!march) continue;
    std::erase_if(d.reports, [&](const ReportImportRow& r) {
      const bool gone = r.project_code == code && r.report.month.year == 2024 && r.report.month.month >= 3 - through &&
                        r.report.month.month < 3;
      if (gone) moved += r.report.completed.yuan;
      return gone;
    });
    for (ReportImportRow& r : d.reports) {
      if (r.project_code == code && r.report.month == YearMonth{2024, 3}) r.report.completed.yuan += moved;
    }
  }
}

// The 14 supervision visits of the reference quarter, and about 40 problems: most closed in time,
// a few closed late, some still open, three overdue long enough to be escalated by the run as of
// 2024-03-31. Deterministic in the projects' positions; draws nothing from the generator.
void AddDemoSupervision(DemoData& d) {
  const std::vector<std::string> cats = {"用地", "规划", "环评", "资金", "审批", "拆迁/征地", "水电气讯", "施工许可", "劳务"};
  const std::vector<std::string> texts = {
      "项目用地指标尚未落实，影响开工", "规划方案调整待审批", "环评批复未取得", "项目资本金到位不足",
      "施工许可手续办理缓慢", "征地拆迁有 3 户未签协议", "施工用电未接入，临时用电容量不足", "施工图审查意见未回复",
      "农民工工资专户未开设"};
  const std::vector<std::string> units = {"县自然资源局", "县住房和城乡建设局", "县生态环境局", "县财政局", "县行政审批局",
                                          "县住房和城乡建设局", "国网中江县供电公司", "县住房和城乡建设局", "县人力资源和社会保障局"};
  const std::vector<std::string> leaders = {"李副县长", "张副县长", "王副县长", "发改局 陈局长"};
  std::vector<const Project*> pool;
  for (const ProjectImportRow& row : d.projects_2024) {
    if (row.project.level != Level::kCounty || pool.size() < 40) pool.push_back(&row.project);
  }
  if (pool.empty()) return;
  const Date q1_start{2024, 1, 1};
  size_t next = 0;
  for (int v = 0; v < 14; ++v) {
    Visit visit;
    visit.start = AddDays(q1_start, 7 + v * 6);  // 2024-01-08 … 2024-03-25
    visit.end = v % 4 == 0 ? AddDays(visit.start, 1) : visit.start;
    visit.leader = leaders[v % leaders.size()];
    visit.members = {"县发改局 项目股", "县督查室"};
    std::vector<std::string> codes;
    const int stops = 3 + v % 3;
    for (int k = 0; k < stops; ++k) {
      const Project* p = pool[next++ % pool.size()];
      if (std::find(codes.begin(), codes.end(), p->code) != codes.end()) continue;
      VisitStop s;
      s.seen = k % 3 == 0 ? "主体施工中" : k % 3 == 1 ? "场地平整" : "设备安装";
      s.reported = s.seen;
      s.on_schedule = (v + k) % 5 != 0;
      if (!s.on_schedule) {
        const size_t c = static_cast<size_t>(v + k) % cats.size();
        s.findings.push_back(VisitFinding{0, texts[c], cats[c], (v + k) % 3 == 0 ? "passed_up" : "open", std::nullopt});
        if (v % 2 == 0) s.findings.push_back(VisitFinding{0, "现场安全围挡破损", "其他", "solved", std::nullopt});
      }
      codes.push_back(p->code);
      visit.stops.push_back(std::move(s));
    }
    d.visits.push_back(std::move(visit));
    d.stop_codes.push_back(std::move(codes));
  }
  // Findings followed up become problems, raised on the visit's last day.
  int n = 0;
  auto add = [&](const std::string& code, const std::string& unit, Date raised, const std::string& category,
                 const std::string& text, const std::string& source, int visit, int stop, int finding) {
    const int i = n++;
    DemoData::DemoProblem dp;
    dp.visit = visit;
    dp.stop = stop;
    dp.finding = finding;
    ProblemImportRow& r = dp.row;
    r.project_code = code;
    r.line = i + 1;
    Problem& p = r.problem;
    p.category = category;
    p.text = text;
    p.source = source;
    p.lead_unit = i % 4 == 1 ? unit : units[static_cast<size_t>(i) % units.size()];
    if (i % 3 == 0) p.co_units = {"县发展和改革局"};
    p.person = "联络员" + std::to_string(i % 7 + 1);
    p.raised_on = raised;
    p.deadline = AddDays(raised, 15 + (i % 4) * 5);
    const Date cut{2024, 3, 31};
    // Most are closed on time; every seventh late; the latest stay open; three long overdue.
    if (i % 13 == 5) {
      p.state = ProblemState::kWorking;
      p.deadline = AddDays(raised, 10);  // overdue by 3–5 weeks on 03-31: escalated
    } else if (AddDays(raised, 25) > cut) {
      p.state = i % 2 ? ProblemState::kWorking : ProblemState::kAnswered;
      if (p.state == ProblemState::kAnswered) p.answer = "已协调解决，待销号确认";
    } else {
      p.state = ProblemState::kClosed;
      const int took = i % 7 == 3 ? DayNumber(*p.deadline) - DayNumber(raised) + 6 : 5 + i % 9;
      p.closed_on = AddDays(raised, took);
      if (*p.closed_on > cut) p.closed_on = cut;
      p.answer = "已办结";
    }
    d.problems.push_back(std::move(dp));
  };
  for (size_t v = 0; v < d.visits.size(); ++v) {
    for (size_t k = 0; k < d.visits[v].stops.size(); ++k) {
      const auto& fs = d.visits[v].stops[k].findings;
      for (size_t f = 0; f < fs.size(); ++f) {
        if (fs[f].outcome == "solved") continue;
        const std::string& code = d.stop_codes[v][k];
        std::string unit;
        for (const Project* p : pool) {
          if (p->code == code) unit = p->unit;
        }
        add(code, unit, d.visits[v].end, fs[f].category, fs[f].text, "现场督导", static_cast<int>(v), static_cast<int>(k),
            static_cast<int>(f));
      }
    }
  }
  const std::vector<std::string> sources = {"月报", "业主反映", "拉练", "领导交办"};
  for (int k = 0; n < 40; ++k) {
    const Project* p = pool[(static_cast<size_t>(k) * 7 + 3) % pool.size()];
    const size_t c = static_cast<size_t>(k * 5 + 2) % cats.size();
    add(p->code, p->unit, AddDays(q1_start, 3 + (k * 11) % 85), cats[c], texts[c], sources[static_cast<size_t>(k) % sources.size()], -1,
        -1, -1);
  }
}

// 45 projects' medium/long-term loan demands, 409,000 万元 in all (the reference quarter), each
// pushed to one to three banks in January–March; a dozen granted credit, some signed and lent.
void AddDemoFinancing(DemoData& d) {
  constexpr int kProjects = 45;
  constexpr int64_t kTotalYuan = 409'000LL * 10'000;
  std::vector<const Project*> chosen;
  for (const ProjectImportRow& row : d.projects_2024) {
    if (static_cast<int>(chosen.size()) == kProjects) break;
    if (row.project.total_investment.yuan >= 20'000LL * 10'000 || row.project.level != Level::kCounty) chosen.push_back(&row.project);
  }
  for (const ProjectImportRow& row : d.projects_2024) {
    if (static_cast<int>(chosen.size()) == kProjects) break;
    if (std::find(chosen.begin(), chosen.end(), &row.project) == chosen.end()) chosen.push_back(&row.project);
  }
  std::vector<int64_t> weights;
  for (int i = 0; i < static_cast<int>(chosen.size()); ++i) weights.push_back(3 + (i * 7) % 11);
  const std::vector<int64_t> amounts = Split(kTotalYuan, weights, 100LL * 10'000);  // whole 100 万元
  for (size_t i = 0; i < chosen.size(); ++i) {
    FinancingDemand f;
    f.kind = "中长期贷款";
    f.amount = Money{amounts[i]};
    f.year_need = Money{amounts[i] / 2 / 1'000'000 * 1'000'000};
    f.term_years = 5 + static_cast<int>(i % 4) * 5;
    f.purpose = "项目建设（" + chosen[i]->name + "）";
    f.guarantee = i % 3 ? "项目收益权质押" : "土地使用权抵押";
    f.repayment = "项目运营收入";
    f.capital = Money{amounts[i] / 5 / 1'000'000 * 1'000'000};
    f.contact = chosen[i]->person;
    f.registered_on = Date{2024, 1 + static_cast<int>(i % 3), 5 + static_cast<int>(i % 10)};
    f.stage = FinancingStage::kReviewed;
    const int banks = 1 + static_cast<int>(i % 3);
    for (int k = 0; k < banks; ++k) {
      BankPush p;
      p.bank = kDemoBanks[(i + static_cast<size_t>(k) * 3) % std::size(kDemoBanks)];
      p.pushed_on = AddDays(f.registered_on, 7);
      if (k == 0 && i % 4 != 3) {
        p.answer = i % 5 == 1 ? "documents" : "interested";
        p.answer_note = p.answer == "documents" ? "请补充近三年财务报表" : "";
        p.answered_at = AddDays(p.pushed_on, 5).ToString() + "T00:00:00Z";
        p.answered_by = "bank";
      }
      if (k == 0 && i % 4 == 0 && f.registered_on.month < 3) {  // a dozen credited
        p.credit = Money{amounts[i] * 6 / 10 / 1'000'000 * 1'000'000};
        p.credit_on = AddDays(p.pushed_on, 20);
        if (i % 8 == 0) {  // some signed and lent
          p.contract = p.credit;
          p.contract_on = AddDays(*p.credit_on, 10);
          p.disbursements.push_back(Disbursement{0, AddDays(*p.contract_on, 7), Money{p.contract->yuan / 2}});
        }
      }
      f.pushes.push_back(std::move(p));
    }
    if (auto s = BankStageAsOf(f.pushes, Date{2024, 3, 31})) f.stage = *s;
    else f.stage = FinancingStage::kPushed;
    d.financing.emplace_back(chosen[i]->code, std::move(f));
  }
}

void AddDemoLeads(DemoData& d) {
  struct L {
    const char* name;
    const char* investor;
    const char* industry;
    int64_t wan;
    int64_t land_tenth_mu, floor_m2;
    int staff;
    Date lead_on;
    std::optional<Date> talks_on, signed_on;
    const char* source;
  };
  const L list[] = {
      {"智能装备产业园项目", "成都锐科智能装备有限公司", "先进制造", 80'000, 800, 0, 0, {2023, 11, 6}, Date{2024, 1, 9}, Date{2024, 3, 12}, "以商招商"},
      {"绿色食品精深加工项目", "四川川味源食品有限公司", "农产品加工", 35'000, 0, 12'000, 1, {2023, 12, 1}, Date{2024, 1, 15}, Date{2024, 2, 26}, "展会招商"},
      {"锂电池回收利用项目", "重庆循环新材料有限公司", "新能源", 120'000, 1000, 0, 0, {2024, 1, 8}, Date{2024, 3, 5}, std::nullopt, "驻外招商"},
      {"预制菜中央厨房项目", "德阳鲜到家餐饮管理有限公司", "农产品加工", 20'000, 0, 8'000, 1, {2024, 1, 3}, Date{2024, 1, 22}, std::nullopt, "网络招商"},
      {"医疗器械生产项目", "成都康宁医疗器械有限公司", "医药健康", 50'000, 0, 15'000, 0, {2024, 1, 20}, Date{2024, 2, 18}, std::nullopt, "以商招商"},
      {"光伏组件封装项目", "江苏晶辉光伏科技有限公司", "新能源", 200'000, 2000, 0, 0, {2024, 3, 20}, std::nullopt, std::nullopt, "驻外招商"},
      {"冷链物流园项目", "四川蜀运冷链物流有限公司", "现代物流", 40'000, 600, 0, 1, {2024, 2, 2}, std::nullopt, std::nullopt, "中介推介"},
      {"电子元器件生产项目", "绵阳华芯电子有限公司", "电子信息", 15'000, 0, 6'000, 0, {2024, 3, 28}, std::nullopt, std::nullopt, "网络招商"},
  };
  for (const L& x : list) {
    Lead l;
    l.name = x.name;
    l.investor = x.investor;
    l.industry = x.industry;
    l.investment = Money::FromWan(x.wan);
    l.land_tenth_mu = x.land_tenth_mu;
    l.floor_m2 = x.floor_m2;
    l.output = Money::FromWan(x.wan * 3 / 2);
    l.tax = Money::FromWan(x.wan / 20);
    l.contact = "投资方联系人 138****" + std::to_string(1000 + x.wan % 9000);
    l.source = x.source;
    l.staff = kDemoInvestmentStaff[x.staff];
    l.lead_on = x.lead_on;
    l.talks_on = x.talks_on;
    l.signed_on = x.signed_on;
    l.stage = x.signed_on ? LeadStage::kSigned : x.talks_on ? LeadStage::kTalks : LeadStage::kLead;
    d.leads.emplace_back("", std::move(l));
  }
  // The two new starts of Q1 2024: signed in 2023, 立项 when their proposals were approved.
  struct Deal {
    const char* name;
    int64_t land_tenth_mu;
    int staff;
    Date lead_on, talks_on, signed_on, landed_on;
    const char* source;
  };
  const Deal deals[] = {
      {"新能源部件生产项目", 3200, 0, {2023, 1, 12}, {2023, 3, 2}, {2023, 5, 26}, {2023, 6, 17}, "以商招商"},
      {"制药生产基地异地建设项目", 1500, 1, {2023, 2, 6}, {2023, 3, 15}, {2023, 5, 8}, {2023, 6, 10}, "驻外招商"},
  };
  for (const Deal& x : deals) {
    auto it = std::find_if(d.projects_2024.begin(), d.projects_2024.end(),
                           [&](const ProjectImportRow& r) { return r.project.name == x.name; });
    if (it == d.projects_2024.end()) continue;
    const Project& p = it->project;
    Lead l;
    l.name = p.name;
    l.investor = p.owner;
    l.industry = p.industry;
    l.investment = p.total_investment;
    l.land_tenth_mu = x.land_tenth_mu;
    l.output = Money{p.total_investment.yuan / 5 * 6};
    l.tax = Money{p.total_investment.yuan / 20};
    l.contact = p.person;
    l.source = x.source;
    l.staff = kDemoInvestmentStaff[x.staff];
    l.lead_on = x.lead_on;
    l.talks_on = x.talks_on;
    l.signed_on = x.signed_on;
    l.landed_on = x.landed_on;
    l.stage = LeadStage::kLanded;
    d.leads.emplace_back(p.code, std::move(l));
  }
  // Two older deals of county projects, so the pipeline has a lead in every stage: one 落地 whose project has
  // not started yet (its 开工 node not done by the end of March), one whose 投产/投用 node is done (投产).
  auto node_done = [&](const std::string& code, const char* name) {
    for (const NodeImportRow& n : d.nodes) {
      if (n.project_code == code && n.node.name == name) return n.node.actual.has_value();
    }
    return false;
  };
  const ProjectImportRow* landed = nullptr;
  const ProjectImportRow* producing = nullptr;
  for (const ProjectImportRow& row : d.projects_2024) {
    if (row.project.level != Level::kCounty) continue;
    if (!landed && row.project.status == "前期" && !node_done(row.project.code, "开工")) landed = &row;
    if (!producing && node_done(row.project.code, "投产/投用")) producing = &row;
  }
  struct Older {
    const ProjectImportRow* row;
    int staff;
    Date lead_on, talks_on, signed_on, landed_on;
    const char* source;
  };
  const Older older[] = {
      {landed, 1, {2022, 5, 9}, {2022, 8, 16}, {2022, 11, 21}, {2023, 12, 8}, "以商招商"},
      {producing, 0, {2021, 9, 15}, {2021, 12, 2}, {2022, 3, 18}, {2022, 6, 30}, "驻外招商"},
  };
  for (const Older& x : older) {
    if (!x.row) continue;
    const Project& p = x.row->project;
    Lead l;
    l.name = p.name;
    l.investor = p.owner;
    l.industry = p.industry;
    l.investment = p.total_investment;
    l.land_tenth_mu = 300;
    l.output = Money{p.total_investment.yuan / 5 * 6};
    l.tax = Money{p.total_investment.yuan / 20};
    l.contact = p.person;
    l.source = x.source;
    l.staff = kDemoInvestmentStaff[x.staff];
    l.lead_on = x.lead_on;
    l.talks_on = x.talks_on;
    l.signed_on = x.signed_on;
    l.landed_on = x.landed_on;
    l.stage = LeadStage::kLanded;
    d.leads.emplace_back(p.code, std::move(l));
  }
  const char* const kHighTech = "中江高新技术产业园区";
  const char* const kFoodPark = "中江县食品产业园";
  auto carrier = [&](const char* park, CarrierKind kind, const char* parcel, int64_t area, int64_t price,
                     std::vector<std::string> industries, bool available) {
    Carrier c;
    c.park = park;
    c.kind = kind;
    c.parcel = parcel;
    (kind == CarrierKind::kLand ? c.land_tenth_mu : c.floor_m2) = area;
    c.price = Money{price};
    c.industries = std::move(industries);
    c.available = available;
    d.carriers.push_back(std::move(c));
  };
  carrier(kHighTech, CarrierKind::kLand, "A-01地块", 1500, 180'000, {"新能源", "先进制造"}, true);
  carrier(kHighTech, CarrierKind::kLand, "A-07地块", 855, 200'000, {"先进制造"}, true);
  carrier(kHighTech, CarrierKind::kLand, "B-03地块", 2200, 160'000, {}, true);
  carrier(kHighTech, CarrierKind::kFactory, "1号标准厂房", 16'000, 12, {"医药健康", "电子信息"}, true);
  carrier(kHighTech, CarrierKind::kFactory, "3号标准厂房", 6'500, 12, {"电子信息"}, true);
  carrier(kFoodPark, CarrierKind::kLand, "C-02地块", 650, 150'000, {"农产品加工", "现代物流"}, true);
  carrier(kFoodPark, CarrierKind::kFactory, "2号标准厂房", 12'500, 10, {"农产品加工"}, true);
  carrier(kFoodPark, CarrierKind::kFactory, "5号标准厂房", 9'000, 10, {}, false);
}

// The quarter's 拉练: two projects from each of the first four townships that have two, scored on the
// default sheet (30/25/20/15/10) by five raters who lean differently (one high, one low), so that the
// dropped totals show. Deterministic; draws nothing from the generator.
void AddDemoTour(DemoData& d) {
  DemoData::DemoTour& t = d.tour;
  t.name = "2024年一季度重点项目拉练";
  t.start = {2024, 3, 26};
  t.end = {2024, 3, 27};
  std::vector<std::string> towns;
  std::map<std::string, std::vector<std::string>> codes;
  for (const ProjectImportRow& row : d.projects_2024) {
    if (row.project.level == Level::kCounty || row.region_text.empty()) continue;
    auto& list = codes[row.region_text];
    if (list.empty()) towns.push_back(row.region_text);
    if (list.size() < 2) list.push_back(row.project.code);
  }
  for (const std::string& town : towns) {
    if (codes[town].size() < 2) continue;
    for (const std::string& c : codes[town]) t.stop_codes.push_back(c);
    if (t.stop_codes.size() >= 8) break;
  }
  constexpr int64_t kMax[] = {300, 250, 200, 150, 100};     // the default sheet, tenths
  constexpr int kQuality[] = {92, 78, 85, 88, 70, 81, 95, 74};  // each stop's showing, of 100
  constexpr int kLean[] = {2, -3, 0, 7, -9};                // each rater's leaning
  for (size_t k = 0; k < t.stop_codes.size(); ++k) {
    std::vector<std::vector<int64_t>> by_rater;
    for (size_t r = 0; r < std::size(kLean); ++r) {
      std::vector<int64_t> items;
      for (size_t i = 0; i < std::size(kMax); ++i) {
        const int pct = std::clamp(kQuality[k % std::size(kQuality)] + kLean[r] + static_cast<int>((k + i + r) % 3) - 1, 40, 100);
        items.push_back(kMax[i] * pct / 100);
      }
      by_rater.push_back(std::move(items));
    }
    t.scores.push_back(std::move(by_rater));
  }
}

}  // namespace

DemoData GenerateDemoData(uint32_t seed) {
  Rng rng(seed);
  DemoData d;
  d.regions.push_back({"四川省", "510000", -1});
  d.regions.push_back({"德阳市", "510600", 0});
  d.regions.push_back({"中江县", "510623", 1});
  d.home_region = 2;
  for (size_t i = 0; i < kTowns.size(); ++i) {
    char code[16];
    std::snprintf(code, sizeof code, "510623%03zu", 100 + i);
    d.regions.push_back({kTowns[i], code, 2});
  }

  constexpr int64_t kWanStep = 100;  // plans in 万元 with two decimals
  const std::vector<Group> groups = {
      {Level::kProvincial, 6, kDemoProvincialPlanYuan, kDemoProvincialDoneYuan},
      {Level::kMunicipal, 66, kDemoMunicipalPlanYuan, kDemoMunicipalDoneYuan},
      {Level::kCounty, 48, 286'540LL * 10'000, 71'910LL * 10'000},
  };
  int serial = 0, demo_left = 15;
  for (const Group& g : groups) {
    std::vector<int64_t> plan_w(g.count), done_w(g.count);
    for (int i = 0; i < g.count; ++i) plan_w[i] = rng.Uniform(40, 300);
    std::vector<int64_t> plans = Split(g.plan, plan_w, kWanStep);
    for (int i = 0; i < g.count; ++i) done_w[i] = plans[i] / 10000 * rng.Uniform(40, 160);
    std::vector<int64_t> done = Split(g.done, done_w, kWanStep);
    for (int i = 0; i < g.count; ++i) {
      ++serial;
      const IndustrySpec& spec = g.level == Level::kProvincial && i < 2 ? Industries()[i == 0 ? 1 : 2]
                                                                        : rng.Pick(Industries());
      ProjectImportRow row;
      Project& p = row.project;
      char code[40];
      std::snprintf(code, sizeof code, "%02d%02d-510623-%02d-01-%06d", 23 + (serial % 2), 1 + serial % 12,
                    4 + static_cast<int>(g.level), 100000 + serial * 37);
      p.code = code;
      p.level = g.level;
      p.industry = spec.industry;
      row.region_text = rng.Pick(kTowns);
      p.name = Fill(rng.Pick(spec.names), row.region_text, rng);
      p.owner = rng.Pick(spec.owners);
      p.unit = spec.unit;
      p.person = rng.Pick(kPersons);
      p.nature = rng.Pick(std::vector<std::string>{"新建", "新建", "改扩建", "续建"});
      p.status = g.level == Level::kCounty && i % 5 == 0 ? "前期" : rng.Pick(std::vector<std::string>{"在建", "续建", "新开工"});
      // Total investment: a multi-year project, 2 to 6 times this year's plan.
      p.total_investment = Money(plans[i] * rng.Uniform(2, 6));
      if (g.level == Level::kProvincial && i == 0) {
        p.name = "新能源部件生产项目";
        p.total_investment = Money(50LL * kYuanPerYi);
        p.status = "新开工";
        p.nature = "新建";
      } else if (g.level == Level::kProvincial && i == 1) {
        p.name = "制药生产基地异地建设项目";
        p.total_investment = Money(15LL * kYuanPerYi);
        p.status = "新开工";
        p.nature = "迁建";
      }
      if (g.level != Level::kCounty && demo_left > 0 && (g.level == Level::kProvincial || i % 4 == 1)) {
        p.is_demo = true;
        p.leader = kLeaders[demo_left % kLeaders.size()];
        --demo_left;
      } else if (g.level != Level::kCounty) {
        p.leader = rng.Pick(kLeaders);
      }
      int start_year = p.status == "新开工" || p.status == "前期" ? 2024 : 2023;
      p.planned_start = Date{start_year, start_year == 2024 ? rng.Uniform(1, 3) : rng.Uniform(3, 10), rng.Uniform(1, 28)};
      p.planned_end = Date{start_year + rng.Uniform(1, 3), rng.Uniform(1, 12), rng.Uniform(1, 28)};
      p.content = "主要建设" + p.industry + "相关设施，总建筑面积约" + std::to_string(rng.Uniform(1, 30)) + "万平方米。";
      row.plan_year = 2024;
      row.plan = Money(plans[i]);
      d.projects_2024.push_back(row);

      // Q1 2024: January, February and March amounts that add up to the project's figure exactly.
      std::vector<int64_t> months = Split(done[i], {rng.Uniform(15, 30), rng.Uniform(20, 35), rng.Uniform(35, 60)},
                                          kWanStep);
      static const char* kProgress[] = {"场地平整完成", "基础施工中", "主体结构施工中", "主体封顶，进入装饰装修",
                                        "设备安装调试中"};
      for (int m = 0; m < 3; ++m) {
        ReportImportRow r;
        r.project_code = p.code;
        r.report.month = YearMonth{2024, m + 1};
        r.report.completed = Money(months[m]);
        r.report.progress = kProgress[std::min(4, m + rng.Uniform(0, 2))];
        if (rng.Uniform(0, 9) == 0) r.report.problems = "用地指标待落实";
        // Submitted in the first days of the next month; about one in twelve after the 5th (late).
        char at[32];
        int day = rng.Uniform(0, 11) == 0 ? rng.Uniform(6, 9) : rng.Uniform(1, 5);
        std::snprintf(at, sizeof at, "2024-%02d-%02dT0%d:%02d:00Z", m + 2, day, rng.Uniform(1, 9), rng.Uniform(0, 59));
        r.report.submitted_at = at;
        d.reports.push_back(std::move(r));
      }
      // Continuing projects also had a 2023 plan and twelve 2023 reports: they must not count in 2024.
      if (start_year == 2023) {
        ProjectImportRow prev = row;
        prev.plan_year = 2023;
        prev.plan = Money(plans[i] / 2 / kWanStep * kWanStep);
        d.projects_2023.push_back(prev);
        std::vector<int64_t> parts(12);
        for (auto& x : parts) x = rng.Uniform(5, 15);
        std::vector<int64_t> amounts = Split(prev.plan->yuan * rng.Uniform(80, 105) / 100 / kWanStep * kWanStep, parts,
                                             kWanStep);
        for (int m = 0; m < 12; ++m) {
          ReportImportRow r;
          r.project_code = p.code;
          r.report.month = YearMonth{2023, m + 1};
          r.report.completed = Money(amounts[m]);
          r.report.progress = "按计划推进";
          char at[32];
          std::snprintf(at, sizeof at, "%04d-%02d-03T02:00:00Z", m == 11 ? 2024 : 2023, m == 11 ? 1 : m + 2);
          r.report.submitted_at = at;
          d.reports.push_back(std::move(r));
        }
      }
    }
  }
  AddDemoReportGaps(d);
  AddDemoNodes(d);
  AddDemoSupervision(d);
  AddDemoFinancing(d);
  AddDemoLeads(d);
  AddDemoTour(d);
  return d;
}

Result<int> AttachDemoPhotos(Photos& photos, store::Store& store, const std::string& also_code, int projects) {
  constexpr int kWidth = 640, kHeight = 480;
  constexpr double kCountyLat = 31.0339, kCountyLon = 104.6785;  // 中江县
  std::vector<int64_t> ids;
  store::ProjectQuery q;
  q.q = also_code;
  auto page = store.ListProjects(q);
  if (!page.ok()) return page.status();
  for (const Project& p : page->items) {
    if (p.code == also_code) ids.push_back(p.id);
  }
  auto march = store.ListReportsForMonth(YearMonth{2024, 3});
  if (!march.ok()) return march.status();
  for (const MonthlyReport& r : *march) {
    if (static_cast<int>(ids.size()) > projects) break;
    if (std::find(ids.begin(), ids.end(), r.project_id) == ids.end()) ids.push_back(r.project_id);
  }
  int attached = 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    auto reports = store.ListReports(ids[i]);
    if (!reports.ok()) return reports.status();
    for (const MonthlyReport& r : *reports) {
      if (r.month.year != 2024) continue;
      SyntheticPhoto spec;
      spec.width = kWidth;
      spec.height = kHeight;
      spec.seed = static_cast<int>(i * 3 + r.month.month);
      char when[32];
      std::snprintf(when, sizeof when, "2024-%02d-25T10:%02d:00", r.month.month, static_cast<int>(i % 60));
      spec.taken_at = when;
      spec.lat = kCountyLat + 0.01 * static_cast<double>(i % 7);
      spec.lon = kCountyLon + 0.01 * static_cast<double>(i % 5);
      auto bytes = MakeSyntheticPhoto(spec);
      if (!bytes.ok()) return bytes.status();
      PhotoTarget t{ids[i], PhotoKind::kReport, r.month.ToString(), "施工现场 " + r.month.ToString()};
      auto added = photos.Add(t, *bytes, Actor("demo"));
      if (!added.ok()) return added.status();
      ++attached;
    }
  }
  return attached;
}

}  // namespace kp
