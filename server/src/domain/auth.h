#pragma once
// Sign-in, sessions and users. Passwords are argon2id hashes (libsodium). Five failed sign-ins
// lock an account for 15 minutes; passwords need 8+ characters from 3 classes; a new user must
// change the first password. Sessions live in this process's memory with an idle timeout.
// Thread-safety: all methods may be called concurrently.
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

  explicit AuthService(store::Store& store, int idle_seconds = kDefaultIdleSeconds)
      : store_(store), idle_seconds_(idle_seconds) {}

  Result<Session> Login(const std::string& login, const std::string& password, const std::string& ip);
  // The live session for a token (its idle clock restarts), or nullopt.
  std::optional<Session> Authenticate(const std::string& token);
  void Logout(const std::string& token, const std::string& ip);
  Status ChangePassword(const std::string& token, const std::string& old_password, const std::string& new_password,
                        const std::string& ip);

  Result<User> CreateUser(const NewUser& u, const Actor& by);
  // Changes role/unit/region/name/disabled; a non-empty password resets it (and forces a change).
  Result<User> UpdateUser(int64_t id, const NewUser& fields, std::optional<bool> disabled, const Actor& by);
  Result<User> SetPassword(const std::string& login, const std::string& password, bool must_change, const Actor& by);
  Result<User> Disable(const std::string& login, const Actor& by);

  static Status CheckPasswordPolicy(const std::string& password);
  static Result<std::string> HashPassword(const std::string& password);
  static bool VerifyPassword(const std::string& hash, const std::string& password);

 private:
  void DropSessionsOf(int64_t user_id);
  Status ValidateUserFields(const NewUser& u, bool password_required);

  store::Store& store_;
  int idle_seconds_;
  std::mutex mu_;
  std::unordered_map<std::string, Session> sessions_;
};

}  // namespace kp
