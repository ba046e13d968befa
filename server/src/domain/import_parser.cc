#include "domain/import_parser.h"

#include <unordered_set>

#include <algorithm>
#include <charconv>
#include <exception>
#include <map>
#include <optional>
#include <thread>
#include <unordered_map>

namespace kp {
namespace {

constexpr size_t kMaxCodeBytes = 64;
constexpr size_t kMaxTextBytes = 600;      // ~200 CJK characters
constexpr size_t kMaxLongTextBytes = 12000;  // ~4000 CJK characters
constexpr size_t kHeaderSearchRows = 10;

struct ColumnSpec {
  const char* key;
  const char* display;
  std::vector<const char*> aliases;
  bool required;
};

const std::vector<ColumnSpec>& ProjectColumns() {
  static const std::vector<ColumnSpec> kCols = {
      {"code", "项目编码", {"项目编码", "项目代码", "编码", "code", "project_code"}, true},
      {"name", "项目名称", {"项目名称", "名称", "name", "project_name"}, true},
      {"level", "项目级别", {"项目级别", "级别", "level"}, true},
      {"nature", "建设性质", {"建设性质", "nature"}, false},
      {"industry", "所属行业", {"所属行业", "行业", "industry"}, false},
      {"region", "所在地区", {"所在地区", "地区", "所属地区", "建设地点", "region"}, false},
      {"total", "总投资(万元)", {"总投资(万元)", "总投资", "total_investment", "total_investment_wan"}, false},
      {"year", "计划年度", {"计划年度", "年度", "year", "plan_year"}, false},
      {"plan", "年度计划投资(万元)",
       {"年度计划投资(万元)", "年度计划投资", "年度计划", "计划投资", "年度投资计划", "annual_plan", "plan", "plan_wan"},
       false},
      {"owner", "项目业主", {"项目业主", "业主单位", "项目业主单位", "owner"}, false},
      {"unit", "责任单位", {"责任单位", "unit", "responsible_unit"}, false},
      {"person", "责任人", {"责任人", "person", "responsible_person"}, false},
      {"leader", "包抓领导", {"包抓领导", "联系领导", "县领导", "leader"}, false},
      {"demo", "示范项目", {"示范项目", "是否示范项目", "demo", "is_demo"}, false},
      {"status", "项目状态", {"项目状态", "状态", "status"}, false},
      {"start", "计划开工日期", {"计划开工日期", "计划开工时间", "开工日期", "planned_start"}, false},
      {"end", "计划竣工日期", {"计划竣工日期", "计划竣工时间", "竣工日期", "planned_end"}, false},
      {"content", "建设内容", {"建设内容", "建设内容及规模", "content"}, false},
  };
  return kCols;
}

const std::vector<ColumnSpec>& ReportColumns() {
  static const std::vector<ColumnSpec> kCols = {
      {"code", "项目编码", {"项目编码", "项目代码", "编码", "code", "project_code"}, true},
      {"month", "填报月份", {"填报月份", "月份", "报告月份", "month"}, true},
      {"amount", "本月完成投资(万元)",
       {"本月完成投资(万元)", "本月完成投资", "月完成投资", "当月完成投资", "completed", "completed_wan", "amount"}, true},
      {"progress", "形象进度", {"形象进度", "progress"}, false},
      {"problems", "存在问题", {"存在问题", "问题", "problems"}, false},
  };
  return kCols;
}

const std::vector<ColumnSpec>& NodeColumns() {
  static const std::vector<ColumnSpec> kCols = {
      {"code", "项目编码", {"项目编码", "项目代码", "编码", "code", "project_code"}, true},
      {"name", "节点名称", {"节点名称", "节点", "里程碑", "node", "node_name"}, true},
      {"seq", "序号", {"序号", "节点序号", "顺序", "seq", "order"}, false},
      {"planned", "计划完成日期", {"计划完成日期", "计划完成时间", "计划日期", "planned", "planned_date"}, false},
      {"actual", "实际完成日期", {"实际完成日期", "实际完成时间", "完成日期", "actual", "actual_date"}, false},
      {"unit", "责任单位", {"责任单位", "unit"}, false},
      {"person", "责任人", {"责任人", "person"}, false},
      {"note", "备注", {"备注", "说明", "note"}, false},
  };
  return kCols;
}

const std::vector<ColumnSpec>& ProblemColumns() {
  static const std::vector<ColumnSpec> kCols = {
      {"code", "项目编码", {"项目编码", "项目代码", "编码", "code", "project_code"}, true},
      {"category", "问题类别", {"问题类别", "类别", "问题类型", "category"}, false},
      {"text", "问题描述", {"问题描述", "存在问题", "问题内容", "问题", "text"}, true},
      {"source", "问题来源", {"问题来源", "来源", "source"}, false},
      {"lead", "主办单位", {"主办单位", "牵头单位", "责任单位", "lead_unit"}, false},
      {"co", "协办单位", {"协办单位", "配合单位", "co_units"}, false},
      {"person", "责任人", {"责任人", "person"}, false},
      {"raised", "提出日期", {"提出日期", "提出时间", "收集日期", "raised_on"}, true},
      {"deadline", "办结时限", {"办结时限", "完成时限", "时限", "deadline"}, false},
      {"state", "状态", {"状态", "办理状态", "state"}, false},
      {"closed", "办结日期", {"办结日期", "销号日期", "办结时间", "closed_on"}, false},
      {"answer", "办理结果", {"办理结果", "办理情况", "answer"}, false},
  };
  return kCols;
}

const std::vector<ColumnSpec>& FinancingColumns() {
  static const std::vector<ColumnSpec> kCols = {
      {"code", "项目编码", {"项目编码", "项目代码", "编码", "code", "project_code"}, true},
      {"kind", "融资类型", {"融资类型", "融资方式", "类型", "type"}, false},
      {"amount", "融资金额(万元)", {"融资金额(万元)", "融资金额", "融资需求", "需求金额", "amount", "amount_wan"}, true},
      {"year_need", "年内需求(万元)", {"年内需求(万元)", "年内需求", "年度需求", "year_need", "year_need_wan"}, false},
      {"term", "期限(年)", {"期限(年)", "期限", "贷款期限", "term_years"}, false},
      {"purpose", "贷款用途", {"贷款用途", "用途", "资金用途", "purpose"}, false},
      {"banks", "对接银行", {"对接银行", "推送银行", "银行", "banks"}, false},
      {"stage", "阶段", {"阶段", "对接阶段", "状态", "stage"}, false},
      {"credit", "授信金额(万元)", {"授信金额(万元)", "授信金额", "授信", "credit", "credit_wan"}, false},
      {"loan", "放款金额(万元)", {"放款金额(万元)", "放款金额", "放款", "loan", "disbursed_wan"}, false},
      {"registered", "登记日期", {"登记日期", "登记时间", "申报日期", "registered_on"}, true},
  };
  return kCols;
}

struct Table {
  const std::vector<CsvRecord>* records = nullptr;
  size_t header = 0;        // index of the (last) header record
  size_t first_data = 0;    // index of the first data record
  std::unordered_map<std::string, size_t> col;        // key -> field index
  std::unordered_map<std::string, MoneyUnit> unit;    // key -> unit named in its header
  std::optional<int> header_year;                     // "2024年" above the plan column
};

// Splits a unit off a normalised header: "总投资(万元)" -> ("总投资", 万元).
std::string StripUnit(const std::string& h, MoneyUnit* unit) {
  struct U {
    const char* suffix;
    MoneyUnit unit;
  };
  for (U u : {U{"(万元)", MoneyUnit::kWan}, U{"(亿元)", MoneyUnit::kYi}, U{"(元)", MoneyUnit::kYuan},
              U{"万元", MoneyUnit::kWan}, U{"亿元", MoneyUnit::kYi}}) {
    std::string suf = u.suffix;
    if (h.size() > suf.size() && h.ends_with(suf)) {
      if (unit) *unit = u.unit;
      return h.substr(0, h.size() - suf.size());
    }
  }
  return h;
}

std::optional<int> YearIn(const std::string& s) {
  std::string n = NormalizeNumberText(s, true);
  for (size_t i = 0; i + 4 <= n.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(n[i])) && std::isdigit(static_cast<unsigned char>(n[i + 1])) &&
        std::isdigit(static_cast<unsigned char>(n[i + 2])) && std::isdigit(static_cast<unsigned char>(n[i + 3])) &&
        (i + 4 == n.size() || !std::isdigit(static_cast<unsigned char>(n[i + 4]))) &&
        (i == 0 || !std::isdigit(static_cast<unsigned char>(n[i - 1])))) {
      int y = std::stoi(n.substr(i, 4));
      if (y >= 1990 && y <= 2100) return y;
    }
  }
  return std::nullopt;
}

