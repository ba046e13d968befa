#include "domain/webhooks.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json.hpp>

#include <mutex>
#include <vector>

#include "common/text.h"

namespace kp {
namespace {

constexpr long kTimeoutSeconds = 10;
constexpr size_t kMaxAnswerBytes = 64 * 1024;

std::string Base64(const unsigned char* data, size_t n) {
  std::string out(4 * ((n + 2) / 3), '\0');
  int len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(n));
  out.resize(static_cast<size_t>(len));
  return out;
}

std::string HmacSha256Base64(const std::string& key, const std::string& message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), mac, &len);
  return Base64(mac, len);
}

std::string UrlEncode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

size_t Collect(char* data, size_t size, size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  const size_t bytes = size * n;
  if (out->size() < kMaxAnswerBytes) out->append(data, std::min(bytes, kMaxAnswerBytes - out->size()));
  return bytes;
}

class CurlSender final : public WebhookSender {
 public:
  CurlSender() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }
  Status Post(const std::string& url, const std::string& body) override {
    CURL* curl = curl_easy_init();
    if (!curl) return Internal("无法初始化 HTTP 客户端 (curl_easy_init)");
    std::string answer;
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json; charset=utf-8");
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, kTimeoutSeconds);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK) return {ErrorCode::kUnavailable, std::string("发送失败 (send failed): ") + curl_easy_strerror(rc)};
    if (status < 200 || status >= 300) {
      return {ErrorCode::kUnavailable, "对方返回 HTTP " + std::to_string(status) + " (webhook answered " +
                                           std::to_string(status) + "): " + answer.substr(0, 200)};
    }
    // The robots answer 200 with an error code in the body when they refuse a message.
    boost::system::error_code ec;
    auto v = boost::json::parse(answer, ec);
    if (!ec && v.is_object()) {
      for (const char* key : {"errcode", "code", "StatusCode"}) {
        const auto* c = v.as_object().if_contains(key);
        if (c && c->is_int64() && c->as_int64() != 0) {
          return {ErrorCode::kUnavailable, "机器人拒收 (robot refused): " + answer.substr(0, 200)};
        }
      }
    }
    return Status::Ok();
  }
};

}  // namespace

std::string DingTalkSign(int64_t timestamp_ms, const std::string& secret) {
  return HmacSha256Base64(secret, std::to_string(timestamp_ms) + "\n" + secret);
}

std::string FeishuSign(int64_t timestamp_s, const std::string& secret) {
  return HmacSha256Base64(std::to_string(timestamp_s) + "\n" + secret, "");
}

Status ValidateWebhook(const Webhook& w) {
  constexpr size_t kMaxName = 100, kMaxUrl = 2000, kMaxSecret = 200;
  if (Trim(w.name).empty()) return InvalidArgument("请填写名称 (name is required)", "name");
  if (w.name.size() > kMaxName) return InvalidArgument("名称过长 (name too long)", "name");
  if (std::string why = TextProblem(w.name, TextShape::kSingleLine); !why.empty()) return InvalidArgument(why, "name");
  if (w.kind != "wecom" && w.kind != "dingtalk" && w.kind != "feishu") {
    return InvalidArgument("类型应为 wecom（企业微信）、dingtalk（钉钉）或 feishu（飞书） (unknown kind)", "kind");
  }
  if (!(w.url.starts_with("https://") || w.url.starts_with("http://")) || w.url.size() > kMaxUrl ||
      !TextProblem(w.url, TextShape::kSingleLine).empty() || w.url.find(' ') != std::string::npos) {
    return InvalidArgument("地址应为 http(s):// 开头的机器人 Webhook 地址 (bad url)", "url");
  }
  if (w.secret.size() > kMaxSecret || !TextProblem(w.secret, TextShape::kSingleLine).empty()) {
    return InvalidArgument("加签密钥无效 (bad secret)", "secret");
  }
  return Status::Ok();
}

OutboundMessage FormatWebhookMessage(const Webhook& w, const std::string& title, const std::string& markdown,
                                     int64_t now_ms) {
  OutboundMessage out;
  out.url = w.url;
  namespace json = boost::json;
  if (w.kind == "dingtalk") {
    if (!w.secret.empty()) {
      out.url += (out.url.find('?') == std::string::npos ? "?" : "&") + std::string("timestamp=") +
                 std::to_string(now_ms) + "&sign=" + UrlEncode(DingTalkSign(now_ms, w.secret));
    }
    out.body = json::serialize(
        json::object{{"msgtype", "markdown"}, {"markdown", json::object{{"title", title}, {"text", "### " + title + "\n\n" + markdown}}}});
  } else if (w.kind == "feishu") {
    json::object o{{"msg_type", "interactive"},
                   {"card", json::object{{"header", json::object{{"title", json::object{{"tag", "plain_text"}, {"content", title}}}}},
                                         {"elements", json::array{json::object{{"tag", "markdown"}, {"content", markdown}}}}}}};
    if (!w.secret.empty()) {
      const int64_t seconds = now_ms / 1000;
      o["timestamp"] = std::to_string(seconds);
      o["sign"] = FeishuSign(seconds, w.secret);
    }
    out.body = json::serialize(o);
  } else {
    out.body = json::serialize(
        json::object{{"msgtype", "markdown"}, {"markdown", json::object{{"content", "### " + title + "\n" + markdown}}}});
  }
  return out;
}

std::unique_ptr<WebhookSender> MakeCurlSender() { return std::make_unique<CurlSender>(); }

}  // namespace kp
