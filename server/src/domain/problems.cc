#include "domain/problems.h"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <unordered_set>

#include "domain/audited_setting.h"

namespace kp {

namespace {

constexpr size_t kMaxTextBytes = 12000;
constexpr size_t kMaxFieldBytes = 600;
constexpr size_t kMaxCoUnits = 20;
constexpr const char* kSettingsKey = "problem_settings";

const char* ActionLabel(const std::string& a) {
  static const std::pair<const char*, const char*> kLabels[] = {
      {"raise", "提出"},          {"assign", "交办"},          {"object", "异议"},
      {"answer", "办结反馈"},      {"return", "退回"},          {"confirm", "销号"},
      {"extend", "申请延期"},      {"approve_extension", "同意延期"}, {"refuse_extension", "不同意延期"},
      {"reopen", "重新打开"},      {"escalate", "升级督办"},    {"edit", "修改"},
      {"import", "导入"}};
  for (auto [k, v] : kLabels) {
    if (a == k) return v;
  }
  return "";
}

constexpr const char* kActions[] = {"assign", "object", "answer", "return", "confirm", "extend",
                                    "approve_extension", "refuse_extension", "reopen", "escalate"};

// Whether the move is legal from p's state, whoever asks.
bool Legal(const std::string& a, const Problem& p) {
  using S = ProblemState;
  if (a == "assign") return p.state == S::kPending;
  if (a == "object") return p.state == S::kWorking;
  if (a == "answer") return p.state == S::kWorking;
  if (a == "return" || a == "confirm") return p.state == S::kAnswered;
  if (a == "extend") return p.state == S::kWorking && !p.ext_deadline;
  if (a == "approve_extension" || a == "refuse_extension") return p.ext_deadline.has_value() && p.state != S::kClosed;
  if (a == "reopen") return p.state == S::kClosed;
  if (a == "escalate") return p.state != S::kClosed && p.escalation < 4;
  return false;
}

bool IsLead(const User& u, const Problem& p) {
  return u.role == Role::kDepartment && !u.unit.empty() && u.unit == p.lead_unit;
}

// Whether this user may make the move (the state aside).
bool Permitted(const std::string& a, const Problem& p, const User& u) {
  const bool admin = u.role == Role::kAdmin;
  if (a == "assign" || a == "approve_extension" || a == "refuse_extension" || a == "reopen" || a == "escalate") return admin;
  if (a == "object" || a == "extend") return IsLead(u, p);
  if (a == "answer") return admin || IsLead(u, p);
  const bool raiser = u.login == p.raised_by && u.role != Role::kBank && u.role != Role::kAuditor;
  if (a == "return") return admin || raiser;
  // Separation of duties: the unit that answers does not close its own answer.
  if (a == "confirm") return admin || (raiser && !IsLead(u, p));
  return false;
}

Status CheckText(const std::string& v, const char* field, size_t max, TextShape shape) {
  if (v.size() > max) return InvalidArgument("内容过长 (too long)", field);
  if (std::string why = TextProblem(v, shape); !why.empty()) return InvalidArgument(why, field);
  return Status::Ok();
}

Status CheckDay(const Date& d, const char* field) {
  if (!IsValidDate(d) || d.year < 1990 || d.year > 2100) {
    return InvalidArgument("日期不存在或超出 1990-2100 (bad date): " + d.ToString(), field);
  }
  return Status::Ok();
}

boost::json::value DateJson(const std::optional<Date>& d) {
  return d ? boost::json::value(d->ToString()) : boost::json::value(nullptr);
}

std::string Short(const std::string& text, size_t max_bytes = 90) {
  if (text.size() <= max_bytes) return text;
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
  return text.substr(0, cut) + "…";
}

}  // namespace

const ProblemSettings& DefaultProblemSettings() {
  static const ProblemSettings kDefaults = [] {
    ProblemSettings s;
    s.categories = {"用地", "规划", "环评", "节能", "资金", "审批", "拆迁/征地", "水电气讯", "施工许可", "劳务", "其他"};
    s.sources = {"月报", "现场督导", "拉练", "业主反映", "领导交办"};
    s.escalation_days = 7;
    s.levels[0].name = "责任单位分管负责人";
    s.levels[1].name = "责任单位主要负责人";
    s.levels[2].name = "包抓县领导";
    s.levels[3].name = "县委县政府主要领导";
    return s;
  }();
  return kDefaults;
}

std::string EscalationLabel(const ProblemSettings& s, int level) {
  static const char* kNames[] = {"一级督办", "二级督办", "三级督办", "四级督办"};
  if (level < 1 || level > 4) return "";
  return std::string(kNames[level - 1]) + "(" + s.levels[level - 1].name + ")";
}

namespace {

// The settings as stored (or the defaults); a field that does not read keeps its default.
ProblemSettings ProblemSettingsOf(const std::optional<std::string>& v) {
  ProblemSettings s = DefaultProblemSettings();
  if (!v || v->empty()) return s;
  boost::system::error_code ec;
  auto j = boost::json::parse(*v, ec);
  if (ec || !j.is_object()) return s;
  const auto& o = j.as_object();
  auto strings = [](const boost::json::value* a, std::vector<std::string>& into) {
    if (!a || !a->is_array()) return;
    into.clear();
    for (const auto& e : a->as_array()) {
      if (e.is_string()) into.emplace_back(e.as_string());
    }
  };
  strings(o.if_contains("categories"), s.categories);
  strings(o.if_contains("sources"), s.sources);
  if (auto* d = o.if_contains("escalation_days"); d && d->is_int64()) s.escalation_days = static_cast<int>(d->as_int64());
  if (auto* l = o.if_contains("levels"); l && l->is_array()) {
    for (size_t i = 0; i < 4 && i < l->as_array().size(); ++i) {
      const auto& e = l->as_array()[i];
      if (!e.is_object()) continue;
      if (auto* n = e.as_object().if_contains("name"); n && n->is_string()) s.levels[i].name = n->as_string();
      strings(e.as_object().if_contains("logins"), s.levels[i].logins);
    }
  }
  return s;
}

}  // namespace

Result<ProblemSettings> Problems::Settings() {
  auto v = store_.GetSetting(kSettingsKey);
  if (!v.ok()) return v.status();
  return ProblemSettingsOf(*v);
}

Status Problems::SaveSettings(const ProblemSettings& s, const Actor& by) {
  auto list = [](const std::vector<std::string>& v, const char* field) -> Status {
    if (v.empty()) return InvalidArgument("至少需要一项 (at least one is needed)", field);
    if (v.size() > 100) return InvalidArgument("最多 100 项 (at most 100)", field);
    std::unordered_set<std::string> seen;
    for (const auto& e : v) {
      if (e.empty()) return InvalidArgument("不能为空 (empty entry)", field);
      if (Status st = CheckText(e, field, 60, TextShape::kSingleLine); !st.ok()) return st;
      if (!seen.insert(e).second) return InvalidArgument("「" + e + "」重复 (duplicate)", field);
    }
    return Status::Ok();
  };
  if (Status st = list(s.categories, "categories"); !st.ok()) return st;
  if (Status st = list(s.sources, "sources"); !st.ok()) return st;
  if (s.escalation_days < 1 || s.escalation_days > 365) return InvalidArgument("升级天数应为 1-365 (escalation days 1-365)", "escalation_days");
  for (const auto& l : s.levels) {
    if (l.name.empty()) return InvalidArgument("督办层级名称不能为空 (level name is required)", "levels");
    if (Status st = CheckText(l.name, "levels", 120, TextShape::kSingleLine); !st.ok()) return st;
    if (l.logins.size() > 100) return InvalidArgument("每级最多 100 个账号 (at most 100 logins a level)", "levels");
    for (const auto& login : l.logins) {
      if (Status st = CheckText(login, "levels", 120, TextShape::kSingleLine); !st.ok()) return st;
    }
  }
  // Every login named must be a user (a typo would tell nobody).
  auto users = store_.ListUsers();
  if (!users.ok()) return users.status();
  std::unordered_set<std::string> known;
  for (const User& u : *users) known.insert(u.login);
  for (size_t i = 0; i < s.levels.size(); ++i) {
    for (const auto& login : s.levels[i].logins) {
      if (!known.count(login)) {
        return InvalidArgument("第" + std::to_string(i + 1) + "级督办：没有账号「" + login + "」(unknown login: " + login + ")", "levels");
      }
    }
  }
  auto json = [](const ProblemSettings& x) {
    boost::json::array cats, srcs, levels;
    for (const auto& c : x.categories) cats.emplace_back(c);
    for (const auto& c : x.sources) srcs.emplace_back(c);
    for (const auto& l : x.levels) {
      boost::json::array logins;
      for (const auto& n : l.logins) logins.emplace_back(n);
      levels.emplace_back(boost::json::object{{"name", l.name}, {"logins", std::move(logins)}});
    }
    return boost::json::serialize(boost::json::object{{"categories", std::move(cats)},
                                                      {"sources", std::move(srcs)},
                                                      {"escalation_days", x.escalation_days},
                                                      {"levels", std::move(levels)}});
  };
  AuditEntry e;
  e.actor = by.login;
  e.ip = by.ip;
  e.action = "update";
  e.entity = "problem_settings";
  return SaveAuditedSetting(store_, kSettingsKey, json(s), e, [&json](const std::optional<std::string>& stored) -> Result<std::string> {
    return json(ProblemSettingsOf(stored));
  });
}

Status Problems::CheckFields(const Problem& p, const ProblemSettings& s) {
  if (p.text.empty()) return InvalidArgument("问题描述不能为空 (problem text is required)", "text");
  if (Status st = CheckText(p.text, "text", kMaxTextBytes, TextShape::kMultiLine); !st.ok()) return st;
  if (std::find(s.categories.begin(), s.categories.end(), p.category) == s.categories.end()) {
    return InvalidArgument("未知的问题类别「" + p.category + "」(unknown category)", "category");
  }
  if (std::find(s.sources.begin(), s.sources.end(), p.source) == s.sources.end()) {
    return InvalidArgument("未知的问题来源「" + p.source + "」(unknown source)", "source");
  }
  if (Status st = CheckText(p.lead_unit, "lead_unit", kMaxFieldBytes, TextShape::kSingleLine); !st.ok()) return st;
  if (Status st = CheckText(p.person, "person", kMaxFieldBytes, TextShape::kSingleLine); !st.ok()) return st;
  if (p.co_units.size() > kMaxCoUnits) return InvalidArgument("协办单位最多 20 个 (at most 20 co-units)", "co_units");
  for (const auto& u : p.co_units) {
    if (u.empty()) return InvalidArgument("协办单位不能为空 (empty co-unit)", "co_units");
    if (Status st = CheckText(u, "co_units", kMaxFieldBytes, TextShape::kSingleLine); !st.ok()) return st;
  }
  if (Status st = CheckDay(p.raised_on, "raised_on"); !st.ok()) return st;
  if (p.raised_on > TodayBeijing()) return InvalidArgument("提出日期不能晚于今天 (date raised in the future)", "raised_on");
  if (p.deadline) {
    if (Status st = CheckDay(*p.deadline, "deadline"); !st.ok()) return st;
    if (*p.deadline < p.raised_on) return InvalidArgument("办结时限早于提出日期 (deadline before the date raised)", "deadline");
  }
  return Status::Ok();
}

Result<Problem> Problems::Raise(Problem p, const User& user, const Actor& by,
                                const std::function<Status(soci::session&, int64_t)>& link) {
  auto s = Settings();
  if (!s.ok()) return s.status();
  p.text = std::string(Trim(p.text));
  if (p.report_month) {
    if (p.source.empty()) p.source = "月报";
    if (p.text.empty()) {
      auto reports = store_.ListReports(p.project_id);
      if (!reports.ok()) return reports.status();
      for (const auto& r : *reports) {
        if (r.month == *p.report_month) p.text = std::string(Trim(r.problems));
      }
      if (p.text.empty()) {
        return InvalidArgument("该月报没有填写存在问题 (the report names no problem): " + p.report_month->ToString(), "report_month");
      }
    }
  }
  if (p.category.empty()) p.category = "其他";
  if (p.source.empty()) p.source = user.role == Role::kLeader ? "领导交办" : "业主反映";
  if (p.raised_on.year == 0) p.raised_on = TodayBeijing();
  p.raised_by = by.login;
  p.state = ProblemState::kPending;
  p.closed_on.reset();
  p.escalation = 0;
  p.ext_deadline.reset();
  p.answer.clear();
  if (Status st = CheckFields(p, *s); !st.ok()) return st;
  // What the assignment below would refuse is refused before anything is written.
  if (user.role == Role::kAdmin && !p.lead_unit.empty() && p.deadline && *p.deadline < TodayBeijing()) {
    return InvalidArgument("办结时限不能早于今天 (deadline in the past)", "deadline");
  }
  ProblemEvent e;
  e.on = TodayBeijing();
  e.by = by.login;
  e.action = "raise";
  e.to_state = ProblemStateName(p.state);
  e.data = boost::json::serialize(boost::json::object{{"source", p.source}});
  auto out = problems_.Insert(p, e, by, link);
  if (!out.ok()) return out.status();
  // The bureau may assign at once.
  if (user.role == Role::kAdmin && !p.lead_unit.empty() && p.deadline) {
    ProblemAction a;
    a.name = "assign";
    a.version = out->version;
    a.lead_unit = p.lead_unit;
    a.co_units = p.co_units;
    a.person = p.person;
    a.deadline = p.deadline;
    return Act(out->id, a, user, by);
  }
  return out;
}

Result<Problem> Problems::Edit(const Problem& input, const User& user, const Actor& by) {
  auto s = Settings();
  if (!s.ok()) return s.status();
  auto cur = problems_.Get(input.id);
  if (!cur.ok()) return cur.status();
  if (!CanSee(user, *cur)) return NotFound("没有该问题 (no such problem)");
  if (user.role == Role::kAdmin && cur->state == ProblemState::kClosed) {
    return Status(ErrorCode::kConflict, "已销号的问题不能修改，请先重新打开 (a closed problem cannot be edited; reopen it first)", "state");
  }
  const bool may = user.role == Role::kAdmin || (user.login == cur->raised_by && cur->state == ProblemState::kPending);
  if (!may) return Status(ErrorCode::kPermissionDenied, "只有发改局或提出人（待交办时）可以修改问题 (only the bureau, or the raiser while pending, may edit)");
  Problem p = *cur;
  p.version = input.version;
  p.category = input.category;
  p.text = std::string(Trim(input.text));
  p.source = input.source;
  p.person = input.person;
  p.deadline = input.deadline;
  // A problem in hand (办理中/待销号) keeps a deadline: its lead unit is held to one.
  const bool in_hand = p.state == ProblemState::kWorking || p.state == ProblemState::kAnswered;
  if (in_hand && !p.deadline) {
    return InvalidArgument("办理中或待销号的问题必须有办结时限 (a problem in hand needs a deadline)", "deadline");
  }
  if (Status st = CheckFields(p, *s); !st.ok()) return st;
  ProblemEvent e;
  e.on = TodayBeijing();
  e.by = by.login;
  e.action = "edit";
  e.from_state = e.to_state = ProblemStateName(p.state);
  return problems_.Update(p, e, by);
}

std::vector<std::string> Problems::Allowed(const Problem& p, const User& user) const {
  std::vector<std::string> out;
  for (const char* a : kActions) {
    if (Legal(a, p) && Permitted(a, p, user)) out.emplace_back(a);
  }
  const bool edit = (user.role == Role::kAdmin && p.state != ProblemState::kClosed) ||
                    (user.login == p.raised_by && p.state == ProblemState::kPending);
  if (edit) out.emplace_back("edit");
  return out;
}

Result<Problem> Problems::Act(int64_t id, const ProblemAction& a, const User& user, const Actor& by) {
  if (std::find_if(std::begin(kActions), std::end(kActions), [&](const char* k) { return a.name == k; }) == std::end(kActions)) {
    return Status(ErrorCode::kNotFound, "未知的操作 (unknown action): " + a.name, "action");
  }
  auto settings = Settings();
  if (!settings.ok()) return settings.status();
  auto cur = problems_.Get(id);
  if (!cur.ok()) return cur.status();
  if (!CanSee(user, *cur)) return NotFound("没有该问题 (no such problem)");
  if (a.version <= 0) return InvalidArgument("缺少版本号 (version is required)", "version");
  if (cur->version != a.version) {
    return Status(ErrorCode::kConflict, "问题已被他人处理，请刷新后重试 (the problem was changed by someone else)");
  }
  const std::string label = ActionLabel(a.name);
  if (!Legal(a.name, *cur)) {
    std::string why = "当前状态「" + std::string(ProblemStateLabel(cur->state)) + "」不能" + label;
    if (a.name == "extend" && cur->ext_deadline) why = "已有待审批的延期申请 (an extension is already pending)";
    else if ((a.name == "approve_extension" || a.name == "refuse_extension") && !cur->ext_deadline) why = "没有待审批的延期申请 (no extension is pending)";
    else if (a.name == "escalate" && cur->escalation >= 4) why = "已是最高督办层级 (already at the top level)";
    else why += " (not allowed from state " + std::string(ProblemStateName(cur->state)) + ")";
    return Status(ErrorCode::kConflict, why, "action");
  }
  if (!Permitted(a.name, *cur, user)) {
    if (a.name == "confirm" && IsLead(user, *cur)) {
      return Status(ErrorCode::kPermissionDenied,
                    "主办单位不能为本单位的办理结果销号，须由发改局或提出人（非主办单位）销号 "
                    "(separation of duties: the lead unit may not confirm its own answer)");
    }
    return Status(ErrorCode::kPermissionDenied, "无权" + label + "该问题 (not permitted: " + a.name + ")");
  }
  std::string note = std::string(Trim(a.note));
  if (Status st = CheckText(note, "note", kMaxTextBytes, TextShape::kMultiLine); !st.ok()) return st;
  auto need_note = [&](const char* what) -> Status {
    if (note.empty()) return InvalidArgument(std::string("请填写") + what + " (a note is required)", "note");
    return Status::Ok();
  };
  const Date today = TodayBeijing();
  Problem p = *cur;
  ProblemEvent e;
  e.on = today;
  e.by = by.login;
  e.action = a.name;
  e.from_state = ProblemStateName(cur->state);
  e.note = note;
  boost::json::object data;
  using S = ProblemState;
  if (a.name == "assign") {
    if (!a.lead_unit || Trim(*a.lead_unit).empty()) return InvalidArgument("请选择主办单位 (lead unit is required)", "lead_unit");
    if (!a.deadline) return InvalidArgument("请填写办结时限 (deadline is required)", "deadline");
    p.lead_unit = std::string(Trim(*a.lead_unit));
    if (a.co_units) {
      p.co_units.clear();
      for (const auto& u : *a.co_units) {
        std::string t(Trim(u));
        if (!t.empty() && t != p.lead_unit && std::find(p.co_units.begin(), p.co_units.end(), t) == p.co_units.end()) p.co_units.push_back(t);
      }
    }
    if (a.person) p.person = std::string(Trim(*a.person));
    p.deadline = a.deadline;
    if (Status st = CheckDay(*p.deadline, "deadline"); !st.ok()) return st;
    if (*p.deadline < today) return InvalidArgument("办结时限不能早于今天 (deadline in the past)", "deadline");
    if (Status st = CheckText(p.lead_unit, "lead_unit", kMaxFieldBytes, TextShape::kSingleLine); !st.ok()) return st;
    if (Status st = CheckText(p.person, "person", kMaxFieldBytes, TextShape::kSingleLine); !st.ok()) return st;
    if (p.co_units.size() > kMaxCoUnits) return InvalidArgument("协办单位最多 20 个 (at most 20 co-units)", "co_units");
    for (const auto& u : p.co_units) {
      if (Status st = CheckText(u, "co_units", kMaxFieldBytes, TextShape::kSingleLine); !st.ok()) return st;
    }
    p.state = S::kWorking;
    boost::json::array co;
    for (const auto& u : p.co_units) co.emplace_back(u);
    data = {{"lead_unit", p.lead_unit}, {"co_units", std::move(co)}, {"person", p.person}, {"deadline", DateJson(p.deadline)}};
  } else if (a.name == "object") {
    if (Status st = need_note("异议理由"); !st.ok()) return st;
    data = {{"lead_unit", p.lead_unit}};
    p.state = S::kPending;
    p.ext_deadline.reset();
    p.ext_reason.clear();
    p.ext_by.clear();
  } else if (a.name == "answer") {
    if (Status st = need_note("办理结果"); !st.ok()) return st;
    p.answer = note;
    p.state = S::kAnswered;
  } else if (a.name == "return") {
    if (Status st = need_note("退回理由"); !st.ok()) return st;
    p.state = S::kWorking;
  } else if (a.name == "confirm") {
    const Date on = a.date.value_or(today);
    if (Status st = CheckDay(on, "date"); !st.ok()) return st;
    if (on > today) return InvalidArgument("办结日期不能晚于今天 (closing date in the future)", "date");
    if (on < p.raised_on) return InvalidArgument("办结日期早于提出日期 (closing date before the date raised)", "date");
    p.closed_on = on;
    p.close_note = note;
    p.state = S::kClosed;
    p.ext_deadline.reset();
    p.ext_reason.clear();
    p.ext_by.clear();
    e.on = on;
    data = {{"closed_on", on.ToString()}};
  } else if (a.name == "extend") {
    if (Status st = need_note("延期理由"); !st.ok()) return st;
    if (!a.deadline) return InvalidArgument("请填写新的办结时限 (new deadline is required)", "deadline");
    if (Status st = CheckDay(*a.deadline, "deadline"); !st.ok()) return st;
    if (p.deadline && *a.deadline <= *p.deadline) return InvalidArgument("新的办结时限须晚于原时限 (the new deadline must be later)", "deadline");
    p.ext_deadline = a.deadline;
    p.ext_reason = note;
    p.ext_by = by.login;
    data = {{"deadline", a.deadline->ToString()}, {"was", DateJson(p.deadline)}};
  } else if (a.name == "approve_extension") {
    data = {{"deadline", p.ext_deadline->ToString()}, {"was", DateJson(p.deadline)}};
    p.deadline = p.ext_deadline;
    p.ext_deadline.reset();
    p.ext_reason.clear();
    p.ext_by.clear();
  } else if (a.name == "refuse_extension") {
    data = {{"deadline", p.ext_deadline->ToString()}};
    p.ext_deadline.reset();
    p.ext_reason.clear();
    p.ext_by.clear();
  } else if (a.name == "reopen") {
    if (Status st = need_note("重新打开的理由"); !st.ok()) return st;
    data = {{"closed_on", DateJson(p.closed_on)}};
    p.closed_on.reset();
    p.state = S::kWorking;
  } else if (a.name == "escalate") {
    const int level = a.level.value_or(p.escalation + 1);
    if (level <= p.escalation || level > 4) {
      return InvalidArgument("督办层级应高于当前层级且不超过 4 (level must be above the current, at most 4)", "level");
    }
    p.escalation = level;
    data = {{"level", level}, {"manual", true}, {"label", EscalationLabel(*settings, level)}};
  }
  e.to_state = ProblemStateName(p.state);
  e.data = boost::json::serialize(data);
  auto out = problems_.Update(p, e, by);
  if (!out.ok()) return out.status();
  if (a.name == "escalate") {
    auto n = Notify({{*out, out->escalation}}, *settings, today);
    if (!n.ok()) return n.status();
  }
  return out;
}

std::optional<int> OverdueDays(const Problem& p, const Date& as_of) {
  if (p.state == ProblemState::kClosed || !p.deadline || !(*p.deadline < as_of)) return std::nullopt;
  return DayNumber(as_of) - DayNumber(*p.deadline);
}

// --- the cache ---------------------------------------------------------------------------------

Status Problems::Sync() {
  auto last = problems_.LastEventId();
  if (!last.ok()) return last.status();
  if (*last == last_event_) return Status::Ok();
  const int64_t after = (last_event_ < 0 || *last < last_event_) ? 0 : last_event_;
  int64_t new_last = 0;
  auto rows = problems_.LoadSince(after, &new_last);
  if (!rows.ok()) return rows.status();
  if (after == 0) cache_.clear();
  for (auto& r : *rows) {
    const int64_t id = r.problem.id;
    cache_[id] = std::move(r);
  }
  last_event_ = new_last;
  ++cache_generation_;
  return Status::Ok();
}

void Problems::RefreshBriefs() {
  const uint64_t engine = reg_.stats_engine().generation();
  if (briefs_cache_generation_ == cache_generation_ && briefs_engine_generation_ == engine) return;
  std::vector<int64_t> ids;
  std::unordered_set<int64_t> seen;
  for (const auto& [id, lp] : cache_) {
    if (seen.insert(lp.problem.project_id).second) ids.push_back(lp.problem.project_id);
  }
  auto briefs = reg_.stats_engine().Briefs(ids);
  for (auto& [id, b] : briefs_) b.reset();  // a project no problem names any more reads as not live
  for (size_t i = 0; i < ids.size(); ++i) briefs_[ids[i]] = std::move(briefs[i]);
  briefs_cache_generation_ = cache_generation_;
  briefs_engine_generation_ = engine;
}

void Problems::RefreshOrder() {
  if (order_generation_ == cache_generation_) return;
  order_.clear();
  order_.reserve(cache_.size());
  for (const auto& [id, lp] : cache_) {
    const Problem& p = lp.problem;
    order_.push_back(Listed{&p, &briefs_.at(p.project_id), p.deadline ? DayNumber(*p.deadline) : stats::kNoDay, p.state});
  }
  std::sort(order_.begin(), order_.end(), [](const Listed& x, const Listed& y) {
    const bool xo = x.state != ProblemState::kClosed, yo = y.state != ProblemState::kClosed;
    if (xo != yo) return xo;
    if (xo) {
      const bool xd = x.deadline != stats::kNoDay, yd = y.deadline != stats::kNoDay;
      if (xd != yd) return xd;
      if (x.deadline != y.deadline) return x.deadline < y.deadline;
      return x.problem->id < y.problem->id;
    }
    if (x.problem->closed_on != y.problem->closed_on) return x.problem->closed_on > y.problem->closed_on;
    return x.problem->id > y.problem->id;
  });
  order_generation_ = cache_generation_;
}

std::optional<stats::StatsEngine::ProjectBrief> Problems::BriefOf(int64_t project_id) {
  auto b = reg_.stats_engine().Briefs({project_id});
  return b.front();
}

bool Problems::SeesLocked(const User& u, const Problem& p, const stats::StatsEngine::ProjectBrief& b) const {
  switch (u.role) {
    case Role::kAdmin:
    case Role::kLeader:
    case Role::kAuditor: return true;
    case Role::kDepartment:
      return !u.unit.empty() && (p.lead_unit == u.unit || b.unit == u.unit ||
                                 std::find(p.co_units.begin(), p.co_units.end(), u.unit) != p.co_units.end());
    case Role::kOwner: return !u.unit.empty() && b.owner == u.unit;
    case Role::kBank:
    case Role::kInvestment: return false;
  }
  return false;
}

bool Problems::CanSee(const User& user, const Problem& p) {
  auto b = BriefOf(p.project_id);
  return b && SeesLocked(user, p, *b);
}

Result<ProblemPage> Problems::List(const ProblemFilter& f, const User& user) {
  std::lock_guard lock(mu_);
  if (Status s = Sync(); !s.ok()) return s;
  RefreshBriefs();
  RefreshOrder();
  const int32_t as_of = DayNumber(f.as_of);
  const size_t from = static_cast<size_t>(std::max(0, f.offset));
  const size_t limit = f.limit <= 0 ? SIZE_MAX : static_cast<size_t>(f.limit);
  ProblemPage page;
  for (const Listed& e : order_) {
    const bool open = e.state != ProblemState::kClosed;
    if (f.state && e.state != *f.state) continue;
    if (f.open && !open) continue;
    const bool overdue = open && e.deadline != stats::kNoDay && e.deadline < as_of;
    if (f.overdue && !overdue) continue;
    const Problem& p = *e.problem;
    if (f.project_id && p.project_id != *f.project_id) continue;
    if (f.escalated && !(open && p.escalation > 0)) continue;
    if (!*e.brief) continue;
    const auto& b = **e.brief;
    if (!SeesLocked(user, p, b)) continue;
    if (f.unit && p.lead_unit != *f.unit && std::find(p.co_units.begin(), p.co_units.end(), *f.unit) == p.co_units.end()) continue;
    if (f.category && p.category != *f.category) continue;
    if (f.source && p.source != *f.source) continue;
    if (f.text && p.text.find(*f.text) == std::string::npos && b.name.find(*f.text) == std::string::npos &&
        b.code.find(*f.text) == std::string::npos) {
      continue;
    }
    if (f.mine) {
      bool mine = false;
      switch (user.role) {
        case Role::kDepartment:
          mine = p.lead_unit == user.unit || std::find(p.co_units.begin(), p.co_units.end(), user.unit) != p.co_units.end();
          break;
        case Role::kLeader:
          mine = open && (p.escalation == 4 || (p.escalation >= 3 && (b.leader == user.display_name || b.leader == user.login)));
          break;
        case Role::kAdmin:
          mine = p.state == ProblemState::kPending || p.state == ProblemState::kAnswered || p.ext_deadline.has_value();
          break;
        case Role::kOwner: mine = true; break;
        default: break;
      }
      if (!mine) continue;
    }
    // Only the page's own rows are copied.
    const size_t at = static_cast<size_t>(page.total++);
    if (at >= from && at - from < limit) {
      page.items.push_back(ProblemRow{p, b, overdue ? std::optional<int>(as_of - e.deadline) : std::nullopt});
    }
  }
  return page;
}

Result<ProblemSummary> Problems::Summary(const User& user, const Date& as_of) {
  // The figures engine counts them (one source for every figure), in the list's scope.
  stats::ProblemQuery q;
  q.as_of = as_of;
  switch (user.role) {
    case Role::kAdmin:
    case Role::kLeader:
    case Role::kAuditor: break;
    case Role::kDepartment:
      if (user.unit.empty()) return ProblemSummary{};
      q.unit = user.unit;
      q.co_units_in_scope = true;
      break;
    case Role::kOwner:
      if (user.unit.empty()) return ProblemSummary{};
      q.owner = user.unit;
      break;
    case Role::kBank:
    case Role::kInvestment: return ProblemSummary{};
  }
  auto st = Stats(q);
  if (!st.ok()) return st.status();
  const stats::ProblemFigures& t = st->total;
  return ProblemSummary{t.open, t.overdue, t.answered, t.escalated, t.pending_extensions};
}

Status Problems::RefreshSet() {
  if (Status s = Sync(); !s.ok()) return s;
  if (set_generation_ != cache_generation_) {
    stats::ProblemSet set;
    std::unordered_map<std::string, uint32_t> cats, srcs, units;
    auto intern = [](std::unordered_map<std::string, uint32_t>& ids, std::vector<std::string>& names, const std::string& s) {
      auto [it, added] = ids.emplace(s, static_cast<uint32_t>(names.size()));
      if (added) names.push_back(s);
      return it->second;
    };
    set.items.reserve(cache_.size());
    for (const auto& [id, lp] : cache_) {
      const Problem& p = lp.problem;
      stats::ProblemFacts f;
      f.id = p.id;
      f.project_id = p.project_id;
      f.raised = DayNumber(p.raised_on);
      f.deadline = p.deadline ? DayNumber(*p.deadline) : stats::kNoDay;
      f.closed = p.state == ProblemState::kClosed && p.closed_on ? DayNumber(*p.closed_on) : stats::kNoDay;
      for (const auto& [c, r] : lp.reopened) f.reopened.emplace_back(DayNumber(c), DayNumber(r));
      f.category = intern(cats, set.categories, p.category);
      f.source = intern(srcs, set.sources, p.source);
      f.lead_unit = intern(units, set.units, p.lead_unit);
      for (const auto& u : p.co_units) f.co_units.push_back(intern(units, set.units, u));
      f.answered = p.state == ProblemState::kAnswered;
      // Every escalation writes its event; a level without one (written outside the product) counts
      // from the day the problem was raised.
      if (p.escalation > 0) f.escalated_on = lp.escalated_on ? DayNumber(*lp.escalated_on) : f.raised;
      f.extension_pending = p.ext_deadline.has_value();
      set.items.push_back(std::move(f));
    }
    set_ = std::move(set);
    set_generation_ = cache_generation_;
  }
  return Status::Ok();
}

Result<stats::ProblemStats> Problems::Stats(const stats::ProblemQuery& q) {
  std::lock_guard lock(mu_);
  if (Status s = RefreshSet(); !s.ok()) return s;
  if (set_.resolved_generation != reg_.stats_engine().generation() || set_.project_slots.size() != set_.items.size()) {
    reg_.stats_engine().ResolveProjects(set_);
  }
  return reg_.stats_engine().Problems(q, set_);
}

Result<ProblemsBetween> Problems::Between(stats::ProblemQuery q, const Date& from, const Date& to) {
  std::lock_guard lock(mu_);
  if (Status s = RefreshSet(); !s.ok()) return s;
  if (set_.resolved_generation != reg_.stats_engine().generation() || set_.project_slots.size() != set_.items.size()) {
    reg_.stats_engine().ResolveProjects(set_);
  }
  q.as_of = to;
  q.keep_members = true;
  q.by = stats::ProblemGroupBy::kNone;
  const stats::ProblemStats st = reg_.stats_engine().Problems(q, set_);
  ProblemsBetween out;
  out.open_at_end = st.total.open;
  const int32_t first = DayNumber(from), last = DayNumber(to);
  for (uint32_t i : st.members) {
    const stats::ProblemFacts& f = set_.items[i];
    auto it = cache_.find(f.id);
    if (it == cache_.end()) continue;
    if (f.raised >= first) out.raised.push_back(it->second.problem);  // the engine counted f.raised <= last
    if (stats::ClosedAsOf(f, last) && !stats::ClosedAsOf(f, first - 1)) out.closed.push_back(it->second.problem);
  }
  auto by_day_then_id = [](auto day_of) {
    return [day_of](const Problem& a, const Problem& b) {
      return std::pair(day_of(a), a.id) < std::pair(day_of(b), b.id);
    };
  };
  std::sort(out.raised.begin(), out.raised.end(), by_day_then_id([](const Problem& p) { return DayNumber(p.raised_on); }));
  std::sort(out.closed.begin(), out.closed.end(), by_day_then_id([](const Problem& p) {
    return p.closed_on ? DayNumber(*p.closed_on) : 0;
  }));
  return out;
}

Result<std::vector<stats::ProblemFigures>> Problems::OfProjects(const std::vector<int64_t>& ids, const Date& as_of) {
  std::lock_guard lock(mu_);
  if (Status s = RefreshSet(); !s.ok()) return s;
  return stats::ProblemsOfProjects(set_, ids, as_of);
}

// --- import ------------------------------------------------------------------------------------

Result<ImportOutcome<ProblemImportRow>> Problems::ImportFile(std::string_view bytes, const Actor& by,
                                                             const ImportOptions& options) {
  auto settings = Settings();
  if (!settings.ok()) return settings.status();
  auto codes = store_.ProjectCodes();
  if (!codes.ok()) return codes.status();
  std::unordered_set<std::string> known(codes->begin(), codes->end());
  ImportOutcome<ProblemImportRow> out;
  out.parsed = ParseProblemsFile(bytes, known, settings->categories, settings->sources, TodayBeijing(), options.sheet);
  if (!out.ok() || options.dry_run) return out;
  auto ids = ImportRows(out.parsed.rows, by);
  if (!ids.ok()) return ids.status();
  out.summary.rows = static_cast<int>(out.parsed.rows.size());
  out.problem_summary.rows = static_cast<int>(out.parsed.rows.size());
  out.problem_summary.added = static_cast<int>(ids->size());
  out.problem_summary.skipped = out.problem_summary.rows - out.problem_summary.added;
  return out;
}

Result<std::vector<int64_t>> Problems::ImportRows(const std::vector<ProblemImportRow>& rows, const Actor& by,
                                                  const std::vector<std::optional<int64_t>>& findings) {
  store::ProjectQuery q;
  q.page_size = 0;
  auto projects = store_.ListProjects(q);
  if (!projects.ok()) return projects.status();
  std::unordered_map<std::string, int64_t> ids;
  for (const Project& p : projects->items) ids[p.code] = p.id;
  // A row already in the database (same project, text and date raised) is not added twice.
  std::unordered_set<std::string> existing;
  {
    std::lock_guard lock(mu_);
    if (Status s = Sync(); !s.ok()) return s;
    for (const auto& [id, lp] : cache_) {
      existing.insert(std::to_string(lp.problem.project_id) + "|" + lp.problem.raised_on.ToString() + "|" + lp.problem.text);
    }
  }
  std::vector<Problem> out;
  std::vector<std::optional<int64_t>> links;
  for (size_t i = 0; i < rows.size(); ++i) {
    const ProblemImportRow& r = rows[i];
    auto it = ids.find(r.project_code);
    if (it == ids.end()) {
      return InvalidArgument("第 " + std::to_string(r.line) + " 行：未知的项目编码「" + r.project_code + "」 (unknown project code)", "项目编码");
    }
    Problem p = r.problem;
    p.project_id = it->second;
    p.raised_by = by.login;
    if (!existing.insert(std::to_string(p.project_id) + "|" + p.raised_on.ToString() + "|" + p.text).second) continue;
    out.push_back(std::move(p));
    links.push_back(i < findings.size() ? findings[i] : std::nullopt);
  }
  return problems_.InsertAll(out, by, links);
}

// --- escalation --------------------------------------------------------------------------------

Result<EscalationRun> Problems::Escalate(const Date& as_of) {
  auto settings = Settings();
  if (!settings.ok()) return settings.status();
  std::vector<Problem> due;
  std::vector<int> targets;
  {
    std::lock_guard lock(mu_);
    if (Status s = Sync(); !s.ok()) return s;
    RefreshBriefs();
    const int32_t day = DayNumber(as_of);
    for (const auto& [id, lp] : cache_) {
      const Problem& p = lp.problem;
      if (p.state == ProblemState::kClosed || !p.deadline) continue;
      auto bit = briefs_.find(p.project_id);
      if (bit == briefs_.end() || !bit->second) continue;
      const int overdue = day - DayNumber(*p.deadline);
      if (overdue <= 0) continue;
      const int target = std::min(4, overdue / settings->escalation_days);
      if (target > p.escalation) {
        due.push_back(p);
        targets.push_back(target);
      }
    }
  }
  EscalationRun run;
  std::vector<std::pair<Problem, int>> moved;
  const Actor system("system");
  for (size_t i = 0; i < due.size(); ++i) {
    Problem p = due[i];
    const int overdue = DayNumber(as_of) - DayNumber(*p.deadline);
    for (int level = p.escalation + 1; level <= targets[i]; ++level) {
      Problem next = p;
      next.escalation = level;
      ProblemEvent e;
      e.on = as_of;
      e.by = "system";
      e.action = "escalate";
      e.from_state = e.to_state = ProblemStateName(p.state);
      e.note = "逾期" + std::to_string(overdue) + "天，自动升级为" + EscalationLabel(*settings, level);
      e.data = boost::json::serialize(boost::json::object{{"level", level}, {"manual", false}, {"overdue_days", overdue},
                                                          {"label", EscalationLabel(*settings, level)}});
      auto out = problems_.Update(next, e, system);
      if (!out.ok()) {
        if (out.status().code() == ErrorCode::kConflict) break;  // moved meanwhile (another server's run)
        return out.status();
      }
      p = *out;
      moved.emplace_back(p, level);
    }
    if (p.escalation > due[i].escalation) ++run.escalated;
  }
  auto n = Notify(moved, *settings, as_of);
  if (!n.ok()) return n.status();
  run.notifications = *n;
  if (!moved.empty()) {
    auto hooks = reminders_.ListWebhooks();
    if (!hooks.ok()) return hooks.status();
    std::string text = "截至 " + as_of.ToString() + "，" + std::to_string(run.escalated) + " 个逾期问题升级督办：";
    size_t listed = 0;
    for (const auto& [p, level] : moved) {
      if (++listed > 10) break;
      auto b = BriefOf(p.project_id);
      text += "\n- " + (b ? b->code + " " + b->name : std::string()) + "：" + Short(p.text, 60) + "（" +
              EscalationLabel(*settings, level) + "，主办：" + p.lead_unit + "）";
    }
    if (moved.size() > 10) text += "\n- ……共 " + std::to_string(moved.size()) + " 项";
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    std::vector<Job> jobs;
    for (const Webhook& w : *hooks) {
      if (!w.enabled) continue;
      Job j;
      j.kind = "webhook";
      j.dedupe = "escalation|" + std::to_string(w.id) + "|" + as_of.ToString();
      j.target = w.id;
      j.payload = boost::json::serialize(boost::json::object{{"title", "问题升级督办 " + as_of.ToString()}, {"markdown", text}});
      j.next_at = now;
      jobs.push_back(std::move(j));
    }
    auto queued = reminders_.Enqueue(jobs);
    if (!queued.ok()) return queued.status();
    run.jobs = *queued;
  }
  return run;
}

Result<int> Problems::Notify(const std::vector<std::pair<Problem, int>>& moved, const ProblemSettings& s, const Date& as_of) {
  if (moved.empty()) return 0;
  auto users = store_.ListUsers();
  if (!users.ok()) return users.status();
  std::vector<Notification> bell;
  const std::string now = NowIso();
  for (const auto& [p, level] : moved) {
    auto b = BriefOf(p.project_id);
    if (!b) continue;
    const auto& logins = s.levels[level - 1].logins;
    for (const User& u : *users) {
      if (u.disabled) continue;
      bool to = std::find(logins.begin(), logins.end(), u.login) != logins.end();
      if (level <= 2) to = to || (u.role == Role::kDepartment && !u.unit.empty() && u.unit == p.lead_unit);
      if (level == 3) to = to || (u.role == Role::kLeader && !b->leader.empty() && (u.display_name == b->leader || u.login == b->leader));
      if (level == 4) to = to || u.role == Role::kLeader;
      to = to || u.role == Role::kAdmin;
      if (!to) continue;
      Notification n;
      n.user_id = u.id;
      n.kind = "problem_escalated";
      n.dedupe = "problem_escalated|" + std::to_string(p.id) + "|" + std::to_string(level);
      n.project_id = p.project_id;
      n.title = "问题升级督办：" + EscalationLabel(s, level);
      n.body = b->code + " " + b->name + "：" + Short(p.text) + "（主办：" + p.lead_unit +
               (p.deadline ? "，时限：" + p.deadline->ToString() + "，已逾期" +
                                 std::to_string(DayNumber(as_of) - DayNumber(*p.deadline)) + "天"
                           : std::string()) +
               "）";
      n.created_at = now;
      bell.push_back(std::move(n));
    }
  }
  return reminders_.AddNotifications(bell);
}

}  // namespace kp
