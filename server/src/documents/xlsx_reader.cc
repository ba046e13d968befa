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
#include <thread>

#include "common/bounded_queue.h"
#include "common/dates.h"
#include "documents/table_reader.h"
#include "documents/xml_scanner.h"

namespace kp::documents {
namespace {

constexpr size_t kReadChunk = 64 * 1024;
constexpr size_t kMaxCellBytes = 32 * 1024;  // Excel's own limit is 32,767 characters

const Status& TooMuchContent() {
  static const Status s = InvalidArgument(
      "xlsx 内容过多（单元格或文字超过上限），疑似恶意文件 (too many cells or too much text in the workbook)");
  return s;
}

// What the whole workbook may still hold: cells (and shared strings, and merged-cell fills) and
// their text, across every sheet read.
struct ContentBudget {
  uint64_t cells = 0, text = 0;
  // Takes one cell of `bytes` text; false when the budget is spent.
  bool Take(size_t bytes) {
    if (cells == 0 || text < bytes) return false;
    --cells;
    text -= bytes;
    return true;
  }
};

// Inflated bytes of one part, held to what the zip directory declared for it (a part that
// inflates to more lies about its size) and to what is left for the whole archive.
struct PartBudget {
  uint64_t* archive;  // left for all parts
  uint64_t declared;  // left for this part
  Status Take(uint64_t n, const std::string& entry) {
    if (n > declared) return InvalidArgument("xlsx 文件中 " + entry + " 的实际大小与目录不符，疑似恶意文件 (part larger than declared)");
    if (n > *archive) return InvalidArgument("xlsx 解压后过大，疑似压缩炸弹 (unzipped content exceeds the limit)");
    declared -= n;
    *archive -= n;
    return Status::Ok();
  }
};

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
    PartBudget part{budget, st.size};
    for (;;) {
      zip_int64_t n = zip_fread(file.get(), buf.data(), buf.size());
      if (n < 0) return InvalidArgument("xlsx 文件已损坏：" + entry + " 解压失败 (corrupt part)");
      if (Status s = part.Take(static_cast<uint64_t>(n), entry); !s.ok()) return s;
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

// One zip entry inflated on a second thread, handed over in pieces: inflating and parsing a
// large worksheet then overlap. At most kQueued pieces wait, so memory stays bounded.
class EntryStream {
 public:
  static constexpr size_t kPiece = 256 * 1024, kQueued = 4;

  EntryStream(zip_file_t* file, std::string entry, uint64_t* budget, uint64_t declared)
      : file_(file), entry_(std::move(entry)), budget_{budget, declared}, worker_([this] { Inflate(); }) {}
  ~EntryStream() {
    pieces_.Close();  // a consumer that stops early releases a waiting producer
    worker_.join();
  }

  // The next piece into `out`; false at the end or on an error (then status() says which).
  bool Next(std::string& out) { return pieces_.Pop(out); }
  // REQUIRES: Next returned false (the queue's close orders error_ before it).
  const Status& status() const { return error_; }

 private:
  void Inflate() {
    for (;;) {
      std::string piece(kPiece, '\0');
      zip_int64_t n = zip_fread(file_, piece.data(), piece.size());
      if (n < 0) {
        error_ = InvalidArgument("xlsx 文件已损坏：" + entry_ + " 解压失败 (corrupt part)");
      } else {
        error_ = budget_.Take(static_cast<uint64_t>(n), entry_);
      }
      if (n <= 0 || !error_.ok()) break;
      piece.resize(static_cast<size_t>(n));
      if (!pieces_.Push(std::move(piece))) return;  // closed by the consumer
    }
    pieces_.Close();
  }

  zip_file_t* file_;
  std::string entry_;
  PartBudget budget_;
  Status error_;
  BoundedQueue<std::string> pieces_{kQueued};
  std::thread worker_;  // last: starts after the fields above exist
};

// Parses a large part with XmlScanner, inflating on a second thread. A part the scanner does
// not read (another encoding, a DOCTYPE) is read again with expat. The handler has
// OnStart/OnEnd/OnText, Fail-like error(), and Reset() to start over.
template <typename Handler>
Status ParseLargePart(zip_t* zip, const std::string& entry, bool required, uint64_t* budget, Handler& h) {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(zip, entry.c_str(), 0, &st) != 0) {
    if (!required) return Status::Ok();
    return InvalidArgument("不是有效的 xlsx 文件：缺少 " + entry + " (not an xlsx workbook: missing " + entry + ")");
  }
  const uint64_t budget_before = *budget;
  {
    std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> file(zip_fopen(zip, entry.c_str(), 0), zip_fclose);
    if (!file) return InvalidArgument("无法读取 xlsx 文件中的 " + entry + " (cannot read part)");
    XmlScanner scanner;
    XmlScanner::Outcome outcome = XmlScanner::Outcome::kMore;
    {
      EntryStream stream(file.get(), entry, budget, st.size);
      std::string piece;
      while (outcome == XmlScanner::Outcome::kMore) {
        bool got = stream.Next(piece);
        if (!got && !stream.status().ok()) return stream.status();
        outcome = scanner.Feed(got ? std::string_view(piece) : std::string_view(), !got, h);
        if (!h.error().ok()) return h.error();
      }
    }
    if (outcome == XmlScanner::Outcome::kError) {
      return InvalidArgument("xlsx 文件中的 " + entry + " 不是有效的 XML：" + scanner.error());
    }
    if (outcome == XmlScanner::Outcome::kDone) return Status::Ok();
  }
  // kUnsupported: start over with expat.
  *budget = budget_before;
  h.Reset();
  XmlPart part;
  // A handler's error (a limit) stops expat as it stops the scanner.
  auto stop_on_error = [&] {
    if (!h.error().ok()) part.Fail(h.error());
  };
  part.on_start = [&](std::string_view n, const char** a) {
    h.OnStart(n, a);
    stop_on_error();
  };
  part.on_end = [&](std::string_view n) {
    h.OnEnd(n);
    stop_on_error();
  };
  part.on_text = [&](const char* s, int len) { h.OnText(s, len); };
  if (Status s = part.Parse(zip, entry, required, budget); !s.ok()) return s;
  return h.error();
}

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

// Fills merged ranges with their top-left value; every filled cell is taken from the budget
// (a merge over a whole sheet would otherwise copy one long value into millions of cells).
Status FillMerges(SheetTable& sheet, ContentBudget& budget) {
  if (sheet.merges.empty()) return Status::Ok();
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
        if (!f[c].empty()) continue;
        if (!budget.Take(value.size())) return TooMuchContent();
        f[c] = value;
      }
    }
  }
  return Status::Ok();
}

