#pragma once
// Sign-in, sessions and users. Passwords are argon2id hashes (libsodium). Five failed sign-ins
// lock an account for 15 minutes, counted atomically in the database before each check, so
// parallel guesses get no more than five; an address with too many failures waits. Every failed
// sign-in gets the same answer and takes about as long (unknown logins are checked against a
// dummy hash). Passwords need 8+ characters from 3 classes; a new user must change the first one.
// Sessions live in the database (the token stored as its SHA-256), shared by every server and
// surviving restarts; disabling a user or setting a password ends its sessions everywhere. A
// session read from the database is kept here for at most kSessionCacheMs; this process's own
// sign-outs and user changes drop it at once, other processes' through ForgetSessions (the
// change log tells the ChangeFollower).
// Thread-safety: all methods may be called concurrently.
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "domain/model.h"
#include "store/store.h"

namespace kp {

struct Session {
  std::string token;  // the cookie value
  std::string csrf;   // must come back in X-CSRF-Token on every write
  User user;
  int64_t last_seen = 0;  // unix seconds
};

struct NewUser {
  std::string login, display_name, unit, password;
  Role role = Role::kLeader;
  std::optional<int64_t> region_id;
  bool must_change_password = true;
};

class AuthService {
 public:
  static constexpr int kMaxFailures = 5;
  static constexpr int kLockSeconds = 15 * 60;
  static constexpr int kDefaultIdleSeconds = 30 * 60;
  // Failed sign-ins from one address within the window before it must wait (429).
  static constexpr int kDefaultMaxAddressFailures = 30;
  static constexpr int kAddressWindowSeconds = 15 * 60;
  static constexpr size_t kMaxLoginLength = 64;
  static constexpr int64_t kSessionCacheMs = 1000;

  explicit AuthService(store::Store& store, int idle_seconds = kDefaultIdleSeconds,
                       int max_address_failures = kDefaultMaxAddressFailures)
      : store_(store), idle_seconds_(idle_seconds), max_address_failures_(max_address_failures) {}

  Result<Session> Login(const std::string& login, const std::string& password, const std::string& ip);
  // The live session for a token (its idle clock restarts), or nullopt.
  std::optional<Session> Authenticate(const std::string& token);
  void Logout(const std::string& token, const std::string& ip);
  // Ends the user's other sessions; the one used stays.
  Status ChangePassword(const std::string& token, const std::string& old_password, const std::string& new_password,
                        const std::string& ip);
  // Drops every cached session: the next request of each reads the database again.
  void ForgetSessions();
  // The login as it may be stored for an anonymous attempt: a well-formed login as typed, else a
  // fixed marker with a short digest (no control, invisible or look-alike characters, bounded).
  static std::string LoginForAudit(const std::string& login);
  static bool IsWellFormedLogin(const std::string& login);

  Result<User> CreateUser(const NewUser& u, const Actor& by);
  // Changes role/unit/region/name/disabled; a non-empty password resets it (and forces a change).
  Result<User> UpdateUser(int64_t id, const NewUser& fields, std::optional<bool> disabled, const Actor& by);
  Result<User> SetPassword(const std::string& login, const std::string& password, bool must_change, const Actor& by);
  Result<User> Disable(const std::string& login, const Actor& by);

  static Status CheckPasswordPolicy(const std::string& password);
  // A random password that meets the policy (16 characters from four classes).
  static std::string GeneratePassword();
  static Result<std::string> HashPassword(const std::string& password);
  static bool VerifyPassword(const std::string& hash, const std::string& password);

 private:
  void DropSessionsOf(int64_t user_id, const std::string& except_token = "");
  Status ValidateUserFields(const NewUser& u, bool password_required);
  // Whether this address may try again; RecordAddressFailure counts one failure.
  bool AddressAllowed(const std::string& ip, int64_t now);
  void RecordAddressFailure(const std::string& ip, int64_t now);

  store::Store& store_;
  int idle_seconds_;
  int max_address_failures_;
  std::mutex mu_;  // guards failures_ and cache_
  std::unordered_map<std::string, std::deque<int64_t>> failures_;  // address → times of failures
  struct Cached {
    Session session;
    int64_t fetched_ms = 0;
  };
  std::unordered_map<std::string, Cached> cache_;  // token hash → session as read
};

}  // namespace kp
