// A corpus of hostile spreadsheets, built in memory: many small parts, overlapping entries,
// sizes that lie, a zip inside a zip, shared strings and merged cells that multiply. Each is
// refused (or read within the limits) in bounded time and memory, and import error lists stay
// capped however many cells are wrong.
#include <gtest/gtest.h>
#include <zip.h>
#include <zlib.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "documents/table_reader.h"
#include "domain/exports.h"
#include "domain/import_parser.h"

namespace kp {
namespace {

constexpr auto kMaxSeconds = std::chrono::seconds(20);   // generous on a busy 2-core machine
constexpr int64_t kMaxGrowthKb = 256 * 1024;             // peak memory a hostile file may add

struct Part {
  std::string name, text;
};

// A zip of the given parts, deflated.
std::string Zip(const std::vector<Part>& parts) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(nullptr, 0, 0, &err);
  zip_source_keep(src);
  zip_t* z = zip_open_from_source(src, ZIP_TRUNCATE, &err);
  for (const Part& p : parts) {
    zip_source_t* s = zip_source_buffer(z, p.text.data(), p.text.size(), 0);
    zip_file_add(z, p.name.c_str(), s, ZIP_FL_OVERWRITE);
  }
  zip_close(z);
  zip_source_open(src);
  zip_source_seek(src, 0, SEEK_END);
  zip_int64_t size = zip_source_tell(src);
  zip_source_seek(src, 0, SEEK_SET);
  std::string bytes(static_cast<size_t>(size), '\0');
  zip_source_read(src, bytes.data(), static_cast<zip_uint64_t>(size));
  zip_source_close(src);
  zip_source_free(src);
  return bytes;
}

void Put16(std::string& out, uint32_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
}
void Put32(std::string& out, uint32_t v) {
  Put16(out, v & 0xFFFF);
  Put16(out, v >> 16);
}

// A zip written by hand as an attacker would: the same content deflated once and stored as n
// separate entries (libzip would deflate each one again: 1 GiB of work for the case below).
std::string HandMadeZip(const std::vector<Part>& head, const std::string& repeated, const std::string& pattern, size_t n) {
  struct Entry {
    std::string name;
    std::string data;  // raw deflate
    uint32_t crc, size;
  };
  auto pack = [](const std::string& text) {
    z_stream zs{};
    deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&zs, text.size()), '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    zs.avail_in = static_cast<uInt>(text.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
  };
  auto crc = [](const std::string& text) {
    return static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(text.data()), static_cast<uInt>(text.size())));
  };
  std::vector<Entry> entries;
  for (const Part& p : head) entries.push_back({p.name, pack(p.text), crc(p.text), static_cast<uint32_t>(p.text.size())});
  const std::string packed = pack(repeated);
  const uint32_t packed_crc = crc(repeated);
  for (size_t i = 1; i <= n; ++i) {
    std::string name = pattern;
    name.replace(name.find('#'), 1, std::to_string(i));
    entries.push_back({name, packed, packed_crc, static_cast<uint32_t>(repeated.size())});
  }
  std::string out, central;
  for (const Entry& e : entries) {
    const uint32_t offset = static_cast<uint32_t>(out.size());
    Put32(out, 0x04034b50);
    Put16(out, 20), Put16(out, 0), Put16(out, 8), Put16(out, 0), Put16(out, 0);
    Put32(out, e.crc), Put32(out, static_cast<uint32_t>(e.data.size())), Put32(out, e.size);
    Put16(out, static_cast<uint32_t>(e.name.size())), Put16(out, 0);
    out += e.name + e.data;
    Put32(central, 0x02014b50);
    Put16(central, 20), Put16(central, 20), Put16(central, 0), Put16(central, 8), Put16(central, 0), Put16(central, 0);
    Put32(central, e.crc), Put32(central, static_cast<uint32_t>(e.data.size())), Put32(central, e.size);
    Put16(central, static_cast<uint32_t>(e.name.size())), Put16(central, 0), Put16(central, 0), Put16(central, 0),
        Put16(central, 0);
    Put32(central, 0), Put32(central, offset);
    central += e.name;
  }
  const uint32_t cd_offset = static_cast<uint32_t>(out.size());
  out += central;
  Put32(out, 0x06054b50);
  Put16(out, 0), Put16(out, 0), Put16(out, static_cast<uint32_t>(entries.size())), Put16(out, static_cast<uint32_t>(entries.size()));
  Put32(out, static_cast<uint32_t>(central.size())), Put32(out, cd_offset), Put16(out, 0);
  return out;
}

