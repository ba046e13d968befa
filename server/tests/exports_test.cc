// Exports of the users list and of the project page's tables, read back by the import reader.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "documents/table_reader.h"
#include "domain/exports.h"

namespace kp {
namespace {

std::vector<std::string> RowStarting(const documents::SheetTable& sheet, const std::string& first) {
  for (const CsvRecord& r : sheet.rows) {
    if (!r.fields.empty() && r.fields[0] == first) return r.fields;
  }
  return {};
}

documents::SheetTable ReadBack(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  auto sheets = documents::ReadXlsx(ss.str());
  EXPECT_TRUE(sheets.ok()) << sheets.status().message();
  return sheets.ok() && !sheets->empty() ? sheets->front() : documents::SheetTable{};
}

TEST(ExportUsers, ShowsStateRoleAndRegionButNeverThePasswordHash) {
  constexpr int64_t kNow = 1'711'886'400;  // 2024-03-31T12:00:00Z
  User admin;
  admin.login = "admin";
  admin.display_name = "管理员";
  admin.role = Role::kAdmin;
  admin.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
  admin.must_change_password = false;
  admin.created_at = "2024-01-02T03:04:05Z";
  User locked = admin;
  locked.login = "dept";
  locked.display_name = "水利局";
  locked.role = Role::kDepartment;
  locked.unit = "县水利局";
  locked.region_id = 7;
  locked.must_change_password = true;
  locked.locked_until = kNow + 600;
  User disabled = admin;
  disabled.login = "old";
  disabled.role = Role::kOwner;
  disabled.disabled = true;
  disabled.locked_until = kNow + 600;  // disabled wins over locked
  Region town;
  town.id = 7;
  town.name = "凯江镇";
  town.code = "510623101";
  std::vector<Region> regions = {town};

  std::string path = (std::filesystem::temp_directory_path() / "kp-users-export.xlsx").string();
  ASSERT_TRUE(ExportUsers({admin, locked, disabled}, regions, kNow, path).ok());
  documents::SheetTable sheet = ReadBack(path);
  std::filesystem::remove(path);

  EXPECT_EQ(sheet.name, "用户");
  EXPECT_EQ(sheet.rows.at(0).fields.at(0), "系统用户");
  EXPECT_EQ(sheet.rows.at(1).fields.at(0), "截至 2024-03-31T12:00:00Z    共 3 个用户");
  EXPECT_EQ(RowStarting(sheet, "admin"),
            (std::vector<std::string>{"admin", "管理员", "发改局管理员", "", "", "正常", "", "否", "2024-01-02T03:04:05Z"}));
  EXPECT_EQ(RowStarting(sheet, "dept"), (std::vector<std::string>{"dept", "水利局", "责任单位", "县水利局", "凯江镇", "已锁定",
                                                                  "2024-03-31T12:10:00Z", "是", "2024-01-02T03:04:05Z"}));
  EXPECT_EQ(RowStarting(sheet, "old").at(5), "已停用");
  EXPECT_EQ(RowStarting(sheet, "合计").at(5), "停用 1，锁定 1");
  for (const CsvRecord& r : sheet.rows) {
    for (const std::string& f : r.fields) {
      EXPECT_EQ(f.find("argon2"), std::string::npos) << f;
      EXPECT_EQ(f.find("c2FsdHNhbHQ"), std::string::npos) << f;
    }
  }
}

TEST(ProjectTable, ParsesTheNamesItPrints) {
  for (ProjectTable t : {ProjectTable::kPlans, ProjectTable::kPlanRevisions, ProjectTable::kReports, ProjectTable::kHistory}) {
    EXPECT_EQ(ParseProjectTable(ProjectTableName(t)), t);
  }
  EXPECT_EQ(ParseProjectTable("Reports"), std::nullopt);
  EXPECT_EQ(ParseProjectTable(""), std::nullopt);
}

}  // namespace
}  // namespace kp
