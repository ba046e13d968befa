// Spreadsheets in and out: fixtures made by openpyxl, LibreOffice and by hand, read by our
// reader; our writer's files read back; round trips through an empty database.
#include <gtest/gtest.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "documents/table_reader.h"
#include "documents/xlsx_writer.h"
#include "domain/demo_data.h"
#include "domain/exports.h"
#include "test_db.h"

namespace kp {
namespace {

using testing::DbTest;

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(KP_FIXTURES_DIR) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const ProjectImportRow* Find(const ParsedImport<ProjectImportRow>& p, const std::string& code) {
  for (const auto& r : p.rows) {
    if (r.project.code == code) return &r;
  }
  return nullptr;
}

TEST(ExcelSerialToDate, KnowsBothDateSystemsAndThePhantomLeapDay) {
  using documents::ExcelSerialToDate;
  EXPECT_EQ(ExcelSerialToDate(1, false), "1900-01-01");
  EXPECT_EQ(ExcelSerialToDate(59, false), "1900-02-28");
  EXPECT_EQ(ExcelSerialToDate(60, false), "1900-02-29");
  EXPECT_EQ(ExcelSerialToDate(61, false), "1900-03-01");
  EXPECT_EQ(ExcelSerialToDate(45352, false), "2024-03-01");
  EXPECT_EQ(ExcelSerialToDate(45352.75, false), "2024-03-01");
  EXPECT_EQ(ExcelSerialToDate(0, true), "1904-01-01");
  EXPECT_EQ(ExcelSerialToDate(43890, true), "2024-03-01");
  EXPECT_EQ(ExcelSerialToDate(36585, false), "2000-02-29");
  EXPECT_EQ(ExcelSerialToDate(2958465, false), "9999-12-31");
  EXPECT_EQ(ExcelSerialToDate(1e300, false), "1e+300");  // no date: stays a number for the rules to refuse
  EXPECT_EQ(ExcelSerialToDate(-5, false), "-5");
  // Every day from 1900-03-01 to 2100 against a walk by one day.
  Date d{1900, 3, 1};
  for (int serial = 61; serial < 73051; ++serial) {
    ASSERT_EQ(ExcelSerialToDate(serial, false), d.ToString()) << serial;
    if (++d.day > DaysInMonth(d.year, d.month)) {
      d.day = 1;
      if (++d.month > 12) {
        d.month = 1;
        ++d.year;
      }
    }
  }
}

TEST(ParseCellRef, ReadsA1References) {
  int r = 0, c = 0;
  ASSERT_TRUE(documents::ParseCellRef("B3", &r, &c));
  EXPECT_EQ(r, 3);
  EXPECT_EQ(c, 1);
  ASSERT_TRUE(documents::ParseCellRef("$AA$10", &r, &c));
  EXPECT_EQ(c, 26);
  EXPECT_FALSE(documents::ParseCellRef("3B", &r, &c));
  EXPECT_FALSE(documents::ParseCellRef("ABCD1", &r, &c));
}

TEST(XlsxImport, ReadsARealWorldBureauSheet) {
  auto p = ParseProjectsFile(Fixture("real_world_projects.xlsx"));
  ASSERT_TRUE(p.errors.empty()) << FormatImportError(p.errors[0]);
  EXPECT_EQ(p.sheet, "项目表");  // the first sheet is notes: skipped because its header does not match
  EXPECT_EQ(p.encoding, "xlsx");
  ASSERT_EQ(p.rows.size(), 3u);   // the totals row is not a project
  const ProjectImportRow* a = Find(p, "XL-001");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->project.total_investment.yuan, 500'000'000);  // the header says 元
  EXPECT_EQ(a->plan->yuan, 125'005'000);                     // "１２，５００．５" 万元
  EXPECT_EQ(a->plan_year, 2024);                             // from the merged 2024年 over the column
  EXPECT_EQ(a->project.planned_start->ToString(), "2024-03-01");  // an Excel date
  EXPECT_TRUE(a->project.is_demo);
  EXPECT_EQ(a->region_text, "凯江镇");
  const ProjectImportRow* b = Find(p, "XL-002");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->project.total_investment.yuan, 120'000'000);
  EXPECT_EQ(b->plan->yuan, 20'000'000);                            // "2,000" as text
  EXPECT_EQ(b->project.planned_start->ToString(), "2024-04-15");  // 2024年4月15日 as text
  const ProjectImportRow* c = Find(p, "XL-003");
  EXPECT_EQ(c->project.total_investment.yuan, 30'000'000);
  EXPECT_EQ(c->plan->yuan, 15'002'500);
  EXPECT_EQ(c->project.planned_start->ToString(), "2024-05-06");
  EXPECT_EQ(p.ignored_columns, (std::vector<std::string>{"2024年/完成投资(万元)"}));
}

