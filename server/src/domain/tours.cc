#include "domain/tours.h"

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "domain/audited_setting.h"

namespace kp {
namespace {

constexpr const char* kSheetKey = "tour_sheet";
constexpr size_t kMaxSheetItems = 20;
constexpr size_t kMaxKey = 32;
constexpr size_t kMaxItemName = 50;
constexpr int64_t kMaxItemTenths = 1000;
constexpr size_t kMaxStops = 100;
constexpr size_t kMaxRaters = 50;
constexpr size_t kMaxName = 200;
constexpr size_t kMaxNote = 4000;
constexpr size_t kMaxComment = 500;
constexpr int kMaxDays = 31;

Status CheckText(const std::string& v, const std::string& field, size_t max, TextShape shape) {
  if (v.size() > max) return InvalidArgument("内容过长 (too long)", field);
  if (std::string why = TextProblem(v, shape); !why.empty()) return InvalidArgument(why, field);
  return Status::Ok();
}

}  // namespace

std::vector<TourSheetItem> Tours::DefaultSheet() {
  return {{"investment", "投资完成", 300},
          {"image", "形象进度", 250},
          {"speed", "建设速度", 200},
          {"support", "要素保障与问题解决", 150},
          {"site", "现场管理", 100}};
}

Status Tours::CheckSheet(const std::vector<TourSheetItem>& sheet) {
  if (sheet.empty() || sheet.size() > kMaxSheetItems) return InvalidArgument("评分表应有 1-20 项 (1 to 20 items)", "items");
  std::set<std::string> keys;
  for (size_t i = 0; i < sheet.size(); ++i) {
    const TourSheetItem& it = sheet[i];
    const std::string f = "items[" + std::to_string(i) + "]";
    const bool key_ok = !it.key.empty() && it.key.size() <= kMaxKey &&
                        std::all_of(it.key.begin(), it.key.end(), [](char c) {
                          return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
                        });
    if (!key_ok) return InvalidArgument("第 " + std::to_string(i + 1) + " 项的键应为 1-32 个字母、数字、_ 或 - (bad key)", f + ".key");
    if (!keys.insert(it.key).second) return InvalidArgument("评分项「" + it.key + "」重复 (duplicate key)", f + ".key");
    if (it.name.empty()) return InvalidArgument("第 " + std::to_string(i + 1) + " 项须有名称 (name is required)", f + ".name");
    if (Status s = CheckText(it.name, f + ".name", kMaxItemName, TextShape::kSingleLine); !s.ok()) return s;
    if (it.max_tenths <= 0 || it.max_tenths > kMaxItemTenths) {
      return InvalidArgument("「" + it.name + "」的满分应在 0.1-100 之间 (full points 0.1 to 100)", f + ".max");
    }
  }
  return Status::Ok();
}

namespace {

Result<std::vector<TourSheetItem>> SheetOf(const std::optional<std::string>& v) {
  if (!v || v->empty()) return Tours::DefaultSheet();
  auto sheet = store::TourSheetOf(*v);
  if (sheet.empty()) return Internal("拉练评分表设置已损坏 (the tour sheet setting is corrupt)");
  return sheet;
}

}  // namespace

Result<std::vector<TourSheetItem>> Tours::Sheet() {
  auto v = store_.GetSetting(kSheetKey);
  if (!v.ok()) return v.status();
  return SheetOf(*v);
}

Status Tours::SaveSheet(const std::vector<TourSheetItem>& sheet, const Actor& by) {
  if (Status s = CheckSheet(sheet); !s.ok()) return s;
  AuditEntry e;
  e.actor = by.login;
  e.ip = by.ip;
  e.action = "update";
  e.entity = kSheetKey;
  return SaveAuditedSetting(store_, kSheetKey, store::TourSheetText(sheet), e,
                            [](const std::optional<std::string>& stored) -> Result<std::string> {
                              auto before = SheetOf(stored);
                              if (!before.ok()) return before.status();
                              return store::TourSheetText(*before);
                            });
}

bool Tours::MayRate(const User& u) {
  return !u.disabled && (u.role == Role::kAdmin || u.role == Role::kLeader || u.role == Role::kDepartment);
}

Status Tours::Check(const Tour& t) {
  if (t.name.empty()) return InvalidArgument("请填写拉练名称 (name is required)", "name");
  if (Status s = CheckText(t.name, "name", kMaxName, TextShape::kSingleLine); !s.ok()) return s;
  if (Status s = CheckText(t.note, "note", kMaxNote, TextShape::kMultiLine); !s.ok()) return s;
  for (auto [d, field] : {std::pair{&t.start, "start"}, std::pair{&t.end, "end"}}) {
    if (!IsValidDate(*d) || d->year < 1990 || d->year > 2100) return InvalidArgument("日期不存在或超出 1990-2100 (bad date)", field);
  }
  if (t.end < t.start) return InvalidArgument("结束日期早于开始日期 (end before start)", "end");
  if (DayNumber(t.end) - DayNumber(t.start) >= kMaxDays) return InvalidArgument("拉练最长 31 天 (at most 31 days)", "end");
  if (t.stops.empty()) return InvalidArgument("请至少安排一个拉练项目 (a route needs a stop)", "stops");
  if (t.stops.size() > kMaxStops) return InvalidArgument("拉练项目最多 100 个 (at most 100 stops)", "stops");
  std::set<int64_t> seen;
  auto briefs = reg_.stats_engine().Briefs([&] {
    std::vector<int64_t> ids;
    for (const TourStop& s : t.stops) ids.push_back(s.project_id);
    return ids;
  }());
  for (size_t i = 0; i < t.stops.size(); ++i) {
    const std::string field = "stops[" + std::to_string(i) + "].project_id";
    if (!seen.insert(t.stops[i].project_id).second) {
      const std::string what = briefs[i] ? "「" + briefs[i]->name + "」" : "#" + std::to_string(t.stops[i].project_id);
      return InvalidArgument("第 " + std::to_string(i + 1) + " 站：项目" + what + "在路线中重复出现 (a project listed twice)", field);
    }
  }
  if (t.raters.empty()) return InvalidArgument("请至少指定一名评分人 (a tour needs a rater)", "raters");
  if (t.raters.size() > kMaxRaters) return InvalidArgument("评分人最多 50 名 (at most 50 raters)", "raters");
  std::set<std::string> logins;
  for (size_t i = 0; i < t.raters.size(); ++i) {
    const std::string field = "raters[" + std::to_string(i) + "]";
    const std::string& login = t.raters[i];
    if (!logins.insert(login).second) return InvalidArgument("评分人「" + login + "」重复 (a rater listed twice)", field);
    auto u = store_.FindUser(login);
    if (!u.ok()) return u.status();
    if (!*u) return InvalidArgument("没有用户「" + login + "」(no such user)", field);
    if (!MayRate(**u)) {
      return InvalidArgument("用户「" + login + "」不能担任评分人：须为发改局、领导或部门的在用账号 (a rater is a bureau, leader or department user)",
                             field);
    }
  }
  return Status::Ok();
}

Result<std::vector<Tour>> Tours::List(const User& user) {
  auto list = tours_.List();
  if (!list.ok()) return list.status();
  if (user.role != Role::kDepartment) return list;
  std::vector<Tour> out;
  for (Tour& t : *list) {
    if (std::find(t.raters.begin(), t.raters.end(), user.login) != t.raters.end()) out.push_back(std::move(t));
  }
  return out;
}

Result<Tour> Tours::Get(int64_t id, const User& user) {
  auto t = tours_.Get(id);
  if (!t.ok()) return t.status();
  if (user.role == Role::kDepartment && std::find(t->raters.begin(), t->raters.end(), user.login) == t->raters.end()) {
    return NotFound("没有该拉练 (no such tour)");
  }
  return t;
}

Result<Tour> Tours::Save(const Tour& input, const Actor& by) {
  Tour t = input;
  t.name = std::string(Trim(t.name));
  for (auto& r : t.raters) r = std::string(Trim(r));
  if (Status s = Check(t); !s.ok()) return s;
  if (t.id == 0) {
    auto sheet = Sheet();
    if (!sheet.ok()) return sheet.status();
    t.sheet = *sheet;
    return tours_.Create(t, by);
  }
  return tours_.Replace(t, by, [&t](const Tour& before, const std::vector<TourScore>& scores) -> Status {
    for (const TourScore& s : scores) {
      const bool stop_kept = std::any_of(before.stops.begin(), before.stops.end(), [&](const TourStop& b) {
        return b.id == s.stop_id && std::any_of(t.stops.begin(), t.stops.end(),
                                                [&](const TourStop& a) { return a.project_id == b.project_id; });
      });
      if (!stop_kept) {
        return Status(ErrorCode::kConflict, "已有评分的拉练项目不能从路线中删除 (a stop with scores stays on the route)", "stops");
      }
      if (std::find(t.raters.begin(), t.raters.end(), s.rater) == t.raters.end()) {
        return Status(ErrorCode::kConflict,
                      "评分人「" + s.rater + "」已评分，不能移出评分人名单 (a rater who scored stays on the tour)", "raters");
      }
    }
    return Status::Ok();
  });
}

Result<std::vector<TourScore>> Tours::Scores(int64_t tour_id) { return tours_.Scores(tour_id); }

Result<std::vector<TourScore>> Tours::Score(int64_t tour_id, int64_t stop_id, int version,
                                            const std::vector<TourScore>& input, const User& user, const Actor& by) {
  std::vector<TourScore> items = input;
  for (size_t i = 0; i < items.size(); ++i) {
    items[i].comment = std::string(Trim(items[i].comment));
    if (Status s = CheckText(items[i].comment, "items[" + std::to_string(i) + "].comment", kMaxComment, TextShape::kMultiLine);
        !s.ok()) {
      return s;
    }
  }
  const std::string login = user.login;
  return tours_.SaveScores(tour_id, stop_id, login, version, items, by, [&](const Tour& t) -> Status {
    if (std::find(t.raters.begin(), t.raters.end(), login) == t.raters.end()) {
      return Status(ErrorCode::kPermissionDenied, "您不是本次拉练的评分人 (you are not a rater of this tour)");
    }
    if (t.status == TourStatus::kEnded) return Conflict("拉练已结束，不能再评分 (the tour has ended)");
    if (std::none_of(t.stops.begin(), t.stops.end(), [&](const TourStop& s) { return s.id == stop_id; })) {
      return NotFound("本次拉练没有该站 (no such stop on this tour)");
    }
    std::set<std::string> given;
    for (size_t i = 0; i < items.size(); ++i) {
      const TourScore& x = items[i];
      const std::string field = "items[" + std::to_string(i) + "]";
      auto it = std::find_if(t.sheet.begin(), t.sheet.end(), [&](const TourSheetItem& s) { return s.key == x.item; });
      if (it == t.sheet.end()) return InvalidArgument("评分表没有「" + x.item + "」这一项 (no such item)", field + ".key");
      if (!given.insert(x.item).second) return InvalidArgument("「" + it->name + "」评了两次 (an item scored twice)", field + ".key");
      if (x.points_tenths < 0 || x.points_tenths > it->max_tenths) {
        return InvalidArgument("「" + it->name + "」应在 0-" + stats::TenthsText(it->max_tenths) + " 分之间 (" + it->key +
                                   ": points 0 to " + stats::TenthsText(it->max_tenths) + ")",
                               field + ".points");
      }
    }
    for (const TourSheetItem& s : t.sheet) {
      if (!given.count(s.key)) return InvalidArgument("请为「" + s.name + "」评分 (" + s.key + " is required)", "items");
    }
    return Status::Ok();
  });
}

Result<std::map<std::string, std::string>> Tours::Names() {
  auto users = store_.ListUsers();
  if (!users.ok()) return users.status();
  std::map<std::string, std::string> names;
  for (const User& u : *users) names[u.login] = u.display_name.empty() ? u.login : u.display_name;
  return names;
}

Result<stats::TourResult> Tours::ResultOf(const Tour& t, stats::GroupBy by, std::optional<int> region_depth,
                                          const std::map<std::string, std::string>& names) {
  auto scores = tours_.Scores(t.id);
  if (!scores.ok()) return scores.status();
  std::vector<int64_t> ids;
  for (const TourStop& s : t.stops) ids.push_back(s.project_id);
  auto briefs = reg_.stats_engine().Briefs(ids);
  auto groups = reg_.stats_engine().GroupKeys(ids, by, region_depth);
  std::vector<stats::TourStopInput> stops;
  for (size_t i = 0; i < t.stops.size(); ++i) {
    stats::TourStopInput in;
    in.stop_id = t.stops[i].id;
    in.project_id = t.stops[i].project_id;
    in.seq = static_cast<int>(i + 1);
    if (briefs[i]) {
      in.code = briefs[i]->code;
      in.name = briefs[i]->name;
    }
    in.group = groups[i].empty() ? "（已删除项目）" : groups[i];
    stops.push_back(std::move(in));
  }
  return stats::ComputeTourResult(t, stops, *scores, names);
}

Result<stats::TourResult> Tours::Results(int64_t tour_id, stats::GroupBy by, std::optional<int> region_depth) {
  if (by != stats::GroupBy::kRegion && by != stats::GroupBy::kUnit) {
    return InvalidArgument("by 应为 region 或 unit (tours rank townships or units)", "by");
  }
  auto t = tours_.Get(tour_id);
  if (!t.ok()) return t.status();
  auto names = Names();
  if (!names.ok()) return names.status();
  return ResultOf(*t, by, region_depth, *names);
}

Result<stats::TourPeriodFigures> Tours::PeriodFigures(const Date& from, const Date& to, stats::GroupBy by,
                                                      std::optional<int> region_depth) {
  auto list = tours_.EndedWithin(from, to);
  if (!list.ok()) return list.status();
  std::vector<stats::TourResult> results;
  for (const Tour& t : *list) {
    auto r = ResultOf(t, by, region_depth, {});
    if (!r.ok()) return r.status();
    results.push_back(std::move(*r));
  }
  return stats::TourFiguresOfPeriod(results);
}

}  // namespace kp
