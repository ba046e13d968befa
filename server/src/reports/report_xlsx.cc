// A report's tables as a workbook: one sheet per table, the same figures as numbers (万元 as exact money
// cells shown to two decimals, percentages and points as numbers), text left as written.
#include <algorithm>
#include <charconv>
#include <optional>

#include "documents/xlsx_writer.h"
#include "reports/report_files.h"

namespace kp::reports {
namespace {

using documents::CellKind;
using documents::CellValue;

constexpr size_t kMaxSheetName = 31;  // Excel's limit, in characters

bool IsDash(const std::string& s) { return s.empty() || s == "—"; }

std::optional<double> Number(const std::string& s) {
  if (s.empty()) return std::nullopt;
  const char* b = s.data() + (s[0] == '+' ? 1 : 0);
  double v = 0;
  auto [end, ec] = std::from_chars(b, s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// How a column's cells are written: a number kind when every cell but dashes (and the 合计 row's label
// column) reads as a number.
CellKind KindOf(const Table& t, size_t col) {
  bool any = false, integers = true;
  for (const auto& row : t.rows) {
    if (col >= row.size() || IsDash(row[col])) continue;
    if (!Number(row[col])) return CellKind::kText;
    any = true;
    if (row[col].find('.') != std::string::npos) integers = false;
  }
  if (!any) return CellKind::kText;
  const std::string& h = col < t.header.size() ? t.header[col] : std::string();
  if (h.find('%') != std::string::npos) return CellKind::kPercent;
  if (h.find("百分点") != std::string::npos) return CellKind::kPoints;
  if (integers) return CellKind::kInteger;
  if (t.unit.find("万元") != std::string::npos) return CellKind::kMoneyWan;
  return CellKind::kNumber;
}

CellValue Cell(const std::string& text, CellKind kind) {
  if (kind == CellKind::kText || IsDash(text)) return text;
  if (kind == CellKind::kMoneyWan) {
    auto m = ParseWan(text);
    if (m.ok()) return *m;
    return text;
  }
  auto v = Number(text);
  if (!v) return text;
  if (kind == CellKind::kInteger) return static_cast<int64_t>(*v);
  return *v;
}

// "表1  分级别完成情况" → "表1 分级别完成情况", without the characters a sheet name may not hold, ≤ 31 characters.
std::string SheetName(const Table& t, size_t n, std::vector<std::string>& used) {
  std::string raw = t.caption.empty() ? t.id : t.caption, name;
  for (char c : raw) {
    if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos) continue;
    if (c == ' ' && !name.empty() && name.back() == ' ') continue;
    name += c;
  }
  // Cut at a character boundary.
  size_t chars = 0, i = 0;
  for (; i < name.size(); ++i) {
    if ((static_cast<unsigned char>(name[i]) & 0xC0) != 0x80 && ++chars > kMaxSheetName) break;
  }
  name.resize(i);
  if (name.empty() || std::find(used.begin(), used.end(), name) != used.end()) name = "Sheet" + std::to_string(n);
  used.push_back(name);
  return name;
}

}  // namespace

Status WriteXlsx(const Report& r, const std::string& path) {
  std::vector<const Table*> tables;
  for (const auto& s : r.sections) {
    for (const auto& b : s.blocks) {
      if (b.kind == Block::Kind::kTable) tables.push_back(&b.table);
    }
  }
  std::vector<std::string> used;
  std::unique_ptr<documents::XlsxTableWriter> w;
  for (size_t n = 0; n < tables.size() || (n == 0 && tables.empty()); ++n) {
    documents::ExportSpec spec;
    spec.constant_memory = false;
    spec.title = r.title;
    if (tables.empty()) {
      spec.sheet_name = "报告";
      documents::ExportColumn only;
      only.title = "（本报告没有表格）";
      spec.columns.push_back(only);
    } else {
      const Table& t = *tables[n];
      spec.sheet_name = SheetName(t, n + 1, used);
      spec.title = t.caption.empty() ? r.title : t.caption;
      spec.subtitle = r.title + (t.unit.empty() ? "" : "    " + t.unit);
      for (size_t c = 0; c < t.header.size(); ++c) {
        documents::ExportColumn col;
        col.title = t.header[c];
        col.kind = KindOf(t, c);
        spec.columns.push_back(col);
      }
    }
    if (!w) {
      auto created = documents::XlsxTableWriter::Create(path, spec);
      if (!created.ok()) return created.status();
      w = std::move(*created);
    } else {
      w->NewSheet(spec);
    }
    if (tables.empty()) break;
    const Table& t = *tables[n];
    for (const auto& row : t.rows) {
      std::vector<CellValue> cells;
      for (size_t c = 0; c < row.size() && c < spec.columns.size(); ++c) cells.push_back(Cell(row[c], spec.columns[c].kind));
      const bool total = std::find(row.begin(), row.end(), "合计") != row.end();
      if (total) w->AddTotalRow(std::move(cells));
      else w->AddRow(std::move(cells));
    }
  }
  return w->Close();
}

}  // namespace kp::reports
