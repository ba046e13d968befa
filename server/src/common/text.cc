#include "common/text.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <iterator>
#include <cstdio>
#include <memory>
#include <utility>

namespace kp {
namespace {

constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";  // U+3000

// Decodes one UTF-8 code point at s[i]; returns its length or 0 when invalid.
int Utf8Len(std::string_view s, size_t i, char32_t* cp) {
  unsigned char c = s[i];
  int len;
  char32_t v;
  if (c < 0x80) { *cp = c; return 1; }
  if ((c & 0xE0) == 0xC0) { len = 2; v = c & 0x1F; }
  else if ((c & 0xF0) == 0xE0) { len = 3; v = c & 0x0F; }
  else if ((c & 0xF8) == 0xF0) { len = 4; v = c & 0x07; }
  else return 0;
  if (i + len > s.size()) return 0;
  for (int k = 1; k < len; ++k) {
    unsigned char d = s[i + k];
    if ((d & 0xC0) != 0x80) return 0;
    v = (v << 6) | (d & 0x3F);
  }
  if ((len == 2 && v < 0x80) || (len == 3 && v < 0x800) || (len == 4 && (v < 0x10000 || v > 0x10FFFF))) return 0;
  if (v >= 0xD800 && v <= 0xDFFF) return 0;
  *cp = v;
  return len;
}

}  // namespace

std::string_view Trim(std::string_view s) {
  for (;;) {
    if (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
      s.remove_prefix(1);
    } else if (s.starts_with(kIdeographicSpace)) {
      s.remove_prefix(3);
    } else {
      break;
    }
  }
  for (;;) {
    if (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
      s.remove_suffix(1);
    } else if (s.ends_with(kIdeographicSpace)) {
      s.remove_suffix(3);
    } else {
      break;
    }
  }
  return s;
}

namespace {

bool IsInvisible(char32_t c) {
  return c == 0x00AD || c == 0x034F || c == 0x061C || c == 0x115F || c == 0x1160 || c == 0x17B4 || c == 0x17B5 ||
         (c >= 0x180B && c <= 0x180F) || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2060 && c <= 0x206F) || c == 0x3164 || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF ||
         c == 0xFFA0 || (c >= 0xFFF0 && c <= 0xFFFB) || c == 0xFFFE || c == 0xFFFF || (c >= 0xE0000 && c <= 0xE0FFF);
}

std::string CodePoint(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

}  // namespace

std::string TextProblem(std::string_view s, TextShape shape) {
  char32_t cp = 0;
  for (size_t i = 0; i < s.size();) {
    int len = Utf8Len(s, i, &cp);
    if (len == 0) return "不是有效的 UTF-8 文本 (not valid UTF-8)";
    i += static_cast<size_t>(len);
    if (cp == '\n' || cp == '\r' || cp == '\t') {
      if (shape == TextShape::kMultiLine) continue;
      return "不能包含换行或制表符 (no line breaks or tabs here)";
    }
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
      return "不能包含控制字符 (control character " + CodePoint(cp) + ")";
    }
    if (cp == 0x2028 || cp == 0x2029) return "不能包含行分隔符 (line separator " + CodePoint(cp) + ")";
    if (IsInvisible(cp)) return "不能包含不可见字符 (invisible character " + CodePoint(cp) + ")";
    // Noncharacters (U+FDD0–U+FDEF and the last two of every plane) are not for interchange: PDF and
    // docx writers refuse them.
    if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) {
      return "不能包含非字符 (noncharacter " + CodePoint(cp) + ")";
    }
  }
  return "";
}

std::string JoinLines(std::string_view s) {
  auto word = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  };
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    if (s[i] != '\r' && s[i] != '\n' && s[i] != '\t') {
      out += s[i++];
      continue;
    }
    size_t j = i;
    while (j < s.size() && (s[j] == '\r' || s[j] == '\n' || s[j] == '\t')) ++j;
    if (!out.empty() && j < s.size() && word(out.back()) && word(s[j])) out += ' ';
    i = j;
  }
  return out;
}

