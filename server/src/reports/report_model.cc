#include "reports/report_model.h"

#include <algorithm>
#include <boost/json.hpp>
#include <sstream>

#include "common/text.h"

namespace kp::reports {
namespace {

namespace json = boost::json;

constexpr const char* kChineseNumerals[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"};
constexpr size_t kRankedInSentence = 3;  // townships named at each end of the ranking sentence

const char* kDefaultNextSteps =
    "下一步，将紧盯年度目标任务，坚持周调度、月分析、季复盘，对进度滞后的项目和乡镇逐一分析原因，"
    "落实\"清单制+责任制+销号制\"，加快问题协调解决，强化要素保障和融资服务，推动重点项目加快形成更多实物工作量。";

// A sentence being drafted: text with its figures recorded as they are written.
class Draft {
 public:
  Draft& Say(const std::string& s) {
    text_ += s;
    return *this;
  }
  // sign: the direction the words before the figure give it (+1 超/高于/增加, -1 低于/减少), 0 none.
  Draft& Fig(const std::string& key, const std::string& written, const std::string& suffix = "", int sign = 0) {
    figures_.push_back({key, written, sign == 0 ? std::string() : (sign > 0 ? "+" : "-") + written});
    text_ += written + suffix;
    return *this;
  }
  // A name the data puts in the sentence (a township, a level, a list's member): bound like a figure.
  Draft& Bind(const std::string& name) {
    text_ += name;
    if (!name.empty()) bound_.push_back(name);
    return *this;
  }
  Paragraph Done(const std::string& id) {
    return Paragraph{id, std::move(text_), std::move(figures_), false, std::move(bound_)};
  }

 private:
  std::string text_;
  std::vector<Figure> figures_;
  std::vector<std::string> bound_;
};

Block Para(Paragraph p) {
  Block b;
  b.kind = Block::Kind::kParagraph;
  b.paragraph = std::move(p);
  return b;
}
Block TableBlock(Table t) {
  Block b;
  b.kind = Block::Kind::kTable;
  b.table = std::move(t);
  return b;
}

std::string LevelsWord(const std::vector<Level>& levels) {
  if (levels.empty() || levels.size() == std::size(kAllLevels)) return "重点";
  std::string w;
  for (Level l : kAllLevels) {
    if (std::find(levels.begin(), levels.end(), l) == levels.end()) continue;
    std::string name = LevelName(l);
    w += name.substr(0, name.size() - std::string("重点").size());
  }
  return w + "重点";
}

// "+5.8" / "-2" / "0": points with their sign, as a table shows them.
std::string SignedPoints(const std::optional<Ratio>& p, const ReportStyle& s) {
  if (!p) return "—";
  int sign = RoundedSign(*p, s);
  return sign == 0 ? "0" : (sign > 0 ? "+" : "-") + Points(*p, s);
}

// "累计完成投资49.5亿元，占年度计划的30.8%，超时序进度5.8个百分点" of a group, its figures keyed under `key`.
void Progress(Draft& d, const std::string& key, const stats::GroupFigures& g, const ReportStyle& s,
              const char* verb = "累计完成投资") {
  d.Say(verb).Fig(key + ".completed_yi", Yi(g.completed, s), "亿元");
  if (!g.completion_pct) {
    d.Say("，暂无年度计划投资");
    return;
  }
  d.Say("，占年度计划的").Fig(key + ".completion_pct", Pct(g.completion_pct, s), "%");
  d.Say("，");
  const int sign = RoundedSign(*g.ahead_points, s);
  if (sign == 0) {
    d.Say("与时序进度持平");
  } else {
    d.Say(sign > 0 ? "超时序进度" : "低于时序进度").Fig(key + ".ahead_points", Points(*g.ahead_points, s), "个百分点", sign);
  }
}

// "，高于总体进度2.1个百分点" of a group against the total.
void VsTotal(Draft& d, const std::string& key, const stats::GroupFigures& g, const stats::GroupFigures& total,
             const ReportStyle& s) {
  if (!g.completion_pct || !total.completion_pct) return;
  Ratio diff = *g.completion_pct - *total.completion_pct;
  const int sign = RoundedSign(diff, s);
  if (sign == 0) {
    d.Say("，与总体进度持平");
  } else {
    d.Say(sign > 0 ? "，高于总体进度" : "，低于总体进度").Fig(key + ".vs_total_points", Points(diff, s), "个百分点", sign);
  }
}

// The figures table of a grouping: one row per group (rank first when ranked), then 合计.
Table FiguresTable(const std::string& id, const std::string& caption, const std::string& first,
                   const stats::StatsResult& r, const ReportStyle& s, bool ranked) {
  Table t{id, caption, "单位：万元", {}, {}};
  if (ranked) t.header.push_back("排名");
  for (const char* h : {"", "项目个数", "年度计划", "累计完成", "占年度计划%", "超/低于时序进度（个百分点）"}) {
    t.header.push_back(*h ? h : first);
  }
  auto row = [&](const stats::GroupFigures& g, const std::string& name, const std::string& rank) {
    std::vector<std::string> cells;
    if (ranked) cells.push_back(rank);
    cells.insert(cells.end(), {name, std::to_string(g.projects), Wan(g.plan, s), Wan(g.completed, s),
                               Pct(g.completion_pct, s), SignedPoints(g.ahead_points, s)});
    t.rows.push_back(std::move(cells));
  };
  for (const auto& g : r.groups) row(g, g.key, g.rank ? std::to_string(*g.rank) : "—");
  row(r.total, "合计", "");
  return t;
}

constexpr const char* kQuarterPeriods[] = {"一季度", "上半年", "前三季度", "全年"};

// How the report names its period: "1—3月", or the quarterly review's "一季度".
std::string Period(const MonthlyInputs& in, bool quarterly) {
  return quarterly ? kQuarterPeriods[in.month / 3 - 1] : MonthsSpan(in.month);
}

// The cumulative completion rate month by month up to the report's month, against 时序进度 at each month's end.
// Its last point is the summary's completion rate (the same figure from the same engine).
Block CurveChart(const MonthlyInputs& in) {
  constexpr int kPercent = 100;
  Block b;
  b.kind = Block::Kind::kChart;
  Chart& c = b.chart;
  c.shape = Chart::Shape::kCurve;
  c.id = "cumulative";
  c.title = "累计完成率与时序进度（%）";
  Chart::Series done{"累计完成率", {}}, schedule{"时序进度", {}};
  for (int k = 1; k <= in.month; ++k) {
    c.labels.push_back(std::to_string(k) + "月");
    const Money cumulative = in.line.cumulative[static_cast<size_t>(k - 1)];
    done.values.push_back(in.line.plan.yuan == 0
                              ? 0.0
                              : Ratio::Of(static_cast<__int128>(cumulative.yuan) * kPercent, in.line.plan.yuan).ToDouble());
    schedule.values.push_back(stats::SchedulePct(in.by_level.schedule, in.year, k).ToDouble());
  }
  c.series = {std::move(done), std::move(schedule)};
  return b;
}

// Charts numbered in order of appearance: "图1  …", "图2  …" (a renumbered title keeps its text).
void NumberFigures(Report& r) {
  int n = 0;
  for (auto& sec : r.sections) {
    for (auto& b : sec.blocks) {
      if (b.kind != Block::Kind::kChart) continue;
      std::string& t = b.chart.title;
      if (t.starts_with("图")) t = t.substr(t.find("  ") + 2);
      t = "图" + std::to_string(++n) + "  " + t;
    }
  }
}

Section Summary(const MonthlyInputs& in, bool quarterly = false) {
  const ReportStyle& s = in.style;
  const auto& t = in.by_level.total;
  Section sec{"summary", "一、总体情况", {}};
  Draft d;
  d.Say(Period(in, quarterly) + "，" + s.area).Fig("total.projects", std::to_string(t.projects), "个");
  d.Say(LevelsWord(in.levels) + "项目");
  Progress(d, "total", t, s);
  d.Say("。");
  sec.blocks.push_back(Para(d.Done("summary")));
  Draft lv;
  bool first = true;
  for (const auto& g : in.by_level.groups) {
    if (!first) lv.Say("；");
    first = false;
    const std::string key = "level." + g.key;
    lv.Fig(key + ".projects", std::to_string(g.projects), "个").Bind(g.key).Say("项目");
    Progress(lv, key, g, s, "完成投资");
  }
  if (!first) {
    lv.Say("。");
    sec.blocks.push_back(Para(lv.Done("by_level")));
  }
  sec.blocks.push_back(TableBlock(FiguresTable("by_level", "表1  分级别完成情况", "级别", in.by_level, s, false)));
  sec.blocks.push_back(CurveChart(in));
  return sec;
}

Section ByStatus(const MonthlyInputs& in) {
  const ReportStyle& s = in.style;
  Section sec{"by_status", "二、分类型情况", {}};
  Draft d;
  d.Say("从项目类型看，");
  bool first = true;
  for (const auto& g : in.by_status.groups) {
    if (!first) d.Say("；");
    first = false;
    const std::string key = "status." + g.key;
    d.Bind(g.key).Say("项目").Fig(key + ".projects", std::to_string(g.projects), "个，");
    Progress(d, key, g, s, "完成投资");
  }
  d.Say("。");
  if (!first) sec.blocks.push_back(Para(d.Done("by_status")));
  sec.blocks.push_back(TableBlock(FiguresTable("by_status", "表2  分类型完成情况", "类型", in.by_status, s, false)));
  return sec;
}

Section ByIndustry(const MonthlyInputs& in) {
  const ReportStyle& s = in.style;
  Section sec{"by_industry", "三、分行业情况", {}};
  Draft d;
  d.Say("从行业看，");
  bool first = true;
  for (const auto& g : in.by_industry.groups) {
    if (!g.completion_pct) continue;
    if (!first) d.Say("；");
    first = false;
    const std::string key = "industry." + g.key;
    d.Bind(g.key).Say("项目").Fig(key + ".projects", std::to_string(g.projects), "个，");
    Progress(d, key, g, s, "完成投资");
    VsTotal(d, key, g, in.by_industry.total, s);
  }
  d.Say("。");
  if (!first) sec.blocks.push_back(Para(d.Done("by_industry")));
  sec.blocks.push_back(
      TableBlock(FiguresTable("by_industry", "表3  分行业完成情况", "行业", in.by_industry, s, false)));
  return sec;
}

Section ByRegion(const MonthlyInputs& in) {
  const ReportStyle& s = in.style;
  Section sec{"by_region", "四、分乡镇情况", {}};
  std::vector<const stats::GroupFigures*> ranked;
  for (const auto& g : in.by_region.groups) {
    if (g.rank) ranked.push_back(&g);
  }
  auto name = [&](Draft& d, const stats::GroupFigures& g) {
    const std::string key = "region." + g.key;
    d.Bind(g.key);
    Progress(d, key, g, s, "完成投资");
    VsTotal(d, key, g, in.by_region.total, s);
    d.Say("，位居第").Fig(key + ".rank", std::to_string(*g.rank));
  };
  if (!ranked.empty()) {
    Draft d;
    d.Say("从乡镇看，");
    const size_t top = std::min(kRankedInSentence, ranked.size());
    for (size_t i = 0; i < top; ++i) {
      if (i) d.Say("；");
      name(d, *ranked[i]);
    }
    const size_t rest = ranked.size() - top;
    const size_t bottom = std::min(kRankedInSentence, rest);
    if (bottom > 0) {
      d.Say("。排名靠后的是");
      for (size_t i = ranked.size() - bottom; i < ranked.size(); ++i) {
        if (i != ranked.size() - bottom) d.Say("；");
        name(d, *ranked[i]);
      }
    }
    d.Say("。");
    sec.blocks.push_back(Para(d.Done("by_region")));
  }
  Block chart;
  chart.kind = Block::Kind::kChart;
  chart.chart.id = "by_region";
  chart.chart.title = "各乡镇完成率与时序进度（%）";
  chart.chart.line_label = "时序进度 " + Pct(in.by_region.schedule_pct, s) + "%";
  chart.chart.line_value = in.by_region.schedule_pct.ToDouble();
  for (const auto* g : ranked) chart.chart.bars.emplace_back(g->key, g->completion_pct->ToDouble());
  sec.blocks.push_back(std::move(chart));
  sec.blocks.push_back(TableBlock(FiguresTable("by_region", "表4  分乡镇完成情况及排名", "乡镇", in.by_region, s, true)));
  return sec;
}

Section Demo(const MonthlyInputs& in) {
  const ReportStyle& s = in.style;
  Section sec{"demo", "五、示范项目", {}};
  for (const auto& g : in.by_demo.groups) {
    if (g.key != "示范项目") continue;
    Draft d;
    d.Fig("demo.projects", std::to_string(g.projects), "个").Say("重点示范项目");
    Progress(d, "demo", g, s);
    VsTotal(d, "demo", g, in.by_demo.total, s);
    d.Say("。");
    sec.blocks.push_back(Para(d.Done("demo")));
  }
  if (sec.blocks.empty()) {
    sec.blocks.push_back(Para(Draft().Say("本期暂无确定的重点示范项目。").Done("demo")));
  }
  return sec;
}

Section Wall(const MonthlyInputs& in) {
  Section sec{"wallchart", "六、挂图作战", {}};
  const auto& n = in.node_states;
  const auto st = [&](stats::NodeState x) { return n[static_cast<size_t>(x)]; };
  const int64_t done = st(stats::NodeState::kDoneOnTime) + st(stats::NodeState::kDoneLate);
  const auto& c = in.warnings.counts;
  Draft d;
  d.Say("截至" + std::to_string(in.month) + "月底，挂图作战节点已完成").Fig("nodes.done", std::to_string(done), "个");
  d.Say("（按期完成").Fig("nodes.done_on_time", std::to_string(st(stats::NodeState::kDoneOnTime)), "个）");
  d.Say("，逾期未完成").Fig("nodes.overdue", std::to_string(st(stats::NodeState::kOverdue)), "个");
  d.Say("，临期").Fig("nodes.due_soon", std::to_string(st(stats::NodeState::kDueSoon)), "个");
  d.Say("。预警亮灯红灯项目").Fig("colours.red", std::to_string(c[2]), "个");
  d.Say("、黄灯项目").Fig("colours.yellow", std::to_string(c[1]), "个");
  d.Say("、绿灯项目").Fig("colours.green", std::to_string(c[0]), "个。");
  sec.blocks.push_back(Para(d.Done("wallchart")));
  Table t{"wallchart", "表5  预警亮灯项目", "", {"灯色", "项目名称", "所在乡镇", "责任单位", "预警情况"}, {}};
  for (const auto& p : in.warnings.projects) {
    if (p.colour == stats::Colour::kGreen) continue;
    std::string why;
    for (const auto& w : p.warnings) {
      why += (why.empty() ? "" : "；") + std::string(stats::WarningRuleLabel(w.rule)) + "：" + w.detail;
    }
    t.rows.push_back({stats::ColourLabel(p.colour), p.name, p.region, p.unit, why});
  }
  if (!t.rows.empty()) sec.blocks.push_back(TableBlock(std::move(t)));
  return sec;
}

Section ProblemsAndVisits(const MonthlyInputs& in) {
  const ReportStyle& s = in.style;
  Section sec{"problems", "七、问题整改和现场督导", {}};
  const auto& p = in.problems.total;
  Draft d;
  d.Say("累计梳理问题").Fig("problems.raised", std::to_string(p.raised), "个");
  d.Say("，已办结销号").Fig("problems.closed", std::to_string(p.closed), "个");
  if (p.closure_rate_pct()) d.Say("，办结率").Fig("problems.closure_rate_pct", Pct(p.closure_rate_pct(), s), "%");
  d.Say("；逾期未办结").Fig("problems.overdue", std::to_string(p.overdue), "个");
  d.Say("，升级督办").Fig("problems.escalated", std::to_string(p.escalated), "个。");
  sec.blocks.push_back(Para(d.Done("problems")));
  const auto& v = in.visits;
  Draft vd;
  vd.Say("今年以来开展现场督导").Fig("visits.visits", std::to_string(v.visits), "次");
  vd.Say("，督导项目").Fig("visits.projects_covered", std::to_string(v.projects_covered), "个");
  if (v.coverage_pct()) vd.Say("（覆盖率").Fig("visits.coverage_pct", Pct(v.coverage_pct(), s), "%）");
  vd.Say("，发现问题").Fig("visits.findings", std::to_string(v.findings), "个");
  vd.Say("，现场解决").Fig("visits.solved_on_spot", std::to_string(v.solved_on_spot), "个");
  vd.Say("，转入问题清单").Fig("visits.problems_raised", std::to_string(v.problems_raised), "个。");
  sec.blocks.push_back(Para(vd.Done("visits")));
  return sec;
}

Section FinancingSection(const MonthlyInputs& in) {
  const ReportStyle& s = in.style;
  Section sec{"financing", "八、融资对接", {}};
  const auto& f = in.financing.total;
  Draft d;
  d.Say("累计收集重点项目融资需求").Fig("financing.projects", std::to_string(f.projects), "个");
  d.Say("，融资需求").Fig("financing.demand_yi", Yi(f.demand, s), "亿元");
  d.Say("；已向金融机构推送").Fig("financing.pushed_projects", std::to_string(f.pushed_projects), "个");
  d.Say("，获得授信").Fig("financing.credit_projects", std::to_string(f.credit_projects), "个");
  d.Say("、").Fig("financing.credit_yi", Yi(f.credit, s), "亿元");
  d.Say("，已放款").Fig("financing.disbursed_projects", std::to_string(f.disbursed_projects), "个");
  d.Say("、").Fig("financing.disbursed_yi", Yi(f.disbursed, s), "亿元。");
  sec.blocks.push_back(Para(d.Done("financing")));
  return sec;
}

Section RedBlackSection(const MonthlyInputs& in) {
  const ReportStyle& s = in.style;
  Section sec{"redblack", "九、红黑榜", {}};
  const auto& l = in.redblack;
  Draft d;
  auto names = [&d](const std::vector<stats::RedBlackEntry>& es) {
    for (size_t i = 0; i < es.size(); ++i) d.Say(i == 0 ? "" : "、").Bind(es[i].figures.key);
  };
  d.Say("按红黑榜规则（目标为完成年度计划的").Fig("redblack.target_pct", Pct(l.target_pct, s), "%）");
  if (l.red.empty()) {
    d.Say("，本期无单位列入红榜");
  } else {
    d.Say("，");
    names(l.red);
    d.Say("列入红榜");
  }
  if (l.black.empty()) {
    d.Say("，无单位列入黑榜");
  } else {
    d.Say("；");
    names(l.black);
    d.Say("列入黑榜");
  }
  if (!l.exempt.empty()) {
    d.Say("；");
    names(l.exempt);
    d.Say("因故免于列入黑榜");
  }
  d.Say("。");
  sec.blocks.push_back(Para(d.Done("redblack")));
  Table t{"redblack", "表6  红黑榜", "", {"榜单", "排名", "乡镇", "占年度计划%", "超/低于时序进度（个百分点）", "说明"}, {}};
  auto rows = [&](const std::vector<stats::RedBlackEntry>& es, const char* list) {
    for (const auto& e : es) {
      t.rows.push_back({list, std::to_string(e.rank), e.figures.key, Pct(e.figures.completion_pct, s),
                        SignedPoints(e.figures.ahead_points, s), e.reason});
    }
  };
  rows(l.red, "红榜");
  rows(l.black, "黑榜");
  rows(l.exempt, "免列");
  if (!t.rows.empty()) sec.blocks.push_back(TableBlock(std::move(t)));
  return sec;
}

Section NextSteps(const MonthlyInputs& in) {
  Section sec{"next_steps", "十、下步工作", {}};
  sec.blocks.push_back(Para(Draft().Say(in.next_steps.empty() ? kDefaultNextSteps : in.next_steps).Done("next_steps")));
  return sec;
}

// "增加3.2亿元" / "减少3.2亿元" / "持平" of a change in money.
void MoneyChange(Draft& d, const std::string& key, Money change, const ReportStyle& s) {
  if (Yi(Money(change.yuan < 0 ? -change.yuan : change.yuan), s) == "0") {
    d.Say("持平");
    return;
  }
  d.Say(change.yuan > 0 ? "增加" : "减少").Fig(key, Yi(Money(change.yuan < 0 ? -change.yuan : change.yuan), s), "亿元",
                                              change.yuan > 0 ? 1 : -1);
}

Section Comparisons(const MonthlyInputs& in) {
  const ReportStyle& s = in.style;
  Section sec{"comparisons", "二、同比环比", {}};
  const auto& t = in.by_level.total;
  if (in.last_year) {
    const auto& ly = in.last_year->total;
    Draft d;
    d.Say("同比看，上年同期").Fig("last_year.projects", std::to_string(ly.projects), "个项目");
    Progress(d, "last_year", ly, s);
    d.Say("；今年累计完成投资较上年同期");
    MoneyChange(d, "yoy.change_yi", t.completed - ly.completed, s);
    if (ly.completed.yuan > 0) {
      const Ratio growth = Ratio::Of(static_cast<__int128>(t.completed.yuan - ly.completed.yuan) * 100, ly.completed.yuan);
      const int sign = RoundedSign(growth, s);
      if (sign != 0) d.Say(sign > 0 ? "，增长" : "，下降").Fig("yoy.growth_pct", Points(growth, s), "%", sign);
    }
    if (t.completion_pct && ly.completion_pct) {
      const Ratio diff = *t.completion_pct - *ly.completion_pct;
      const int sign = RoundedSign(diff, s);
      if (sign == 0) {
        d.Say("，完成率与上年同期持平");
      } else {
        d.Say(sign > 0 ? "，完成率高于上年同期" : "，完成率低于上年同期").Fig("yoy.rate_points", Points(diff, s), "个百分点", sign);
      }
    }
    d.Say("。");
    sec.blocks.push_back(Para(d.Done("yoy")));
  }
  // The quarter's own amount against the quarter before (for the first quarter, last year's fourth).
  const int m = in.month;
  const auto at = [](const stats::StatsEngine::MonthlyLine& l, int month) { return month <= 0 ? Money() : l.cumulative[month - 1]; };
  const Money quarter = at(in.line, m) - at(in.line, m - 3);
  const Money before = m > 3 ? at(in.line, m - 3) - at(in.line, m - 6) : at(in.last_line, 12) - at(in.last_line, 9);
  Draft q;
  q.Say("环比看，本季度完成投资").Fig("qoq.quarter_yi", Yi(quarter, s), "亿元");
  q.Say("，上一季度完成投资").Fig("qoq.before_yi", Yi(before, s), "亿元");
  q.Say("，环比");
  MoneyChange(q, "qoq.change_yi", quarter - before, s);
  q.Say("。");
  sec.blocks.push_back(Para(q.Done("qoq")));
  return sec;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::vector<std::string> NumbersIn(const std::string& text) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size();) {
    if (!IsDigit(text[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() && (IsDigit(text[j]) || (text[j] == '.' && j + 1 < text.size() && IsDigit(text[j + 1])))) ++j;
    out.push_back(text.substr(i, j - i));
    i = j;
  }
  return out;
}

std::vector<std::string> BoundTokensIn(const std::string& text, const std::vector<std::string>& names) {
  // The words that give a figure its direction (於: the traditional form of 于); "超" also stands in 超出, 超过.
  static const std::pair<const char*, const char*> kDirections[] = {
      {"低于", "低于"}, {"低於", "低于"}, {"高于", "高于"}, {"高於", "高于"}, {"快于", "快于"}, {"慢于", "慢于"},
      {"超", "超"},     {"持平", "持平"}, {"增加", "增加"}, {"减少", "减少"}, {"增长", "增长"}, {"下降", "下降"},
      {"领先", "领先"}, {"落后", "落后"}, {"滞后", "滞后"}};
  // Units a number is written with, longest first where one begins another.
  static const char* const kUnits[] = {"个百分点", "亿元", "万元", "元", "%", "‰", "‱", "个", "项", "家", "倍", "天",
                                       "次", "期", "名", "位", "亩", "户", "人", "季度", "年", "月", "日", "周"};
  static const char* const kNegations[] = {"未", "不", "没", "非", "无"};
  static const char* const kClauseEnds[] = {"，", "。", "；", "！", "？", ",", ";", "!", "?", "：", ":"};
  std::vector<std::string> sorted_names(names);
  std::sort(sorted_names.begin(), sorted_names.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  auto at = [&](size_t i, const char* w) { return text.compare(i, std::char_traits<char>::length(w), w) == 0; };
  // Whether a digit comes before the clause ends.
  auto number_follows = [&](size_t i) {
    for (; i < text.size(); ++i) {
      if (IsDigit(text[i])) return true;
      for (const char* e : kClauseEnds) {
        if (at(i, e)) return false;
      }
    }
    return false;
  };
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size();) {
    if (IsDigit(text[i])) {
      size_t j = i;
      while (j < text.size() && (IsDigit(text[j]) || (text[j] == '.' && j + 1 < text.size() && IsDigit(text[j + 1])))) ++j;
      std::string token;
      if (i >= 1 && text[i - 1] == '-') token = "-";
      if (i >= 3 && (text.compare(i - 3, 3, "\xE2\x88\x92") == 0 || text.compare(i - 3, 3, "负") == 0)) token = "-";
      token += text.substr(i, j - i);
      for (const char* u : kUnits) {
        if (at(j, u)) {
          token += u;
          j += std::char_traits<char>::length(u);
          break;
        }
      }
      out.push_back(std::move(token));
      i = j;
      continue;
    }
    bool matched = false;
    for (const std::string& n : sorted_names) {
      if (text.compare(i, n.size(), n) == 0) {
        out.push_back("「" + n + "」");
        i += n.size();
        matched = true;
        break;
      }
    }
    if (matched) continue;
    for (const auto& [word, as] : kDirections) {
      const size_t len = std::char_traits<char>::length(word);
      if (!at(i, word) || !number_follows(i + len)) continue;
      std::string token = as;
      for (const char* neg : kNegations) {  // 未超, 不低于, 没有超 …
        for (size_t back : {size_t{3}, size_t{6}}) {
          if (i >= back && text.compare(i - back, 3, neg) == 0) token = std::string("不") + as;
        }
      }
      out.push_back(std::move(token));
      i += len;
      matched = true;
      break;
    }
    if (!matched) ++i;
  }
  return out;
}

namespace {

// Full-width digits and ％ (typed in a Chinese input method's full-width mode) as 0-9 and %.
std::string HalfWidthFigures(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    // U+FF10..U+FF19 are EF BC 90..99; U+FF05 is EF BC 85.
    if (i + 2 < s.size() && static_cast<unsigned char>(s[i]) == 0xEF && static_cast<unsigned char>(s[i + 1]) == 0xBC) {
      const unsigned char c = static_cast<unsigned char>(s[i + 2]);
      if (c >= 0x90 && c <= 0x99) {
        out += static_cast<char>('0' + (c - 0x90));
        i += 3;
        continue;
      }
      if (c == 0x85) {
        out += '%';
        i += 3;
        continue;
      }
      if (c == 0x8E && !out.empty() && IsDigit(out.back())) {  // ．after a digit: a decimal point
        out += '.';
        i += 3;
        continue;
      }
    }
    out += s[i++];
  }
  return out;
}

}  // namespace

Report BuildMonthly(const MonthlyInputs& in) {
  Report r;
  r.kind = "monthly";
  r.year = in.year;
  r.month = in.month;
  r.levels = in.levels;
  r.title = std::to_string(in.year) + "年" + MonthsSpan(in.month) + in.style.area + LevelsWord(in.levels) + "项目建设情况分析";
  r.issuer = in.issuer;
  r.date = std::to_string(in.issued.year) + "年" + std::to_string(in.issued.month) + "月" + std::to_string(in.issued.day) + "日";
  r.sections = {Summary(in), ByStatus(in), ByIndustry(in), ByRegion(in), Demo(in), Wall(in),
                ProblemsAndVisits(in), FinancingSection(in), RedBlackSection(in), NextSteps(in)};
  // Headings numbered in order (a section may be left out in other kinds of report).
  for (size_t i = 0; i < r.sections.size(); ++i) {
    std::string& h = r.sections[i].heading;
    h = std::string(kChineseNumerals[i]) + h.substr(h.find("、"));
  }
  NumberFigures(r);
  return r;
}

namespace {

std::string MonthDay(const Date& d) { return std::to_string(d.month) + "月" + std::to_string(d.day) + "日"; }
std::string DateOrDash(const std::optional<Date>& d) { return d ? d->ToString() : "—"; }

Table NodeTable(const std::string& id, const std::string& caption, const std::vector<WeeklyInputs::NodeEvent>& events,
                bool overdue) {
  Table t{id, caption, "", {"项目编码", "项目名称", "节点", "计划完成日期", overdue ? "逾期天数" : "实际完成日期"}, {}};
  for (const auto& e : events) {
    t.rows.push_back({e.code, e.name, e.node, DateOrDash(e.planned),
                      overdue ? std::to_string(e.days_overdue) : DateOrDash(e.actual)});
  }
  return t;
}

Table ProblemTable(const std::string& id, const std::string& caption, const std::vector<WeeklyInputs::ProblemEvent>& events,
                   bool closed) {
  Table t{id, caption, "", {"项目编码", "项目名称", "问题", "主办单位", closed ? "办结日期" : "提出日期"}, {}};
  for (const auto& e : events) {
    t.rows.push_back({e.code, e.name, e.text, e.lead_unit, closed ? DateOrDash(e.closed_on) : e.raised_on.ToString()});
  }
  return t;
}

}  // namespace

Report BuildWeekly(const WeeklyInputs& in) {
  const ReportStyle& s = in.style;
  Report r;
  r.kind = "weekly";
  r.year = in.iso_year;
  r.week = in.week;
  r.levels = in.levels;
  r.title = std::to_string(in.iso_year) + "年第" + std::to_string(in.week) + "周" + s.area + LevelsWord(in.levels) + "项目调度情况";
  r.issuer = in.issuer;
  r.date = std::to_string(in.issued.year) + "年" + std::to_string(in.issued.month) + "月" + std::to_string(in.issued.day) + "日";
  Section week{"week", "一、本周动态", {}};
  Draft d;
  d.Say("本周（" + MonthDay(in.monday) + "—" + MonthDay(in.sunday) + "），新报月报")
      .Fig("week.reports", std::to_string(in.reports.size()), "份，完成节点")
      .Fig("week.nodes_completed", std::to_string(in.completed.size()), "个，新增逾期节点")
      .Fig("week.nodes_overdue", std::to_string(in.newly_overdue.size()), "个，新开工项目")
      .Fig("week.starts", std::to_string(in.starts.size()), "个；新提出问题")
      .Fig("week.problems_raised", std::to_string(in.problems_raised.size()), "个，办结")
      .Fig("week.problems_closed", std::to_string(in.problems_closed.size()), "个，周末尚未办结")
      .Fig("week.problems_open", std::to_string(in.problems_open), "个。");
  week.blocks.push_back(Para(d.Done("week")));
  Table reports{"week_reports", "表1  本周新报月报", "单位：万元", {"项目编码", "项目名称", "月份", "本月完成", "填报日期"}, {}};
  for (const auto& x : in.reports) reports.rows.push_back({x.code, x.name, x.month, Wan(x.completed, s), x.submitted_on});
  week.blocks.push_back(TableBlock(std::move(reports)));
  week.blocks.push_back(TableBlock(NodeTable("week_nodes_completed", "表2  本周完成节点", in.completed, false)));
  week.blocks.push_back(TableBlock(NodeTable("week_nodes_overdue", "表3  本周新增逾期节点", in.newly_overdue, true)));
  week.blocks.push_back(TableBlock(NodeTable("week_starts", "表4  本周新开工项目", in.starts, false)));
  week.blocks.push_back(TableBlock(ProblemTable("week_problems_raised", "表5  本周新提出问题", in.problems_raised, false)));
  week.blocks.push_back(TableBlock(ProblemTable("week_problems_closed", "表6  本周办结问题", in.problems_closed, true)));
  Section head{"headline", "二、总体进度", {}};
  const auto& t = in.headline.total;
  Draft h;
  h.Say("截至" + std::to_string(in.headline.year) + "年" + std::to_string(in.headline.month) + "月底，" + s.area)
      .Fig("total.projects", std::to_string(t.projects), "个");
  h.Say(LevelsWord(in.levels) + "项目");
  Progress(h, "total", t, s);
  h.Say("。");
  head.blocks.push_back(Para(h.Done("summary")));
  head.blocks.push_back(TableBlock(FiguresTable("by_level", "表7  分级别完成情况", "级别", in.headline, s, false)));
  r.sections = {std::move(week), std::move(head)};
  return r;
}

Report BuildQuarterly(const MonthlyInputs& in) {
  Report r = BuildMonthly(in);
  r.kind = "quarterly";
  r.title = std::to_string(in.year) + "年" + Period(in, true) + in.style.area + LevelsWord(in.levels) + "项目建设情况";
  r.sections[0] = Summary(in, true);
  r.sections.insert(r.sections.begin() + 1, Comparisons(in));
  for (size_t i = 0; i < r.sections.size(); ++i) {
    std::string& h = r.sections[i].heading;
    h = std::string(kChineseNumerals[i]) + h.substr(h.find("、"));
  }
  NumberFigures(r);
  return r;
}

Report BuildAnnual(const MonthlyInputs& in) {
  MonthlyInputs december = in;
  december.month = 12;
  Report r = BuildQuarterly(december);
  r.kind = "annual";
  r.title = std::to_string(in.year) + "年" + in.style.area + LevelsWord(in.levels) + "项目建设情况总结";
  return r;
}

Status ApplyOverrides(Report& r, const std::map<std::string, std::string>& overrides) {
  std::map<std::string, Paragraph*> by_id;
  for (auto& sec : r.sections) {
    for (auto& b : sec.blocks) {
      if (b.kind == Block::Kind::kParagraph) by_id[b.paragraph.id] = &b.paragraph;
    }
  }
  std::map<std::string, std::string> texts;  // as written in: blanks at both ends trimmed
  for (const auto& [id, typed] : overrides) {
    auto it = by_id.find(id);
    if (it == by_id.end()) return InvalidArgument("没有这个段落 (no such paragraph): " + id, "overrides." + id);
    // One paragraph is one line: line breaks are joined; full-width figures are written as 0-9.
    const std::string text(Trim(HalfWidthFigures(JoinLines(typed))));
    if (text.empty() || IsBlankText(text)) return InvalidArgument("段落 " + id + " 不能为空 (empty paragraph)", "overrides." + id);
    if (std::string why = TextProblem(text, TextShape::kSingleLine); !why.empty()) {
      return InvalidArgument("段落 " + id + " " + why, "overrides." + id);
    }
    if (text.size() > 20000) return InvalidArgument("段落 " + id + " 过长 (at most 20000 bytes)", "overrides." + id);
    if (char32_t d = it->second->figures.empty() ? 0 : OtherDigitIn(text)) {
      return InvalidArgument("段落 " + id + " 的数字请用 0-9 书写 (write figures with 0-9): " + CodePointName(d),
                             "overrides." + id);
    }
    // The figures with their signs and units, the words that give them a direction (超, 低于 …) and the
    // names the data put there, in the data's order: a wording may change around them, never them.
    const Paragraph& data = *it->second;
    auto want = BoundTokensIn(data.text, data.bound), got = BoundTokensIn(text, data.bound);
    if (!data.figures.empty() && want != got) {
      std::string w, g;
      for (const auto& x : want) w += (w.empty() ? "" : " ") + x;
      for (const auto& x : got) g += (g.empty() ? "" : " ") + x;
      return InvalidArgument("段落 " + id + " 的数字（连同单位）、升降用语（超、低于等）和名称须与数据一致且顺序不变，可改措辞不可改数据 "
                                 "(figures, their directions and names are bound to the data, in order): 应为 [" + w + "]，实为 [" + g + "]",
                             "overrides." + id);
    }
    texts[id] = text;
  }
  for (const auto& [id, text] : texts) {
    by_id[id]->text = text;
    by_id[id]->edited = true;
  }
  return Status::Ok();
}

json::object ReportToJson(const Report& r) {
  json::object o;
  o["kind"] = r.kind;
  o["year"] = r.year;
  o["month"] = r.month;
  if (r.kind == "weekly") o["week"] = r.week;
  json::array levels;
  for (Level l : r.levels) levels.emplace_back(LevelName(l));
  o["levels"] = std::move(levels);
  o["title"] = r.title;
  o["issuer"] = r.issuer;
  o["date"] = r.date;
  if (!r.issue.empty()) o["issue"] = r.issue;
  json::array sections;
  for (const auto& s : r.sections) {
    json::array blocks;
    for (const auto& b : s.blocks) {
      switch (b.kind) {
        case Block::Kind::kParagraph: {
          json::array figs;
          for (const auto& f : b.paragraph.figures) {
            json::object fo{{"key", f.key}, {"text", f.text}};
            if (!f.value.empty()) fo["value"] = f.value;
            figs.emplace_back(std::move(fo));
          }
          blocks.emplace_back(json::object{{"type", "paragraph"},
                                           {"id", b.paragraph.id},
                                           {"text", b.paragraph.text},
                                           {"edited", b.paragraph.edited},
                                           {"figures", std::move(figs)}});
          break;
        }
        case Block::Kind::kTable: {
          json::array header(b.table.header.begin(), b.table.header.end());
          json::array rows;
          for (const auto& row : b.table.rows) rows.emplace_back(json::array(row.begin(), row.end()));
          blocks.emplace_back(json::object{{"type", "table"},
                                           {"id", b.table.id},
                                           {"caption", b.table.caption},
                                           {"unit", b.table.unit},
                                           {"header", std::move(header)},
                                           {"rows", std::move(rows)}});
          break;
        }
        case Block::Kind::kChart: {
          json::array bars;
          for (const auto& [label, v] : b.chart.bars) bars.emplace_back(json::object{{"label", label}, {"value", v}});
          json::array series;
          for (const auto& se : b.chart.series) {
            series.emplace_back(json::object{{"name", se.name}, {"values", json::array(se.values.begin(), se.values.end())}});
          }
          blocks.emplace_back(json::object{{"type", "chart"},
                                           {"shape", b.chart.shape == Chart::Shape::kCurve ? "curve" : "bars"},
                                           {"id", b.chart.id},
                                           {"title", b.chart.title},
                                           {"line_label", b.chart.line_label},
                                           {"line_value", b.chart.line_value},
                                           {"bars", std::move(bars)},
                                           {"labels", json::array(b.chart.labels.begin(), b.chart.labels.end())},
                                           {"series", std::move(series)}});
          break;
        }
      }
    }
    sections.emplace_back(json::object{{"id", s.id}, {"heading", s.heading}, {"blocks", std::move(blocks)}});
  }
  o["sections"] = std::move(sections);
  return o;
}

namespace {

// Reading the published shape back: each accessor names the field it could not read.
class Reader {
 public:
  std::string Str(const json::object& o, const char* k) {
    const json::value* v = o.if_contains(k);
    if (v && v->is_string()) return std::string(v->as_string());
    Fail(k);
    return {};
  }
  double Num(const json::object& o, const char* k) {
    const json::value* v = o.if_contains(k);
    if (v && v->is_number()) return v->to_number<double>();
    Fail(k);
    return 0;
  }
  const json::array& Arr(const json::object& o, const char* k) {
    static const json::array kEmpty;
    const json::value* v = o.if_contains(k);
    if (v && v->is_array()) return v->as_array();
    Fail(k);
    return kEmpty;
  }
  std::vector<std::string> Strings(const json::array& a, const char* k) {
    std::vector<std::string> out;
    for (const auto& x : a) {
      if (x.is_string()) out.emplace_back(x.as_string());
      else Fail(k);
    }
    return out;
  }
  void Fail(const std::string& k) {
    if (status.ok()) status = InvalidArgument("报告数据缺少或错误的字段 (bad report field): " + k, k);
  }
  Status status = Status::Ok();
};

}  // namespace

Result<Report> ReportFromJson(const json::value& v) {
  if (!v.is_object()) return InvalidArgument("报告数据应为对象 (report must be an object)", "report");
  const json::object& o = v.as_object();
  Reader rd;
  Report r;
  r.kind = rd.Str(o, "kind");
  r.year = static_cast<int>(rd.Num(o, "year"));
  r.month = static_cast<int>(rd.Num(o, "month"));
  if (o.contains("week")) r.week = static_cast<int>(rd.Num(o, "week"));
  for (const std::string& name : rd.Strings(rd.Arr(o, "levels"), "levels")) {
    auto l = ParseLevel(name);
    if (!l) rd.Fail("levels");
    else r.levels.push_back(*l);
  }
  r.title = rd.Str(o, "title");
  r.issuer = rd.Str(o, "issuer");
  r.date = rd.Str(o, "date");
  if (o.contains("issue")) r.issue = rd.Str(o, "issue");
  for (const auto& sv : rd.Arr(o, "sections")) {
    if (!sv.is_object()) {
      rd.Fail("sections");
      break;
    }
    const json::object& so = sv.as_object();
    Section s;
    s.id = rd.Str(so, "id");
    s.heading = rd.Str(so, "heading");
    for (const auto& bv : rd.Arr(so, "blocks")) {
      if (!bv.is_object()) {
        rd.Fail("blocks");
        break;
      }
      const json::object& bo = bv.as_object();
      Block b;
      const std::string type = rd.Str(bo, "type");
      if (type == "paragraph") {
        b.kind = Block::Kind::kParagraph;
        b.paragraph.id = rd.Str(bo, "id");
        b.paragraph.text = rd.Str(bo, "text");
        const json::value* e = bo.if_contains("edited");
        b.paragraph.edited = e && e->is_bool() && e->as_bool();
        for (const auto& fv : rd.Arr(bo, "figures")) {
          if (!fv.is_object()) {
            rd.Fail("figures");
            break;
          }
          Figure f{rd.Str(fv.as_object(), "key"), rd.Str(fv.as_object(), "text"), ""};
          if (fv.as_object().contains("value")) f.value = rd.Str(fv.as_object(), "value");
          b.paragraph.figures.push_back(std::move(f));
        }
      } else if (type == "table") {
        b.kind = Block::Kind::kTable;
        b.table.id = rd.Str(bo, "id");
        b.table.caption = rd.Str(bo, "caption");
        b.table.unit = rd.Str(bo, "unit");
        b.table.header = rd.Strings(rd.Arr(bo, "header"), "header");
        for (const auto& row : rd.Arr(bo, "rows")) {
          if (!row.is_array()) {
            rd.Fail("rows");
            break;
          }
          b.table.rows.push_back(rd.Strings(row.as_array(), "rows"));
        }
      } else if (type == "chart") {
        b.kind = Block::Kind::kChart;
        b.chart.id = rd.Str(bo, "id");
        b.chart.title = rd.Str(bo, "title");
        b.chart.line_label = rd.Str(bo, "line_label");
        b.chart.line_value = rd.Num(bo, "line_value");
        for (const auto& bar : rd.Arr(bo, "bars")) {
          if (!bar.is_object()) {
            rd.Fail("bars");
            break;
          }
          b.chart.bars.emplace_back(rd.Str(bar.as_object(), "label"), rd.Num(bar.as_object(), "value"));
        }
        // A chart published before curves existed has no shape, labels or series: bars.
        if (const auto* shape = bo.if_contains("shape")) {
          if (shape->is_string() && shape->as_string() == "curve") {
            b.chart.shape = Chart::Shape::kCurve;
          } else if (!shape->is_string() || shape->as_string() != "bars") {
            rd.Fail("shape");
          }
        }
        if (bo.contains("labels")) b.chart.labels = rd.Strings(rd.Arr(bo, "labels"), "labels");
        if (bo.contains("series")) {
          for (const auto& se : rd.Arr(bo, "series")) {
            if (!se.is_object()) {
              rd.Fail("series");
              break;
            }
            Chart::Series out{rd.Str(se.as_object(), "name"), {}};
            for (const auto& v : rd.Arr(se.as_object(), "values")) {
              if (!v.is_number()) {
                rd.Fail("values");
                break;
              }
              out.values.push_back(v.to_number<double>());
            }
            if (out.values.size() != b.chart.labels.size()) rd.Fail("values");
            b.chart.series.push_back(std::move(out));
          }
        }
      } else {
        rd.Fail("type");
      }
      s.blocks.push_back(std::move(b));
    }
    r.sections.push_back(std::move(s));
  }
  if (!rd.status.ok()) return rd.status;
  return r;
}

std::string ReportText(const Report& r) {
  std::ostringstream out;
  out << r.title << "\n";
  for (const auto& s : r.sections) {
    out << s.heading << "\n";
    for (const auto& b : s.blocks) {
      if (b.kind == Block::Kind::kParagraph) out << b.paragraph.text << "\n";
    }
  }
  return out.str();
}

std::string FigureName(const std::string& key) {
  static const std::map<std::string, std::string> kGroups = {
      {"total", "全县合计"}, {"week", "本周"},       {"visits", "现场督导"},  {"problems", "问题"},
      {"nodes", "节点"},     {"financing", "融资对接"}, {"colours", "预警"},   {"yoy", "同比"},
      {"qoq", "环比"},       {"last_year", "上年同期"}, {"redblack", "红黑榜"}, {"demo", "示范项目"}};
  static const std::map<std::string, std::string> kMeasures = {
      {"projects", "项目个数"},
      {"completed_yi", "累计完成投资（亿元）"},
      {"completion_pct", "占年度计划（%）"},
      {"ahead_points", "超/低于时序进度（个百分点）"},
      {"vs_total_points", "与总体进度之差（个百分点）"},
      {"rank", "排名"},
      {"reports", "新报月报（份）"},
      {"nodes_completed", "完成节点（个）"},
      {"nodes_overdue", "新增逾期节点（个）"},
      {"starts", "新开工项目（个）"},
      {"problems_raised", "新提出问题（个）"},
      {"problems_closed", "办结问题（个）"},
      {"problems_open", "未办结问题（个）"},
      {"raised", "提出（个）"},
      {"closed", "办结（个）"},
      {"overdue", "逾期（个）"},
      {"escalated", "督办（个）"},
      {"closure_rate_pct", "销号率（%）"},
      {"done", "已完成（个）"},
      {"done_on_time", "按期完成（个）"},
      {"due_soon", "临期（个）"},
      {"red", "红灯（个）"},
      {"yellow", "黄灯（个）"},
      {"green", "绿灯（个）"},
      {"visits", "督导（次）"},
      {"findings", "发现问题（个）"},
      {"solved_on_spot", "现场解决（个）"},
      {"projects_covered", "覆盖项目（个）"},
      {"coverage_pct", "覆盖率（%）"},
      {"demand_yi", "融资需求（亿元）"},
      {"credit_yi", "授信（亿元）"},
      {"disbursed_yi", "放款（亿元）"},
      {"pushed_projects", "推送项目（个）"},
      {"credit_projects", "授信项目（个）"},
      {"disbursed_projects", "放款项目（个）"},
      {"growth_pct", "增长（%）"},
      {"rate_points", "完成率变化（个百分点）"},
      {"quarter_yi", "本季度完成（亿元）"},
      {"before_yi", "上季度完成（亿元）"},
      {"target_pct", "目标（%）"}};
  const size_t first = key.find('.'), last = key.rfind('.');
  if (first == std::string::npos) return key;
  const std::string group = key.substr(0, first), measure = key.substr(last + 1);
  std::string who;
  if (first != last) {
    who = key.substr(first + 1, last - first - 1);  // level.市重点.projects: the group's own name
  } else if (auto g = kGroups.find(group); g != kGroups.end()) {
    who = g->second;
  } else {
    who = group;
  }
  auto m = kMeasures.find(measure);
  return who + " " + (m == kMeasures.end() ? measure : m->second);
}

const Paragraph* FindParagraph(const Report& r, const std::string& id) {
  for (const auto& s : r.sections) {
    for (const auto& b : s.blocks) {
      if (b.kind == Block::Kind::kParagraph && b.paragraph.id == id) return &b.paragraph;
    }
  }
  return nullptr;
}

const Table* FindTable(const Report& r, const std::string& id) {
  for (const auto& s : r.sections) {
    for (const auto& b : s.blocks) {
      if (b.kind == Block::Kind::kTable && b.table.id == id) return &b.table;
    }
  }
  return nullptr;
}

}  // namespace kp::reports
