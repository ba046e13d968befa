// libFuzzer target: arbitrary bytes through the import readers (CSV, .xlsx) and rules must
// never crash, hang or leak; they answer rows or errors. FUZZ_XLSX / FUZZ_XML select the entry
// point at build time so each target has its own corpus. The XML target is differential: the
// worksheet tokenizer must give the same events and outcome whether the document comes whole or
// cut into pieces of a size the input chooses.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "documents/table_reader.h"
#include "documents/xml_scanner.h"
#include "domain/import_parser.h"

namespace {

// Events as text; adjacent text pieces merge, so where the pieces were cut does not show.
struct Log {
  std::string text;
  bool in_text = false;
  void OnStart(std::string_view n, const char** a) {
    text += "<" + std::string(n);
    for (int i = 0; a[i]; i += 2) text += " " + std::string(a[i]) + "=" + std::string(a[i + 1]);
    text += ">";
    in_text = false;
  }
  void OnEnd(std::string_view n) {
    text += "</" + std::string(n) + ">";
    in_text = false;
  }
  void OnText(const char* s, int len) {
    if (!in_text) text += '|';
    text.append(s, static_cast<size_t>(len));
    in_text = true;
  }
};

kp::documents::XmlScanner::Outcome Scan(std::string_view doc, size_t piece, Log& log) {
  kp::documents::XmlScanner scanner;
  auto o = kp::documents::XmlScanner::Outcome::kMore;
  for (size_t at = 0; o == kp::documents::XmlScanner::Outcome::kMore;) {
    size_t n = std::min(piece, doc.size() - at);
    o = scanner.Feed(doc.substr(at, n), at + n >= doc.size(), log);
    at += n;
  }
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  kp::documents::ReadLimits limits;
  limits.max_unzipped_bytes = 64u << 20;
  limits.max_rows = 10000;
#if FUZZ_XML
  if (bytes.empty()) return 0;
  const size_t piece = 1 + static_cast<unsigned char>(bytes[0]) % 64;
  std::string_view doc = bytes.substr(1);
  Log whole, cut;
  auto a = Scan(doc, doc.size() + 1, whole);
  auto b = Scan(doc, piece, cut);
  // An error or a hand-over to expat may come at a different point in the events; a finished
  // document must come out the same.
  if (a != b || (a == kp::documents::XmlScanner::Outcome::kDone && whole.text != cut.text)) std::abort();
#elif FUZZ_XLSX
  (void)kp::documents::ReadXlsx(bytes, limits);
  if (bytes.starts_with("PK")) (void)kp::ParseProjectsFile(bytes);
#else
  std::string encoding;
  (void)kp::documents::ReadCsvSheet(bytes, &encoding, limits);
  (void)kp::ParseProjectsFile(bytes);
  (void)kp::ParseReportsFile(bytes, {"A", "B"});
#endif
  return 0;
}
