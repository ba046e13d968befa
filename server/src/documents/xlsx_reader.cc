// The .xlsx reader: libzip opens the package from memory, expat streams each XML part.
#include <expat.h>
#include <zip.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <set>

#include "common/dates.h"
#include "documents/table_reader.h"

namespace kp::documents {
namespace {

constexpr size_t kReadChunk = 64 * 1024;
constexpr size_t kMaxCellBytes = 32 * 1024;  // Excel's own limit is 32,767 characters

std::string_view LocalName(const char* name) {
  std::string_view n(name);
  size_t colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

const char* Attr(const char** attrs, std::string_view want) {
  for (int i = 0; attrs[i]; i += 2) {
    if (LocalName(attrs[i]) == want) return attrs[i + 1];
  }
  return nullptr;
}

// An expat parser fed from one zip entry, with element callbacks as std::functions.
class XmlPart {
 public:
  std::function<void(std::string_view, const char**)> on_start;
  std::function<void(std::string_view)> on_end;
  std::function<void(const char*, int)> on_text;

  // Parses the named entry; missing entries are an error only when required.
  Status Parse(zip_t* zip, const std::string& entry, bool required, uint64_t* budget) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(zip, entry.c_str(), 0, &st) != 0) {
      if (!required) return Status::Ok();
      return InvalidArgument("不是有效的 xlsx 文件：缺少 " + entry + " (not an xlsx workbook: missing " + entry + ")");
    }
    std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> file(zip_fopen(zip, entry.c_str(), 0), zip_fclose);
    if (!file) return InvalidArgument("无法读取 xlsx 文件中的 " + entry + " (cannot read part)");
    std::unique_ptr<std::remove_pointer_t<XML_Parser>, void (*)(XML_Parser)> parser(XML_ParserCreate(nullptr),
                                                                                     XML_ParserFree);
    XML_SetUserData(parser.get(), this);
    XML_SetElementHandler(
        parser.get(),
        [](void* self, const XML_Char* name, const XML_Char** attrs) {
          auto* p = static_cast<XmlPart*>(self);
          if (p->on_start) p->on_start(LocalName(name), attrs);
        },
        [](void* self, const XML_Char* name) {
          auto* p = static_cast<XmlPart*>(self);
          if (p->on_end) p->on_end(LocalName(name));
        });
    XML_SetCharacterDataHandler(parser.get(), [](void* self, const XML_Char* s, int len) {
      auto* p = static_cast<XmlPart*>(self);
      if (p->on_text) p->on_text(s, len);
    });
    std::string buf(kReadChunk, '\0');
    for (;;) {
      zip_int64_t n = zip_fread(file.get(), buf.data(), buf.size());
      if (n < 0) return InvalidArgument("xlsx 文件已损坏：" + entry + " 解压失败 (corrupt part)");
      if (static_cast<uint64_t>(n) > *budget) {
        return InvalidArgument("xlsx 解压后过大，疑似压缩炸弹 (unzipped content exceeds the limit)");
      }
      *budget -= static_cast<uint64_t>(n);
      if (XML_Parse(parser.get(), buf.data(), static_cast<int>(n), n == 0) == XML_STATUS_ERROR) {
        return InvalidArgument("xlsx 文件中的 " + entry + " 不是有效的 XML：第 " +
                               std::to_string(XML_GetCurrentLineNumber(parser.get())) + " 行 " +
                               XML_ErrorString(XML_GetErrorCode(parser.get())));
      }
      if (!error_.ok()) return error_;
      if (n == 0) break;
    }
    return error_;
  }

  void Fail(Status s) {
    if (error_.ok()) error_ = std::move(s);
  }

