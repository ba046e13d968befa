#include "domain/warnings_export.h"

#include "documents/xlsx_writer.h"

namespace kp {
namespace {

using documents::CellValue;
using documents::Tone;

Tone ToneOf(stats::Colour c) {
  switch (c) {
    case stats::Colour::kRed: return Tone::kRed;
    case stats::Colour::kYellow: return Tone::kYellow;
    case stats::Colour::kGreen: return Tone::kGreen;
  }
  return Tone::kNone;
}

// "【节点·红】节点「开工」计划2024-01-10完成，逾期81天", one line per warning.
std::string Sentences(const std::vector<stats::Warning>& ws) {
  std::string out;
  for (const stats::Warning& w : ws) {
    if (!out.empty()) out += "\n";
    out += std::string("【") + stats::WarningRuleLabel(w.rule) + "·" + stats::ColourLabel(w.colour) + "】" + w.detail;
  }
  return out;
}

std::string CountsText(const std::array<int64_t, 3>& c) {
  return "红" + std::to_string(c[2]) + " 黄" + std::to_string(c[1]) + " 绿" + std::to_string(c[0]);
}

}  // namespace

Status ExportWarnings(Milestones& ms, const stats::WarningQuery& q, const std::string& path) {
  if (path.size() < 5 || path.compare(path.size() - 5, 5, ".xlsx") != 0) {
    return InvalidArgument("预警清单文件应以 .xlsx 结尾 (the warnings list is written as .xlsx)", "output");
  }
  stats::WarningQuery listed = q;
  listed.list_projects = true;
  auto r = ms.Warnings(listed);
  if (!r.ok()) return r.status();
  const stats::WarningRules& rules = r->rules;
  documents::ExportSpec spec;
  spec.sheet_name = "预警清单";
  spec.title = "重点项目预警清单";
  spec.subtitle = "截至 " + q.as_of.ToString() + "    时序进度 " + r->schedule_pct.Format(1) + "%    规则：投资落后 " +
                  std::to_string(rules.invest_yellow_points) + "–" + std::to_string(rules.invest_red_points) +
                  " 个百分点黄、超过红；开工滞后 " + std::to_string(rules.start_red_months) + " 个月及以上红；节点逾期超过 " +
                  std::to_string(rules.node_red_days) + " 天红；连续 " + std::to_string(rules.report_red_months) +
                  " 个月未报红";
  const struct {
    const char* title;
    double width;
  } kColumns[] = {{"序号", 0},  {"项目编码", 24}, {"项目名称", 30}, {"级别", 0},     {"地区", 12},
                  {"责任单位", 16}, {"责任人", 0}, {"预警", 0},     {"预警条数", 0}, {"预警明细", 70}};
  for (const auto& c : kColumns) {
    spec.columns.push_back({c.title, documents::CellKind::kText, "", "", {}, c.width});
  }
  spec.columns[0].kind = documents::CellKind::kInteger;
  spec.columns[8].kind = documents::CellKind::kInteger;
  constexpr size_t kColourColumn = 7;
  auto writer = documents::XlsxTableWriter::Create(path, spec);
  if (!writer.ok()) return writer.status();
  const size_t width = spec.columns.size();
  int64_t serial = 0;
  for (const stats::ProjectColour& p : r->projects) {
    std::vector<CellValue> cells(width);
    std::vector<Tone> tones(width, Tone::kNone);
    cells[0] = ++serial;
    cells[1] = p.code;
    cells[2] = p.name;
    cells[3] = std::string(LevelName(p.level));
    cells[4] = p.region;
    cells[5] = p.unit;
    cells[6] = p.person;
    cells[kColourColumn] = std::string(stats::ColourLabel(p.colour)) + "灯";
    tones[kColourColumn] = ToneOf(p.colour);
    cells[8] = static_cast<int64_t>(p.warnings.size());
    cells[9] = Sentences(p.warnings);
    (*writer)->AddRowToned(std::move(cells), std::move(tones));
  }
  std::vector<CellValue> total(width);
  total[1] = std::string("合计");
  total[kColourColumn] = CountsText(r->counts);
  (*writer)->AddTotalRow(std::move(total));
  return (*writer)->Close();
}

}  // namespace kp