bool IsBlankText(std::string_view s) {
  char32_t cp = 0;
  for (size_t i = 0; i < s.size();) {
    int len = Utf8Len(s, i, &cp);
    if (len == 0) return false;
    i += static_cast<size_t>(len);
    const bool blank = cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0x00A0 || cp == 0x1680 ||
                       (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F || cp == 0x3000 ||
                       cp == 0x2800 || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0 || cp == 0xFEFF;
    if (!blank) return false;
  }
  return true;
}

std::string ScrubText(std::string_view s, TextShape shape) {
  std::string out;
  out.reserve(s.size());
  char32_t cp = 0;
  for (size_t i = 0; i < s.size();) {
    int len = Utf8Len(s, i, &cp);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    std::string_view one = s.substr(i, static_cast<size_t>(len));
    out += TextProblem(one, shape).empty() ? std::string(one) : std::string("\xEF\xBF\xBD");
    i += static_cast<size_t>(len);
  }
  return out;
}

char32_t OtherDigitIn(std::string_view s) {
  // Unicode 14's numbers (categories Nd, Nl, No) but 0-9, the full-width digits (the caller writes them
  // 0-9 first) and 〇 (U+3007, in dates written 二〇二四年); generated with Python's unicodedata.
  static constexpr std::pair<char32_t, char32_t> kDigits[] = {
      {0xB2, 0xB3}, {0xB9, 0xB9}, {0xBC, 0xBE}, {0x660, 0x669}, {0x6F0, 0x6F9}, {0x7C0, 0x7C9}, {0x966, 0x96F},
      {0x9E6, 0x9EF}, {0x9F4, 0x9F9}, {0xA66, 0xA6F}, {0xAE6, 0xAEF}, {0xB66, 0xB6F}, {0xB72, 0xB77},
      {0xBE6, 0xBF2}, {0xC66, 0xC6F}, {0xC78, 0xC7E}, {0xCE6, 0xCEF}, {0xD58, 0xD5E}, {0xD66, 0xD78},
      {0xDE6, 0xDEF}, {0xE50, 0xE59}, {0xED0, 0xED9}, {0xF20, 0xF33}, {0x1040, 0x1049}, {0x1090, 0x1099},
      {0x1369, 0x137C}, {0x16EE, 0x16F0}, {0x17E0, 0x17E9}, {0x17F0, 0x17F9}, {0x1810, 0x1819},
      {0x1946, 0x194F}, {0x19D0, 0x19DA}, {0x1A80, 0x1A89}, {0x1A90, 0x1A99}, {0x1B50, 0x1B59},
      {0x1BB0, 0x1BB9}, {0x1C40, 0x1C49}, {0x1C50, 0x1C59}, {0x2070, 0x2070}, {0x2074, 0x2079},
      {0x2080, 0x2089}, {0x2150, 0x2182}, {0x2185, 0x2189}, {0x2460, 0x249B}, {0x24EA, 0x24FF},
      {0x2776, 0x2793}, {0x2CFD, 0x2CFD}, {0x3021, 0x3029}, {0x3038, 0x303A}, {0x3192, 0x3195},
      {0x3220, 0x3229}, {0x3248, 0x324F}, {0x3251, 0x325F}, {0x3280, 0x3289}, {0x32B1, 0x32BF},
      {0xA620, 0xA629}, {0xA6E6, 0xA6EF}, {0xA830, 0xA835}, {0xA8D0, 0xA8D9}, {0xA900, 0xA909},
      {0xA9D0, 0xA9D9}, {0xA9F0, 0xA9F9}, {0xAA50, 0xAA59}, {0xABF0, 0xABF9}, {0x10107, 0x10133},
      {0x10140, 0x10178}, {0x1018A, 0x1018B}, {0x102E1, 0x102FB}, {0x10320, 0x10323}, {0x10341, 0x10341},
      {0x1034A, 0x1034A}, {0x103D1, 0x103D5}, {0x104A0, 0x104A9}, {0x10858, 0x1085F}, {0x10879, 0x1087F},
      {0x108A7, 0x108AF}, {0x108FB, 0x108FF}, {0x10916, 0x1091B}, {0x109BC, 0x109BD}, {0x109C0, 0x109CF},
      {0x109D2, 0x109FF}, {0x10A40, 0x10A48}, {0x10A7D, 0x10A7E}, {0x10A9D, 0x10A9F}, {0x10AEB, 0x10AEF},
      {0x10B58, 0x10B5F}, {0x10B78, 0x10B7F}, {0x10BA9, 0x10BAF}, {0x10CFA, 0x10CFF}, {0x10D30, 0x10D39},
      {0x10E60, 0x10E7E}, {0x10F1D, 0x10F26}, {0x10F51, 0x10F54}, {0x10FC5, 0x10FCB}, {0x11052, 0x1106F},
      {0x110F0, 0x110F9}, {0x11136, 0x1113F}, {0x111D0, 0x111D9}, {0x111E1, 0x111F4}, {0x112F0, 0x112F9},
      {0x11450, 0x11459}, {0x114D0, 0x114D9}, {0x11650, 0x11659}, {0x116C0, 0x116C9}, {0x11730, 0x1173B},
      {0x118E0, 0x118F2}, {0x11950, 0x11959}, {0x11C50, 0x11C6C}, {0x11D50, 0x11D59}, {0x11DA0, 0x11DA9},
      {0x11FC0, 0x11FD4}, {0x12400, 0x1246E}, {0x16A60, 0x16A69}, {0x16AC0, 0x16AC9}, {0x16B50, 0x16B59},
      {0x16B5B, 0x16B61}, {0x16E80, 0x16E96}, {0x1D2E0, 0x1D2F3}, {0x1D360, 0x1D378}, {0x1D7CE, 0x1D7FF},
      {0x1E140, 0x1E149}, {0x1E2F0, 0x1E2F9}, {0x1E8C7, 0x1E8CF}, {0x1E950, 0x1E959}, {0x1EC71, 0x1ECAB},
      {0x1ECAD, 0x1ECAF}, {0x1ECB1, 0x1ECB4}, {0x1ED01, 0x1ED2D}, {0x1ED2F, 0x1ED3D}, {0x1F100, 0x1F10C},
      {0x1FBF0, 0x1FBF9}};
  char32_t cp = 0;
  for (size_t i = 0; i < s.size();) {
    int len = Utf8Len(s, i, &cp);
    if (len == 0) return 0xFFFD;
    i += static_cast<size_t>(len);
    if (cp < 0x80) continue;
    auto it = std::upper_bound(std::begin(kDigits), std::end(kDigits), cp,
                               [](char32_t c, const std::pair<char32_t, char32_t>& r) { return c < r.first; });
    if (it != std::begin(kDigits) && cp <= std::prev(it)->second) return cp;
  }
  return 0;
}

std::string CodePointName(char32_t c) { return CodePoint(c); }

bool IsValidUtf8(std::string_view s) {
  char32_t cp;
  for (size_t i = 0; i < s.size();) {
    int n = Utf8Len(s, i, &cp);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

size_t DisplayWidth(std::string_view s) {
  size_t cols = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    cols += len >= 3 ? 2 : 1;
    i += len;
  }
  return cols;
}

std::string NormalizeNumberText(std::string_view raw, bool keep_separators) {
  std::string out;
  std::string_view s = Trim(raw);
  char32_t cp;
  for (size_t i = 0; i < s.size();) {
    int n = Utf8Len(s, i, &cp);
    if (n == 0) { out += s[i]; ++i; continue; }
    char ascii = 0;
    if (cp >= 0xFF01 && cp <= 0xFF5E) ascii = static_cast<char>(cp - 0xFF01 + 0x21);  // full-width ASCII block
    else if (cp == 0x3000) ascii = ' ';
    else if (cp < 0x80) ascii = static_cast<char>(cp);
    if (ascii == 0) { out.append(s.substr(i, n)); i += n; continue; }
    i += n;
    if (!keep_separators && (ascii == ',' || ascii == ' ')) continue;
    out += ascii;
  }
  return out;
}

std::string NormalizeHeader(std::string_view raw) {
  std::string s = NormalizeNumberText(raw, /*keep_separators=*/true);
  std::string out;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '*') continue;  // '*' marks required columns
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out += c;
  }
  return out;
}

