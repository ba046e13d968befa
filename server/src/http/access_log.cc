#include "http/access_log.h"

#include <boost/json.hpp>
#include <chrono>
#include <ctime>

#include "spdlog/sinks/basic_file_sink.h"
#include "spdlog/sinks/stdout_sinks.h"
#include "spdlog/spdlog.h"

namespace kp::http {
namespace {

constexpr const char* kLoggerName = "access";

std::shared_ptr<spdlog::logger>& Logger() {
  static std::shared_ptr<spdlog::logger> logger;
  return logger;
}

std::string UtcNow() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

}  // namespace

Status OpenAccessLog(const std::string& dest) {
  try {
    std::shared_ptr<spdlog::logger> logger;
    if (dest == "off") {
      Logger().reset();
      return Status::Ok();
    }
    if (dest == "-" || dest.empty()) {
      logger = std::make_shared<spdlog::logger>(kLoggerName, std::make_shared<spdlog::sinks::stderr_sink_mt>());
    } else {
      logger = std::make_shared<spdlog::logger>(kLoggerName,
                                                std::make_shared<spdlog::sinks::basic_file_sink_mt>(dest, false));
    }
    logger->set_pattern("%v");
    logger->flush_on(spdlog::level::info);
    Logger() = logger;
    return Status::Ok();
  } catch (const std::exception& e) {
    return InvalidArgument(std::string("无法打开访问日志 (cannot open the access log): ") + e.what(), "access-log");
  }
}

void LogAccess(const Request& req, const Response& res, double seconds) {
  const auto& logger = Logger();
  if (!logger) return;
  boost::json::object line{{"ts", UtcNow()},
                           {"request_id", req.request_id},
                           {"remote", req.remote},
                           {"method", req.method},
                           {"path", req.path},
                           {"route", req.route},
                           {"status", res.status},
                           {"duration_ms", seconds * 1000.0},
                           {"bytes", res.body.size()},
                           {"user", req.user ? boost::json::value(req.user->login) : boost::json::value(nullptr)}};
  logger->info(boost::json::serialize(line));
}

}  // namespace kp::http