TEST(XlsxImport, ReadsMonthsInThe1904DateSystem) {
  auto r = ParseReportsFile(Fixture("date1904_reports.xlsx"), {"XL-001", "XL-002"});
  ASSERT_TRUE(r.errors.empty()) << FormatImportError(r.errors[0]);
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[0].report.month.ToString(), "2024-01");
  EXPECT_EQ(r.rows[1].report.month.ToString(), "2024-02");
  EXPECT_EQ(r.rows[1].report.completed.yuan, 12'005'000);
  EXPECT_EQ(r.rows[2].report.month.ToString(), "2024-03");
}

TEST(XlsxImport, ReadsRichTextInlineStringsAndPrefixedXml) {
  auto p = ParseProjectsFile(Fixture("handmade_rich_text.xlsx"));
  ASSERT_TRUE(p.errors.empty()) << FormatImportError(p.errors[0]);
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0].project.code, "R-1");
  EXPECT_EQ(p.rows[0].project.name, "中江县 光伏");  // runs joined, the phonetic run left out
  EXPECT_EQ(p.rows[0].project.level, Level::kMunicipal);
}

TEST(XlsxImport, ReadsLibreOfficeXlsxAndXls) {
  for (const char* name : {"libreoffice_projects.xlsx", "libreoffice_projects.xls"}) {
    auto p = ParseProjectsFile(Fixture(name));
    ASSERT_TRUE(p.errors.empty()) << name << ": " << FormatImportError(p.errors[0]);
    ASSERT_EQ(p.rows.size(), 2u) << name;
    EXPECT_EQ(p.rows[0].project.code, "LO-001");
    EXPECT_EQ(p.rows[0].plan->yuan, 12'345'000) << name;
    EXPECT_EQ(p.rows[1].project.total_investment.yuan, 80'002'500) << name;
    EXPECT_EQ(p.rows[0].project.planned_start->ToString(), "2024-03-01") << name;
  }
}

TEST(XlsxImport, ListsEveryBadCellWithSheetRowAndColumn) {
  auto p = ParseProjectsFile(Fixture("bad_projects.xlsx"));
  ASSERT_EQ(p.errors.size(), 4u);
  EXPECT_TRUE(p.rows.empty());
  EXPECT_EQ(p.errors[0].sheet, "项目");
  EXPECT_EQ(p.errors[0].row, 3);
  EXPECT_EQ(p.errors[0].column, "项目级别");
  EXPECT_EQ(p.errors[0].col, 2);
  EXPECT_EQ(p.errors[1].row, 4);
  EXPECT_EQ(p.errors[1].col, 3);
  EXPECT_NE(FormatImportError(p.errors[0]).find("工作表「项目」第 3 行"), std::string::npos);
}

