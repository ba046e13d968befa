#pragma once
// Reading the import templates (projects, reports) from CSV into validated rows. Every bad cell
// is reported with its row, column and reason; nothing is written here.
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "common/text.h"
#include "domain/model.h"

namespace kp {

struct ImportError {
  int row = 0;          // 1-based line in the file (0: the file as a whole)
  std::string column;   // the template's column name, or "" for the whole row/file
  std::string reason;
};

template <typename Row>
struct ParsedImport {
  std::vector<Row> rows;
  std::vector<ImportError> errors;
  std::string encoding;
  std::vector<std::string> ignored_columns;
};

ParsedImport<ProjectImportRow> ParseProjectsCsv(std::string_view bytes);
// known_codes: project codes in the database; a report for any other code is an error.
ParsedImport<ReportImportRow> ParseReportsCsv(std::string_view bytes, const std::unordered_set<std::string>& known_codes);

// "第 3 行，列「项目级别」：未知的项目级别…" — one line per error.
std::string FormatImportError(const ImportError& e);

// Rules shared with the API: the field named in the error is the model's field name.
Status ValidateProject(const Project& p);
Status ValidateReportText(const MonthlyReport& r);

}  // namespace kp