 private:
  Status error_;
};

bool IsDateFormatCode(std::string code) {
  // Drop quoted text, escaped characters and [..] sections (colours, locales, elapsed time).
  std::string plain;
  bool quoted = false;
  int bracket = 0;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == '"') { quoted = !quoted; continue; }
    if (quoted) continue;
    if (c == '\\' || c == '_' || c == '*') { ++i; continue; }
    if (c == '[') { ++bracket; continue; }
    if (c == ']') { --bracket; continue; }
    if (bracket > 0) continue;
    plain += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (plain == "general" || plain.empty()) return false;
  return plain.find('y') != std::string::npos || plain.find('d') != std::string::npos ||
         (plain.find('m') != std::string::npos && plain.find('0') == std::string::npos &&
          plain.find('#') == std::string::npos);
}

bool IsBuiltinDateFormat(int id) {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

std::string NumberText(const std::string& v) {
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (end == v.c_str() || !std::isfinite(d)) return v;
  // Fifteen significant digits drop binary noise such as 1000.4999999999999.
  char buf[64];
  if (std::fabs(d) < 1e15 && d == std::floor(d)) {
    std::snprintf(buf, sizeof buf, "%.0f", d);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.15g", d);
  std::string s = buf;
  if (s.find('e') == std::string::npos) return s;
  std::snprintf(buf, sizeof buf, "%.10f", d);
  s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string ResolveTarget(const std::string& target) {
  if (target.starts_with("/")) return target.substr(1);
  std::string t = target;
  std::string base = "xl/";
  while (t.starts_with("../")) {
    t = t.substr(3);
    base = "";
  }
  return base + t;
}

void FillMerges(SheetTable& sheet) {
  if (sheet.merges.empty()) return;
  std::map<int, size_t> row_index;
  for (size_t i = 0; i < sheet.rows.size(); ++i) row_index[sheet.rows[i].line] = i;
  for (const Merge& m : sheet.merges) {
    auto top = row_index.find(m.first_row);
    if (top == row_index.end()) continue;
    const auto& fields = sheet.rows[top->second].fields;
    if (m.first_col >= static_cast<int>(fields.size())) continue;
    std::string value = fields[m.first_col];
    if (value.empty()) continue;
    for (int r = m.first_row; r <= m.last_row; ++r) {
      auto it = row_index.find(r);
      if (it == row_index.end()) continue;  // an empty row stays empty
      auto& f = sheet.rows[it->second].fields;
      if (static_cast<int>(f.size()) <= m.last_col) f.resize(m.last_col + 1);
      for (int c = m.first_col; c <= m.last_col; ++c) {
        if (f[c].empty()) f[c] = value;
      }
    }
  }
}

}  // namespace

const char* FileKindName(FileKind k) {
  switch (k) {
    case FileKind::kCsv: return "CSV";
    case FileKind::kXlsx: return "xlsx";
    case FileKind::kXls: return "xls";
  }
  return "?";
}

FileKind DetectKind(std::string_view b) {
  if (b.starts_with("PK\x03\x04")) return FileKind::kXlsx;
  if (b.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) return FileKind::kXls;
  return FileKind::kCsv;
}

bool ParseCellRef(std::string_view ref, int* row, int* col) {
  size_t i = 0;
  int c = 0;
  while (i < ref.size() && ref[i] == '$') ++i;
  size_t letters = 0;
  while (i < ref.size() && std::isalpha(static_cast<unsigned char>(ref[i]))) {
    c = c * 26 + (std::toupper(static_cast<unsigned char>(ref[i])) - 'A' + 1);
    ++i;
    if (++letters > 3) return false;
  }
  while (i < ref.size() && ref[i] == '$') ++i;
  int r = 0;
  size_t digits = 0;
  while (i < ref.size() && std::isdigit(static_cast<unsigned char>(ref[i]))) {
    r = r * 10 + (ref[i] - '0');
    ++i;
    if (++digits > 7) return false;
  }
  if (i != ref.size() || letters == 0 || digits == 0 || r == 0) return false;
  *row = r;
  *col = c - 1;
  return true;
}

std::string ExcelSerialToDate(double serial, bool date1904) {
  long days = static_cast<long>(std::floor(serial));
  // Day 0 of the 1900 system is 1899-12-31; Excel counts a 1900-02-29 that never was (day 60).
  int y = 1899, m = 12, d = 31;
  if (date1904) {
    y = 1904;
    m = 1;
    d = 1;
  } else if (days >= 61) {
    days -= 1;
  } else if (days == 60) {
    return "1900-02-29";
  }
  // Walk forward by whole years, then months.
  long remaining = days;
  Date cur{y, m, d};
  auto add_days = [&](long n) {
    while (n > 0) {
      int dim = DaysInMonth(cur.year, cur.month);
      if (cur.day + n <= dim) {
        cur.day += static_cast<int>(n);
        n = 0;
      } else {
        n -= dim - cur.day + 1;
        cur.day = 1;
        if (++cur.month > 12) {
          cur.month = 1;
          ++cur.year;
        }
      }
    }
  };
  add_days(remaining);
  return cur.ToString();
}

Result<std::vector<SheetTable>> ReadXlsx(std::string_view bytes, const ReadLimits& limits) {
  if (bytes.size() > limits.max_file_bytes) {
    return InvalidArgument("文件过大 (file larger than " + std::to_string(limits.max_file_bytes >> 20) + " MiB)");
  }
  zip_error_t zerr;
  zip_error_init(&zerr);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &zerr);
  if (!src) return InvalidArgument("无法读取 xlsx 文件 (cannot read the zip)");
  zip_t* raw = zip_open_from_source(src, ZIP_RDONLY, &zerr);
  if (!raw) {
    zip_source_free(src);
    return InvalidArgument("不是有效的 xlsx 文件：压缩包已损坏 (not a valid xlsx: broken zip)");
  }
  std::unique_ptr<zip_t, void (*)(zip_t*)> zip(raw, [](zip_t* z) { zip_discard(z); });

  // Limits from the zip directory, before anything is inflated.
  uint64_t total = 0;
  zip_int64_t entries = zip_get_num_entries(zip.get(), 0);
  for (zip_int64_t i = 0; i < entries; ++i) {
    zip_stat_t st;
    if (zip_stat_index(zip.get(), i, 0, &st) != 0) continue;
    total += st.size;
    if (st.comp_size > 0 && st.size / st.comp_size > limits.max_compression_ratio && st.size > (1u << 20)) {
      return InvalidArgument("xlsx 文件压缩比异常，疑似压缩炸弹 (suspicious compression ratio in " +
                             std::string(st.name) + ")");
    }
  }
  if (total > limits.max_unzipped_bytes) {
    return InvalidArgument("xlsx 解压后过大 (unzipped size " + std::to_string(total >> 20) + " MiB exceeds the limit)");
  }
  uint64_t budget = limits.max_unzipped_bytes;

  // Workbook: sheet names and relationship ids, the date system.
  struct SheetRef {
    std::string name, rid, path;
  };
  std::vector<SheetRef> sheets;
  bool date1904 = false;
  {
    XmlPart part;
    part.on_start = [&](std::string_view n, const char** a) {
      if (n == "sheet") {
        const char* name = Attr(a, "name");
        const char* rid = Attr(a, "id");
        sheets.push_back({name ? name : "", rid ? rid : "", ""});
      } else if (n == "workbookPr") {
        const char* v = Attr(a, "date1904");
        date1904 = v && (std::strcmp(v, "1") == 0 || std::strcmp(v, "true") == 0);
      }
    };
    if (Status s = part.Parse(zip.get(), "xl/workbook.xml", true, &budget); !s.ok()) return s;
  }
  {
    std::map<std::string, std::string> targets;
    XmlPart part;
    part.on_start = [&](std::string_view n, const char** a) {
      if (n != "Relationship") return;
      const char* id = Attr(a, "Id");
      const char* target = Attr(a, "Target");
      if (id && target) targets[id] = ResolveTarget(target);
    };
    if (Status s = part.Parse(zip.get(), "xl/_rels/workbook.xml.rels", true, &budget); !s.ok()) return s;
    for (auto& sh : sheets) sh.path = targets[sh.rid];
  }
  // Shared strings (plain and rich text; phonetic runs skipped).
  std::vector<std::string> shared;
  {
    std::string cur;
    bool in_t = false, in_si = false;
    int phonetic = 0;
    XmlPart part;
    part.on_start = [&](std::string_view n, const char**) {
      if (n == "si") {
        in_si = true;
        cur.clear();
      } else if (n == "rPh") {
        ++phonetic;
      } else if (n == "t" && in_si && phonetic == 0) {
        in_t = true;
      }
    };
    part.on_end = [&](std::string_view n) {
      if (n == "si") {
        shared.push_back(cur);
        in_si = false;
      } else if (n == "rPh") {
        --phonetic;
      } else if (n == "t") {
        in_t = false;
      }
    };
    part.on_text = [&](const char* s, int len) {
      if (in_t && cur.size() < kMaxCellBytes) cur.append(s, len);
    };
    if (Status s = part.Parse(zip.get(), "xl/sharedStrings.xml", false, &budget); !s.ok()) return s;
  }
  // Styles: which cell formats show dates.
  std::vector<bool> xf_is_date;
  {
    std::map<int, bool> custom_is_date;
    bool in_cell_xfs = false;
    XmlPart part;
    part.on_start = [&](std::string_view n, const char** a) {
      if (n == "numFmt") {
        const char* id = Attr(a, "numFmtId");
        const char* code = Attr(a, "formatCode");
        if (id && code) custom_is_date[std::atoi(id)] = IsDateFormatCode(code);
      } else if (n == "cellXfs") {
        in_cell_xfs = true;
      } else if (n == "xf" && in_cell_xfs) {
        const char* id = Attr(a, "numFmtId");
        int fmt = id ? std::atoi(id) : 0;
        auto it = custom_is_date.find(fmt);
        xf_is_date.push_back(it != custom_is_date.end() ? it->second : IsBuiltinDateFormat(fmt));
      }
    };
    part.on_end = [&](std::string_view n) {
      if (n == "cellXfs") in_cell_xfs = false;
    };
    if (Status s = part.Parse(zip.get(), "xl/styles.xml", false, &budget); !s.ok()) return s;
  }

  std::vector<SheetTable> out;
  for (const SheetRef& ref : sheets) {
    SheetTable sheet;
    sheet.name = ref.name;
    CsvRecord row;
    bool in_row = false, in_value = false, in_inline_t = false;
    int phonetic = 0;
    std::string type, value;
    int style = 0, col = -1, next_col = 0, next_row = 1;
    XmlPart part;
    part.on_start = [&](std::string_view n, const char** a) {
      if (n == "row") {
        in_row = true;
        row = CsvRecord{};
        const char* r = Attr(a, "r");
        row.line = r ? std::atoi(r) : next_row;
        if (row.line <= 0) row.line = next_row;
        next_row = row.line + 1;
        next_col = 0;
        if (sheet.rows.size() >= limits.max_rows) {
          part.Fail(InvalidArgument("行数超过上限 (more than " + std::to_string(limits.max_rows) + " rows)"));
        }
      } else if (n == "c" && in_row) {
        const char* r = Attr(a, "r");
        int rr = 0, cc = 0;
        col = r && ParseCellRef(r, &rr, &cc) ? cc : next_col;
        next_col = col + 1;
        const char* t = Attr(a, "t");
        type = t ? t : "n";
        const char* s = Attr(a, "s");
        style = s ? std::atoi(s) : 0;
        value.clear();
        if (col >= static_cast<int>(limits.max_columns)) {
          part.Fail(InvalidArgument("列数超过上限 (more than " + std::to_string(limits.max_columns) + " columns)"));
        }
      } else if (n == "v") {
        in_value = true;
      } else if (n == "rPh") {
        ++phonetic;
      } else if (n == "t" && type == "inlineStr" && phonetic == 0) {
        in_inline_t = true;
      } else if (n == "mergeCell") {
        const char* r = Attr(a, "ref");
        if (!r) return;
        std::string_view ref_text(r);
        size_t colon = ref_text.find(':');
        Merge m{};
        if (colon != std::string_view::npos && ParseCellRef(ref_text.substr(0, colon), &m.first_row, &m.first_col) &&
            ParseCellRef(ref_text.substr(colon + 1), &m.last_row, &m.last_col) && m.last_row >= m.first_row &&
            m.last_col >= m.first_col && m.last_col < static_cast<int>(limits.max_columns)) {
          sheet.merges.push_back(m);
        }
      }
    };
    part.on_end = [&](std::string_view n) {
      if (n == "v") {
        in_value = false;
      } else if (n == "t") {
        in_inline_t = false;
      } else if (n == "rPh") {
        --phonetic;
      } else if (n == "c" && in_row && col >= 0 && col < static_cast<int>(limits.max_columns)) {
        std::string text;
        if (type == "s") {
          size_t idx = static_cast<size_t>(std::atol(value.c_str()));
          if (idx < shared.size()) text = shared[idx];
        } else if (type == "inlineStr" || type == "str" || type == "e" || type == "d") {
          text = type == "d" ? value.substr(0, 10) : value;
        } else if (type == "b") {
          text = value == "1" ? "TRUE" : "FALSE";
        } else if (!value.empty()) {
          bool is_date = style >= 0 && static_cast<size_t>(style) < xf_is_date.size() && xf_is_date[style];
          text = is_date ? ExcelSerialToDate(std::strtod(value.c_str(), nullptr), date1904) : NumberText(value);
        }
        if (!text.empty()) {
          if (static_cast<int>(row.fields.size()) <= col) row.fields.resize(col + 1);
          row.fields[col] = std::move(text);
        }
      } else if (n == "row") {
        in_row = false;
        bool blank = true;
        for (const auto& f : row.fields) blank = blank && Trim(f).empty();
        if (!blank) sheet.rows.push_back(std::move(row));
      }
    };
    part.on_text = [&](const char* s, int len) {
      if ((in_value || in_inline_t) && value.size() < kMaxCellBytes) value.append(s, len);
    };
    if (ref.path.empty()) return InvalidArgument("xlsx 工作表「" + ref.name + "」缺少内容 (sheet part missing)");
    if (Status s = part.Parse(zip.get(), ref.path, true, &budget); !s.ok()) return s;
    FillMerges(sheet);
    out.push_back(std::move(sheet));
  }
  if (out.empty()) return InvalidArgument("xlsx 文件中没有工作表 (no worksheets)");
  return out;
}

Result<std::vector<SheetTable>> ReadCsvSheet(std::string_view bytes, std::string* encoding, const ReadLimits& limits) {
  if (bytes.size() > limits.max_file_bytes) {
    return InvalidArgument("文件过大 (file larger than " + std::to_string(limits.max_file_bytes >> 20) + " MiB)");
  }
  auto decoded = DecodeToUtf8(bytes);
  if (!decoded.ok()) return decoded.status();
  if (encoding) *encoding = TextEncodingName(decoded->encoding);
  auto parsed = ParseCsv(decoded->text);
  if (!parsed.ok()) return parsed.status();
  if (parsed->size() > limits.max_rows) {
    return InvalidArgument("行数超过上限 (more than " + std::to_string(limits.max_rows) + " rows)");
  }
  SheetTable t;
  t.name = "CSV";
  t.rows = std::move(*parsed);
  return std::vector<SheetTable>{std::move(t)};
}

Result<std::vector<SheetTable>> ReadAnyTable(std::string_view bytes, std::string* encoding, const ReadLimits& limits) {
  switch (DetectKind(bytes)) {
    case FileKind::kXlsx:
      if (encoding) *encoding = "xlsx";
      return ReadXlsx(bytes, limits);
    case FileKind::kXls:
      if (encoding) *encoding = "xls";
      return ReadXls(bytes, limits);
    case FileKind::kCsv: return ReadCsvSheet(bytes, encoding, limits);
  }
  return InvalidArgument("unknown file");
}

}  // namespace kp::documents