TEST(XlsxImport, RefusesHostileAndBrokenFilesWithoutCrashing) {
  auto bomb = ParseProjectsFile(Fixture("zip_bomb.xlsx"));
  ASSERT_EQ(bomb.errors.size(), 1u);
  EXPECT_NE(bomb.errors[0].reason.find("压缩炸弹"), std::string::npos);
  std::string good = Fixture("real_world_projects.xlsx");
  for (size_t cut : {size_t{4}, size_t{100}, good.size() / 2, good.size() - 10}) {
    auto p = ParseProjectsFile(good.substr(0, cut));
    EXPECT_FALSE(p.errors.empty()) << cut;
  }
  std::string flipped = good;
  for (size_t i = 200; i < flipped.size(); i += 97) flipped[i] = static_cast<char>(flipped[i] ^ 0x5A);
  EXPECT_FALSE(ParseProjectsFile(flipped).errors.empty());
  documents::ReadLimits tiny;
  tiny.max_rows = 2;
  auto many = documents::ReadXlsx(good, tiny);
  EXPECT_FALSE(many.ok());
}

// A minimal workbook built in memory, its sheet and shared strings given as XML text.
std::string Workbook(const std::string& sheet_xml, const std::string& shared_xml) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(nullptr, 0, 0, &err);
  zip_source_keep(src);
  zip_t* z = zip_open_from_source(src, ZIP_TRUNCATE, &err);
  auto add = [&](const char* name, const std::string& text) {
    zip_source_t* s = zip_source_buffer(z, text.data(), text.size(), 0);
    zip_file_add(z, name, s, ZIP_FL_OVERWRITE);
  };
  const std::string wb =
      "<workbook xmlns:r=\"r\"><sheets><sheet name=\"表1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
  const std::string rels =
      "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
  add("xl/workbook.xml", wb);
  add("xl/_rels/workbook.xml.rels", rels);
  add("xl/worksheets/sheet1.xml", sheet_xml);
  if (!shared_xml.empty()) add("xl/sharedStrings.xml", shared_xml);
  zip_close(z);  // the texts above are still alive here
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

// Sheets the fast tokenizer does not take (a DOCTYPE, another encoding) are read with expat,
// with the same result; broken XML is an error naming the part.
TEST(XlsxImport, ReadsUnusualXmlThroughExpatAndRefusesBrokenXml) {
  const std::string body =
      "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\"><v>42</v></c></row>"
      "</sheetData></worksheet>";
  const std::string sst = "<sst><si><t>项目 &amp; 名称</t></si></sst>";
  for (const std::string& prolog : {std::string(""), std::string("<!DOCTYPE worksheet>"),
                                    std::string("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>")}) {
    auto sheets = documents::ReadXlsx(Workbook(prolog + body, sst));
    ASSERT_TRUE(sheets.ok()) << prolog << ": " << sheets.status().message();
    ASSERT_EQ((*sheets)[0].rows.size(), 1u) << prolog;
    EXPECT_EQ((*sheets)[0].rows[0].fields.at(0), "项目 & 名称") << prolog;
    EXPECT_EQ((*sheets)[0].rows[0].fields.at(1), "42") << prolog;
  }
  auto broken = documents::ReadXlsx(Workbook("<worksheet><sheetData><row></sheetData></worksheet>", sst));
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("sheet1.xml"), std::string::npos) << broken.status().message();
}

// Number cells read as the old strtod/printf path gave them, whoever wrote them (Apache POI
// writes integers as "2024.0").
TEST(XlsxImport, NumberCellsReadAsPlainDecimalsWhateverTheWriterPrinted) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"2024.0", "2024"},     {"1.50", "1.5"},        {".5", "0.5"},         {"007", "7"},
      {"0.0", "0"},           {"-2.50", "-2.5"},      {"12345.67", "12345.67"}, {"1000.4999999999999", "1000.5"},
      {"1E3", "1000"},        {"2.5e-1", "0.25"},     {"0.0001", "0.0001"},  {"123456789012345", "123456789012345"},
      {"1234567890123456789", "1234567890123456768"}, {"3.14159265358979", "3.14159265358979"}};
  std::string body = "<worksheet><sheetData>";
  for (size_t i = 0; i < cases.size(); ++i) {
    body += "<row r=\"" + std::to_string(i + 1) + "\"><c><v>" + cases[i].first + "</v></c></row>";
  }
  body += "</sheetData></worksheet>";
  auto sheets = documents::ReadXlsx(Workbook(body, ""));
  ASSERT_TRUE(sheets.ok()) << sheets.status().message();
  const auto& rows = (*sheets)[0].rows;
  ASSERT_EQ(rows.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) EXPECT_EQ(rows[i].fields.at(0), cases[i].second) << cases[i].first;
}