using AliasMap = std::unordered_map<std::string, const ColumnSpec*>;

AliasMap Aliases(const std::vector<ColumnSpec>& specs) {
  AliasMap alias;
  for (const ColumnSpec& s : specs) {
    for (const char* a : s.aliases) alias.emplace(StripUnit(NormalizeHeader(a), nullptr), &s);
  }
  return alias;
}

const ColumnSpec* Lookup(const AliasMap& alias, const std::string& raw, MoneyUnit* unit) {
  MoneyUnit u = MoneyUnit::kWan;
  auto it = alias.find(StripUnit(NormalizeHeader(raw), &u));
  if (it == alias.end()) return nullptr;
  if (unit) *unit = u;
  return it->second;
}

// Maps the header of one sheet. Returns false with errors when the sheet cannot be read as the
// template; `quiet` reports no error when no header row is found (used to pick a sheet).
template <typename Row>
bool MapHeader(const documents::SheetTable& sheet, const std::vector<ColumnSpec>& specs, ParsedImport<Row>& out,
               Table& t, bool quiet) {
  const std::vector<CsvRecord>& records = sheet.rows;
  t.records = &records;
  AliasMap alias = Aliases(specs);
  auto err = [&](int row, const std::string& col, std::string reason) {
    out.AddError({sheet.name, row, col, -1, std::move(reason)});
  };
  if (records.empty()) {
    if (!quiet) err(0, "", "文件为空 (empty file)");
    return false;
  }
  // The header is the first row (of the first few: title rows may sit above) naming a required column.
  bool found = false;
  for (size_t r = 0; r < records.size() && r < kHeaderSearchRows && !found; ++r) {
    for (const std::string& f : records[r].fields) {
      const ColumnSpec* s = Lookup(alias, f, nullptr);
      if (s && s->required) {
        t.header = r;
        found = true;
        break;
      }
    }
  }
  if (!found) {
    if (!quiet) {
      err(records[0].line, "", std::string("找不到表头：前 ") + std::to_string(kHeaderSearchRows) + " 行中没有「" +
                                   specs[0].display + "」列 (no header row found)");
    }
    return false;
  }
  const CsvRecord& top = records[t.header];
  // A second header row: the row below has no value under the first required column (or the
  // same text, from a vertical merge) and names a template column somewhere.
  const CsvRecord* sub = nullptr;
  if (t.header + 1 < records.size()) {
    const CsvRecord& next = records[t.header + 1];
    size_t key_col = 0;
    for (size_t i = 0; i < top.fields.size(); ++i) {
      const ColumnSpec* s = Lookup(alias, top.fields[i], nullptr);
      if (s && s->required) {
        key_col = i;
        break;
      }
    }
    std::string below = key_col < next.fields.size() ? std::string(Trim(next.fields[key_col])) : "";
    if (below.empty() || below == std::string(Trim(top.fields[key_col]))) {
      for (const std::string& f : next.fields) {
        if (!Trim(f).empty() && Lookup(alias, f, nullptr)) sub = &next;
      }
    }
  }
  t.first_data = t.header + (sub ? 2 : 1);
  size_t width = std::max(top.fields.size(), sub ? sub->fields.size() : 0);
  out.header.assign(width, "");
  out.header_row = top.line;
  for (size_t i = 0; i < width; ++i) {
    std::string upper = i < top.fields.size() ? std::string(Trim(top.fields[i])) : "";
    std::string lower = sub && i < sub->fields.size() ? std::string(Trim(sub->fields[i])) : "";
    if (lower == upper) lower.clear();
    out.header[i] = lower.empty() ? upper : (upper.empty() ? lower : upper + "/" + lower);
    if (upper.empty() && lower.empty()) continue;
    MoneyUnit u = MoneyUnit::kWan;
    const ColumnSpec* spec = nullptr;
    for (const std::string& candidate : {lower, upper + lower, upper}) {
      if (!candidate.empty() && (spec = Lookup(alias, candidate, &u))) break;
    }
    if (!spec) {
      out.ignored_columns.push_back(out.header[i]);
      continue;
    }
    if (t.col.count(spec->key)) {
      err(top.line, spec->display, "列重复出现 (duplicate column): " + out.header[i]);
      continue;
    }
    t.col.emplace(spec->key, i);
    out.columns[spec->display] = static_cast<int>(i);
    t.unit[spec->key] = u;
    if (!lower.empty() && std::string(spec->key) == "plan") t.header_year = YearIn(upper);
  }
  const size_t errors_before = out.errors.size();
  for (const ColumnSpec& s : specs) {
    if (s.required && !t.col.count(s.key)) {
      err(top.line, s.display, std::string("缺少必填列 (missing required column): ") + s.display);
    }
  }
  if (out.errors.size() > errors_before) {
    // Columns missing, but every required column of the other template is there: the file was
    // chosen under the wrong kind. Say so instead of listing what the other kind never has.
    const bool as_projects = &specs == &ProjectColumns();
    const std::vector<ColumnSpec>& other = as_projects ? ReportColumns() : ProjectColumns();
    AliasMap other_alias = Aliases(other);
    std::unordered_set<std::string> found_keys;
    for (const CsvRecord* row : {&top, sub}) {
      if (!row) continue;
      for (const std::string& f : row->fields) {
        if (const ColumnSpec* o = Lookup(other_alias, std::string(Trim(f)), nullptr)) found_keys.insert(o->key);
      }
    }
    bool all = true;
    for (const ColumnSpec& o : other) all = all && (!o.required || found_keys.count(o.key));
    if (all) {
      out.errors.resize(errors_before);
      err(top.line, "",
          as_projects ? "这像是月报文件（有“填报月份”“本月完成投资”列），请切换到“月报”再导入 (this looks like a monthly "
                        "reports file: switch to 月报)"
                      : "这像是项目库文件（有“项目名称”“项目级别”列），请切换到“项目库”再导入 (this looks like a project "
                        "register: switch to 项目库)");
    }
  }
  if (!out.errors.empty()) return false;
  if (records.size() <= t.first_data) {
    err(top.line, "", "文件没有数据行 (no data rows)");
    return false;
  }
  return true;
}