const char* TextEncodingName(TextEncoding e) {
  switch (e) {
    case TextEncoding::kUtf8: return "UTF-8";
    case TextEncoding::kUtf8Bom: return "UTF-8 (BOM)";
    case TextEncoding::kGbk: return "GBK";
  }
  return "?";
}

Result<DecodedText> DecodeToUtf8(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    bytes.remove_prefix(3);
    if (!IsValidUtf8(bytes)) return InvalidArgument("文件以 UTF-8 BOM 开头但含有无效的 UTF-8 字节 (invalid UTF-8 after BOM)");
    return DecodedText{std::string(bytes), TextEncoding::kUtf8Bom};
  }
  if (IsValidUtf8(bytes)) return DecodedText{std::string(bytes), TextEncoding::kUtf8};
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1)) return Internal("iconv GB18030 unavailable");
  std::unique_ptr<void, int (*)(iconv_t)> guard(cd, iconv_close);
  std::string out(bytes.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  char* op = out.data();
  size_t out_left = out.size();
  while (in_left > 0) {
    size_t r = iconv(cd, &in, &in_left, &op, &out_left);
    if (r == static_cast<size_t>(-1)) {
      if (errno == E2BIG) {
        size_t used = op - out.data();
        out.resize(out.size() * 2);
        op = out.data() + used;
        out_left = out.size() - used;
        continue;
      }
      size_t offset = bytes.size() - in_left;
      // Count the line for the message.
      int line = 1;
      for (size_t k = 0; k < offset; ++k) line += bytes[k] == '\n';
      return InvalidArgument("无法识别文件编码：第 " + std::to_string(line) +
                             " 行含有既非 UTF-8 也非 GBK 的字节 (undecodable text at line " + std::to_string(line) +
                             ", byte " + std::to_string(offset) + ")");
    }
  }
  out.resize(op - out.data());
  return DecodedText{std::move(out), TextEncoding::kGbk};
}

