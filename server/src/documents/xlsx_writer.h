#pragma once
// Tables written as .xlsx the way a bureau prints them: a title row, the as-of date and unit
// under it, merged group headers, a frozen header, number formats, widths that fit Chinese text,
// a totals row, and A4 landscape print setup with the header repeated on each page.
// Rows are streamed (libxlsxwriter's constant_memory mode): memory stays flat as rows grow.
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "common/dates.h"
#include "common/money.h"
#include "common/status.h"

namespace kp::documents {

// Fills for cells coloured by state.
enum class Tone : uint8_t { kNone, kRed, kYellow, kGreen, kBlue, kGrey };

enum class CellKind { kText, kMoneyWan, kNumber, kInteger, kPercent, kPoints, kDate };

struct ExportColumn {
  std::string title;
  CellKind kind = CellKind::kText;
  std::string group;  // merged header over consecutive columns with the same group ("" none)
  std::string note;   // a comment on the header cell (templates)
  std::vector<std::string> choices;  // a drop-down list on the column (templates)
  double width = 0;                  // in characters; 0 fits the title
};

// A cell: empty, text, money (exact yuan, shown in 万元), a plain number, or a date (a real
// Excel date in a kDate column: sortable and filterable, read back by the import).
using CellValue = std::variant<std::monostate, std::string, Money, double, int64_t, Date>;

struct ExportSpec {
  std::string sheet_name = "Sheet1";
  std::string title;     // "" for no title rows (templates)
  std::string subtitle;  // e.g. "截至 2024年3月    单位：万元"
  std::vector<ExportColumn> columns;
  bool constant_memory = true;
};

// Rows are handed to a writer thread in batches: the caller reads the database and builds rows
// on one core while libxlsxwriter formats and compresses on the other. At most a few batches
// wait in between, so memory stays flat.
class XlsxTableWriter {
 public:
  // Opens `path` and writes the title and header rows.
  static Result<std::unique_ptr<XlsxTableWriter>> Create(const std::string& path, const ExportSpec& spec);
  ~XlsxTableWriter();
  // REQUIRES: cells.size() <= columns; rows in order.
  void AddRow(std::vector<CellValue> cells);
  // A bold totals row.
  void AddTotalRow(std::vector<CellValue> cells);
  // bad_cells marks cells to highlight (error workbooks).
  void AddRowMarked(std::vector<CellValue> cells, std::vector<bool> bad_cells);
  // Each cell filled with a tone (charts coloured by state: the wall chart).
  void AddRowToned(std::vector<CellValue> cells, std::vector<Tone> tones, bool bold = false);
  // Goes on in a new sheet with its own name, title and columns (a workbook of several tables); the rows
  // added before stay in the sheet before.
  void NewSheet(const ExportSpec& spec);
  // Writes what is queued and finishes the file.
  Status Close();
  int rows_written() const { return data_rows_; }

 private:
  struct Impl;
  struct Row;
  explicit XlsxTableWriter(std::unique_ptr<Impl> impl);
  void Enqueue(Row row);
  void Flush();
  void Drain();  // the writer thread
  static void Write(Impl& m, const Row& row);
  static void StartSheet(Impl* impl);
  static void MakeColumnFormats(Impl* impl);
  std::unique_ptr<Impl> impl_;
  int data_rows_ = 0;
};

// Writes to a temporary file and returns its bytes (for HTTP answers).
Result<std::string> ReadAndRemove(const std::string& path);
std::string TempXlsxPath();
// How many zip entries went through our deflate-level override (see xlsx_writer.cc).
int ZipEntriesWrittenFast();

}  // namespace kp::documents
