#pragma once
// Text helpers: UTF-8 checks, GBK decoding, CSV parsing, header normalisation.
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace kp {

std::string_view Trim(std::string_view s);  // ASCII blanks and U+3000 at both ends
bool IsValidUtf8(std::string_view s);

// Text a person typed, as one line (a name, a code) or as several (a description).
enum class TextShape { kSingleLine, kMultiLine };
// What is wrong with s as user text, or "" when nothing is: invalid UTF-8, NUL or another
// control character (C0 and C1; tab, CR and LF only in multi-line text), U+2028/U+2029, or an
// invisible or reordering character (zero-width, bidirectional controls, BOM, soft hyphen,
// variation selectors, tags, Hangul fillers), or a noncharacter (U+FDD0–U+FDEF, U+xFFFE/U+xFFFF). Such characters cut exports short, hide text or
// make two different names look the same. The reason names the offending code point.
std::string TextProblem(std::string_view s, TextShape shape);
// Text of one line from typed text: each run of line breaks and tabs becomes one space between two
// ASCII letters or digits and nothing elsewhere (Chinese needs no space where a line was broken).
std::string JoinLines(std::string_view s);
// Whether s holds nothing visible: only blanks of any kind (ASCII, no-break, the U+2000 spaces, U+3000,
// U+2800 braille blank, Hangul fillers). Invalid UTF-8 is not blank.
bool IsBlankText(std::string_view s);
// s with every code point TextProblem would refuse (and invalid bytes) replaced by U+FFFD: for text
// stored before a check existed, so it can still be drawn.
std::string ScrubText(std::string_view s, TextShape shape);
// The first number character other than 0-9 (Unicode's Nd, Nl and No: other scripts' digits, full-width,
// super/subscripts, circled and parenthesised numbers, Roman numerals, fractions …) but 〇, or 0.
char32_t OtherDigitIn(std::string_view s);
// "U+FF10".
std::string CodePointName(char32_t c);

// Width in terminal/spreadsheet columns: characters of three or more UTF-8 bytes (CJK) count two.
size_t DisplayWidth(std::string_view s);
// Full-width digits and punctuation to ASCII; with keep_separators=false also drops thousands
// separators (',' '，' and blanks) so "１，２３４．５" becomes "1234.5".
std::string NormalizeNumberText(std::string_view s, bool keep_separators = false);
// Header cell to its canonical form: trimmed, blanks removed, full-width brackets to ASCII,
// ASCII letters lower-cased. "总投资（万元）" -> "总投资(万元)".
std::string NormalizeHeader(std::string_view s);

enum class TextEncoding { kUtf8, kUtf8Bom, kGbk };
const char* TextEncodingName(TextEncoding e);
// Detects UTF-8 (with or without BOM) or GBK/GB18030 and returns UTF-8 text.
// Fails when the bytes are neither valid UTF-8 nor valid GB18030.
struct DecodedText {
  std::string text;
  TextEncoding encoding;
};
Result<DecodedText> DecodeToUtf8(std::string_view bytes);

// RFC 4180 CSV: quoted fields with "" escapes and embedded newlines, CRLF or LF line ends,
// comma separator (a tab is used when the first line has tabs and no commas).
// Each record keeps the 1-based line number where it starts. Blank lines are skipped.
struct CsvRecord {
  int line = 0;
  int sheet = 0;  // which sheet of a workbook the row came from (imports that read several)
  std::vector<std::string> fields;
};
Result<std::vector<CsvRecord>> ParseCsv(std::string_view text);

}  // namespace kp