// Reads the file and picks the sheet: the named one, else the first whose header matches.
template <typename Row>
bool ReadTable(std::string_view bytes, const std::vector<ColumnSpec>& specs, const std::string& sheet_name,
               ParsedImport<Row>& out, Table& t, std::vector<documents::SheetTable>& sheets) {
  if (Trim(bytes).empty()) {
    out.AddError({"", 0, "", -1, "文件为空 (empty file)"});
    return false;
  }
  auto read = documents::ReadAnyTable(bytes, &out.encoding);
  if (!read.ok()) {
    out.AddError({"", 0, "", -1, read.status().message()});
    return false;
  }
  sheets = std::move(*read);
  for (const auto& s : sheets) out.all_sheets.push_back(s.name);
  documents::SheetTable* chosen = nullptr;
  if (!sheet_name.empty()) {
    for (auto& s : sheets) {
      if (s.name == sheet_name) chosen = &s;
    }
    if (!chosen) {
      std::string names;
      for (const auto& s : sheets) names += (names.empty() ? "" : "、") + s.name;
      out.AddError({"", 0, "", -1, "找不到工作表「" + sheet_name + "」，文件中有：" + names + " (no such sheet)"});
      return false;
    }
  } else {
    for (auto& s : sheets) {
      ParsedImport<Row> probe;
      Table probe_table;
      if (MapHeader(s, specs, probe, probe_table, /*quiet=*/true) || !probe.errors.empty()) {
        chosen = &s;
        break;
      }
    }
    if (!chosen) chosen = &sheets.front();
  }
  out.sheet = chosen->name;
  out.sheets_read = {chosen->name};
  if (!MapHeader(*chosen, specs, out, t, /*quiet=*/false)) return false;
  // With no sheet named, later sheets whose header maps cleanly continue the table (a register
  // split by level, or returns beyond one sheet's 1,048,576 rows); their columns are reordered
  // to the first sheet's.
  std::vector<std::pair<documents::SheetTable*, Table>> more;
  if (sheet_name.empty()) {
    bool after = false;
    for (auto& s : sheets) {
      if (&s == chosen) {
        after = true;
        continue;
      }
      if (!after) continue;
      ParsedImport<Row> probe;
      Table extra;
      if (MapHeader(s, specs, probe, extra, /*quiet=*/true) && probe.errors.empty()) more.emplace_back(&s, std::move(extra));
    }
  }
  // Data rows, less totals rows ("合计"/"总计"/"小计" in the first non-empty cell). The header
  // rows stay in their sheets (t points at them); data rows move to out.table.
  auto take = [&](documents::SheetTable& sheet, const Table& from, int index) {
    for (size_t i = from.first_data; i < sheet.rows.size(); ++i) {
      CsvRecord& rec = sheet.rows[i];
      std::string first;
      for (const auto& f : rec.fields) {
        if (!Trim(f).empty()) {
          first = NormalizeHeader(f);
          break;
        }
      }
      if (first == "合计" || first == "总计" || first == "小计" || first == "total") continue;
      rec.sheet = index;
      if (&from != &t) {
        std::vector<std::string> fields(out.header.size());
        for (const auto& [key, col] : t.col) {
          auto it = from.col.find(key);
          if (it != from.col.end() && it->second < rec.fields.size() && col < fields.size()) {
            fields[col] = std::move(rec.fields[it->second]);
          }
        }
        rec.fields = std::move(fields);
      }
      out.table.push_back(std::move(rec));
    }
  };
  take(*chosen, t, 0);
  for (auto& [sheet, table] : more) {
    out.sheets_read.push_back(sheet->name);
    take(*sheet, table, static_cast<int>(out.sheets_read.size()) - 1);
  }
  return true;
}

std::string Cell(const Table& t, const CsvRecord& rec, const char* key) {
  auto it = t.col.find(key);
  if (it == t.col.end() || it->second >= rec.fields.size()) return "";
  return std::string(Trim(rec.fields[it->second]));
}

bool Has(const Table& t, const char* key) { return t.col.count(key) > 0; }

int ColOf(const Table& t, const char* key) {
  auto it = t.col.find(key);
  return it == t.col.end() ? -1 : static_cast<int>(it->second);
}

MoneyUnit UnitOf(const Table& t, const char* key) {
  auto it = t.unit.find(key);
  return it == t.unit.end() ? MoneyUnit::kWan : it->second;
}

std::optional<bool> ParseYesNo(const std::string& s) {
  std::string n = NormalizeHeader(s);
  if (n.empty() || n == "否" || n == "no" || n == "n" || n == "0" || n == "false") return false;
  if (n == "是" || n == "yes" || n == "y" || n == "1" || n == "true" || n == "√") return true;
  return std::nullopt;
}


int ColByDisplay(const Table& t, const std::vector<ColumnSpec>& specs, const char* display) {
  for (const ColumnSpec& s : specs) {
    if (std::string(s.display) == display) return ColOf(t, s.key);
  }
  return -1;
}

// Checks every data record, on two threads when there are many (a record's checks depend on
// no other record), then walks them in file order: errors keep their order, `in_order` runs the
// checks that need the rows before (duplicates), and rows are kept only when all is clean.
template <typename Row, typename Check, typename InOrder>
void CheckRecords(ParsedImport<Row>& out, const Check& check, const InOrder& in_order) {
  const size_t n = out.table.size();
  std::vector<Row>& rows = out.rows;  // filled in place, then compacted to the clean rows
  rows.assign(n, Row{});
  std::vector<std::vector<ImportError>> errors(n);
  auto work = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) check(out.table[i], rows[i], errors[i]);
  };
  constexpr size_t kParallelFrom = 4096;
  if (n >= kParallelFrom) {
    std::exception_ptr failed;
    std::thread second([&] {
      try {
        work(n / 2, n);
      } catch (...) {
        failed = std::current_exception();
      }
    });
    try {
      work(0, n / 2);
    } catch (...) {
      second.join();
      throw;
    }
    second.join();
    if (failed) std::rethrow_exception(failed);
  } else {
    work(0, n);
  }
  size_t kept = 0;
  for (size_t i = 0; i < n; ++i) {
    in_order(out.table[i], rows[i], errors[i]);
    if (errors[i].empty()) {
      if (kept != i) rows[kept] = std::move(rows[i]);
      ++kept;
    }
    for (ImportError& e : errors[i]) out.AddError(std::move(e));
  }
  rows.resize(kept);
  if (!out.errors.empty()) out.rows.clear();
}

}  // namespace

