#include "domain/instructions.h"

#include "common/dates.h"
#include "common/text.h"

namespace kp {
namespace {

constexpr size_t kMaxTextBytes = 4000;

Status CheckBody(const std::string& text, const char* field) {
  if (Trim(text).empty()) return InvalidArgument(std::string(field) == "text" ? "批示内容不能为空 (text is required)" : "落实情况不能为空 (answer is required)", field);
  if (text.size() > kMaxTextBytes) return InvalidArgument("不能超过 4000 字节 (at most 4000 bytes)", field);
  if (std::string p = TextProblem(text, TextShape::kMultiLine); !p.empty()) return InvalidArgument(p, field);
  return Status::Ok();
}

std::string Short(const std::string& s) {
  // At most ~40 characters of a line for the bell, cut on a UTF-8 boundary.
  size_t n = 0, chars = 0;
  while (n < s.size() && chars < 40) {
    unsigned char c = static_cast<unsigned char>(s[n]);
    n += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    ++chars;
  }
  return n < s.size() ? s.substr(0, n) + "…" : s;
}

}  // namespace

bool Instructions::MayGive(const User& u) { return u.role == Role::kLeader || u.role == Role::kAdmin; }

bool Instructions::MayAnswer(const User& u, const Project& p) {
  if (u.role == Role::kAdmin) return true;
  if (u.unit.empty()) return false;
  return (u.role == Role::kOwner && p.owner == u.unit) || (u.role == Role::kDepartment && p.unit == u.unit);
}

Result<Instruction> Instructions::Give(const Project& p, const std::string& text, const User& by, const Actor& actor) {
  if (!MayGive(by)) return Status(ErrorCode::kPermissionDenied, "只有领导和发改局可以批示 (only leaders and the bureau give instructions)");
  if (Status s = CheckBody(text, "text"); !s.ok()) return s;
  auto users = store_.ListUsers();
  if (!users.ok()) return users.status();
  Instruction in;
  in.project_id = p.id;
  in.text = std::string(Trim(text));
  in.given_by = by.login;
  in.given_by_name = by.display_name.empty() ? by.login : by.display_name;
  std::vector<Notification> bell;
  const std::string now = NowIso();
  for (const User& u : *users) {
    if (u.disabled || u.id == by.id || u.role == Role::kAdmin || !MayAnswer(u, p)) continue;
    Notification n;
    n.user_id = u.id;
    n.kind = "instruction";
    n.dedupe = "instruction|{id}";  // the store puts the new instruction's id in
    n.project_id = p.id;
    n.title = "领导批示：" + in.given_by_name;
    n.body = p.code + " " + p.name + "：" + Short(in.text);
    n.created_at = now;
    bell.push_back(std::move(n));
  }
  return instructions_.Give(in, bell, actor);
}

Result<Instruction> Instructions::Answer(const Instruction& in, const Project& p, int64_t version, const std::string& answer,
                                         const User& by, const Actor& actor) {
  if (!MayAnswer(by, p)) return Status(ErrorCode::kPermissionDenied, "只有项目业主、责任单位或发改局可以答复 (only the owner, the unit or the bureau answer)");
  if (Status s = CheckBody(answer, "answer"); !s.ok()) return s;
  std::vector<Notification> bell;
  auto giver = store_.FindUser(in.given_by);
  if (giver.ok() && *giver && !(*giver)->disabled && (*giver)->id != by.id) {
    Notification n;
    n.user_id = (*giver)->id;
    n.kind = "instruction_answered";
    n.dedupe = "instruction_answered|" + std::to_string(in.id);
    n.project_id = p.id;
    n.title = "批示已落实：" + p.name;
    n.body = p.code + " " + p.name + "：" + Short(std::string(Trim(answer)));
    n.created_at = NowIso();
    bell.push_back(std::move(n));
  }
  return instructions_.Answer(in.id, version, std::string(Trim(answer)), bell, actor);
}

}  // namespace kp