// xl/sharedStrings.xml: one string per <si>, the text of its <t> runs without phonetic runs.
class SharedStringsHandler {
 public:
  std::vector<std::string> strings;

  explicit SharedStringsHandler(ContentBudget& budget) : budget_(&budget), start_(budget) {}
  void Reset() {
    *budget_ = start_;
    strings.clear();
    cur_.clear();
    in_t_ = in_si_ = false;
    phonetic_ = 0;
    error_ = Status::Ok();
  }
  const Status& error() const { return error_; }
  void OnStart(std::string_view n, const char**) {
    if (n == "si") {
      in_si_ = true;
      cur_.clear();
    } else if (n == "rPh") {
      ++phonetic_;
    } else if (n == "t" && in_si_ && phonetic_ == 0) {
      in_t_ = true;
    }
  }
  void OnEnd(std::string_view n) {
    if (n == "si") {
      if (error_.ok() && !budget_->Take(cur_.size())) error_ = TooMuchContent();
      if (error_.ok()) strings.push_back(cur_);
      in_si_ = false;
    } else if (n == "rPh") {
      --phonetic_;
    } else if (n == "t") {
      in_t_ = false;
    }
  }
  void OnText(const char* s, int len) {
    if (in_t_ && cur_.size() < kMaxCellBytes) cur_.append(s, static_cast<size_t>(len));
  }

 private:
  ContentBudget* budget_;
  ContentBudget start_;  // for Reset
  std::string cur_;
  bool in_t_ = false, in_si_ = false;
  int phonetic_ = 0;
  Status error_;
};