std::vector<ImportError> ResolveRegions(std::vector<ProjectImportRow>& rows, const std::vector<Region>& regions) {
  std::unordered_map<int64_t, const Region*> by_id;
  std::unordered_map<std::string, std::vector<const Region*>> by_name;
  for (const Region& r : regions) {
    by_id[r.id] = &r;
    by_name[r.name].push_back(&r);
  }
  auto path_of = [&](const Region* r) {
    std::string path = r->name;
    int guard = 0;
    while (r->parent_id && by_id.count(*r->parent_id) && ++guard < 64) {
      r = by_id[*r->parent_id];
      path = r->name + "/" + path;
    }
    return path;
  };
  // Does r's chain of names end with parts[0..n)?
  auto ends_with = [&](const Region* r, const std::vector<std::string>& parts, size_t n) {
    for (size_t k = n; k-- > 0;) {
      if (!r || r->name != parts[k]) return false;
      r = r->parent_id && by_id.count(*r->parent_id) ? by_id[*r->parent_id] : nullptr;
    }
    return true;
  };
  std::vector<ImportError> errors;
  for (ProjectImportRow& row : rows) {
    if (row.region_text.empty() || row.project.region_id) continue;
    std::vector<std::string> parts;
    std::string norm = NormalizeNumberText(row.region_text, true);  // full-width slash to ASCII
    for (size_t i = 0; i <= norm.size();) {
      size_t j = norm.find_first_of("/\\", i);
      if (j == std::string::npos) j = norm.size();
      std::string part(Trim(std::string_view(norm).substr(i, j - i)));
      if (!part.empty()) parts.push_back(part);
      i = j + 1;
    }
    if (parts.empty()) continue;
    // The regions in use (or the retired ones) whose names end with parts[0..n).
    auto matches = [&](size_t n, bool retired = false) {
      std::vector<const Region*> found;
      auto it = by_name.find(parts[n - 1]);
      if (it == by_name.end()) return found;
      for (const Region* r : it->second) {
        if (r->retired() == retired && ends_with(r, parts, n)) found.push_back(r);
      }
      return found;
    };
    std::vector<const Region*> found = matches(parts.size());
    if (found.empty()) {
      // A retired region's old name: the region it was merged into, else an error (never a new region).
      std::vector<const Region*> old = matches(parts.size(), true);
      if (!old.empty()) {
        const Region* r = old[0];
        for (int guard = 0; r->retired() && r->merged_into && by_id.count(*r->merged_into) && guard < 64; ++guard) {
          r = by_id[*r->merged_into];
        }
        if (!r->retired()) {
          row.project.region_id = r->id;
        } else {
          errors.push_back({"", row.line, "所在地区", -1,
                            "所在地区「" + row.region_text + "」已停用 (the region is retired)"});
        }
        continue;
      }
    }
    if (found.size() == 1) {
      row.project.region_id = found[0]->id;
      continue;
    }
    if (found.size() > 1) {
      std::string list;
      for (size_t k = 0; k < found.size() && k < 4; ++k) list += (list.empty() ? "" : "、") + path_of(found[k]);
      errors.push_back({"", row.line, "所在地区", -1,
                        "所在地区「" + row.region_text + "」有 " + std::to_string(found.size()) + " 个同名地区（" + list +
                            "），请写明上级，如「" + path_of(found[0]) + "」 (ambiguous region: write its path)"});
      continue;
    }
    // Not there: created under its named parent when the parent is known, else under home.
    row.region_text = parts.back();
    if (parts.size() > 1) {
      std::vector<const Region*> parent = matches(parts.size() - 1);
      if (parent.size() == 1) {
        row.region_parent = parent[0]->id;
      } else {
        errors.push_back({"", row.line, "所在地区", -1,
                          "找不到上级地区「" + parts[parts.size() - 2] + "」或其不唯一 (unknown or ambiguous parent region)"});
      }
    }
  }
  return errors;
}

const std::vector<TemplateColumn>& ProjectTemplate() {
  static const std::vector<TemplateColumn> kCols = {
      {"项目编码", "必填。项目的唯一编码，重复导入按编码更新", {}, false},
      {"项目名称", "必填", {}, false},
      {"项目级别", "必填：省重点 / 市重点 / 县重点", {"省重点", "市重点", "县重点"}, false},
      {"建设性质", "新建 / 改扩建 / 迁建 / 续建", {}, false},
      {"所属行业", "", {}, false},
      {"所在地区", "乡镇或街道名称；不存在的地区会自动创建", {}, false},
      {"总投资(万元)", "数字，最多 4 位小数；表头写“(元)”则按元填写", {}, true},
      {"计划年度", "四位年份，如 2024", {}, false},
      {"年度计划投资(万元)", "该年度计划完成的投资", {}, true},
      {"项目业主", "", {}, false},
      {"责任单位", "", {}, false},
      {"责任人", "", {}, false},
      {"包抓领导", "", {}, false},
      {"示范项目", "是 / 否", {"是", "否"}, false},
      {"项目状态", "前期 / 新开工 / 续建 / 在建 / 竣工 / 投产 / 停缓建",
       {"前期", "新开工", "续建", "在建", "竣工", "投产", "停缓建"}, false},
      {"计划开工日期", "如 2024-03-01 或 2024年3月1日", {}, false},
      {"计划竣工日期", "", {}, false},
      {"建设内容", "", {}, false},
  };
  return kCols;
}

const std::vector<TemplateColumn>& ReportTemplate() {
  static const std::vector<TemplateColumn> kCols = {
      {"项目编码", "必填，须为已导入的项目", {}, false},
      {"填报月份", "必填：2024-03、2024年3月、2024/3 均可", {}, false},
      {"本月完成投资(万元)", "必填：当月完成的投资（不是累计数）", {}, true},
      {"形象进度", "", {}, false},
      {"存在问题", "", {}, false},
  };
  return kCols;
}

const std::vector<TemplateColumn>& NodeTemplateColumns() {
  static const std::vector<TemplateColumn> kCols = {
      {"项目编码", "必填，须为已导入的项目", {}, false},
      {"节点名称", "必填。同一项目按节点名称更新", {}, false},
      {"计划完成日期", "如 2024-03-31 或 2024年3月31日", {}, false},
      {"实际完成日期", "完成后填写；留空表示未完成", {}, false},
      {"责任单位", "", {}, false},
      {"责任人", "", {}, false},
      {"备注", "", {}, false},
      {"序号", "可选：节点顺序；不填则按文件中的顺序", {}, false},
  };
  return kCols;
}

const std::vector<TemplateColumn>& ProblemTemplateColumns() {
  static const std::vector<TemplateColumn> kCols = {
      {"项目编码", "必填，须为已导入的项目", {}, false},
      {"问题类别", "用地、规划、环评、节能、资金、审批、拆迁/征地、水电气讯、施工许可、劳务、其他", {}, false},
      {"问题描述", "必填", {}, false},
      {"主办单位", "办理中、待销号、已销号的问题必填", {}, false},
      {"协办单位", "多个单位用顿号或逗号分隔", {}, false},
      {"责任人", "", {}, false},
      {"提出日期", "必填，如 2024-01-15", {}, false},
      {"办结时限", "如 2024-02-15", {}, false},
      {"状态", "待交办、办理中、待销号、已销号（不填为待交办）", {"待交办", "办理中", "待销号", "已销号"}, false},
      {"办结日期", "已销号的问题必填", {}, false},
      {"办理结果", "", {}, false},
      {"问题来源", "月报、现场督导、拉练、业主反映、领导交办（不填为业主反映）", {}, false},
  };
  return kCols;
}

const std::vector<TemplateColumn>& FinancingTemplateColumns() {
  static const std::vector<TemplateColumn> kCols = {
      {"项目编码", "必填，须为已导入的项目", {}, false},
      {"融资类型", "中长期贷款、流动资金贷款、政策性开发性金融工具、专项债、产业基金、其他（不填为中长期贷款）",
       {"中长期贷款", "流动资金贷款", "政策性开发性金融工具", "专项债", "产业基金", "其他"}, false},
      {"融资金额(万元)", "必填，大于 0", {}, true},
      {"年内需求(万元)", "不超过融资金额（不填为融资金额）", {}, true},
      {"期限(年)", "0-50 的整数", {}, false},
      {"贷款用途", "", {}, false},
      {"对接银行", "已推送的银行，多个用顿号分隔；授信、放款记在第一家", {}, false},
      {"阶段", "登记、审核、推送、对接中、审批中、已授信、已签约、已放款、未通过（不填：有银行为推送，否则登记）",
       {"登记", "审核", "推送", "对接中", "审批中", "已授信", "已签约", "已放款", "未通过"}, false},
      {"授信金额(万元)", "已授信及以后的阶段必填", {}, true},
      {"放款金额(万元)", "已放款必填，不超过授信金额", {}, true},
      {"登记日期", "必填，如 2024-01-15；推送、授信、放款都记在这一天", {}, false},
  };
  return kCols;
}

