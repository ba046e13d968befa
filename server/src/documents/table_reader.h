#pragma once
// Spreadsheet and CSV files read into plain tables of text cells, the form the import rules take.
// .xlsx: a streaming reader of our own on libzip + expat (shared and inline strings, rich text,
// number formats for dates, the 1904 date system, merged cells). .xls: freexl. CSV: UTF-8/GBK.
// Hostile files are refused by limits checked before the work is done.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/text.h"

namespace kp::documents {

// Limits on what a file may make the reader do. The zip directory is checked before anything
// is inflated (declared sizes, ratios, overlapping entries); what is inflated is then held to
// the declared sizes, and what is read to the sheet, cell and text caps, however it is split
// into parts (1,000 small sheets count as much as one large one).
struct ReadLimits {
  size_t max_file_bytes = 100u << 20;          // the upload itself
  uint64_t max_unzipped_bytes = 512ull << 20;  // all parts together, declared and inflated
  uint64_t max_compression_ratio = 100;        // the whole archive, and each part over ratio_floor_bytes
  uint64_t ratio_floor_bytes = 256u << 10;     // smaller parts may compress better (they are few)
  size_t max_entries = 10'000;                 // zip entries
  size_t max_sheets = 100;                     // worksheets read
  size_t max_rows = 2'000'000;                 // per sheet
  size_t max_columns = 512;
  uint64_t max_cells = 8'000'000;              // cells kept, all sheets together (shared strings too)
  uint64_t max_text_bytes = 256ull << 20;      // text of the cells kept, all sheets together
};

struct Merge {
  int first_row, first_col, last_row, last_col;  // 1-based rows, 0-based columns, inclusive
};

// One sheet: rows keep their spreadsheet row number in CsvRecord::line; cells are text
// (numbers in plain decimal, date-formatted numbers as YYYY-MM-DD). Merged ranges are filled
// with their top-left value.
struct SheetTable {
  std::string name;
  std::vector<CsvRecord> rows;
  std::vector<Merge> merges;
};

enum class FileKind { kCsv, kXlsx, kXls };
const char* FileKindName(FileKind k);
// By content (zip and OLE signatures); anything else is CSV.
FileKind DetectKind(std::string_view bytes);

Result<std::vector<SheetTable>> ReadXlsx(std::string_view bytes, const ReadLimits& limits = {});
Result<std::vector<SheetTable>> ReadXls(std::string_view bytes, const ReadLimits& limits = {});
// CSV as a single sheet named "CSV"; `encoding` receives the detected text encoding.
Result<std::vector<SheetTable>> ReadCsvSheet(std::string_view bytes, std::string* encoding,
                                             const ReadLimits& limits = {});
Result<std::vector<SheetTable>> ReadAnyTable(std::string_view bytes, std::string* encoding,
                                             const ReadLimits& limits = {});

// Excel serial day number to a date (1900 system with its phantom 1900-02-29, or 1904).
std::string ExcelSerialToDate(double serial, bool date1904);
// "A1"-style reference to (row, 0-based column); false when malformed.
bool ParseCellRef(std::string_view ref, int* row, int* col);

}  // namespace kp::documents