// Plain decimal text of a number cell, exactly as NumberText gives it, without its strtod and
// printf for the common case: a plain decimal (sign, digits, optional fraction) of at most 15
// digits and not below 0.0001 is canonicalised by hand ("2024.0" -> "2024", "1.50" -> "1.5",
// ".5" -> "0.5", "007" -> "7"); anything else (exponents, long or tiny values) goes to NumberText.
std::string NumberCellText(const std::string& v) {
  size_t i = 0;
  const bool negative = !v.empty() && v[0] == '-';
  if (negative) ++i;
  const size_t int_begin = i;
  while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
  std::string_view int_part(v.data() + int_begin, i - int_begin);
  std::string_view frac;
  if (i < v.size() && v[i] == '.') {
    const size_t f = ++i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
    frac = std::string_view(v.data() + f, i - f);
  }
  if (i != v.size() || (int_part.empty() && frac.empty()) || int_part.size() + frac.size() > 15) return NumberText(v);
  while (int_part.size() > 1 && int_part[0] == '0') int_part.remove_prefix(1);
  while (!frac.empty() && frac.back() == '0') frac.remove_suffix(1);
  const bool int_zero = int_part.empty() || int_part == "0";
  if (int_zero && !frac.empty() && frac.starts_with("000")) return NumberText(v);  // below 0.001: printf's rules
  std::string out = negative ? "-" : "";
  out += int_part.empty() ? std::string_view("0") : int_part;
  if (!frac.empty()) {
    out += '.';
    out += frac;
  }
  return out;
}

// A worksheet into a SheetTable: cells as text (shared strings looked up, dates formatted),
// merged ranges recorded, limits on rows and columns enforced as rows arrive.
class SheetHandler {
 public:
  SheetTable table;

  SheetHandler(std::string name, const ReadLimits& limits, const std::vector<std::string>& shared,
               const std::vector<bool>& xf_is_date, bool date1904, ContentBudget& budget)
      : limits_(limits), shared_(shared), xf_is_date_(xf_is_date), date1904_(date1904), budget_(&budget),
        start_(budget) {
    table.name = std::move(name);
  }
  void Reset() {
    *budget_ = start_;
    std::string name = std::move(table.name);
    table = SheetTable{};
    table.name = std::move(name);
    row_ = CsvRecord{};
    in_row_ = in_value_ = in_inline_t_ = false;
    phonetic_ = 0;
    col_ = -1;
    next_col_ = 0;
    next_row_ = 1;
    error_ = Status::Ok();
  }
  const Status& error() const { return error_; }

  void OnStart(std::string_view n, const char** a) {
    if (n == "c" && in_row_) {
      int rr = 0, cc = 0;
      const char* r = nullptr;
      const char* t = nullptr;
      const char* s = nullptr;
      for (int i = 0; a[i]; i += 2) {
        std::string_view an = LocalName(a[i]);
        if (an == "r") r = a[i + 1];
        else if (an == "t") t = a[i + 1];
        else if (an == "s") s = a[i + 1];
      }
      col_ = r && ParseCellRef(r, &rr, &cc) ? cc : next_col_;
      next_col_ = col_ + 1;
      type_ = !t                              ? kNumber
              : std::strcmp(t, "s") == 0      ? kShared
              : std::strcmp(t, "inlineStr") == 0 || std::strcmp(t, "str") == 0 || std::strcmp(t, "e") == 0
                  ? kText
              : std::strcmp(t, "d") == 0 ? kIsoDate
              : std::strcmp(t, "b") == 0 ? kBool
              : std::strcmp(t, "n") == 0 ? kNumber
                                         : kOther;
      inline_ = t && std::strcmp(t, "inlineStr") == 0;
      style_ = s ? std::atoi(s) : 0;
      value_.clear();
      if (col_ >= static_cast<int>(limits_.max_columns)) {
        Fail(InvalidArgument("列数超过上限 (more than " + std::to_string(limits_.max_columns) + " columns)"));
      }
    } else if (n == "v") {
      in_value_ = true;
    } else if (n == "row") {
      in_row_ = true;
      row_ = CsvRecord{};
      const char* r = Attr(a, "r");
      row_.line = r ? std::atoi(r) : next_row_;
      if (row_.line <= 0) row_.line = next_row_;
      next_row_ = row_.line + 1;
      next_col_ = 0;
      if (table.rows.size() >= limits_.max_rows) {
        Fail(InvalidArgument("行数超过上限 (more than " + std::to_string(limits_.max_rows) + " rows)"));
      }
    } else if (n == "rPh") {
      ++phonetic_;
    } else if (n == "t" && inline_ && phonetic_ == 0) {
      in_inline_t_ = true;
    } else if (n == "mergeCell") {
      const char* r = Attr(a, "ref");
      if (!r) return;
      std::string_view ref_text(r);
      size_t colon = ref_text.find(':');
      Merge m{};
      if (colon != std::string_view::npos && ParseCellRef(ref_text.substr(0, colon), &m.first_row, &m.first_col) &&
          ParseCellRef(ref_text.substr(colon + 1), &m.last_row, &m.last_col) && m.last_row >= m.first_row &&
          m.last_col >= m.first_col && m.last_col < static_cast<int>(limits_.max_columns)) {
        if (!budget_->Take(0)) return Fail(TooMuchContent());
        table.merges.push_back(m);
      }
    }
  }