// A workbook of n sheets, each with the same worksheet XML.
std::string ManySheets(size_t n, const std::string& sheet_xml, const std::string& shared_xml = "") {
  std::string wb = "<workbook xmlns:r=\"r\"><sheets>";
  std::string rels = "<Relationships>";
  for (size_t i = 1; i <= n; ++i) {
    std::string k = std::to_string(i);
    wb += "<sheet name=\"S" + k + "\" sheetId=\"" + k + "\" r:id=\"rId" + k + "\"/>";
    rels += "<Relationship Id=\"rId" + k + "\" Target=\"worksheets/sheet" + k + ".xml\"/>";
  }
  wb += "</sheets></workbook>";
  rels += "</Relationships>";
  std::vector<Part> parts = {{"xl/workbook.xml", wb}, {"xl/_rels/workbook.xml.rels", rels}};
  if (!shared_xml.empty()) parts.push_back({"xl/sharedStrings.xml", shared_xml});
  for (size_t i = 1; i <= n; ++i) parts.push_back({"xl/worksheets/sheet" + std::to_string(i) + ".xml", sheet_xml});
  return Zip(parts);
}

// Rows of numbers up to about `bytes` of XML.
std::string SheetOfSize(size_t bytes) {
  std::string s = "<worksheet><sheetData>";
  for (int r = 1; s.size() < bytes; ++r) {
    s += "<row r=\"" + std::to_string(r) + "\"><c r=\"A" + std::to_string(r) + "\"><v>1</v></c></row>";
  }
  return s + "</sheetData></worksheet>";
}

int64_t StatusKb(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) return std::stoll(line.substr(std::strlen(key)));
  }
  return 0;
}

// Reads bytes as the import does and checks it is refused, for the reason expected, within the
// time and memory bounds.
void ExpectRefusedQuickly(const std::string& bytes, const documents::ReadLimits& limits, const std::string& what,
                          const std::string& reason) {
  const int64_t rss_before = StatusKb("VmRSS:");
  const auto start = std::chrono::steady_clock::now();
  auto sheets = documents::ReadXlsx(bytes, limits);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(sheets.ok()) << what;
  EXPECT_NE(sheets.status().message().find(reason), std::string::npos) << what << ": " << sheets.status().message();
  EXPECT_LT(took, kMaxSeconds) << what;
  EXPECT_LT(StatusKb("VmHWM:") - rss_before, kMaxGrowthKb) << what;
}

}  // namespace

// The same row over and over, about `bytes` of XML: it compresses as an attacker's would.
std::string RepetitiveSheet(size_t bytes) {
  std::string s = "<worksheet><sheetData>";
  while (s.size() < bytes) s += "<row><c><v>1</v></c><c t=\"inlineStr\"><is><t>x</t></is></c></row>";
  return s + "</sheetData></worksheet>";
}

// The case: 1,000 sheets of 1 MiB each, a 5.7 MB upload, took 30 s and 3.1 GB.
TEST(HostileXlsx, AThousandSmallSheetsAreRefusedFromTheDirectory) {
  const size_t n = 1000;
  std::string wb = "<workbook xmlns:r=\"r\"><sheets>", rels = "<Relationships>";
  for (size_t i = 1; i <= n; ++i) {
    std::string k = std::to_string(i);
    wb += "<sheet name=\"S" + k + "\" sheetId=\"" + k + "\" r:id=\"rId" + k + "\"/>";
    rels += "<Relationship Id=\"rId" + k + "\" Target=\"worksheets/sheet" + k + ".xml\"/>";
  }
  wb += "</sheets></workbook>";
  rels += "</Relationships>";
  std::string bytes = HandMadeZip({{"xl/workbook.xml", wb}, {"xl/_rels/workbook.xml.rels", rels}},
                                  RepetitiveSheet(1u << 20), "xl/worksheets/sheet#.xml", n);
  ASSERT_LT(bytes.size(), 8u << 20);  // a small upload
  ExpectRefusedQuickly(bytes, {}, "1000 x 1 MiB", "疑似压缩炸弹");
}

