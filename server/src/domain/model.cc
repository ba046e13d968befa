#include "domain/model.h"

#include "common/text.h"

namespace kp {

const char* LevelName(Level l) {
  switch (l) {
    case Level::kProvincial: return "省重点";
    case Level::kMunicipal: return "市重点";
    case Level::kCounty: return "县重点";
  }
  return "?";
}

std::optional<Level> ParseLevel(std::string_view raw) {
  std::string s = NormalizeHeader(raw);
  if (s == "省重点" || s == "省" || s == "省重点项目" || s == "省级" || s == "省级重点" || s == "provincial" || s == "1") {
    return Level::kProvincial;
  }
  if (s == "市重点" || s == "市" || s == "市重点项目" || s == "市级" || s == "市级重点" || s == "municipal" || s == "2") {
    return Level::kMunicipal;
  }
  if (s == "县重点" || s == "县" || s == "县重点项目" || s == "县级" || s == "县级重点" || s == "county" || s == "3") {
    return Level::kCounty;
  }
  return std::nullopt;
}

const char* RoleName(Role r) {
  switch (r) {
    case Role::kAdmin: return "admin";
    case Role::kDepartment: return "department";
    case Role::kOwner: return "owner";
    case Role::kLeader: return "leader";
    case Role::kBank: return "bank";
    case Role::kAuditor: return "auditor";
    case Role::kInvestment: return "investment";
  }
  return "?";
}

std::optional<Role> ParseRole(std::string_view s) {
  for (Role r : kAllRoles) {
    if (s == RoleName(r)) return r;
  }
  return std::nullopt;
}

const std::vector<std::string>& ProjectStatuses() {
  static const std::vector<std::string> kStatuses = {"前期", "新开工", "续建", "在建", "竣工", "投产", "停缓建"};
  return kStatuses;
}

}  // namespace kp