// The row limit stops a part read by expat too (a DOCTYPE sends a sheet there), not only at the end.
TEST(XlsxImport, TheRowLimitStopsASheetReadByExpat) {
  std::string body = "<!DOCTYPE worksheet><worksheet><sheetData>";
  for (int i = 1; i <= 5000; ++i) body += "<row r=\"" + std::to_string(i) + "\"><c><v>1</v></c></row>";
  body += "</sheetData></worksheet>";
  documents::ReadLimits tiny;
  tiny.max_rows = 10;
  auto sheets = documents::ReadXlsx(Workbook(body, ""), tiny);
  ASSERT_FALSE(sheets.ok());
  EXPECT_NE(sheets.status().message().find("行数超过上限"), std::string::npos) << sheets.status().message();
}

TEST(XlsxImport, ReadsEverySheetWhoseHeaderMatchesWhenNoneIsNamed) {
  auto p = ParseProjectsFile(Fixture("split_by_level.xlsx"));
  ASSERT_EQ(p.sheets_read, (std::vector<std::string>{"省重点", "市重点"}));
  ASSERT_EQ(p.errors.size(), 1u);  // M-2's plan is not a number: reported on its own sheet
  EXPECT_EQ(p.errors[0].sheet, "市重点");
  EXPECT_EQ(p.errors[0].row, 3);
  EXPECT_EQ(p.errors[0].column, "年度计划投资(万元)");
  auto only = ParseProjectsFile(Fixture("split_by_level.xlsx"), "省重点");
  ASSERT_TRUE(only.errors.empty());
  ASSERT_EQ(only.rows.size(), 1u);
  auto second = ParseProjectsFile(Fixture("split_by_level.xlsx"), "市重点");
  EXPECT_EQ(second.sheets_read, (std::vector<std::string>{"市重点"}));
  EXPECT_EQ(second.errors.size(), 1u);
}

TEST(XlsxImport, ChoosesASheetByName) {
  auto notes = ParseProjectsFile(Fixture("real_world_projects.xlsx"), "填表说明");
  ASSERT_FALSE(notes.errors.empty());
  EXPECT_NE(notes.errors[0].reason.find("找不到表头"), std::string::npos);
  auto missing = ParseProjectsFile(Fixture("real_world_projects.xlsx"), "没有这张表");
  ASSERT_FALSE(missing.errors.empty());
  EXPECT_NE(missing.errors[0].reason.find("项目表"), std::string::npos);  // lists the sheets there are
  EXPECT_TRUE(ParseProjectsFile(Fixture("real_world_projects.xlsx"), "项目表").errors.empty());
}

TEST(XlsxWriter, TemplatesCarryTheHeaderThatImportsRead) {
  std::string path = documents::TempXlsxPath();
  ASSERT_TRUE(WriteTemplate("projects", path).ok());
  auto sheets = documents::ReadXlsx(Slurp(path));
  std::filesystem::remove(path);
  ASSERT_TRUE(sheets.ok()) << sheets.status().message();
  ASSERT_EQ(sheets->size(), 1u);
  const auto& header = (*sheets)[0].rows.at(0).fields;
  EXPECT_EQ(header.at(0), "项目编码");
  EXPECT_EQ(header.at(2), "项目级别");
  EXPECT_EQ(header.size(), ProjectTemplate().size());
  EXPECT_FALSE(WriteTemplate("nonsense", path).ok());
}

