#include "domain/wallchart.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "documents/xlsx_writer.h"

namespace kp {
namespace {

using documents::CellValue;
using documents::Tone;

constexpr double kNodeColumnWidth = 13;

Tone ToneOf(const stats::NodeStatus& s) {
  switch (s.state) {
    case stats::NodeState::kDoneOnTime:
    case stats::NodeState::kDoneLate: return Tone::kGreen;
    case stats::NodeState::kOverdue: return s.colour == stats::Colour::kRed ? Tone::kRed : Tone::kYellow;
    case stats::NodeState::kDueSoon: return Tone::kBlue;
    case stats::NodeState::kNotDue: return Tone::kNone;
  }
  return Tone::kNone;
}

Tone ToneOf(stats::Colour c) {
  switch (c) {
    case stats::Colour::kRed: return Tone::kRed;
    case stats::Colour::kYellow: return Tone::kYellow;
    case stats::Colour::kGreen: return Tone::kGreen;
  }
  return Tone::kNone;
}

// "03-10" in the as-of year, "2025-03-10" in another.
std::string Short(const std::optional<Date>& d, int year) {
  if (!d) return "—";
  if (d->year != year) return d->ToString();
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d-%02d", d->month, d->day);
  return buf;
}

const char* kChineseOrdinals[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};

}  // namespace

Result<WallChart> BuildWallChart(Milestones& ms, const stats::WarningQuery& query) {
  WallChart chart;
  stats::WarningQuery q = query;
  q.colour.reset();
  auto result = ms.Warnings(q);
  if (!result.ok()) return result.status();
  auto rules = ms.Rules();
  if (!rules.ok()) return rules.status();
  chart.result = std::move(*result);
  chart.rules = *rules;
  std::vector<const stats::ProjectColour*> projects;
  std::vector<int64_t> ids;
  for (const auto& p : chart.result.projects) {
    if (query.colour && p.colour != *query.colour) continue;
    projects.push_back(&p);
    ids.push_back(p.id);
  }
  std::stable_sort(projects.begin(), projects.end(), [](const stats::ProjectColour* a, const stats::ProjectColour* b) {
    if (a->level != b->level) return a->level < b->level;
    return a->code < b->code;
  });
  if (projects.empty()) return chart;
  auto nodes = ms.node_store().ListNodesOf(ids);
  if (!nodes.ok()) return nodes.status();
  // Node columns: the default templates' order first, then other names as they first appear.
  std::unordered_map<std::string, size_t> column;
  auto add_name = [&](const std::string& n) {
    if (column.emplace(n, chart.columns.size()).second) chart.columns.push_back(n);
  };
  std::unordered_map<std::string, bool> used;
  for (const ProjectNode& n : *nodes) used[n.name] = true;
  for (const NodeTemplate& t : DefaultNodeTemplates()) {
    for (const std::string& n : t.nodes) {
      if (used.count(n)) add_name(n);
    }
  }
  for (const ProjectNode& n : *nodes) add_name(n.name);
  std::unordered_map<int64_t, std::vector<WallChartNode>> by_project;
  for (ProjectNode& n : *nodes) {
    stats::NodeStatus s = stats::DeriveNodeState(n.planned, n.actual, q.as_of, chart.rules.window_days,
                                                 chart.rules.node_red_days);
    by_project[n.project_id].push_back({std::move(n), s});
  }
  for (const stats::ProjectColour* p : projects) chart.rows.push_back({p, std::move(by_project[p->id])});
  return chart;
}

Status ExportWallChart(Milestones& ms, const stats::WarningQuery& query, const std::string& path) {
  if (path.size() < 5 || path.substr(path.size() - 5) != ".xlsx") {
    return InvalidArgument("作战图目前只能导出 .xlsx (PDF 尚未提供) (the wall chart is written as .xlsx only)", "output");
  }
  auto built = BuildWallChart(ms, query);
  if (!built.ok()) return built.status();
  const WallChart& chart = *built;
  const stats::WarningQuery& q = query;
  const stats::WarningRules* rules = &chart.rules;
  const std::vector<std::string>& names = chart.columns;
  std::unordered_map<std::string, size_t> column;
  for (size_t c = 0; c < names.size(); ++c) column[names[c]] = c;
  documents::ExportSpec spec;
  spec.sheet_name = "作战图";
  spec.title = "重点项目挂图作战图";
  spec.subtitle = "截至 " + q.as_of.ToString() + "    图例：绿 已完成  黄 逾期≤" + std::to_string(rules->node_red_days) +
                  "天  红 逾期>" + std::to_string(rules->node_red_days) + "天  蓝 " + std::to_string(rules->window_days) +
                  "天内到期    单元格：计划 / 实际";
  spec.constant_memory = false;
  for (const char* fixed : {"序号", "项目编码", "项目名称", "责任单位", "预警"}) {
    documents::ExportColumn c{fixed, documents::CellKind::kText, "项目", "", {}, 0};
    if (std::string(fixed) == "项目名称") c.width = 28;
    if (std::string(fixed) == "项目编码") c.width = 24;
    if (std::string(fixed) == "责任单位") c.width = 14;
    spec.columns.push_back(c);
  }
  for (const std::string& n : names) spec.columns.push_back({n, documents::CellKind::kText, "节点", "", {}, kNodeColumnWidth});
  auto writer = documents::XlsxTableWriter::Create(path, spec);
  if (!writer.ok()) return writer.status();
  const size_t width = spec.columns.size();
  const auto& rows = chart.rows;
  size_t i = 0, group = 0, serial = 0;
  while (i < rows.size()) {
    const Level level = rows[i].project->level;
    size_t end = i;
    std::array<int64_t, 3> colours{};
    std::vector<int> done(names.size(), 0), total(names.size(), 0);
    while (end < rows.size() && rows[end].project->level == level) ++end;
    std::vector<CellValue> head(width);
    std::vector<Tone> head_tones(width, Tone::kGrey);
    head[0] = std::string(kChineseOrdinals[std::min<size_t>(group++, 9)]) + "、" + LevelName(level) + "项目（" +
              std::to_string(end - i) + "个）";
    (*writer)->AddRowToned(std::move(head), std::move(head_tones), true);
    for (; i < end; ++i) {
      const stats::ProjectColour& p = *rows[i].project;
      colours[static_cast<size_t>(p.colour)] += 1;
      std::vector<CellValue> cells(width);
      std::vector<Tone> tones(width, Tone::kNone);
      cells[0] = static_cast<int64_t>(++serial);
      cells[1] = p.code;
      cells[2] = p.name;
      cells[3] = p.unit;
      cells[4] = std::string(stats::ColourLabel(p.colour)) + "灯";
      tones[4] = ToneOf(p.colour);
      for (const WallChartNode& wn : rows[i].nodes) {
        const ProjectNode* n = &wn.node;
        const size_t c = column.at(n->name);
        const stats::NodeStatus& s = wn.status;
        std::string text = "计划 " + Short(n->planned, q.as_of.year);
        if (n->actual && *n->actual <= q.as_of) text += "\n完成 " + Short(n->actual, q.as_of.year);
        else if (s.state == stats::NodeState::kOverdue) text += "\n逾期" + std::to_string(*s.days) + "天";
        cells[5 + c] = text;
        tones[5 + c] = ToneOf(s);
        total[c] += 1;
        if (s.state == stats::NodeState::kDoneOnTime || s.state == stats::NodeState::kDoneLate) done[c] += 1;
      }
      (*writer)->AddRowToned(std::move(cells), std::move(tones));
    }
    std::vector<CellValue> sub(width);
    sub[1] = std::string("小计");
    sub[4] = "红" + std::to_string(colours[2]) + " 黄" + std::to_string(colours[1]) + " 绿" + std::to_string(colours[0]);
    for (size_t c = 0; c < names.size(); ++c) {
      if (total[c]) sub[5 + c] = "完成 " + std::to_string(done[c]) + "/" + std::to_string(total[c]);
    }
    (*writer)->AddTotalRow(std::move(sub));
  }
  std::vector<CellValue> all(width);
  all[1] = std::string("合计");
  all[4] = "红" + std::to_string(chart.result.counts[2]) + " 黄" + std::to_string(chart.result.counts[1]) + " 绿" +
           std::to_string(chart.result.counts[0]);
  (*writer)->AddTotalRow(std::move(all));
  return (*writer)->Close();
}

}  // namespace kp
