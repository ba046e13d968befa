#pragma once
// A small streaming XML tokenizer for the large parts of an .xlsx (worksheets, shared strings).
// Expat spends most of a 100k-row import in generic work these parts never need; this reads the
// subset spreadsheet producers write: UTF-8, elements with prefixed or plain names, attributes in
// either quote, the five named entities and numeric character references, comments, processing
// instructions and CDATA. Tags must nest (a mismatch is an error). A DOCTYPE or a declared
// encoding other than UTF-8 answers kUnsupported: the caller reads that part with expat instead.
//
// The handler receives the same calls an expat handler does:
//   void OnStart(std::string_view local_name, const char** attrs);  // name, value, ..., nullptr
//   void OnEnd(std::string_view local_name);
//   void OnText(const char* text, int len);                         // decoded, maybe in pieces
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace kp::documents {

class XmlScanner {
 public:
  enum class Outcome { kMore, kDone, kError, kUnsupported };

  // Feeds the next piece of the document; `last` marks the end. Returns kMore while more input
  // is wanted, kDone at a well-formed end, else kError (see error()) or kUnsupported.
  template <typename Handler>
  Outcome Feed(std::string_view piece, bool last, Handler& h) {
    if (buf_.empty()) {
      buf_.assign(piece.data(), piece.size());
    } else {
      buf_.append(piece.data(), piece.size());
    }
    size_t pos = 0;
    Outcome o = Run(h, last, &pos);
    consumed_ += pos;
    buf_.erase(0, pos);
    if (o != Outcome::kMore) return o;
    if (!last) return Outcome::kMore;
    if (!buf_.empty()) return Fail(buf_.front() == '<' ? "标签不完整 (unterminated tag)" : "文档末尾有多余内容");
    if (!stack_.empty()) return Fail("元素「" + stack_.back() + "」没有结束 (element not closed)");
    if (!seen_root_) return Fail("没有根元素 (no root element)");
    return Outcome::kDone;
  }

  const std::string& error() const { return error_; }

 private:
  static bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  static bool IsNameEnd(char c) { return IsSpace(c) || c == '>' || c == '/' || c == '='; }

  static std::string_view Local(std::string_view name) {
    size_t colon = name.rfind(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
  }

  Outcome Fail(std::string message) {
    if (error_.empty()) error_ = std::move(message) + "（约第 " + std::to_string(consumed_) + " 字节）";
    return Outcome::kError;
  }

  // Appends the UTF-8 form of a character reference; false when it names no XML character.
  static bool AppendCodePoint(std::string& out, uint32_t cp) {
    bool ok = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
              (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
    if (!ok) return false;
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return true;
  }

  // Decodes entities and line ends of [s, s+n) into out; false on an unknown entity.
  static bool Decode(const char* s, size_t n, std::string& out) {
    for (size_t i = 0; i < n; ++i) {
      char c = s[i];
      if (c == '\r') {
        out += '\n';
        if (i + 1 < n && s[i + 1] == '\n') ++i;
        continue;
      }
      if (c != '&') {
        out += c;
        continue;
      }
      const char* semi = static_cast<const char*>(std::memchr(s + i, ';', n - i));
      if (!semi) return false;
      std::string_view ent(s + i + 1, static_cast<size_t>(semi - (s + i + 1)));
      if (ent == "lt") out += '<';
      else if (ent == "gt") out += '>';
      else if (ent == "amp") out += '&';
      else if (ent == "quot") out += '"';
      else if (ent == "apos") out += '\'';
      else if (ent.size() >= 2 && ent[0] == '#') {
        bool hex = ent[1] == 'x';
        std::string_view digits = ent.substr(hex ? 2 : 1);
        if (digits.empty() || digits.size() > 8) return false;
        uint32_t cp = 0;
        for (char d : digits) {
          int v = d >= '0' && d <= '9' ? d - '0'
                  : hex && d >= 'a' && d <= 'f' ? d - 'a' + 10
                  : hex && d >= 'A' && d <= 'F' ? d - 'A' + 10
                                                : -1;
          if (v < 0) return false;
          cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(v);
        }
        if (!AppendCodePoint(out, cp)) return false;
      } else {
        return false;
      }
      i = static_cast<size_t>(semi - s);
    }
    return true;
  }

  // True when [s, s+n) is well-formed UTF-8 holding only characters XML allows (no control
  // characters but tab, line feed and carriage return; no surrogates or values past U+10FFFF).
  // Checked here because expat, which read these parts before, refused such text.
  static bool IsXmlText(const char* s, size_t n) {
    const auto* p = reinterpret_cast<const unsigned char*>(s);
    size_t i = 0;
    while (i < n) {
      // Eight plain ASCII bytes (none below 0x20) at a time.
      if (i + 8 <= n) {
        uint64_t w;
        std::memcpy(&w, p + i, 8);
        const uint64_t high = w & 0x8080808080808080ull;
        const uint64_t low = (w - 0x2020202020202020ull) & ~w & 0x8080808080808080ull;  // a byte < 0x20
        if (high == 0 && low == 0) {
          i += 8;
          continue;
        }
      }
      unsigned c = p[i];
      if (c < 0x80) {
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
        ++i;
        continue;
      }
      size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
      if (len == 0 || c > 0xF4 || i + len > n) return false;
      uint32_t cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
      for (size_t k = 1; k < len; ++k) {
        if ((p[i + k] & 0xC0) != 0x80) return false;
        cp = (cp << 6) | (p[i + k] & 0x3F);
      }
      if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
          (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF) {
        return false;
      }
      i += len;
    }
    return true;
  }

  template <typename Handler>
  bool Text(const char* s, size_t n, Handler& h) {
    if (n == 0) return true;
    if (!IsXmlText(s, n)) return false;
    if (stack_.empty()) {  // outside the root only white space may stand
      for (size_t i = 0; i < n; ++i) {
        if (!IsSpace(s[i])) return false;
      }
      return true;
    }
    if (!std::memchr(s, '&', n) && !std::memchr(s, '\r', n)) {
      h.OnText(s, static_cast<int>(n));
      return true;
    }
    text_.clear();
    if (!Decode(s, n, text_)) return false;
    h.OnText(text_.data(), static_cast<int>(text_.size()));
    return true;
  }

  // Finds `end` at or after p; npos when it is not in the buffer yet.
  size_t FindFrom(size_t p, std::string_view end) const { return buf_.find(end, p); }

  template <typename Handler>
  Outcome Run(Handler& h, bool last, size_t* pos) {
    const char* b = buf_.data();
    const size_t n = buf_.size();
    size_t i = 0;
    if (consumed_ == 0 && !started_) {
      if (n < 3 && !last) return Outcome::kMore;
      if (n >= 2 && ((b[0] == '\xFE' && b[1] == '\xFF') || (b[0] == '\xFF' && b[1] == '\xFE'))) {
        return Outcome::kUnsupported;  // UTF-16
      }
      if (n >= 3 && std::memcmp(b, "\xEF\xBB\xBF", 3) == 0) i = 3;
      started_ = true;
    }
    for (;;) {
      *pos = i;
      if (i >= n) return Outcome::kMore;
      if (b[i] != '<') {
        const char* lt = static_cast<const char*>(std::memchr(b + i, '<', n - i));
        size_t end = lt ? static_cast<size_t>(lt - b) : n;
        if (!lt && !last) {
          // Keep an unfinished run for the next piece unless it is long: then hand on what is
          // safe (up to an entity that may be cut).
          if (end - i < (64u << 10)) return Outcome::kMore;
          const char* amp = static_cast<const char*>(memrchr(b + i, '&', end - i));
          if (amp && !std::memchr(amp, ';', static_cast<size_t>(b + end - amp))) end = static_cast<size_t>(amp - b);
          if (end > i && b[end - 1] == '\r') --end;
          // Nothing safe to hand on: an entity without its ';' for 64 KiB is no entity.
          if (end == i) return Fail("文本中有未结束的实体 (unterminated entity)");
        }
        if (!Text(b + i, end - i, h)) {
          return Fail("文本中有无效字符（非 UTF-8 或控制字符）或未知实体 (bad character or entity)");
        }
        i = end;
        continue;
      }
      // A markup construct starting at i.
      // An unfinished construct waits for the next piece, up to a bound: a tag, comment or
      // CDATA section longer than kMaxConstruct is refused rather than rescanned for ever.
      auto more = [&](const char* what) {
        if (last) return Fail(std::string(what) + "不完整 (unterminated markup)");
        if (n - i > kMaxConstruct) return Fail(std::string(what) + "过长 (markup too long)");
        return Outcome::kMore;
      };
      if (i + 1 >= n) return more("标签");
      char c = b[i + 1];
      if (c == '?') {
        size_t e = FindFrom(i + 2, "?>");
        if (e == std::string::npos) return more("处理指令");
        std::string_view pi(b + i + 2, e - i - 2);
        if (pi.starts_with("xml") && (pi.size() == 3 || IsSpace(pi[3]))) {
          size_t enc = pi.find("encoding");
          if (enc != std::string_view::npos) {
            size_t q = pi.find_first_of("\"'", enc);
            size_t q2 = q == std::string_view::npos ? q : pi.find(pi[q], q + 1);
            if (q2 == std::string_view::npos) return Fail("XML 声明有误 (bad declaration)");
            std::string name(pi.substr(q + 1, q2 - q - 1));
            for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            if (name != "utf-8" && name != "utf8") return Outcome::kUnsupported;
          }
        }
        i = e + 2;
        continue;
      }
      if (c == '!') {
        if (n - i < 9 && !last) return more("标记");
        std::string_view rest(b + i, n - i);
        if (rest.starts_with("<!--")) {
          size_t e = FindFrom(i + 4, "-->");
          if (e == std::string::npos) return more("注释");
          i = e + 3;
          continue;
        }
        if (rest.starts_with("<![CDATA[")) {
          size_t e = FindFrom(i + 9, "]]>");
          if (e == std::string::npos) return more("CDATA ");
          if (stack_.empty()) return Fail("根元素外有 CDATA");
          if (!IsXmlText(b + i + 9, e - i - 9)) return Fail("CDATA 中有无效字符 (bad character)");
          if (e > i + 9) h.OnText(b + i + 9, static_cast<int>(e - i - 9));
          i = e + 3;
          continue;
        }
        return Outcome::kUnsupported;  // DOCTYPE and the like
      }
      if (c == '/') {
        size_t j = i + 2;
        while (j < n && !IsNameEnd(b[j])) ++j;
        size_t k = j;
        while (k < n && IsSpace(b[k])) ++k;
        if (k >= n) return more("结束标签");
        if (b[k] != '>') return Fail("结束标签有误 (bad end tag)");
        std::string_view name(b + i + 2, j - i - 2);
        if (stack_.empty() || stack_.back() != name) {
          return Fail("结束标签「" + std::string(name) + "」与开始标签不匹配 (mismatched tag)");
        }
        stack_.pop_back();
        h.OnEnd(Local(name));
        i = k + 1;
        continue;
      }
      // A start tag: <name (attr = "value")* /?>
      size_t j = i + 1;
      while (j < n && !IsNameEnd(b[j])) ++j;
      if (j >= n) return more("标签");
      if (j == i + 1) return Fail("标签缺少名称 (tag without a name)");
      std::string_view name(b + i + 1, j - i - 1);
      attr_text_.clear();
      attr_ends_.clear();
      bool self_closing = false, complete = false;
      while (j < n) {
        while (j < n && IsSpace(b[j])) ++j;
        if (j >= n) break;
        if (b[j] == '>') {
          complete = true;
          ++j;
          break;
        }
        if (b[j] == '/') {
          if (j + 1 >= n) break;
          if (b[j + 1] != '>') return Fail("标签有误 (bad tag)");
          self_closing = complete = true;
          j += 2;
          break;
        }
        size_t a = j;
        while (j < n && !IsNameEnd(b[j])) ++j;
        if (j == a) return Fail("属性有误 (bad attribute)");
        size_t a_end = j;
        while (j < n && IsSpace(b[j])) ++j;
        if (j >= n) break;
        if (b[j] != '=') return Fail("属性缺少值 (attribute without a value)");
        ++j;
        while (j < n && IsSpace(b[j])) ++j;
        if (j >= n) break;
        char quote = b[j];
        if (quote != '"' && quote != '\'') return Fail("属性值缺少引号 (unquoted attribute)");
        const char* close = static_cast<const char*>(std::memchr(b + j + 1, quote, n - j - 1));
        if (!close) {
          j = n;
          break;
        }
        attr_text_.append(b + a, a_end - a);
        attr_ends_.push_back(attr_text_.size());
        attr_text_ += '\0';
        const char* v = b + j + 1;
        size_t vlen = static_cast<size_t>(close - v);
        if (std::memchr(v, '<', vlen)) return Fail("属性值中有 < (bad attribute value)");
        if (std::memchr(v, '&', vlen)) {
          if (!Decode(v, vlen, attr_text_)) return Fail("属性值中有未知实体 (unknown entity)");
        } else {
          attr_text_.append(v, vlen);
        }
        attr_ends_.push_back(attr_text_.size());
        attr_text_ += '\0';
        j = static_cast<size_t>(close - b) + 1;
        if (j < n && !IsSpace(b[j]) && b[j] != '>' && b[j] != '/') return Fail("属性之间缺少空格");
      }
      if (!complete) return more("标签");
      if (stack_.empty() && seen_root_) return Fail("有多个根元素 (more than one root element)");
      seen_root_ = true;
      attrs_.clear();
      size_t start = 0;
      for (size_t end : attr_ends_) {
        attrs_.push_back(attr_text_.data() + start);
        start = end + 1;
      }
      attrs_.push_back(nullptr);
      stack_.emplace_back(name);
      std::string_view local = Local(name);
      h.OnStart(local, attrs_.data());
      if (self_closing) {
        stack_.pop_back();
        h.OnEnd(local);
      }
      i = j;
    }
  }

  static constexpr size_t kMaxConstruct = 4u << 20;

  std::string buf_;
  uint64_t consumed_ = 0;  // bytes of the document before buf_
  bool started_ = false, seen_root_ = false;
  std::vector<std::string> stack_;
  std::string text_, attr_text_;
  std::vector<size_t> attr_ends_;
  std::vector<const char*> attrs_;
  std::string error_;
};

}  // namespace kp::documents
