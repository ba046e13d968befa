#include "domain/leads.h"

#include <algorithm>
#include <cstdio>

#include "common/text.h"
#include "domain/field_checks.h"

namespace kp {

namespace {
constexpr size_t kMaxField = 600, kMaxNote = 2000;
constexpr int64_t kMaxArea = 1'000'000'000;
constexpr size_t kMaxIndustries = 20;

// Required single-line text.
Status CheckName(const std::string& v, const char* field) {
  if (Trim(v).empty()) return InvalidArgument("不能为空 (required)", field);
  return CheckText(v, field, kMaxField, TextShape::kSingleLine);
}

Status StageConflict(const Lead& l, LeadStage to, const char* why) {
  const LeadStage now = FollowProject(l).stage;
  return Status(ErrorCode::kConflict, std::string("当前阶段「") + LeadStageLabel(now) + "」不能转到「" + LeadStageLabel(to) +
                                          "」：" + why + " (illegal move from " + LeadStageName(now) + " to " +
                                          LeadStageName(to) + ")");
}

// The project code a conversion makes when none is given: ZS + the signing year + the lead's id.
std::string MadeCode(const Lead& l) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "ZS%04d-%06lld", l.signed_on ? l.signed_on->year : l.lead_on.year,
                static_cast<long long>(l.id));
  return buf;
}

}  // namespace

bool Leads::Sees(const User& u, const Lead& l) {
  switch (u.role) {
    case Role::kAdmin:
    case Role::kLeader: return true;
    case Role::kInvestment: return !u.login.empty() && l.staff == u.login;
    case Role::kDepartment:
    case Role::kOwner:
    case Role::kBank:
    case Role::kAuditor: return false;
  }
  return false;
}

bool Leads::MayEdit(const User& u, const Lead& l) {
  return u.role == Role::kAdmin || (u.role == Role::kInvestment && Sees(u, l));
}

std::vector<std::string> Leads::Moves(const User& u, const Lead& l) {
  std::vector<std::string> out;
  if (!MayEdit(u, l) || l.project_id) return out;
  if (l.stage == LeadStage::kLead) out.push_back(LeadStageName(LeadStage::kTalks));
  if (l.stage == LeadStage::kTalks) out.push_back(LeadStageName(LeadStage::kSigned));
  if (l.stage == LeadStage::kSigned) out.push_back("convert");
  return out;
}

Status Leads::CheckStaff(const std::string& login) {
  if (Trim(login).empty()) return InvalidArgument("请指定跟进的招商人员 (staff is required)", "staff");
  auto u = users_.FindUser(login);
  if (!u.ok()) return u.status();
  if (!*u || (*u)->disabled || (*u)->role != Role::kInvestment) {
    return InvalidArgument("「" + login + "」不是在用的招商人员账号 (not an active investment staff login)", "staff");
  }
  return Status::Ok();
}

Status Leads::Check(const Lead& l) {
  for (auto [v, f] : {std::pair{&l.name, "name"}, std::pair{&l.investor, "investor"}, std::pair{&l.industry, "industry"}}) {
    if (Status s = CheckName(*v, f); !s.ok()) return s;
  }
  for (auto [v, f] : {std::pair{&l.contact, "contact"}, std::pair{&l.source, "source"}}) {
    if (Status s = CheckText(*v, f, kMaxField, TextShape::kSingleLine); !s.ok()) return s;
  }
  if (Status s = CheckText(l.note, "note", kMaxNote, TextShape::kMultiLine); !s.ok()) return s;
  if (Status s = CheckMoney(l.investment, "investment_wan", true); !s.ok()) return s;
  if (Status s = CheckMoney(l.output, "output_wan", false); !s.ok()) return s;
  if (Status s = CheckMoney(l.tax, "tax_wan", false); !s.ok()) return s;
  if (l.land_tenth_mu < 0 || l.land_tenth_mu > kMaxArea) return InvalidArgument("用地需求超出范围 (land need out of range)", "land_mu");
  if (l.floor_m2 < 0 || l.floor_m2 > kMaxArea) return InvalidArgument("厂房需求超出范围 (floor need out of range)", "floor_m2");
  return CheckDay(l.lead_on, "lead_on");
}

Result<Lead> Leads::Create(Lead l, const User& u, const Actor& by) {
  if (u.role != Role::kAdmin && u.role != Role::kInvestment) {
    return Status(ErrorCode::kPermissionDenied, "无权登记招商线索 (not permitted to record a lead)");
  }
  if (u.role == Role::kInvestment) l.staff = u.login;  // 招商 staff record their own leads
  if (l.lead_on.year == 0) l.lead_on = TodayBeijing();
  l.stage = LeadStage::kLead;
  l.talks_on = l.signed_on = l.landed_on = std::nullopt;
  l.project_id = std::nullopt;
  if (Status s = Check(l); !s.ok()) return s;
  if (Status s = CheckStaff(l.staff); !s.ok()) return s;
  LeadEvent e;
  e.on = l.lead_on;
  e.by = by.login;
  e.action = "create";
  e.to_stage = LeadStageName(LeadStage::kLead);
  return store_.Insert(l, e, by);
}