std::string FormatImportError(const ImportError& e) {
  std::string s;
  if (!e.sheet.empty() && e.sheet != "CSV") s += "工作表「" + e.sheet + "」";
  if (e.row > 0) s += "第 " + std::to_string(e.row) + " 行";
  if (!e.column.empty()) s += (s.empty() ? "" : "，") + std::string("列「") + e.column + "」";
  if (!s.empty()) s += "：";
  return s + e.reason;
}

Status ValidateProject(const Project& p) {
  struct T {
    const std::string* v;
    const char* field;
    TextShape shape;
  };
  for (T t : {T{&p.code, "code", TextShape::kSingleLine}, T{&p.name, "name", TextShape::kSingleLine},
              T{&p.nature, "nature", TextShape::kSingleLine}, T{&p.industry, "industry", TextShape::kSingleLine},
              T{&p.owner, "owner", TextShape::kSingleLine}, T{&p.unit, "unit", TextShape::kSingleLine},
              T{&p.person, "person", TextShape::kSingleLine}, T{&p.leader, "leader", TextShape::kSingleLine},
              T{&p.status, "status", TextShape::kSingleLine}, T{&p.content, "content", TextShape::kMultiLine}}) {
    if (std::string why = TextProblem(*t.v, t.shape); !why.empty()) return InvalidArgument(why, t.field);
  }
  if (p.code.empty()) return InvalidArgument("项目编码不能为空 (code is required)", "code");
  if (p.code.size() > kMaxCodeBytes) return InvalidArgument("项目编码过长，最多 64 个字符 (code too long)", "code");
  for (char c : p.code) {
    if (c == ' ' || c == '\t' || c == '/' || c == '?' || c == '#') {
      return InvalidArgument("项目编码不能含空格或 / ? # (code has a blank or / ? #)", "code");
    }
  }
  if (p.name.empty()) return InvalidArgument("项目名称不能为空 (name is required)", "name");
  if (p.name.size() > kMaxTextBytes) return InvalidArgument("项目名称过长 (name too long)", "name");
  struct F {
    const std::string* v;
    const char* field;
  };
  for (F f : {F{&p.nature, "nature"}, F{&p.industry, "industry"}, F{&p.owner, "owner"}, F{&p.unit, "unit"},
              F{&p.person, "person"}, F{&p.leader, "leader"}}) {
    if (f.v->size() > kMaxTextBytes) return InvalidArgument(std::string("内容过长 (too long): ") + f.field, f.field);
  }
  if (p.content.size() > kMaxLongTextBytes) return InvalidArgument("建设内容过长 (content too long)", "content");
  if (p.total_investment.yuan < 0) return InvalidArgument("总投资不能为负数 (negative total investment)", "total_investment_wan");
  if (!p.status.empty()) {
    const auto& all = ProjectStatuses();
    if (std::find(all.begin(), all.end(), p.status) == all.end()) {
      std::string list;
      for (const auto& s : all) list += (list.empty() ? "" : "/") + s;
      return InvalidArgument("未知的项目状态「" + p.status + "」，应为 " + list + " (unknown status)", "status");
    }
  }
  if (p.planned_start && p.planned_end && *p.planned_end < *p.planned_start) {
    return InvalidArgument("计划竣工日期早于计划开工日期 (planned end before planned start)", "planned_end");
  }
  return Status::Ok();
}

Status ValidateReportText(const MonthlyReport& r) {
  for (auto [text, field] : {std::pair<const std::string*, const char*>{&r.progress, "progress"}, {&r.problems, "problems"}}) {
    if (std::string why = TextProblem(*text, TextShape::kMultiLine); !why.empty()) return InvalidArgument(why, field);
  }
  if (r.completed.yuan < 0) return InvalidArgument("本月完成投资不能为负数 (negative amount)", "completed_wan");
  if (r.progress.size() > kMaxLongTextBytes) return InvalidArgument("形象进度过长 (progress too long)", "progress");
  if (r.problems.size() > kMaxLongTextBytes) return InvalidArgument("存在问题过长 (problems too long)", "problems");
  return Status::Ok();
}

ParsedImport<ProjectImportRow> ParseProjectsFile(std::string_view bytes, const std::string& sheet) {
  ParsedImport<ProjectImportRow> out;
  Table t;
  std::vector<documents::SheetTable> sheets;
  if (!ReadTable(bytes, ProjectColumns(), sheet, out, t, sheets)) return out;
  std::unordered_map<std::string, int> first_row;
  static const std::unordered_map<std::string, std::string> kFieldColumn = {
      {"code", "项目编码"}, {"name", "项目名称"}, {"nature", "建设性质"}, {"industry", "所属行业"},
      {"owner", "项目业主"}, {"unit", "责任单位"}, {"person", "责任人"}, {"leader", "包抓领导"},
      {"content", "建设内容"}, {"status", "项目状态"}, {"total_investment_wan", "总投资(万元)"},
      {"planned_end", "计划竣工日期"}};
  auto check = [&](const CsvRecord& rec, ProjectImportRow& row, std::vector<ImportError>& errors) {
    auto err = [&](const char* col, std::string reason) {
      errors.push_back({out.sheets_read.at(rec.sheet), rec.line, col, ColByDisplay(t, ProjectColumns(), col),
                        std::move(reason)});
    };
    row.line = rec.line;
    Project& p = row.project;
    p.code = Cell(t, rec, "code");
    p.name = Cell(t, rec, "name");
    if (p.code.empty()) err("项目编码", "项目编码不能为空 (empty code)");
    if (p.name.empty()) err("项目名称", "项目名称不能为空 (empty name)");
    std::string level = Cell(t, rec, "level");
    if (auto l = ParseLevel(level)) {
      p.level = *l;
    } else {
      err("项目级别", level.empty() ? "项目级别不能为空 (empty level)"
                                    : "未知的项目级别「" + level + "」，应为 省重点/市重点/县重点 (unknown level)");
    }
    p.nature = Cell(t, rec, "nature");
    p.industry = Cell(t, rec, "industry");
    row.region_text = Cell(t, rec, "region");
    if (std::string why = TextProblem(row.region_text, TextShape::kSingleLine); !why.empty()) err("所在地区", why);
    if (std::string v = Cell(t, rec, "total"); !v.empty()) {
      if (auto m = ParseMoney(v, UnitOf(t, "total")); m.ok()) p.total_investment = *m;
      else err("总投资(万元)", m.status().message());
    }
    std::string year = Cell(t, rec, "year"), plan = Cell(t, rec, "plan");
    if (!plan.empty()) {
      if (auto m = ParseMoney(plan, UnitOf(t, "plan")); m.ok()) row.plan = *m;
      else err("年度计划投资(万元)", m.status().message());
      if (year.empty() && t.header_year) row.plan_year = t.header_year;
      else if (year.empty()) err("计划年度", "填写了年度计划投资但计划年度为空 (plan given without a year)");
    }
    if (!year.empty()) {
      std::string y = NormalizeNumberText(year);
      if (y.ends_with("年")) y.resize(y.size() - 3);
      bool digits = y.size() == 4 && std::all_of(y.begin(), y.end(), [](char c) { return c >= '0' && c <= '9'; });
      int yv = digits ? std::stoi(y) : 0;
      if (!digits || yv < 1990 || yv > 2100) err("计划年度", "计划年度应为 1990-2100 的四位年份 (bad year): " + year);
      else row.plan_year = yv;
      if (plan.empty() && Has(t, "plan")) err("年度计划投资(万元)", "填写了计划年度但年度计划投资为空 (year given without a plan)");
    }
    p.owner = Cell(t, rec, "owner");
    p.unit = Cell(t, rec, "unit");
    p.person = Cell(t, rec, "person");
    p.leader = Cell(t, rec, "leader");
    if (auto d = ParseYesNo(Cell(t, rec, "demo"))) p.is_demo = *d;
    else err("示范项目", "示范项目应填 是 或 否 (expected 是/否): " + Cell(t, rec, "demo"));
    p.status = Cell(t, rec, "status");
    if (std::string v = Cell(t, rec, "start"); !v.empty()) {
      if (auto d = ParseDate(v); d.ok()) p.planned_start = *d;
      else err("计划开工日期", d.status().message());
    }
    if (std::string v = Cell(t, rec, "end"); !v.empty()) {
      if (auto d = ParseDate(v); d.ok()) p.planned_end = *d;
      else err("计划竣工日期", d.status().message());
    }
    p.content = Cell(t, rec, "content");
    if (errors.empty()) {
      if (Status s = ValidateProject(p); !s.ok()) {
        auto it = kFieldColumn.find(s.field());
        err(it == kFieldColumn.end() ? "" : it->second.c_str(), s.message());
      }
    }
  };
  auto no_duplicates = [&](const CsvRecord& rec, const ProjectImportRow& row, std::vector<ImportError>& errors) {
    const std::string& code = row.project.code;
    if (code.empty()) return;
    auto [it, inserted] = first_row.emplace(code, rec.line);
    if (!inserted) {
      errors.push_back({out.sheets_read.at(rec.sheet), rec.line, "项目编码", ColByDisplay(t, ProjectColumns(), "项目编码"),
                        "项目编码「" + code + "」与第 " + std::to_string(it->second) + " 行重复 (duplicate code in the file)"});
    }
  };
  CheckRecords(out, check, no_duplicates);
  return out;
}