TEST(HostileXlsx, MoreSheetsThanTheCapAreRefusedHoweverSmall) {
  ExpectRefusedQuickly(ManySheets(150, SheetOfSize(200)), {}, "150 tiny sheets", "too many worksheets");
}

// Parts that compress no better than a register does, but together hold more cells than the cap.
TEST(HostileXlsx, CellsAreCountedAcrossEverySheet) {
  documents::ReadLimits limits;
  limits.max_cells = 20'000;
  std::string bytes = ManySheets(50, SheetOfSize(30'000));  // ~600 cells a sheet, 30,000 in all
  auto sheets = documents::ReadXlsx(bytes, limits);
  ASSERT_FALSE(sheets.ok());
  EXPECT_NE(sheets.status().message().find("too many cells"), std::string::npos) << sheets.status().message();
  limits.max_cells = 100'000;
  EXPECT_TRUE(documents::ReadXlsx(bytes, limits).ok());
}

// One long shared string in every cell: the text is counted per cell, not per string.
TEST(HostileXlsx, ASharedStringRepeatedInEveryCellSpendsTheTextBudget) {
  const std::string shared = "<sst><si><t>" + std::string(30'000, 'x') + "</t></si></sst>";
  std::string sheet = "<worksheet><sheetData>";
  for (int r = 1; r <= 2000; ++r) sheet += "<row r=\"" + std::to_string(r) + "\"><c t=\"s\"><v>0</v></c></row>";
  sheet += "</sheetData></worksheet>";
  documents::ReadLimits limits;
  limits.max_text_bytes = 10u << 20;  // 2,000 x 30 KB = 60 MB would pass it
  ExpectRefusedQuickly(ManySheets(1, sheet, shared), limits, "repeated shared string", "too much text");
}

// A merge over the whole sheet would copy one long value into every cell of it.
TEST(HostileXlsx, AMergeOverEveryRowSpendsTheBudgetItFills) {
  std::string sheet = "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>" + std::string(30'000, 'y') +
                      "</t></is></c></row>";
  for (int r = 2; r <= 3000; ++r) sheet += "<row r=\"" + std::to_string(r) + "\"><c><v>1</v></c></row>";
  sheet += "</sheetData><mergeCells><mergeCell ref=\"A1:Z3000\"/></mergeCells></worksheet>";
  documents::ReadLimits limits;
  limits.max_text_bytes = 16u << 20;  // 26 x 3,000 x 30 KB = 2.3 GB would pass it
  ExpectRefusedQuickly(ManySheets(1, sheet), limits, "merge fill", "too much text");
}

// Central directory entries that share one compressed stream (a "non-recursive" zip bomb).
TEST(HostileXlsx, OverlappingEntriesAreRefused) {
  std::string bytes = Zip({{"xl/workbook.xml", "<workbook/>"}, {"xl/worksheets/sheet1.xml", SheetOfSize(100'000)}});
  // Copy the sheet's central directory record many times, all pointing at the same data.
  const std::string cd_sig("PK\x01\x02", 4), eocd_sig("PK\x05\x06", 4);
  size_t eocd = bytes.rfind(eocd_sig);
  ASSERT_NE(eocd, std::string::npos);
  auto u16 = [&](size_t at) { return static_cast<uint16_t>(static_cast<uint8_t>(bytes[at]) | static_cast<uint8_t>(bytes[at + 1]) << 8); };
  auto u32 = [&](size_t at) {
    return static_cast<uint32_t>(u16(at)) | static_cast<uint32_t>(u16(at + 2)) << 16;
  };
  size_t cd_start = u32(eocd + 16);
  size_t second = bytes.find(cd_sig, cd_start + 4);
  ASSERT_NE(second, std::string::npos);
  std::string record = bytes.substr(second, eocd - second);
  const int copies = 200;
  std::string cd = bytes.substr(cd_start, eocd - cd_start);
  for (int i = 0; i < copies; ++i) {
    std::string r = record;
    r[46] = static_cast<char>('A' + i % 26);  // first byte of the name: keep names distinct-ish
    cd += r;
  }
  std::string eocd_rec = bytes.substr(eocd);
  uint16_t n = static_cast<uint16_t>(u16(eocd + 10) + copies);
  eocd_rec[8] = eocd_rec[10] = static_cast<char>(n & 0xFF);
  eocd_rec[9] = eocd_rec[11] = static_cast<char>(n >> 8);
  uint32_t cd_size = static_cast<uint32_t>(cd.size());
  for (int k = 0; k < 4; ++k) eocd_rec[12 + k] = static_cast<char>((cd_size >> (8 * k)) & 0xFF);
  std::string hostile = bytes.substr(0, cd_start) + cd + eocd_rec;
  ExpectRefusedQuickly(hostile, {}, "overlapping entries", "重叠");
}

// A worksheet whose central directory says it is small but which inflates to much more.
TEST(HostileXlsx, APartThatInflatesBeyondItsDeclaredSizeIsRefused) {
  const std::string sheet = SheetOfSize(2u << 20);
  std::string bytes = ManySheets(1, sheet);
  // Patch the declared (uncompressed) size of the worksheet in the central directory to 1,000.
  const std::string name = "xl/worksheets/sheet1.xml";
  size_t at = bytes.find(std::string("PK\x01\x02", 4));
  bool patched = false;
  while (at != std::string::npos) {
    if (bytes.compare(at + 46, name.size(), name) == 0) {
      const uint32_t lie = 1000;
      for (int k = 0; k < 4; ++k) bytes[at + 24 + k] = static_cast<char>((lie >> (8 * k)) & 0xFF);
      patched = true;
    }
    at = bytes.find(std::string("PK\x01\x02", 4), at + 4);
  }
  ASSERT_TRUE(patched);
  ExpectRefusedQuickly(bytes, {}, "lying size", "与目录不符");
}

// A zip where the worksheet is itself a zip bomb: not XML, refused, nothing inflated twice.
TEST(HostileXlsx, AZipInsideTheZipIsNotOpened) {
  std::string inner = ManySheets(1, SheetOfSize(4u << 20));
  std::string bytes = Zip({{"xl/workbook.xml", "<workbook xmlns:r=\"r\"><sheets><sheet name=\"A\" r:id=\"rId1\"/></sheets></workbook>"},
                           {"xl/_rels/workbook.xml.rels", "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>"},
                           {"xl/worksheets/sheet1.xml", inner}});
  ExpectRefusedQuickly(bytes, {}, "nested zip", "不是有效的 XML");
}

// Every cell wrong: the first 1,000 errors are listed, the rest counted; the error workbook
// holds the rows of those listed only.
TEST(ImportErrors, AreCappedAtAThousandWithACountOfTheRest) {
  std::string csv = "项目编码,项目名称,项目级别\n";
  const int rows = 3000;
  for (int i = 0; i < rows; ++i) csv += "C" + std::to_string(i) + ",名称" + std::to_string(i) + ",不是级别\n";
  auto parsed = ParseProjectsFile(csv);
  EXPECT_EQ(parsed.errors.size(), ParsedImport<ProjectImportRow>::kMaxErrors);
  EXPECT_EQ(parsed.error_count(), static_cast<size_t>(rows));
  EXPECT_EQ(parsed.errors_omitted, static_cast<size_t>(rows) - ParsedImport<ProjectImportRow>::kMaxErrors);
  std::string path = ::testing::TempDir() + "/capped-errors.xlsx";
  ASSERT_TRUE(WriteErrorWorkbook(parsed, path).ok());
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto sheets = documents::ReadXlsx(bytes);
  ASSERT_TRUE(sheets.ok()) << sheets.status().message();
  EXPECT_LT((*sheets)[0].rows.size(), ParsedImport<ProjectImportRow>::kMaxErrors + 10);
  std::remove(path.c_str());
}

}  // namespace kp
