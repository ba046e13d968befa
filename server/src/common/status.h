#pragma once
// Expected failures as values. One place (http/errors) maps codes to HTTP statuses.
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace kp {

enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,   // bad input from a user: 400
  kNotFound,          // 404
  kConflict,          // stale version (someone else saved first): 409
  kAlreadyExists,     // a duplicate key such as a project code or login: 409
  kUnauthenticated,   // 401
  kPermissionDenied,  // 403
  kPayloadTooLarge,   // 413
  kTooManyRequests,   // too many attempts from one address: 429
  kPasswordChangeRequired,  // first sign-in: 403 until the password is changed
  kUnavailable,       // 503
  kBusy,              // the database is locked by another writer (a long import): 503 with Retry-After
  kInternal,          // 500
};

const char* ErrorCodeName(ErrorCode code);

class Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message, std::string field = "")
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}
  static Status Ok() { return {}; }
  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The input field the error is about ("" when none), so forms can mark it.
  const std::string& field() const { return field_; }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  std::string field_;
};

inline Status InvalidArgument(std::string m, std::string field = "") {
  return {ErrorCode::kInvalidArgument, std::move(m), std::move(field)};
}
inline Status NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
inline Status Conflict(std::string m) { return {ErrorCode::kConflict, std::move(m)}; }
inline Status Internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }

// Result<T>: a value or a non-ok Status.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT
  bool ok() const { return std::holds_alternative<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  const T& operator*() const { return value(); }
  T& operator*() { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace kp