TEST(XlsxWriter, WritesRowsInOrderThroughItsWriterThreadAtTheFastDeflateLevel) {
  documents::ExportSpec spec;
  spec.title = "标题";
  for (auto [title, kind] : {std::pair{"编号", documents::CellKind::kInteger}, {"名称", documents::CellKind::kText},
                             {"金额(万元)", documents::CellKind::kMoneyWan}}) {
    documents::ExportColumn c;
    c.title = title;
    c.kind = kind;
    spec.columns.push_back(c);
  }
  std::string path = documents::TempXlsxPath();
  int entries_before = documents::ZipEntriesWrittenFast();
  {
    auto w = documents::XlsxTableWriter::Create(path, spec);
    ASSERT_TRUE(w.ok());
    for (int64_t i = 0; i < 5000; ++i) (*w)->AddRow({i, "项目" + std::to_string(i), Money(i * 10000)});
    (*w)->AddTotalRow({std::string("合计"), std::string("5000 个"), Money(int64_t{0})});
    ASSERT_TRUE((*w)->Close().ok());
    EXPECT_EQ((*w)->rows_written(), 5000);
  }
  std::string bytes = Slurp(path);
  std::filesystem::remove(path);
  EXPECT_GT(documents::ZipEntriesWrittenFast(), entries_before);
  // The first local file header's flag bits 1-2 are 11 for deflate level 1 (APPNOTE 4.4.4).
  ASSERT_GT(bytes.size(), 8u);
  EXPECT_EQ(bytes.substr(0, 4), std::string("PK\x03\x04"));
  EXPECT_EQ(static_cast<unsigned char>(bytes[6]) & 6, 6);
  auto sheets = documents::ReadXlsx(bytes);
  ASSERT_TRUE(sheets.ok()) << sheets.status().message();
  const auto& rows = (*sheets)[0].rows;
  ASSERT_EQ(rows.size(), 1u + 1u + 5000u + 1u);  // title, header, rows, totals
  for (int i = 0; i < 5000; i += 499) {
    EXPECT_EQ(rows[2 + i].fields.at(0), std::to_string(i));
    EXPECT_EQ(rows[2 + i].fields.at(1), "项目" + std::to_string(i));
  }
  EXPECT_EQ(rows.back().fields.at(0), "合计");
}

TEST(XlsxWriter, DatesAreRealExcelDatesThatReadBackAsDates) {
  documents::ExportSpec spec;
  documents::ExportColumn c;
  c.title = "开工日期";
  c.kind = documents::CellKind::kDate;
  spec.columns.push_back(c);
  std::string path = documents::TempXlsxPath();
  {
    auto w = documents::XlsxTableWriter::Create(path, spec);
    ASSERT_TRUE(w.ok());
    for (Date d : {Date{2024, 3, 1}, Date{2024, 2, 29}, Date{1900, 3, 1}, Date{2099, 12, 31}, Date{1899, 6, 1}}) {
      (*w)->AddRow({d});
    }
    ASSERT_TRUE((*w)->Close().ok());
  }
  std::string bytes = Slurp(path);
  std::filesystem::remove(path);
  auto sheets = documents::ReadXlsx(bytes);
  ASSERT_TRUE(sheets.ok());
  const auto& rows = (*sheets)[0].rows;
  ASSERT_EQ(rows.size(), 6u);  // header + 5
  EXPECT_EQ(rows[1].fields.at(0), "2024-03-01");
  EXPECT_EQ(rows[2].fields.at(0), "2024-02-29");
  EXPECT_EQ(rows[3].fields.at(0), "1900-03-01");
  EXPECT_EQ(rows[4].fields.at(0), "2099-12-31");
  EXPECT_EQ(rows[5].fields.at(0), "1899-06-01");  // before Excel's calendar is sound: text
  // Stored as serial numbers (2024-03-01 is day 45352), not as text, except the last.
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY, &err);
  ASSERT_NE(z, nullptr);
  zip_file_t* f = zip_fopen(z, "xl/worksheets/sheet1.xml", 0);
  ASSERT_NE(f, nullptr);
  std::string xml(1 << 16, '\0');
  xml.resize(static_cast<size_t>(zip_fread(f, xml.data(), xml.size())));
  zip_fclose(f);
  zip_discard(z);
  EXPECT_NE(xml.find("<v>45352</v>"), std::string::npos);
  EXPECT_EQ(xml.find("2024-03-01"), std::string::npos);
  EXPECT_NE(xml.find("1899-06-01"), std::string::npos);
}

