#include "http/request.h"
#include "common/json_text.h"

#include <boost/json.hpp>
#include <atomic>
#include <cstdio>
#include <random>

#include "spdlog/spdlog.h"

namespace kp::http {
namespace {
constexpr int kFirstServerError = 500;
constexpr int kBusyRetryAfterSeconds = 5;
}  // namespace

std::optional<std::string> Request::Query(const std::string& key) const {
  auto it = query.find(key);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

std::string Request::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

bool Access::Allows(Role r) const {
  for (Role x : roles) {
    if (x == r) return true;
  }
  return false;
}

std::string Request::Cookie(const std::string& name) const {
  std::string all = Header("cookie");
  size_t i = 0;
  while (i < all.size()) {
    while (i < all.size() && (all[i] == ' ' || all[i] == ';')) ++i;
    size_t eq = all.find('=', i), end = all.find(';', i);
    if (end == std::string::npos) end = all.size();
    if (eq != std::string::npos && eq < end && all.compare(i, eq - i, name) == 0) return all.substr(eq + 1, end - eq - 1);
    i = end + 1;
  }
  return "";
}

int HttpStatusOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return 200;
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kAlreadyExists: return 409;
    case ErrorCode::kPayloadTooLarge: return 413;
    case ErrorCode::kTooManyRequests: return 429;
    case ErrorCode::kPasswordChangeRequired: return 403;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kBusy: return 503;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

Response ErrorResponse(const Status& s) {
  if (s.code() == ErrorCode::kBusy) {
    // Expected and passing (another process holds the write lock): the caller may simply retry.
    spdlog::warn("busy: {}", s.message());
    boost::json::object err{{"code", ErrorCodeName(s.code())},
                            {"message", "数据库正忙（另一项写入正在进行，例如导入），请稍后重试 (database busy, try again shortly)"}};
    Response r = JsonResponse(ToJsonText(boost::json::object{{"error", err}}), HttpStatusOf(s.code()));
    r.headers.emplace_back("Retry-After", std::to_string(kBusyRetryAfterSeconds));
    return r;
  }
  if (HttpStatusOf(s.code()) >= kFirstServerError) {
    static std::atomic<uint64_t> counter{0};
    static const uint32_t prefix = std::random_device{}();
    char ref[32];
    std::snprintf(ref, sizeof ref, "E%08x-%llu", prefix, static_cast<unsigned long long>(++counter));
    spdlog::error("{} {}: {}", ref, ErrorCodeName(s.code()), s.message());
    boost::json::object err{{"code", ErrorCodeName(s.code())},
                            {"message", std::string(s.code() == ErrorCode::kUnavailable
                                                        ? "服务暂不可用，请稍后重试 (service unavailable, try again later)"
                                                        : "服务器内部错误 (internal error)") +
                                            "; ref " + ref},
                            {"ref", ref}};
    return JsonResponse(ToJsonText(boost::json::object{{"error", err}}), HttpStatusOf(s.code()));
  }
  boost::json::object err{{"code", ErrorCodeName(s.code())}, {"message", s.message()}};
  if (!s.field().empty()) err["field"] = s.field();
  return JsonResponse(ToJsonText(boost::json::object{{"error", err}}), HttpStatusOf(s.code()));
}

Response JsonResponse(std::string body, int status) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

std::string UrlDecode(std::string_view s, bool plus_as_space) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else if (s[i] == '+' && plus_as_space) {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

void ParseTarget(Request& r) {
  std::string_view t = r.target;
  size_t q = t.find('?');
  r.path = UrlDecode(t.substr(0, q), false);
  r.query.clear();
  if (q == std::string_view::npos) return;
  std::string_view qs = t.substr(q + 1);
  while (!qs.empty()) {
    size_t amp = qs.find('&');
    std::string_view pair = qs.substr(0, amp);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string key = UrlDecode(pair.substr(0, eq), true);
      std::string value = eq == std::string_view::npos ? "" : UrlDecode(pair.substr(eq + 1), true);
      r.query.emplace(std::move(key), std::move(value));
    }
    if (amp == std::string_view::npos) break;
    qs.remove_prefix(amp + 1);
  }
}

}  // namespace kp::http
