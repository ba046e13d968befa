#include "domain/project_diff.h"

#include <boost/json.hpp>

namespace kp {
namespace {

boost::json::object Fields(const Project& p) {
  boost::json::object o;
  o["code"] = p.code;
  o["name"] = p.name;
  o["level"] = LevelName(p.level);
  o["nature"] = p.nature;
  o["industry"] = p.industry;
  o["region_id"] = p.region_id ? boost::json::value(*p.region_id) : boost::json::value(nullptr);
  o["total_investment_wan"] = FormatWan(p.total_investment);
  o["owner"] = p.owner;
  o["unit"] = p.unit;
  o["person"] = p.person;
  o["leader"] = p.leader;
  o["is_demo"] = p.is_demo;
  o["status"] = p.status;
  o["planned_start"] = p.planned_start ? boost::json::value(p.planned_start->ToString()) : boost::json::value(nullptr);
  o["planned_end"] = p.planned_end ? boost::json::value(p.planned_end->ToString()) : boost::json::value(nullptr);
  o["content"] = p.content;
  return o;
}

bool IsEmpty(const boost::json::value& v) {
  return v.is_null() || (v.is_string() && v.as_string().empty()) || (v.is_bool() && !v.as_bool());
}

}  // namespace

std::string ProjectSnapshotJson(const Project& p) {
  boost::json::object o = Fields(p);
  o["id"] = p.id;
  return boost::json::serialize(o);
}

std::string ProjectChangesJson(const Project* before, const Project* after) {
  boost::json::object out;
  boost::json::object b = before ? Fields(*before) : boost::json::object{};
  boost::json::object a = after ? Fields(*after) : boost::json::object{};
  const boost::json::object& keys = before ? b : a;
  for (const auto& kv : keys) {
    boost::json::value bv = before ? b.at(kv.key()) : boost::json::value(nullptr);
    boost::json::value av = after ? a.at(kv.key()) : boost::json::value(nullptr);
    if (bv == av) continue;
    if (!before && IsEmpty(av)) continue;
    if (!after && IsEmpty(bv)) continue;
    out[kv.key()] = boost::json::array{bv, av};
  }
  if (out.empty()) return "";
  return boost::json::serialize(out);
}

}  // namespace kp