ParsedImport<ReportImportRow> ParseReportsFile(std::string_view bytes, const std::unordered_set<std::string>& known_codes,
                                               const std::string& sheet) {
  ParsedImport<ReportImportRow> out;
  Table t;
  std::vector<documents::SheetTable> sheets;
  if (!ReadTable(bytes, ReportColumns(), sheet, out, t, sheets)) return out;
  std::map<std::pair<std::string, int>, int> first_row;
  auto check = [&](const CsvRecord& rec, ReportImportRow& row, std::vector<ImportError>& errors) {
    auto err = [&](const char* col, std::string reason) {
      errors.push_back({out.sheets_read.at(rec.sheet), rec.line, col, ColByDisplay(t, ReportColumns(), col),
                        std::move(reason)});
    };
    row.project_code = Cell(t, rec, "code");
    if (row.project_code.empty()) err("项目编码", "项目编码不能为空 (empty code)");
    else if (!known_codes.count(row.project_code)) {
      err("项目编码", "未知的项目编码「" + row.project_code + "」：请先导入该项目 (unknown project code)");
    }
    if (auto m = ParseYearMonth(Cell(t, rec, "month")); m.ok()) row.report.month = *m;
    else err("填报月份", m.status().message());
    if (auto a = ParseMoney(Cell(t, rec, "amount"), UnitOf(t, "amount")); a.ok()) row.report.completed = *a;
    else err("本月完成投资(万元)", a.status().message());
    row.report.progress = Cell(t, rec, "progress");
    row.report.problems = Cell(t, rec, "problems");
    if (errors.empty()) {
      if (Status s = ValidateReportText(row.report); !s.ok()) err(s.field() == "progress" ? "形象进度" : "存在问题", s.message());
    }
  };
  auto no_duplicates = [&](const CsvRecord& rec, const ReportImportRow& row, std::vector<ImportError>& errors) {
    if (!errors.empty()) return;
    auto [it, inserted] = first_row.emplace(std::make_pair(row.project_code, row.report.month.Index()), rec.line);
    if (!inserted) {
      errors.push_back({out.sheets_read.at(rec.sheet), rec.line, "填报月份", ColByDisplay(t, ReportColumns(), "填报月份"),
                        "项目「" + row.project_code + "」" + row.report.month.ToString() + " 的月报与第 " +
                            std::to_string(it->second) + " 行重复 (duplicate month in the file)"});
    }
  };
  CheckRecords(out, check, no_duplicates);
  return out;
}

ParsedImport<NodeImportRow> ParseNodesFile(std::string_view bytes, const std::unordered_set<std::string>& known_codes,
                                           const std::string& sheet) {
  constexpr int kMaxSeq = 10000;
  constexpr size_t kMaxNodeName = 200;
  ParsedImport<NodeImportRow> out;
  Table t;
  std::vector<documents::SheetTable> sheets;
  if (!ReadTable(bytes, NodeColumns(), sheet, out, t, sheets)) return out;
  std::map<std::pair<std::string, std::string>, int> first_row;
  auto check = [&](const CsvRecord& rec, NodeImportRow& row, std::vector<ImportError>& errors) {
    auto err = [&](const char* col, std::string reason) {
      errors.push_back({out.sheets_read.at(rec.sheet), rec.line, col, ColByDisplay(t, NodeColumns(), col), std::move(reason)});
    };
    row.line = rec.line;
    row.project_code = Cell(t, rec, "code");
    if (row.project_code.empty()) err("项目编码", "项目编码不能为空 (empty code)");
    else if (!known_codes.count(row.project_code)) {
      err("项目编码", "未知的项目编码「" + row.project_code + "」：请先导入该项目 (unknown project code)");
    }
    ProjectNode& n = row.node;
    n.name = Cell(t, rec, "name");
    if (n.name.empty()) err("节点名称", "节点名称不能为空 (empty node name)");
    else if (n.name.size() > kMaxNodeName) err("节点名称", "节点名称过长 (node name too long)");
    else if (std::string why = TextProblem(n.name, TextShape::kSingleLine); !why.empty()) err("节点名称", why);
    auto date = [&](const char* key, const char* col, std::optional<Date>& into, bool& has) {
      if (!Has(t, key)) return;
      has = true;
      std::string v = Cell(t, rec, key);
      if (v.empty()) return;
      if (auto d = ParseDate(v); d.ok()) into = *d;
      else err(col, d.status().message());
    };
    date("planned", "计划完成日期", n.planned, row.has_planned);
    date("actual", "实际完成日期", n.actual, row.has_actual);
    auto text = [&](const char* key, const char* col, std::string& into, bool& has, TextShape shape, size_t max) {
      if (!Has(t, key)) return;
      has = true;
      into = Cell(t, rec, key);
      if (into.size() > max) err(col, std::string(col) + "过长 (too long)");
      else if (std::string why = TextProblem(into, shape); !why.empty()) err(col, why);
    };
    text("unit", "责任单位", n.unit, row.has_unit, TextShape::kSingleLine, kMaxTextBytes);
    text("person", "责任人", n.person, row.has_person, TextShape::kSingleLine, kMaxTextBytes);
    text("note", "备注", n.note, row.has_note, TextShape::kMultiLine, kMaxLongTextBytes);
    if (Has(t, "seq")) {
      std::string v = Cell(t, rec, "seq");
      if (!v.empty()) {
        int x = 0;
        auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
        if (ec != std::errc() || p != v.data() + v.size() || x < 1 || x > kMaxSeq) {
          err("序号", "序号应为 1-10000 的整数 (bad order): " + v);
        } else {
          n.seq = x;
          row.has_seq = true;
        }
      }
    }
  };
  auto no_duplicates = [&](const CsvRecord& rec, const NodeImportRow& row, std::vector<ImportError>& errors) {
    if (!errors.empty()) return;
    auto [it, inserted] = first_row.emplace(std::make_pair(row.project_code, row.node.name), rec.line);
    if (!inserted) {
      errors.push_back({out.sheets_read.at(rec.sheet), rec.line, "节点名称", ColByDisplay(t, NodeColumns(), "节点名称"),
                        "项目「" + row.project_code + "」的节点「" + row.node.name + "」与第 " + std::to_string(it->second) +
                            " 行重复 (duplicate node in the file)"});
    }
  };
  CheckRecords(out, check, no_duplicates);
  return out;
}


