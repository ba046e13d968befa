#include "domain/auth.h"

#include <sodium.h>

#include <ctime>

#include "common/text.h"

namespace kp {
namespace {

constexpr size_t kTokenBytes = 32;
constexpr size_t kMinPasswordLength = 8;
constexpr size_t kMaxPasswordLength = 128;
constexpr int kMinPasswordClasses = 3;

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  hex.pop_back();
  return hex;
}

bool InitSodium() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

void AuditEvent(store::Store& store, const std::string& actor, const std::string& ip, const std::string& action,
                const std::string& detail) {
  AuditEntry e;
  e.actor = actor;
  e.ip = ip;
  e.action = action;
  e.entity = "session";
  e.entity_id = actor;
  if (!detail.empty()) e.after_json = detail;
  (void)store.AppendAudit(e);
}

}  // namespace

Status AuthService::CheckPasswordPolicy(const std::string& p) {
  if (p.size() < kMinPasswordLength) {
    return InvalidArgument("密码至少 8 位 (password needs at least 8 characters)", "password");
  }
  if (p.size() > kMaxPasswordLength) return InvalidArgument("密码过长 (password too long)", "password");
  bool lower = false, upper = false, digit = false, other = false;
  for (unsigned char c : p) {
    if (c >= 'a' && c <= 'z') lower = true;
    else if (c >= 'A' && c <= 'Z') upper = true;
    else if (c >= '0' && c <= '9') digit = true;
    else other = true;
  }
  if (lower + upper + digit + other < kMinPasswordClasses) {
    return InvalidArgument("密码须包含大写字母、小写字母、数字、符号中的至少三类 (password needs 3 of: upper, lower, digit, symbol)",
                           "password");
  }
  return Status::Ok();
}

Result<std::string> AuthService::HashPassword(const std::string& password) {
  if (!InitSodium()) return Internal("libsodium init failed");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Internal("password hashing failed (out of memory)");
  }
  return std::string(out);
}

bool AuthService::VerifyPassword(const std::string& hash, const std::string& password) {
  if (!InitSodium() || hash.empty()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

Result<Session> AuthService::Login(const std::string& login, const std::string& password, const std::string& ip) {
  const Status bad = {ErrorCode::kUnauthenticated, "用户名或密码错误 (wrong login or password)"};
  auto found = store_.FindUser(login);
  if (!found.ok()) return found.status();
  if (!*found) {
    AuditEvent(store_, login, ip, "login_failed", "{\"reason\":\"unknown login\"}");
    return bad;
  }
  User u = **found;
  const int64_t now = Now();
  if (u.locked_until > now) {
    int64_t minutes = (u.locked_until - now + 59) / 60;
    AuditEvent(store_, login, ip, "login_failed", "{\"reason\":\"locked\"}");
    return Status(ErrorCode::kLocked, "账户已锁定，请 " + std::to_string(minutes) +
                                          " 分钟后再试 (account locked after 5 failed sign-ins)");
  }
  if (!VerifyPassword(u.password_hash, password)) {
    int failures = u.failed_attempts + 1;
    AuditEvent(store_, login, ip, "login_failed", "{\"reason\":\"wrong password\"}");
    if (failures >= kMaxFailures) {
      (void)store_.SetLoginState(u.id, 0, now + kLockSeconds);
      return Status(ErrorCode::kLocked, "连续 5 次密码错误，账户已锁定 15 分钟 (account locked for 15 minutes)");
    }
    (void)store_.SetLoginState(u.id, failures, 0);
    return Status(ErrorCode::kUnauthenticated, "用户名或密码错误，还可尝试 " + std::to_string(kMaxFailures - failures) +
                                                   " 次 (wrong login or password; " +
                                                   std::to_string(kMaxFailures - failures) + " attempts left)");
  }
  if (u.disabled) {
    AuditEvent(store_, login, ip, "login_failed", "{\"reason\":\"disabled\"}");
    return Status(ErrorCode::kUnauthenticated, "账户已停用，请联系管理员 (account disabled)");
  }
  if (u.failed_attempts != 0 || u.locked_until != 0) (void)store_.SetLoginState(u.id, 0, 0);
  u.failed_attempts = 0;
  u.locked_until = 0;
  Session s{RandomHex(kTokenBytes), RandomHex(kTokenBytes / 2), u, now};
  {
    std::lock_guard lock(mu_);
    // Drop expired sessions now and then.
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      it = now - it->second.last_seen > idle_seconds_ ? sessions_.erase(it) : std::next(it);
    }
    sessions_[s.token] = s;
  }
  AuditEvent(store_, login, ip, "login", "");
  return s;
}

std::optional<Session> AuthService::Authenticate(const std::string& token) {
  if (token.empty()) return std::nullopt;
  std::lock_guard lock(mu_);
  auto it = sessions_.find(token);
  if (it == sessions_.end()) return std::nullopt;
  const int64_t now = Now();
  if (now - it->second.last_seen > idle_seconds_) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_seen = now;
  return it->second;
}

void AuthService::Logout(const std::string& token, const std::string& ip) {
  std::string login;
  {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(token);
    if (it == sessions_.end()) return;
    login = it->second.user.login;
    sessions_.erase(it);
  }
  AuditEvent(store_, login, ip, "logout", "");
}

Status AuthService::ChangePassword(const std::string& token, const std::string& old_password,
                                   const std::string& new_password, const std::string& ip) {
  auto session = Authenticate(token);
  if (!session) return {ErrorCode::kUnauthenticated, "请先登录 (sign in first)"};
  auto user = store_.GetUser(session->user.id);
  if (!user.ok()) return user.status();
  if (!VerifyPassword(user->password_hash, old_password)) {
    return InvalidArgument("原密码不正确 (the current password is wrong)", "old_password");
  }
  if (old_password == new_password) return InvalidArgument("新密码不能与原密码相同 (choose a new password)", "new_password");
  if (Status s = CheckPasswordPolicy(new_password); !s.ok()) return InvalidArgument(s.message(), "new_password");
  auto hash = HashPassword(new_password);
  if (!hash.ok()) return hash.status();
  User u = *user;
  u.password_hash = *hash;
  u.must_change_password = false;
  auto saved = store_.UpdateUser(u, Actor(u.login, ip));
  if (!saved.ok()) return saved.status();
  std::lock_guard lock(mu_);
  for (auto& [t, s] : sessions_) {
    if (s.user.id == u.id) s.user = *saved;
  }
  return Status::Ok();
}

Status AuthService::ValidateUserFields(const NewUser& u, bool password_required) {
  std::string login(Trim(u.login));
  if (login.empty()) return InvalidArgument("登录名不能为空 (login is required)", "login");
  if (login.size() > 64) return InvalidArgument("登录名过长 (login too long)", "login");
  for (char c : login) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
              c == '.' || c == '@';
    if (!ok) return InvalidArgument("登录名只能含字母、数字和 _ - . @ (login has other characters)", "login");
  }
  if ((u.role == Role::kDepartment || u.role == Role::kOwner || u.role == Role::kBank) && Trim(u.unit).empty()) {
    return InvalidArgument("该角色须填写所属单位 (this role needs a unit)", "unit");
  }
  if (password_required || !u.password.empty()) return CheckPasswordPolicy(u.password);
  return Status::Ok();
}