  void OnEnd(std::string_view n) {
    if (n == "v") {
      in_value_ = false;
    } else if (n == "t") {
      in_inline_t_ = false;
    } else if (n == "c" && in_row_ && col_ >= 0 && col_ < static_cast<int>(limits_.max_columns)) {
      std::string text;
      switch (type_) {
        case kShared: {
          size_t idx = static_cast<size_t>(std::atol(value_.c_str()));
          if (idx < shared_.size()) text = shared_[idx];
          break;
        }
        case kText: text = std::move(value_); break;
        case kIsoDate: text = value_.substr(0, 10); break;
        case kBool: text = value_ == "1" ? "TRUE" : "FALSE"; break;
        case kNumber:
        case kOther:
          if (value_.empty()) break;
          if (style_ >= 0 && static_cast<size_t>(style_) < xf_is_date_.size() && xf_is_date_[style_]) {
            text = ExcelSerialToDate(std::strtod(value_.c_str(), nullptr), date1904_);
          } else {
            text = NumberCellText(value_);
          }
          break;
      }
      value_.clear();
      if (!text.empty()) {
        if (!budget_->Take(text.size())) return Fail(TooMuchContent());
        if (static_cast<int>(row_.fields.size()) <= col_) row_.fields.resize(col_ + 1);
        row_.fields[col_] = std::move(text);
      }
    } else if (n == "row") {
      in_row_ = false;
      bool blank = true;
      for (const auto& f : row_.fields) blank = blank && Trim(f).empty();
      if (!blank) table.rows.push_back(std::move(row_));
    } else if (n == "rPh") {
      --phonetic_;
    }
  }

  void OnText(const char* s, int len) {
    if ((in_value_ || in_inline_t_) && value_.size() < kMaxCellBytes) value_.append(s, static_cast<size_t>(len));
  }

 private:
  enum CellType { kNumber, kShared, kText, kIsoDate, kBool, kOther };
  void Fail(Status s) {
    if (error_.ok()) error_ = std::move(s);
  }