Result<Lead> Leads::Get(int64_t id, const User& u) {
  auto l = store_.Get(id);
  if (!l.ok()) return l;
  if (!Sees(u, *l)) return NotFound("没有该招商线索 (no such lead)");
  return l;
}

Result<Lead> Leads::Update(const Lead& in, const User& u, const Actor& by) {
  auto before = Get(in.id, u);
  if (!before.ok()) return before;
  if (!MayEdit(u, *before)) return Status(ErrorCode::kPermissionDenied, "无权修改该线索 (not permitted to edit the lead)");
  if (before->project_id) {
    return Status(ErrorCode::kConflict, "该线索已转为项目「" + (before->project ? before->project->name : "") +
                                            "」，请在项目库中修改 (the lead is a project now)");
  }
  Lead after = *before;
  after.version = in.version;
  after.name = in.name;
  after.investor = in.investor;
  after.industry = in.industry;
  after.investment = in.investment;
  after.land_tenth_mu = in.land_tenth_mu;
  after.floor_m2 = in.floor_m2;
  after.output = in.output;
  after.tax = in.tax;
  after.contact = in.contact;
  after.source = in.source;
  after.note = in.note;
  if (in.lead_on.year != 0) after.lead_on = in.lead_on;
  if (u.role == Role::kAdmin && !in.staff.empty() && in.staff != before->staff) {
    if (Status s = CheckStaff(in.staff); !s.ok()) return s;
    after.staff = in.staff;  // the bureau hands a lead to another staff member
  }
  if (Status s = Check(after); !s.ok()) return s;
  for (const auto& d : {after.talks_on, after.signed_on}) {
    if (d && *d < after.lead_on) return InvalidArgument("线索日期不能晚于后续阶段日期 (lead date after a later stage)", "lead_on");
  }
  return store_.Save(after, LeadEvent{}, by);
}

Result<Lead> Leads::Move(int64_t id, int version, LeadStage to, std::optional<Date> on, const std::string& note,
                         const User& u, const Actor& by) {
  auto l = Get(id, u);
  if (!l.ok()) return l;
  if (!MayEdit(u, *l)) return Status(ErrorCode::kPermissionDenied, "无权推进该线索 (not permitted to move the lead)");
  if (Status s = CheckText(note, "note", kMaxNote, TextShape::kMultiLine); !s.ok()) return s;
  if (l->version != version) {
    return Status(ErrorCode::kConflict, "招商线索已被他人修改（当前版本 " + std::to_string(l->version) + "，您提交的版本 " +
                                            std::to_string(version) + "，当前阶段「" +
                                            LeadStageLabel(FollowProject(*l).stage) +
                                            "」），请刷新后重试 (the lead was changed by someone else)");
  }
  if (to == LeadStage::kLanded) return StageConflict(*l, to, "落地请用「转为项目」(use convert)");
  if (to == LeadStage::kStarted || to == LeadStage::kProducing) {
    return StageConflict(*l, to, "开工、投产随项目的节点和状态自动更新 (they follow the project)");
  }
  const bool next = (l->stage == LeadStage::kLead && to == LeadStage::kTalks) ||
                    (l->stage == LeadStage::kTalks && to == LeadStage::kSigned);
  if (l->project_id || !next) return StageConflict(*l, to, "只能逐级推进 (one step forward at a time)");
  const Date day = on.value_or(TodayBeijing());
  if (Status s = CheckDay(day, "on"); !s.ok()) return s;
  const Date& previous = l->stage == LeadStage::kTalks && l->talks_on ? *l->talks_on : l->lead_on;
  if (day < previous) return InvalidArgument("日期早于上一阶段 " + previous.ToString() + " (before the previous stage)", "on");
  LeadEvent e;
  e.on = day;
  e.by = by.login;
  e.action = "move";
  e.from_stage = LeadStageName(l->stage);
  e.to_stage = LeadStageName(to);
  e.note = note;
  Lead after = *l;
  after.stage = to;
  (to == LeadStage::kTalks ? after.talks_on : after.signed_on) = day;
  return store_.Save(after, e, by);
}