ParsedImport<ProblemImportRow> ParseProblemsFile(std::string_view bytes, const std::unordered_set<std::string>& known_codes,
                                                 const std::vector<std::string>& categories,
                                                 const std::vector<std::string>& sources, const Date& today,
                                                 const std::string& sheet) {
  ParsedImport<ProblemImportRow> out;
  Table t;
  std::vector<documents::SheetTable> sheets;
  if (!ReadTable(bytes, ProblemColumns(), sheet, out, t, sheets)) return out;
  auto check = [&](const CsvRecord& rec, ProblemImportRow& row, std::vector<ImportError>& errors) {
    auto err = [&](const char* col, std::string reason) {
      errors.push_back({out.sheets_read.at(rec.sheet), rec.line, col, ColByDisplay(t, ProblemColumns(), col), std::move(reason)});
    };
    row.line = rec.line;
    row.project_code = Cell(t, rec, "code");
    if (row.project_code.empty()) err("项目编码", "项目编码不能为空 (empty code)");
    else if (!known_codes.count(row.project_code)) {
      err("项目编码", "未知的项目编码「" + row.project_code + "」：请先导入该项目 (unknown project code)");
    }
    Problem& p = row.problem;
    auto text = [&](const char* key, const char* col, std::string& into, TextShape shape, size_t max) {
      if (!Has(t, key)) return;
      into = Cell(t, rec, key);
      if (into.size() > max) err(col, std::string(col) + "过长 (too long)");
      else if (std::string why = TextProblem(into, shape); !why.empty()) err(col, why);
    };
    text("text", "问题描述", p.text, TextShape::kMultiLine, kMaxLongTextBytes);
    if (p.text.empty()) err("问题描述", "问题描述不能为空 (empty problem text)");
    text("category", "问题类别", p.category, TextShape::kSingleLine, kMaxTextBytes);
    if (p.category.empty()) p.category = "其他";
    else if (std::find(categories.begin(), categories.end(), p.category) == categories.end()) {
      err("问题类别", "未知的问题类别「" + p.category + "」(unknown category)");
    }
    text("source", "问题来源", p.source, TextShape::kSingleLine, kMaxTextBytes);
    if (p.source.empty()) p.source = "业主反映";
    else if (std::find(sources.begin(), sources.end(), p.source) == sources.end()) {
      err("问题来源", "未知的问题来源「" + p.source + "」(unknown source)");
    }
    text("lead", "主办单位", p.lead_unit, TextShape::kSingleLine, kMaxTextBytes);
    std::string co;
    text("co", "协办单位", co, TextShape::kSingleLine, kMaxTextBytes);
    for (size_t i = 0; i < co.size();) {
      size_t best = co.size(), len = 0;
      for (std::string_view sep : {"、", ",", "，", ";", "；", " "}) {
        size_t j = co.find(sep, i);
        if (j < best) best = j, len = sep.size();
      }
      std::string u(Trim(co.substr(i, best - i)));
      if (!u.empty() && std::find(p.co_units.begin(), p.co_units.end(), u) == p.co_units.end()) p.co_units.push_back(u);
      i = best == co.size() ? best : best + len;
    }
    text("person", "责任人", p.person, TextShape::kSingleLine, kMaxTextBytes);
    text("answer", "办理结果", p.answer, TextShape::kMultiLine, kMaxLongTextBytes);
    auto date = [&](const char* key, const char* col) -> std::optional<Date> {
      if (!Has(t, key)) return std::nullopt;
      std::string v = Cell(t, rec, key);
      if (v.empty()) return std::nullopt;
      auto d = ParseDate(v);
      if (!d.ok()) {
        err(col, d.status().message());
        return std::nullopt;
      }
      if (d->year < 1990 || d->year > 2100) {
        err(col, "日期超出 1990-2100 (date out of range): " + v);
        return std::nullopt;
      }
      return *d;
    };
    auto raised = date("raised", "提出日期");
    if (raised) p.raised_on = *raised;
    else if (Cell(t, rec, "raised").empty()) err("提出日期", "提出日期不能为空 (empty date raised)");
    if (raised && *raised > today) err("提出日期", "提出日期不能晚于今天 (date raised in the future)");
    p.deadline = date("deadline", "办结时限");
    if (raised && p.deadline && *p.deadline < *raised) err("办结时限", "办结时限早于提出日期 (deadline before the date raised)");
    p.closed_on = date("closed", "办结日期");
    std::string state = Has(t, "state") ? Cell(t, rec, "state") : "";
    if (state.empty()) state = "待交办";
    auto st = ParseProblemState(state);
    if (!st) {
      err("状态", "未知的状态「" + state + "」：应为 待交办、办理中、待销号 或 已销号 (unknown state)");
    } else {
      p.state = *st;
      if (p.state == ProblemState::kClosed && !p.closed_on) err("办结日期", "已销号的问题须填写办结日期 (a closed problem needs its closing date)");
      if (p.state != ProblemState::kClosed && p.closed_on) err("办结日期", "只有已销号的问题才有办结日期 (only a closed problem has a closing date)");
      if (p.state != ProblemState::kPending && p.lead_unit.empty()) err("主办单位", "已交办的问题须填写主办单位 (an assigned problem needs its lead unit)");
    }
    if (raised && p.closed_on && *p.closed_on < *raised) err("办结日期", "办结日期早于提出日期 (closed before it was raised)");
    if (p.closed_on && *p.closed_on > today) err("办结日期", "办结日期不能晚于今天 (closing date in the future)");
  };
  auto in_order = [](const CsvRecord&, const ProblemImportRow&, std::vector<ImportError>&) {};
  CheckRecords(out, check, in_order);
  return out;
}


