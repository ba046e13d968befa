#include "domain/wallchart.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "documents/pdf_canvas.h"
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

namespace {

bool EndsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The A3 landscape print of the chart: the header repeated on every page, a legend and the as-of
// date, projects grouped by level, "第 n 页，共 N 页" at the foot.
Status WallChartPdf(const WallChart& chart, const Date& as_of, const std::string& path) {
  using documents::Align;
  using documents::PdfCanvas;
  using documents::Rgb;
  constexpr double kMm = PdfCanvas::kPointsPerMm;
  constexpr double kWidth = 420 * kMm, kHeight = 297 * kMm, kMargin = 12 * kMm;
  constexpr double kTitleH = 22, kSubH = 16, kHeadH = 24, kRowH = 21, kGroupH = 15, kFootH = 14;
  constexpr double kSerialW = 22, kNameW = 150, kUnitW = 72, kColourW = 24;
  const double table_top = kMargin + kTitleH + kSubH + 6;
  const double fixed = kSerialW + kNameW + kUnitW + kColourW;
  const size_t n = chart.columns.size();
  const double node_w = n ? std::max(28.0, (kWidth - 2 * kMargin - fixed) / static_cast<double>(n)) : 0;
  const double body_bottom = kHeight - kMargin - kFootH;
  const Rgb grid = Rgb::Hex(0x999999), head = Rgb::Hex(0xD9E1F2), group_fill = Rgb::Hex(0xF2F2F2);
  auto tone = [](const stats::NodeStatus& s) -> std::optional<Rgb> {
    switch (s.state) {
      case stats::NodeState::kDoneOnTime:
      case stats::NodeState::kDoneLate: return Rgb::Hex(0xC6EFCE);
      case stats::NodeState::kOverdue: return Rgb::Hex(s.colour == stats::Colour::kRed ? 0xF8B4B4 : 0xFFE699);
      case stats::NodeState::kDueSoon: return Rgb::Hex(0xDDEBF7);
      case stats::NodeState::kNotDue: return std::nullopt;
    }
    return std::nullopt;
  };
  auto strong = [](stats::Colour c) {
    return Rgb::Hex(c == stats::Colour::kRed ? 0xCC0000 : c == stats::Colour::kYellow ? 0xE0A800 : 0x38761D);
  };
  // Pages: group rows and project rows in order, a page break when the next row does not fit.
  struct Line {
    bool group = false;
    size_t row = 0;
    std::string label;
  };
  std::vector<std::vector<Line>> pages(1);
  double y = table_top + kHeadH;
  size_t g = 0;
  for (size_t i = 0; i < chart.rows.size(); ++i) {
    if (i == 0 || chart.rows[i].project->level != chart.rows[i - 1].project->level) {
      size_t count = 0;
      for (size_t k = i; k < chart.rows.size() && chart.rows[k].project->level == chart.rows[i].project->level; ++k) ++count;
      if (y + kGroupH + kRowH > body_bottom) {
        pages.emplace_back();
        y = table_top + kHeadH;
      }
      pages.back().push_back({true, i,
                              std::string(kChineseOrdinals[std::min<size_t>(g++, 9)]) + "、" +
                                  LevelName(chart.rows[i].project->level) + "项目（" + std::to_string(count) + "个）"});
      y += kGroupH;
    }
    if (y + kRowH > body_bottom) {
      pages.emplace_back();
      y = table_top + kHeadH;
    }
    pages.back().push_back({false, i, ""});
    y += kRowH;
  }
  auto canvas = PdfCanvas::Create(path, kWidth, kHeight);
  if (!canvas.ok()) return canvas.status();
  PdfCanvas& pdf = **canvas;
  const auto& counts = chart.result.counts;
  for (size_t page = 0; page < pages.size(); ++page) {
    if (page > 0) pdf.NewPage();
    pdf.Text(kMargin, kMargin, kWidth - 2 * kMargin, kTitleH, "重点项目挂图作战图", 16, true, Align::kCentre);
    pdf.Text(kMargin, kMargin + kTitleH, 420, kSubH,
             "截至 " + as_of.ToString() + "    红灯 " + std::to_string(counts[2]) + " 个  黄灯 " +
                 std::to_string(counts[1]) + " 个  绿灯 " + std::to_string(counts[0]) + " 个",
             9);
    // Legend, right-aligned on the subtitle line.
    const std::pair<unsigned, std::string> legend[] = {
        {0xC6EFCE, "已完成"},
        {0xFFE699, "逾期≤" + std::to_string(chart.rules.node_red_days) + "天"},
        {0xF8B4B4, "逾期>" + std::to_string(chart.rules.node_red_days) + "天"},
        {0xDDEBF7, std::to_string(chart.rules.window_days) + "天内到期"},
        {0xFFFFFF, "未到期"}};
    double lx = kWidth - kMargin - 5 * 78;
    for (const auto& [fill, label] : legend) {
      pdf.Rect(lx, kMargin + kTitleH + 3, 14, 10, Rgb::Hex(fill), grid);
      pdf.Text(lx + 17, kMargin + kTitleH, 60, kSubH, label, 8);
      lx += 78;
    }
    // Header, on every page.
    double x = kMargin;
    auto head_cell = [&](double w, const std::string& text) {
      pdf.Rect(x, table_top, w, kHeadH, head, grid);
      pdf.Text(x + 1, table_top, w - 2, kHeadH, text, 7.5, true, Align::kCentre);
      x += w;
    };
    head_cell(kSerialW, "序号");
    head_cell(kNameW, "项目名称");
    head_cell(kUnitW, "责任单位");
    head_cell(kColourW, "预警");
    for (const std::string& c : chart.columns) head_cell(node_w, c);
    double ry = table_top + kHeadH;
    for (const Line& line : pages[page]) {
      if (line.group) {
        pdf.Rect(kMargin, ry, fixed + node_w * static_cast<double>(n), kGroupH, group_fill, grid);
        pdf.Text(kMargin + 4, ry, 400, kGroupH, line.label, 8, true);
        ry += kGroupH;
        continue;
      }
      const WallChartRow& row = chart.rows[line.row];
      const stats::ProjectColour& p = *row.project;
      x = kMargin;
      pdf.Rect(x, ry, kSerialW, kRowH, std::nullopt, grid);
      pdf.Text(x, ry, kSerialW, kRowH, std::to_string(line.row + 1), 7, false, Align::kCentre);
      x += kSerialW;
      pdf.Rect(x, ry, kNameW, kRowH, std::nullopt, grid);
      pdf.Text(x + 2, ry, kNameW - 4, kRowH, p.name, 7.5);
      x += kNameW;
      pdf.Rect(x, ry, kUnitW, kRowH, std::nullopt, grid);
      pdf.Text(x + 2, ry, kUnitW - 4, kRowH, p.unit, 7);
      x += kUnitW;
      pdf.Rect(x, ry, kColourW, kRowH, strong(p.colour), grid);
      pdf.Text(x, ry, kColourW, kRowH, stats::ColourLabel(p.colour), 8, true, Align::kCentre, Rgb::Hex(0xFFFFFF));
      x += kColourW;
      std::vector<const WallChartNode*> cells(n, nullptr);
      for (const WallChartNode& wn : row.nodes) {
        for (size_t c = 0; c < n; ++c) {
          if (chart.columns[c] == wn.node.name) cells[c] = &wn;
        }
      }
      for (size_t c = 0; c < n; ++c) {
        const WallChartNode* wn = cells[c];
        pdf.Rect(x, ry, node_w, kRowH, wn ? tone(wn->status) : std::nullopt, grid);
        if (wn) {
          std::string text = "计 " + Short(wn->node.planned, as_of.year);
          if (wn->node.actual && *wn->node.actual <= as_of) text += "\n完 " + Short(wn->node.actual, as_of.year);
          else if (wn->status.state == stats::NodeState::kOverdue) text += "\n逾期" + std::to_string(*wn->status.days) + "天";
          pdf.Text(x + 1, ry, node_w - 2, kRowH, text, 6, false, Align::kCentre);
        }
        x += node_w;
      }
      ry += kRowH;
    }
    pdf.Text(kMargin, kHeight - kMargin - kFootH + 2, kWidth - 2 * kMargin, kFootH,
             "第 " + std::to_string(page + 1) + " 页，共 " + std::to_string(pages.size()) + " 页", 8, false, Align::kCentre);
  }
  return pdf.Close();
}

}  // namespace

Status ExportWallChart(Milestones& ms, const stats::WarningQuery& query, const std::string& path) {
  const bool pdf = EndsWith(path, ".pdf");
  if (!pdf && !EndsWith(path, ".xlsx")) {
    return InvalidArgument("作战图文件应以 .xlsx 或 .pdf 结尾 (the wall chart is written as .xlsx or .pdf)", "output");
  }
  auto built = BuildWallChart(ms, query);
  if (!built.ok()) return built.status();
  if (pdf) return WallChartPdf(*built, query.as_of, path);
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
