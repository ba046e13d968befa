#include "domain/auth.h"

#include <sodium.h>

#include <chrono>
#include <ctime>

#include "common/text.h"
#include "domain/admin_guard.h"

namespace kp {
namespace {

constexpr size_t kTokenBytes = 32;
constexpr size_t kMinPasswordLength = 8;
constexpr size_t kMaxPasswordLength = 128;
constexpr int kMinPasswordClasses = 3;

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }
int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string TokenHash(const std::string& token);

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

std::string AuthService::GeneratePassword() {
  InitSodium();
  // No look-alikes (0/O, 1/l/I) so a printed password can be typed.
  static constexpr std::string_view kClasses[] = {"abcdefghjkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789",
                                                  "@#%+=?"};
  constexpr size_t kLength = 16;
  std::string out;
  for (size_t i = 0; i < kLength; ++i) {
    std::string_view cls = kClasses[i < 4 ? i : randombytes_uniform(4)];
    out += cls[randombytes_uniform(static_cast<uint32_t>(cls.size()))];
  }
  // Shuffle so the class of each position is not fixed.
  for (size_t i = out.size() - 1; i > 0; --i) std::swap(out[i], out[randombytes_uniform(static_cast<uint32_t>(i + 1))]);
  return out;
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

namespace {

std::string TokenHash(const std::string& token) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

// A hash of a password nobody knows: unknown logins are checked against it, so a failure takes
// as long whether or not the login exists.
const std::string& DummyHash() {
  static const std::string hash = [] {
    auto h = AuthService::HashPassword(RandomHex(kTokenBytes));
    return h.ok() ? *h : std::string();
  }();
  return hash;
}

}  // namespace

bool AuthService::IsWellFormedLogin(const std::string& login) {
  if (login.empty() || login.size() > kMaxLoginLength) return false;
  for (char c : login) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
              c == '.' || c == '@';
    if (!ok) return false;
  }
  return true;
}

std::string AuthService::LoginForAudit(const std::string& login) {
  if (IsWellFormedLogin(login)) return login;
  constexpr size_t kDigestChars = 12;
  return "(invalid login " + TokenHash(login).substr(0, kDigestChars) + ")";
}

bool AuthService::AddressAllowed(const std::string& ip, int64_t now) {
  std::lock_guard lock(mu_);
  auto it = failures_.find(ip);
  if (it == failures_.end()) return true;
  while (!it->second.empty() && now - it->second.front() >= kAddressWindowSeconds) it->second.pop_front();
  if (it->second.empty()) {
    failures_.erase(it);
    return true;
  }
  return it->second.size() < static_cast<size_t>(max_address_failures_);
}

void AuthService::RecordAddressFailure(const std::string& ip, int64_t now) {
  constexpr size_t kMaxAddresses = 100000;  // bounded memory under a spread-out attack
  std::lock_guard lock(mu_);
  if (failures_.size() >= kMaxAddresses && !failures_.count(ip)) failures_.clear();
  auto& q = failures_[ip];
  q.push_back(now);
  while (q.size() > static_cast<size_t>(max_address_failures_)) q.pop_front();
}

Result<Session> AuthService::Login(const std::string& login, const std::string& password, const std::string& ip) {
  // One answer for every failure: unknown login, wrong password, locked or disabled account.
  const Status bad = {ErrorCode::kUnauthenticated,
                      "用户名或密码错误，或账户已锁定/停用；连续 5 次错误将锁定 15 分钟 (sign-in failed: wrong login or "
                      "password, or the account is locked or disabled)"};
  const int64_t start = Now();
  if (!AddressAllowed(ip, start)) {
    return Status(ErrorCode::kTooManyRequests,
                  "此地址登录失败次数过多，请 15 分钟后再试 (too many failed sign-ins from this address; try later)");
  }
  const std::string who = LoginForAudit(login);
  auto fail = [&](const char* reason) {
    RecordAddressFailure(ip, Now());
    AuditEvent(store_, who, ip, "login_failed", std::string("{\"reason\":\"") + reason + "\"}");
    return bad;
  };
  std::optional<User> found;
  if (IsWellFormedLogin(login) && password.size() <= kMaxPasswordLength) {
    auto f = store_.FindUser(login);
    if (!f.ok()) return f.status();
    found = *f;
  }
  if (!found) {
    (void)VerifyPassword(DummyHash(), password);
    return fail("unknown login");
  }
  User u = *found;
  auto gate = store_.BeginLoginAttempt(u.id, start, kMaxFailures, kLockSeconds);
  if (!gate.ok()) return gate.status();
  if (*gate == store::LoginGate::kLocked) {
    (void)VerifyPassword(DummyHash(), password);
    return fail("locked");
  }
  if (!VerifyPassword(u.password_hash, password)) return fail("wrong password");
  if (u.disabled) return fail("disabled");
  if (Status st = store_.SetLoginState(u.id, 0, 0); !st.ok()) return st;
  u.failed_attempts = 0;
  u.locked_until = 0;
  // The session starts after the (slow) check, so its idle clock starts when it is handed out.
  const int64_t now = Now();
  Session s{RandomHex(kTokenBytes), RandomHex(kTokenBytes / 2), u, now};
  if (Status st = store_.CreateSession(TokenHash(s.token), s.csrf, u.id, now); !st.ok()) return st;
  (void)store_.DeleteIdleSessions(now - idle_seconds_);
  AuditEvent(store_, u.login, ip, "login", "");
  return s;
}

std::optional<Session> AuthService::Authenticate(const std::string& token) {
  if (token.empty() || token.size() != kTokenBytes * 2) return std::nullopt;
  const int64_t now = Now();
  const int64_t now_ms = NowMs();
  const std::string hash = TokenHash(token);
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(hash);
    if (it != cache_.end() && now_ms - it->second.fetched_ms < kSessionCacheMs &&
        now - it->second.session.last_seen <= idle_seconds_) {
      return it->second.session;
    }
  }
  // last_seen is written at most every 1/30 of the idle time (a minute by default), not per request.
  const int64_t touch_after = std::max<int64_t>(1, idle_seconds_ / 30);
  auto found = store_.FindSession(hash, now, idle_seconds_, touch_after);
  if (!found.ok() || !*found) {
    std::lock_guard lock(mu_);
    cache_.erase(hash);
    return std::nullopt;
  }
  Session s{token, (*found)->csrf, (*found)->user, (*found)->last_seen};
  constexpr size_t kMaxCached = 100000;
  std::lock_guard lock(mu_);
  if (cache_.size() >= kMaxCached) cache_.clear();
  cache_[hash] = Cached{s, now_ms};
  return s;
}