ParsedImport<FinancingImportRow> ParseFinancingFile(std::string_view bytes, const std::unordered_set<std::string>& known_codes,
                                                   const Date& today, const std::string& sheet) {
  ParsedImport<FinancingImportRow> out;
  Table t;
  std::vector<documents::SheetTable> sheets;
  if (!ReadTable(bytes, FinancingColumns(), sheet, out, t, sheets)) return out;
  auto check = [&](const CsvRecord& rec, FinancingImportRow& row, std::vector<ImportError>& errors) {
    auto err = [&](const char* col, std::string reason) {
      errors.push_back({out.sheets_read.at(rec.sheet), rec.line, col, ColByDisplay(t, FinancingColumns(), col), std::move(reason)});
    };
    row.line = rec.line;
    row.project_code = Cell(t, rec, "code");
    if (row.project_code.empty()) err("项目编码", "项目编码不能为空 (empty code)");
    else if (!known_codes.count(row.project_code)) {
      err("项目编码", "未知的项目编码「" + row.project_code + "」：请先导入该项目 (unknown project code)");
    }
    FinancingDemand& d = row.demand;
    d.kind = Cell(t, rec, "kind");
    if (d.kind.empty()) d.kind = "中长期贷款";
    const auto& kinds = FinancingKinds();
    if (std::find(kinds.begin(), kinds.end(), d.kind) == kinds.end()) {
      err("融资类型", "未知的融资类型「" + d.kind + "」(unknown type)");
    }
    auto money = [&](const char* key, const char* col) -> std::optional<Money> {
      std::string v = Cell(t, rec, key);
      if (v.empty()) return std::nullopt;
      auto m = ParseMoney(v, UnitOf(t, key));
      if (!m.ok()) {
        err(col, m.status().message());
        return std::nullopt;
      }
      return *m;
    };
    auto amount = money("amount", "融资金额(万元)");
    if (amount && amount->yuan > 0) d.amount = *amount;
    else if (amount || Cell(t, rec, "amount").empty()) err("融资金额(万元)", "融资金额应大于 0 (amount must be positive)");
    auto need = money("year_need", "年内需求(万元)");
    d.year_need = need ? *need : d.amount;
    if (need && need->yuan == 0) err("年内需求(万元)", "年内需求应大于 0 (must be positive)");
    if (amount && need && need->yuan > amount->yuan) err("年内需求(万元)", "年内需求不能超过融资金额 (exceeds the amount)");
    if (std::string v = NormalizeNumberText(Cell(t, rec, "term")); !v.empty()) {
      int years = -1;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), years);
      if (ec != std::errc() || end != v.data() + v.size() || years < 0 || years > 50) {
        err("期限(年)", "期限应为 0-50 的整数 (term 0-50 years): " + v);
      } else {
        d.term_years = years;
      }
    }
    d.purpose = Cell(t, rec, "purpose");
    if (d.purpose.size() > kMaxLongTextBytes) err("贷款用途", "贷款用途过长 (too long)");
    else if (std::string why = TextProblem(d.purpose, TextShape::kMultiLine); !why.empty()) err("贷款用途", why);
    std::vector<std::string> banks;
    const std::string bank_text = Cell(t, rec, "banks");
    for (size_t i = 0; i < bank_text.size();) {
      size_t best = bank_text.size(), len = 0;
      for (std::string_view sep : {"、", ",", "，", ";", "；"}) {
        size_t j = bank_text.find(sep, i);
        if (j < best) best = j, len = sep.size();
      }
      std::string b(Trim(bank_text.substr(i, best - i)));
      if (!b.empty() && std::find(banks.begin(), banks.end(), b) == banks.end()) {
        if (b.size() > kMaxTextBytes) err("对接银行", "银行名称过长 (too long)");
        else if (std::string why = TextProblem(b, TextShape::kSingleLine); !why.empty()) err("对接银行", why);
        banks.push_back(b);
      }
      i = best == bank_text.size() ? best : best + len;
    }
    std::optional<Date> registered;
    if (std::string v = Cell(t, rec, "registered"); v.empty()) {
      err("登记日期", "登记日期不能为空 (empty date registered)");
    } else if (auto day = ParseDate(v); !day.ok()) {
      err("登记日期", day.status().message());
    } else if (day->year < 1990 || day->year > 2100) {
      err("登记日期", "日期超出 1990-2100 (date out of range): " + v);
    } else if (*day > today) {
      err("登记日期", "登记日期不能晚于今天 (date registered in the future)");
    } else {
      registered = *day;
      d.registered_on = *day;
    }
    const std::string stage_text = Cell(t, rec, "stage");
    auto stage = stage_text.empty() ? std::optional(banks.empty() ? FinancingStage::kRegistered : FinancingStage::kPushed)
                                    : ParseFinancingStage(stage_text);
    auto credit = money("credit", "授信金额(万元)");
    auto loan = money("loan", "放款金额(万元)");
    if (!stage) {
      err("阶段", "未知的阶段「" + stage_text + "」：应为 登记、审核、推送、对接中、审批中、已授信、已签约、已放款 或 未通过 (unknown stage)");
      return;
    }
    d.stage = *stage;
    const bool rejected = d.stage == FinancingStage::kRejected;
    const bool at_bank = !rejected && d.stage >= FinancingStage::kPushed;
    const bool credited = !rejected && d.stage >= FinancingStage::kCredited;
    if (at_bank && banks.empty()) err("对接银行", "「" + stage_text + "」阶段须填写对接银行 (a pushed demand needs its banks)");
    if (!at_bank && !rejected && !banks.empty()) {
      err("阶段", "填写了对接银行，阶段应为推送或以后 (banks given for a demand not pushed)");
    }
    if (credited && (!credit || credit->yuan == 0)) err("授信金额(万元)", "已授信及以后的阶段须填写授信金额 (credit amount required)");
    if (!credited && credit && credit->yuan > 0) err("授信金额(万元)", "阶段在已授信之前，不应有授信金额 (credit before the 已授信 stage)");
    const bool lent = !rejected && d.stage == FinancingStage::kDisbursed;
    if (lent && (!loan || loan->yuan == 0)) err("放款金额(万元)", "已放款须填写放款金额 (loan amount required)");
    if (!lent && loan && loan->yuan > 0) err("放款金额(万元)", "只有已放款的需求才有放款金额 (a loan before the 已放款 stage)");
    if (credit && loan && loan->yuan > credit->yuan) err("放款金额(万元)", "放款金额超过授信金额 (the loan exceeds the credit)");
    if (rejected) d.reject_reason = "导入：未通过";
    if (!registered) return;
    for (size_t i = 0; i < banks.size(); ++i) {
      BankPush p;
      p.bank = banks[i];
      p.pushed_on = *registered;
      if (i == 0 && d.stage >= FinancingStage::kMatching && !rejected) {
        p.answer = d.stage == FinancingStage::kApproving ? "approving" : "interested";
        p.answered_at = registered->ToString() + "T00:00:00Z";
        p.answered_by = "import";
      }
      if (i == 0 && credited && credit) {
        p.credit = *credit;
        p.credit_on = *registered;
        if (d.stage >= FinancingStage::kSigned) {
          p.contract = *credit;
          p.contract_on = *registered;
        }
        if (lent && loan) p.disbursements.push_back(Disbursement{0, *registered, *loan});
      }
      d.pushes.push_back(std::move(p));
    }
  };
  std::map<std::string, int> first_row;
  auto no_duplicates = [&](const CsvRecord& rec, const FinancingImportRow& row, std::vector<ImportError>& errors) {
    if (!errors.empty()) return;
    const std::string key = row.project_code + "|" + row.demand.kind + "|" + row.demand.registered_on.ToString() + "|" +
                            std::to_string(row.demand.amount.yuan);
    auto [it, inserted] = first_row.emplace(key, rec.line);
    if (!inserted) {
      errors.push_back({out.sheets_read.at(rec.sheet), rec.line, "项目编码", ColByDisplay(t, FinancingColumns(), "项目编码"),
                        "与第 " + std::to_string(it->second) + " 行是同一融资需求（项目、类型、金额、登记日期相同）(duplicate row)"});
    }
  };
  CheckRecords(out, check, no_duplicates);
  return out;
}

}  // namespace kp
