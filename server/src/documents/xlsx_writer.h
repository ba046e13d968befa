#pragma once
// Tables written as .xlsx the way a bureau prints them: a title row, the as-of date and unit
// under it, merged group headers, a frozen header, number formats, widths that fit Chinese text,
// a totals row, and A4 landscape print setup with the header repeated on each page.
// Rows are streamed (libxlsxwriter's constant_memory mode): memory stays flat as rows grow.
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "common/money.h"
#include "common/status.h"

namespace kp::documents {

enum class CellKind { kText, kMoneyWan, kNumber, kInteger, kPercent, kPoints };

struct ExportColumn {
  std::string title;
  CellKind kind = CellKind::kText;
  std::string group;  // merged header over consecutive columns with the same group ("" none)
  std::string note;   // a comment on the header cell (templates)
  std::vector<std::string> choices;  // a drop-down list on the column (templates)
  double width = 0;                  // in characters; 0 fits the title
};

// A cell: empty, text, money (exact yuan, shown in 万元) or a plain number.
using CellValue = std::variant<std::monostate, std::string, Money, double, int64_t>;

struct ExportSpec {
  std::string sheet_name = "Sheet1";
  std::string title;     // "" for no title rows (templates)
  std::string subtitle;  // e.g. "截至 2024年3月    单位：万元"
  std::vector<ExportColumn> columns;
  bool constant_memory = true;
};

class XlsxTableWriter {
 public:
  // Opens `path` and writes the title and header rows.
  static Result<std::unique_ptr<XlsxTableWriter>> Create(const std::string& path, const ExportSpec& spec);
  ~XlsxTableWriter();
  // REQUIRES: cells.size() <= columns; rows in order.
  void AddRow(const std::vector<CellValue>& cells);
  // A bold totals row; bad_cells marks cells to highlight (error workbooks).
  void AddTotalRow(const std::vector<CellValue>& cells);
  void AddRowMarked(const std::vector<CellValue>& cells, const std::vector<bool>& bad_cells);
  Status Close();
  int rows_written() const { return data_rows_; }

 private:
  struct Impl;
  explicit XlsxTableWriter(std::unique_ptr<Impl> impl);
  void Write(const std::vector<CellValue>& cells, int style, const std::vector<bool>* bad);
  static void StartSheet(Impl* impl);
  std::unique_ptr<Impl> impl_;
  int data_rows_ = 0;
};

// Writes to a temporary file and returns its bytes (for HTTP answers).
Result<std::string> ReadAndRemove(const std::string& path);
std::string TempXlsxPath();

}  // namespace kp::documents
