// Legacy .xls (BIFF) through freexl, which reads from a path: the bytes go to a private temp file.
#include <freexl.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "documents/table_reader.h"

namespace kp::documents {
namespace {

std::string DoubleText(double d) {
  char buf[64];
  if (std::fabs(d) < 1e15 && d == std::floor(d)) {
    std::snprintf(buf, sizeof buf, "%.0f", d);
  } else {
    std::snprintf(buf, sizeof buf, "%.15g", d);
  }
  return buf;
}

}  // namespace

Result<std::vector<SheetTable>> ReadXls(std::string_view bytes, const ReadLimits& limits) {
  if (bytes.size() > limits.max_file_bytes) {
    return InvalidArgument("文件过大 (file larger than " + std::to_string(limits.max_file_bytes >> 20) + " MiB)");
  }
  std::string path = (std::filesystem::temp_directory_path() / "kp-xls-XXXXXX").string();
  int fd = ::mkstemp(path.data());
  if (fd < 0) return Internal("cannot create a temporary file");
  bool written = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
  ::close(fd);
  struct Remove {
    std::string p;
    ~Remove() { std::remove(p.c_str()); }
  } remove{path};
  if (!written) return Internal("cannot write a temporary file");

  const void* handle = nullptr;
  if (freexl_open(path.c_str(), &handle) != FREEXL_OK) {
    if (handle) freexl_close(handle);
    return InvalidArgument("不是有效的 xls 文件 (not a readable .xls workbook)");
  }
  struct Close {
    const void* h;
    ~Close() { freexl_close(h); }
  } close{handle};
  unsigned int sheet_count = 0;
  if (freexl_get_info(handle, FREEXL_BIFF_SHEET_COUNT, &sheet_count) != FREEXL_OK) {
    return InvalidArgument("xls 文件已损坏 (corrupt .xls)");
  }
  if (sheet_count > limits.max_sheets) {
    return InvalidArgument("xls 工作表过多，最多 " + std::to_string(limits.max_sheets) + " 张 (too many worksheets)");
  }
  uint64_t cells_left = limits.max_cells, text_left = limits.max_text_bytes;
  std::vector<SheetTable> out;
  for (unsigned short s = 0; s < sheet_count; ++s) {
    SheetTable sheet;
    const char* name = nullptr;
    if (freexl_get_worksheet_name(handle, s, &name) == FREEXL_OK && name) sheet.name = name;
    if (freexl_select_active_worksheet(handle, s) != FREEXL_OK) continue;
    unsigned int rows = 0;
    unsigned short cols = 0;
    if (freexl_worksheet_dimensions(handle, &rows, &cols) != FREEXL_OK) continue;
    if (rows > limits.max_rows) return InvalidArgument("行数超过上限 (too many rows)");
    if (cols > limits.max_columns) return InvalidArgument("列数超过上限 (too many columns)");
    for (unsigned int r = 0; r < rows; ++r) {
      CsvRecord rec;
      rec.line = static_cast<int>(r) + 1;
      rec.fields.resize(cols);
      bool blank = true;
      for (unsigned short c = 0; c < cols; ++c) {
        FreeXL_CellValue v;
        if (freexl_get_cell_value(handle, r, c, &v) != FREEXL_OK) continue;
        std::string text;
        switch (v.type) {
          case FREEXL_CELL_INT: text = std::to_string(v.value.int_value); break;
          case FREEXL_CELL_DOUBLE: text = DoubleText(v.value.double_value); break;
          case FREEXL_CELL_TEXT:
          case FREEXL_CELL_SST_TEXT:
          case FREEXL_CELL_DATE:
          case FREEXL_CELL_DATETIME:
          case FREEXL_CELL_TIME: text = v.value.text_value ? v.value.text_value : ""; break;
          default: break;
        }
        if (v.type == FREEXL_CELL_DATETIME && text.size() > 10) text = text.substr(0, 10);
        if (!text.empty()) {
          if (cells_left == 0 || text_left < text.size()) {
            return InvalidArgument("xls 内容过多（单元格或文字超过上限） (too many cells or too much text in the workbook)");
          }
          --cells_left;
          text_left -= text.size();
        }
        if (!Trim(text).empty()) blank = false;
        rec.fields[c] = std::move(text);
      }
      if (!blank) sheet.rows.push_back(std::move(rec));
    }
    out.push_back(std::move(sheet));
  }
  if (out.empty()) return InvalidArgument("xls 文件中没有工作表 (no worksheets)");
  return out;
}

}  // namespace kp::documents