void AuthService::ForgetSessions() {
  std::lock_guard lock(mu_);
  cache_.clear();
}

void AuthService::Logout(const std::string& token, const std::string& ip) {
  auto session = Authenticate(token);
  if (!session) return;
  {
    std::lock_guard lock(mu_);
    cache_.erase(TokenHash(token));
  }
  (void)store_.DeleteSession(TokenHash(token));
  AuditEvent(store_, session->user.login, ip, "logout", "");
}

Status AuthService::ChangePassword(const std::string& token, const std::string& old_password,
                                   const std::string& new_password, const std::string& ip) {
  auto session = Authenticate(token);
  if (!session) return {ErrorCode::kUnauthenticated, "请先登录 (sign in first)"};
  auto user = store_.GetUser(session->user.id);
  if (!user.ok()) return user.status();
  if (old_password.size() > kMaxPasswordLength || !VerifyPassword(user->password_hash, old_password)) {
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
  // A changed password ends every other session of the user, on every server.
  DropSessionsOf(u.id, token);
  std::lock_guard lock(mu_);
  cache_.erase(TokenHash(token));  // its user changed (must_change_password)
  return Status::Ok();
}

Status AuthService::ValidateUserFields(const NewUser& u, bool password_required) {
  std::string login(Trim(u.login));
  if (login.empty()) return InvalidArgument("登录名不能为空 (login is required)", "login");
  if (login.size() > kMaxLoginLength) return InvalidArgument("登录名过长 (login too long)", "login");
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
  auto users = store_.ListUsers();
  if (!users.ok()) return users.status();
  if (Status s = KeepsAnEnabledAdmin(*users, u.id, u.role, true); !s.ok()) return s;
  u.disabled = true;
  auto saved = store_.UpdateUser(u, by);
  if (saved.ok()) DropSessionsOf(u.id);
  return saved;
}

void AuthService::DropSessionsOf(int64_t user_id, const std::string& except_token) {
  const std::string keep = except_token.empty() ? std::string() : TokenHash(except_token);
  (void)store_.DeleteSessionsOf(user_id, keep);
  std::lock_guard lock(mu_);
  for (auto it = cache_.begin(); it != cache_.end();) {
    it = it->second.session.user.id == user_id && it->first != keep ? cache_.erase(it) : std::next(it);
  }
}

}  // namespace kp