Result<std::vector<CsvRecord>> ParseCsv(std::string_view text) {
  std::vector<CsvRecord> records;
  char sep = ',';
  {
    size_t eol = text.find('\n');
    std::string_view first = text.substr(0, eol);
    if (first.find('\t') != std::string_view::npos && first.find(',') == std::string_view::npos) sep = '\t';
  }
  int line = 1;
  size_t i = 0;
  while (i < text.size()) {
    CsvRecord rec;
    rec.line = line;
    std::string field;
    bool in_quotes = false, record_done = false, field_quoted = false;
    while (i < text.size() && !record_done) {
      char c = text[i];
      if (in_quotes) {
        if (c == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') { field += '"'; i += 2; continue; }
          in_quotes = false;
          ++i;
          continue;
        }
        if (c == '\n') ++line;
        field += c;
        ++i;
        continue;
      }
      if (c == '"' && Trim(field).empty() && !field_quoted) {
        field.clear();
        in_quotes = true;
        field_quoted = true;
        ++i;
        continue;
      }
      if (c == sep) {
        rec.fields.push_back(std::move(field));
        field.clear();
        field_quoted = false;
        ++i;
        continue;
      }
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') { ++i; continue; }
      if (c == '\n' || c == '\r') {
        ++line;
        ++i;
        record_done = true;
        continue;
      }
      field += c;
      ++i;
    }
    if (in_quotes) {
      return InvalidArgument("第 " + std::to_string(rec.line) + " 行：引号未闭合 (unterminated quote starting at line " +
                             std::to_string(rec.line) + ")");
    }
    rec.fields.push_back(std::move(field));
    bool blank = true;
    for (auto& f : rec.fields) {
      if (!Trim(f).empty()) { blank = false; break; }
    }
    if (!blank) records.push_back(std::move(rec));
  }
  return records;
}

}  // namespace kp