  const ReadLimits& limits_;
  const std::vector<std::string>& shared_;
  const std::vector<bool>& xf_is_date_;
  const bool date1904_;
  ContentBudget* budget_;
  ContentBudget start_;  // for Reset
  CsvRecord row_;
  bool in_row_ = false, in_value_ = false, in_inline_t_ = false, inline_ = false;
  int phonetic_ = 0, style_ = 0, col_ = -1, next_col_ = 0, next_row_ = 1;
  CellType type_ = kNumber;
  std::string value_;
  Status error_;
};

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
  if (!(serial >= 0 && serial < 2958466)) {  // outside 1900-01-00 .. 9999-12-31: leave it a number
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.15g", serial);
    return buf;
  }
  int64_t days = static_cast<int64_t>(std::floor(serial));
  // Day 0 of the 1900 system is 1899-12-31; Excel counts a 1900-02-29 that never was (day 60).
  // Day 0 of the 1904 system is 1904-01-01.
  if (!date1904) {
    if (days == 60) return "1900-02-29";
    if (days >= 61) days -= 1;
  }
  // Days since 1970-01-01 of each system's day 0, then the civil date (H. Hinnant's
  // civil_from_days): constant time, where walking month by month cost ~1500 steps a date.
  int64_t z = days + (date1904 ? -24107 : -25568) + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int64_t y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
  if (y > 9999) {  // the 1904 system reaches past 9999-12-31 below the bound above
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.15g", serial);
    return buf;
  }
  return Date{static_cast<int>(y), m, d}.ToString();
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

  // Limits from the zip directory, before anything is inflated: the number of entries, their
  // declared sizes together, the ratio of the whole archive and of each large part, and entries
  // whose compressed data overlap (together larger than the file itself).
  zip_int64_t entries = zip_get_num_entries(zip.get(), 0);
  if (entries < 0 || static_cast<uint64_t>(entries) > limits.max_entries) {
    return InvalidArgument("xlsx 文件中的部件过多，疑似恶意文件 (too many parts in the zip)");
  }
  uint64_t total = 0, compressed = 0;
  for (zip_int64_t i = 0; i < entries; ++i) {
    zip_stat_t st;
    if (zip_stat_index(zip.get(), i, 0, &st) != 0) continue;
    total += st.size;
    compressed += st.comp_size;
    if (total > limits.max_unzipped_bytes) {
      return InvalidArgument("xlsx 解压后过大，疑似压缩炸弹 (unzipped size over " +
                             std::to_string(limits.max_unzipped_bytes >> 20) + " MiB)");
    }
    if (st.size > limits.ratio_floor_bytes && st.size > limits.max_compression_ratio * st.comp_size) {
      return InvalidArgument("xlsx 文件压缩比异常，疑似压缩炸弹 (suspicious compression ratio in " +
                             std::string(st.name) + ")");
    }
  }
  if (compressed > bytes.size()) {
    return InvalidArgument("xlsx 文件中的部件相互重叠，疑似压缩炸弹 (overlapping parts in the zip)");
  }
  if (total > limits.ratio_floor_bytes && total > limits.max_compression_ratio * bytes.size()) {
    return InvalidArgument("xlsx 文件压缩比异常，疑似压缩炸弹 (suspicious compression ratio)");
  }
  uint64_t budget = limits.max_unzipped_bytes;
  ContentBudget content{limits.max_cells, limits.max_text_bytes};

  // Workbook: sheet names and relationship ids, the date system.
  struct SheetRef {
    std::string name, rid, path;
  };
  std::vector<SheetRef> sheets;
  bool date1904 = false;
  const Status too_many_sheets = InvalidArgument("xlsx 工作表过多，最多 " + std::to_string(limits.max_sheets) +
                                                 " 张 (too many worksheets)");
  {
    XmlPart part;
    part.on_start = [&](std::string_view n, const char** a) {
      if (n == "sheet") {
        if (sheets.size() > limits.max_sheets) return part.Fail(too_many_sheets);
        const char* name = Attr(a, "name");
        const char* rid = Attr(a, "id");
        sheets.push_back({name ? name : "", rid ? rid : "", ""});
      } else if (n == "workbookPr") {
        const char* v = Attr(a, "date1904");
        date1904 = v && (std::strcmp(v, "1") == 0 || std::strcmp(v, "true") == 0);
      }
    };
    if (Status s = part.Parse(zip.get(), "xl/workbook.xml", true, &budget); !s.ok()) return s;
    if (sheets.size() > limits.max_sheets) return too_many_sheets;
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
  SharedStringsHandler sst(content);
  if (Status s = ParseLargePart(zip.get(), "xl/sharedStrings.xml", false, &budget, sst); !s.ok()) return s;
  const std::vector<std::string>& shared = sst.strings;
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
    if (ref.path.empty()) return InvalidArgument("xlsx 工作表「" + ref.name + "」缺少内容 (sheet part missing)");
    SheetHandler sheet(ref.name, limits, shared, xf_is_date, date1904, content);
    if (Status s = ParseLargePart(zip.get(), ref.path, true, &budget, sheet); !s.ok()) return s;
    if (Status s = FillMerges(sheet.table, content); !s.ok()) return s;
    out.push_back(std::move(sheet.table));
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