TEST(XlsxWriter, TheErrorWorkbookMarksTheRowsAndGivesReasons) {
  auto p = ParseProjectsFile(Fixture("bad_projects.xlsx"));
  std::string path = documents::TempXlsxPath();
  ASSERT_TRUE(WriteErrorWorkbook(p, path).ok());
  auto sheets = documents::ReadXlsx(Slurp(path));
  std::filesystem::remove(path);
  ASSERT_TRUE(sheets.ok());
  const auto& rows = (*sheets)[0].rows;
  // Title, subtitle, header, then the four data rows; the last column holds the reasons.
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows[3].fields.at(0), "2");
  EXPECT_EQ(rows[4].fields.at(0), "3");
  EXPECT_NE(rows[4].fields.back().find("未知的项目级别"), std::string::npos);
  EXPECT_NE(rows[6].fields.back().find("项目名称"), std::string::npos);
}

TEST_P(DbTest, EveryBadSpreadsheetLeavesTheDatabaseUnchanged) {
  ASSERT_TRUE(reg_->ImportProjectsFile(Fixture("libreoffice_projects.xlsx"), "t")->ok());
  auto count = [&]() {
    auto src = store_->LoadStatsSource();
    int64_t plans = 0;
    for (const auto& p : src->plans) plans += p.plan.yuan;
    return std::make_tuple(src->regions.size(), src->projects.size(), src->plans.size(), plans);
  };
  const auto before = count();
  std::string good = Fixture("real_world_projects.xlsx");
  std::vector<std::pair<std::string, std::string>> bad = {
      {"bad cells", Fixture("bad_projects.xlsx")},
      {"zip bomb", Fixture("zip_bomb.xlsx")},
      {"one bad sheet of two", Fixture("split_by_level.xlsx")},
      {"truncated", good.substr(0, good.size() / 2)},
      {"not a workbook", std::string("PK\x03\x04garbage")},
      {"legacy xls cut short", Fixture("libreoffice_projects.xls").substr(0, 2000)},
  };
  for (const auto& [name, bytes] : bad) {
    auto out = reg_->ImportProjectsFile(bytes, "t");
    ASSERT_TRUE(out.ok()) << name;
    EXPECT_FALSE(out->ok()) << name;
    EXPECT_EQ(count(), before) << name;
  }
}

TEST_P(DbTest, ExportedRegisterAndReportsImportBackToTheSameFigures) {
  DemoData d = GenerateDemoData();
  std::vector<int64_t> ids;
  for (const DemoRegion& r : d.regions) {
    auto c = reg_->CreateRegion(r.parent < 0 ? std::nullopt : std::optional<int64_t>(ids[r.parent]), r.name, r.code, "t");
    ids.push_back(c->id);
  }
  ASSERT_TRUE(reg_->ImportProjectRows(d.projects_2024, "demo").ok());
  ASSERT_TRUE(reg_->ImportReportRows(d.reports, "demo").ok());
  stats::StatsQuery q;
  q.year = 2024;
  q.month = 3;
  q.by = stats::GroupBy::kLevel;
  std::string projects = documents::TempXlsxPath(), reports = documents::TempXlsxPath();
  store::ProjectQuery all;
  all.page_size = 0;
  ASSERT_TRUE(ExportProjects(*reg_, all, q, projects).ok());
  ASSERT_TRUE(ExportReports(*reg_, 2024, std::nullopt, reports).ok());
  stats::StatsResult before = reg_->Stats(q);
  {
    // The printed sheet ends with a totals row carrying the plan in 万元.
    auto sheets = documents::ReadXlsx(Slurp(projects));
    ASSERT_TRUE(sheets.ok());
    const auto& last = (*sheets)[0].rows.back().fields;
    EXPECT_EQ(last.at(0), "合计");
    EXPECT_EQ(last.at(8), FormatWan(before.total.plan));
  }

  auto fresh = store::Store::Open(testing::FreshSqlitePath());
  ASSERT_TRUE(fresh.ok());
  ASSERT_TRUE((*fresh)->Migrate().ok());
  stats::StatsEngine engine;
  Register other(**fresh, engine);
  auto pi = other.ImportProjectsFile(Slurp(projects), "t");
  ASSERT_TRUE(pi.ok());
  ASSERT_TRUE(pi->ok()) << FormatImportError(pi->parsed.errors[0]);
  auto ri = other.ImportReportsFile(Slurp(reports), "t");
  ASSERT_TRUE(ri->ok()) << FormatImportError(ri->parsed.errors[0]);
  std::filesystem::remove(projects);
  std::filesystem::remove(reports);
  stats::StatsResult after = other.Stats(q);
  EXPECT_EQ(after.total.projects, before.total.projects);
  EXPECT_EQ(after.total.plan, before.total.plan);
  EXPECT_EQ(after.total.completed, before.total.completed);
  ASSERT_EQ(after.groups.size(), before.groups.size());
  for (size_t i = 0; i < after.groups.size(); ++i) {
    EXPECT_EQ(after.groups[i].key, before.groups[i].key);
    EXPECT_EQ(after.groups[i].completed, before.groups[i].completed);
  }
}

}  // namespace
}  // namespace kp

