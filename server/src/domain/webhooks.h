#pragma once
// Group-robot messages: WeCom (企业微信), DingTalk (钉钉, signed with its secret) and Feishu (飞书),
// each in its own markdown format, and the sender that posts them (libcurl).
#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "domain/model.h"

namespace kp {

// What to post: the URL (DingTalk's carries timestamp and sign) and the JSON body.
struct OutboundMessage {
  std::string url;
  std::string body;
};

// One message for the robot's kind, signed when it has a secret. now_ms: the signing time.
OutboundMessage FormatWebhookMessage(const Webhook& w, const std::string& title, const std::string& markdown,
                                     int64_t now_ms);
// DingTalk's signature: base64(HMAC-SHA256(secret, "<timestamp_ms>\n<secret>")).
std::string DingTalkSign(int64_t timestamp_ms, const std::string& secret);
// Feishu's signature: base64(HMAC-SHA256(key = "<timestamp_s>\n<secret>", message = "")).
std::string FeishuSign(int64_t timestamp_s, const std::string& secret);
// Errors name the field: kind (wecom dingtalk feishu), url (http or https), name.
Status ValidateWebhook(const Webhook& w);

class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  // Posts body; Ok only on HTTP 2xx and, where the robot says so in its answer, errcode/code 0.
  virtual Status Post(const std::string& url, const std::string& body) = 0;
};
// libcurl, 10 s timeout, no redirects followed.
std::unique_ptr<WebhookSender> MakeCurlSender();

}  // namespace kp
