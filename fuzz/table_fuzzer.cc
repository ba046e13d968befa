// libFuzzer target: arbitrary bytes through the import readers (CSV, .xlsx) and rules must
// never crash, hang or leak; they answer rows or errors. FUZZ_KIND selects the entry point at
// build time so each target has its own corpus.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "documents/table_reader.h"
#include "domain/import_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  kp::documents::ReadLimits limits;
  limits.max_unzipped_bytes = 64u << 20;
  limits.max_rows = 10000;
#if FUZZ_XLSX
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