namespace kp {
namespace {

// Large files are checked on two threads; the errors still come in file order, every one of
// them, and a duplicate across the two halves is found.
TEST(ImportRules, ManyRowsAreCheckedInParallelWithErrorsInFileOrder) {
  std::string projects = "项目编码,项目名称,项目级别\n";
  std::string reports = "项目编码,填报月份,本月完成投资(万元)\n";
  for (int i = 0; i < 10000; ++i) {
    std::string code = "P" + std::to_string(i == 9500 ? 20 : i);  // file row 9502 repeats row 22's code
    std::string level = i == 10 || i == 9000 ? "乡重点" : "县重点";
    projects += code + ",项目" + std::to_string(i) + "," + level + "\n";
    std::string month = i == 9100 ? "2024-13" : "2024-" + std::to_string(1 + i / 1000);  // code, month unique
    reports += "P" + std::to_string(i % 1000) + "," + (i == 9600 ? "2024-01" : month) + "," +
               (i == 50 ? "abc" : "1") + "\n";
  }
  auto p = ParseProjectsFile(projects);
  ASSERT_EQ(p.errors.size(), 3u);
  EXPECT_EQ(p.errors[0].row, 12);
  EXPECT_EQ(p.errors[1].row, 9002);
  EXPECT_EQ(p.errors[2].row, 9502);
  EXPECT_NE(p.errors[2].reason.find("第 22 行重复"), std::string::npos) << p.errors[2].reason;
  EXPECT_TRUE(p.rows.empty());

  std::unordered_set<std::string> known;
  for (int i = 0; i < 1000; ++i) known.insert("P" + std::to_string(i));
  auto r = ParseReportsFile(reports, known);
  // Row 52: bad amount; 9102: bad month; 9602: P600 2024-01 repeats row 602 (P600, 2024-01).
  ASSERT_EQ(r.errors.size(), 3u) << FormatImportError(r.errors.at(0));
  EXPECT_EQ(r.errors[0].row, 52);
  EXPECT_EQ(r.errors[1].row, 9102);
  EXPECT_EQ(r.errors[2].row, 9602);
  EXPECT_NE(r.errors[2].reason.find("第 602 行重复"), std::string::npos) << r.errors[2].reason;

  std::string clean = "项目编码,项目名称,项目级别\n";
  for (int i = 0; i < 9000; ++i) clean += "C" + std::to_string(i) + ",名" + std::to_string(i) + ",市重点\n";
  auto ok = ParseProjectsFile(clean);
  ASSERT_TRUE(ok.errors.empty());
  ASSERT_EQ(ok.rows.size(), 9000u);
  for (int i = 0; i < 9000; i += 1111) EXPECT_EQ(ok.rows[i].project.code, "C" + std::to_string(i));
}

}  // namespace
}  // namespace kp