Result<User> AuthService::CreateUser(const NewUser& n, const Actor& by) {
  if (Status s = ValidateUserFields(n, true); !s.ok()) return s;
  auto hash = HashPassword(n.password);
  if (!hash.ok()) return hash.status();
  User u;
  u.login = std::string(Trim(n.login));
  u.display_name = n.display_name.empty() ? u.login : n.display_name;
  u.role = n.role;
  u.unit = std::string(Trim(n.unit));
  u.region_id = n.region_id;
  u.password_hash = *hash;
  u.must_change_password = n.must_change_password;
  return store_.CreateUser(u, by);
}

Result<User> AuthService::UpdateUser(int64_t id, const NewUser& n, std::optional<bool> disabled, const Actor& by) {
  auto current = store_.GetUser(id);
  if (!current.ok()) return current.status();
  NewUser check = n;
  check.login = current->login;
  if (Status s = ValidateUserFields(check, false); !s.ok()) return s;
  User u = *current;
  if (!n.display_name.empty()) u.display_name = n.display_name;
  u.role = n.role;
  u.unit = std::string(Trim(n.unit));
  u.region_id = n.region_id;
  if (disabled) u.disabled = *disabled;
  if (!n.password.empty()) {
    auto hash = HashPassword(n.password);
    if (!hash.ok()) return hash.status();
    u.password_hash = *hash;
    u.must_change_password = true;
    u.failed_attempts = 0;
    u.locked_until = 0;
  }
  auto saved = store_.UpdateUser(u, by);
  if (saved.ok()) DropSessionsOf(id);
  return saved;
}

Result<User> AuthService::SetPassword(const std::string& login, const std::string& password, bool must_change,
                                      const Actor& by) {
  if (Status s = CheckPasswordPolicy(password); !s.ok()) return s;
  auto found = store_.FindUser(login);
  if (!found.ok()) return found.status();
  if (!*found) return NotFound("用户不存在 (no such user): " + login);
  auto hash = HashPassword(password);
  if (!hash.ok()) return hash.status();
  User u = **found;
  u.password_hash = *hash;
  u.must_change_password = must_change;
  u.failed_attempts = 0;
  u.locked_until = 0;
  auto saved = store_.UpdateUser(u, by);
  if (saved.ok()) DropSessionsOf(u.id);
  return saved;
}

Result<User> AuthService::Disable(const std::string& login, const Actor& by) {
  auto found = store_.FindUser(login);
  if (!found.ok()) return found.status();
  if (!*found) return NotFound("用户不存在 (no such user): " + login);
  User u = **found;
  u.disabled = true;
  auto saved = store_.UpdateUser(u, by);
  if (saved.ok()) DropSessionsOf(u.id);
  return saved;
}

void AuthService::DropSessionsOf(int64_t user_id) {
  std::lock_guard lock(mu_);
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = it->second.user.id == user_id ? sessions_.erase(it) : std::next(it);
  }
}

}  // namespace kp
