#pragma once
// Reading the import templates (projects, reports) from CSV, .xlsx or .xls into validated rows.
// Every bad cell is reported with its sheet, row, column and reason; nothing is written here.
// Real-world sheets: title rows above the header, two-row headers under merged group cells,
// columns in any order, amounts in 元/万元/亿元 as the header says, several sheets.
#include <map>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "common/text.h"
#include "documents/table_reader.h"
#include "domain/model.h"
#include "domain/financing_model.h"
#include "domain/problem_model.h"

namespace kp {

struct ImportError {
  std::string sheet;
  int row = 0;          // the file's own row number (0: the file as a whole)
  std::string column;   // the template's column name, or "" for the whole row/file
  int col = -1;         // 0-based column in the file, -1 when not one cell
  std::string reason;
};

template <typename Row>
struct ParsedImport {
  // A file can have an error in every cell: the first kMaxErrors are kept (for the answer and
  // the error workbook), the rest only counted.
  static constexpr size_t kMaxErrors = 1000;

  std::vector<Row> rows;
  std::vector<ImportError> errors;  // at most kMaxErrors, in file order
  size_t errors_omitted = 0;        // errors found beyond those kept

  void AddError(ImportError e) {
    if (errors.size() < kMaxErrors) {
      errors.push_back(std::move(e));
    } else {
      ++errors_omitted;
    }
  }
  size_t error_count() const { return errors.size() + errors_omitted; }
  std::string encoding;  // "UTF-8", "GBK", "xlsx", "xls" …
  std::string sheet;     // the (first) sheet read
  std::vector<std::string> sheets_read;  // every sheet read, indexed by CsvRecord::sheet
  std::vector<std::string> all_sheets;   // every sheet in the file (to choose another)
  std::vector<std::string> ignored_columns;
  // The table as read, for a preview and for the error workbook.
  int header_row = 0;
  std::vector<std::string> header;  // as written in the file (two-row headers joined with "/")
  std::vector<CsvRecord> table;     // data rows
  std::map<std::string, int> columns;  // template column name -> 0-based column in the file
};

// `sheet`: a sheet name to read; empty picks the first sheet whose header matches.
ParsedImport<ProjectImportRow> ParseProjectsFile(std::string_view bytes, const std::string& sheet = "");
// known_codes: project codes in the database; a report for any other code is an error.
ParsedImport<ReportImportRow> ParseReportsFile(std::string_view bytes, const std::unordered_set<std::string>& known_codes,
                                               const std::string& sheet = "");

// Milestone nodes (项目编码, 节点名称, 计划完成日期, 实际完成日期, 责任单位, 责任人, 备注, 序号).
// A column absent from the file leaves what is stored; a 序号 column orders the nodes.
ParsedImport<NodeImportRow> ParseNodesFile(std::string_view bytes, const std::unordered_set<std::string>& known_codes,
                                           const std::string& sheet = "");

// A bureau's problem 台账 (项目编码, 问题类别, 问题描述, 主办单位, 协办单位, 责任人, 提出日期, 办结时限, 状态,
// 办结日期, 办理结果, 问题来源): categories and sources must be among those given.
ParsedImport<ProblemImportRow> ParseProblemsFile(std::string_view bytes, const std::unordered_set<std::string>& known_codes,
                                                 const std::vector<std::string>& categories,
                                                 const std::vector<std::string>& sources, const Date& today,
                                                 const std::string& sheet = "");

// A bureau's financing demand list (项目编码, 融资类型, 融资金额(万元), 年内需求(万元), 期限(年), 贷款用途, 对接银行,
// 阶段, 授信金额(万元), 放款金额(万元), 登记日期): the stage must agree with the banks and amounts given; a
// row's pushes, credit (on its first bank) and loan are dated on its 登记日期.
ParsedImport<FinancingImportRow> ParseFinancingFile(std::string_view bytes, const std::unordered_set<std::string>& known_codes,
                                                   const Date& today, const std::string& sheet = "");

// Resolves each row's 所在地区 against the region tree: a unique name or a path suffix sets
// project.region_id; an unknown leaf under a known parent sets region_parent; a name shared by
// several regions is an error asking for the path. Returns the errors (sheet/col left to caller).
std::vector<ImportError> ResolveRegions(std::vector<ProjectImportRow>& rows, const std::vector<Region>& regions);

// The template's columns in order, with a note for each (downloadable templates, exports).
struct TemplateColumn {
  std::string title;
  std::string note;
  std::vector<std::string> choices;
  bool money = false;
};
const std::vector<TemplateColumn>& ProjectTemplate();
const std::vector<TemplateColumn>& ReportTemplate();
const std::vector<TemplateColumn>& NodeTemplateColumns();
const std::vector<TemplateColumn>& ProblemTemplateColumns();
const std::vector<TemplateColumn>& FinancingTemplateColumns();

// "工作表「X」第 3 行，列「项目级别」：未知的项目级别…" — one line per error.
std::string FormatImportError(const ImportError& e);

// Rules shared with the API: the field named in the error is the model's field name.
Status ValidateProject(const Project& p);
Status ValidateReportText(const MonthlyReport& r);

}  // namespace kp