Result<Leads::Converted> Leads::Convert(int64_t id, const ConvertInput& in, const User& u, const Actor& by) {
  auto l = Get(id, u);
  if (!l.ok()) return l.status();
  if (!MayEdit(u, *l)) return Status(ErrorCode::kPermissionDenied, "无权转为项目 (not permitted to convert the lead)");
  if (l->project_id) {
    return Status(ErrorCode::kConflict, "该线索已转为项目「" + (l->project ? l->project->code + " " + l->project->name : "") +
                                            "」，当前阶段「" + LeadStageLabel(FollowProject(*l).stage) +
                                            "」(the lead is already a project)");
  }
  if (l->stage != LeadStage::kSigned) return StageConflict(*l, LeadStage::kLanded, "签约后才能转为项目 (sign first)");
  const Date day = in.on.value_or(TodayBeijing());
  if (Status s = CheckDay(day, "on"); !s.ok()) return s;
  if (l->signed_on && day < *l->signed_on) {
    return InvalidArgument("落地日期早于签约日期 " + l->signed_on->ToString() + " (before the signing)", "on");
  }
  Project p;
  p.code = in.code.empty() ? MadeCode(*l) : in.code;
  p.name = l->name;
  p.level = in.level.value_or(Level::kCounty);
  p.nature = "新建";
  p.industry = l->industry;
  p.region_id = in.region_id;
  p.total_investment = l->investment;
  p.owner = l->investor;
  p.unit = in.unit;
  p.person = in.person;
  p.leader = in.leader;
  p.status = "前期";
  p.planned_start = in.planned_start;
  p.planned_end = in.planned_end;
  p.content = l->note;
  auto created = reg_.CreateProject(p, by, std::nullopt, store_.ConvertHook(l->id, in.version, day, by));
  if (!created.ok()) {
    // A conversion that lost a race (a double click, another server) says so, not "code taken".
    if (auto now = store_.Get(l->id); now.ok() && now->project_id) {
      return Status(ErrorCode::kConflict, "该线索已转为项目「" + (now->project ? now->project->code + " " + now->project->name : "") +
                                              "」(the lead is already a project)");
    }
    return created.status();
  }
  auto after = store_.Get(l->id);
  if (!after.ok()) return after.status();
  return Converted{*after, *created};
}

Result<std::vector<Lead>> Leads::List(const LeadFilter& f, const User& u) {
  auto all = store_.List(u.role == Role::kInvestment ? u.login : "");
  if (!all.ok()) return all;
  std::vector<Lead> out;
  for (Lead& l : *all) {
    if (!Sees(u, l)) continue;
    if (f.stage && FollowProject(l).stage != *f.stage) continue;
    if (!f.industry.empty() && l.industry != f.industry) continue;
    if (!f.staff.empty() && l.staff != f.staff) continue;
    if (!f.text.empty() && l.name.find(f.text) == std::string::npos && l.investor.find(f.text) == std::string::npos &&
        l.contact.find(f.text) == std::string::npos) {
      continue;
    }
    out.push_back(std::move(l));
  }
  std::stable_sort(out.begin(), out.end(), [](const Lead& a, const Lead& b) { return a.id > b.id; });  // newest first
  return out;
}

Result<stats::LeadStats> Leads::Stats(const stats::LeadQuery& q, const User& u) {
  auto leads = List(LeadFilter{}, u);
  if (!leads.ok()) return leads.status();
  std::sort(leads->begin(), leads->end(), [](const Lead& a, const Lead& b) { return a.id < b.id; });
  return stats::ComputeLeadStats(*leads, q);
}

Result<Carrier> Leads::SaveCarrier(const Carrier& c, const Actor& by) {
  if (Status s = CheckName(c.park, "park"); !s.ok()) return s;
  if (Status s = CheckName(c.parcel, "parcel"); !s.ok()) return s;
  if (c.industries.size() > kMaxIndustries) return InvalidArgument("适宜产业过多 (too many industries)", "industries");
  for (const std::string& i : c.industries) {
    if (Status s = CheckName(i, "industries"); !s.ok()) return s;
    if (i.find("、") != std::string::npos) return InvalidArgument("产业名称不能含「、」(an industry name has 、)", "industries");
  }
  const bool land = c.kind == CarrierKind::kLand;
  const int64_t area = land ? c.land_tenth_mu : c.floor_m2;
  if (area <= 0 || area > kMaxArea) {
    return InvalidArgument(land ? "土地面积应大于 0 (land area must be positive)" : "厂房面积应大于 0 (floor area must be positive)",
                           land ? "land_mu" : "floor_m2");
  }
  if (Status s = CheckMoney(c.price, "price_yuan", false); !s.ok()) return s;
  Carrier clean = c;
  (land ? clean.floor_m2 : clean.land_tenth_mu) = 0;
  return store_.SaveCarrier(clean, by);
}

Result<std::vector<stats::CarrierMatch>> Leads::Matches(const Lead& l, size_t limit, std::vector<Carrier>& keep) {
  auto all = store_.Carriers();
  if (!all.ok()) return all.status();
  keep = std::move(*all);
  return stats::MatchCarriers(l, keep, limit);
}

}  // namespace kp
