#include "http/beast_server.h"

#include <malloc.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <chrono>
#include <filesystem>
#include <cstdio>
#include <list>
#include <mutex>
#include <thread>
#include <unordered_map>

#include <sys/resource.h>
#include <unistd.h>

#include "spdlog/spdlog.h"

namespace kp::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr int kReservedFileHandles = 64;   // the database, uploads, exports, logs
constexpr int kMinConnections = 8;
constexpr size_t kReadBufferSlack = 64u << 10;  // a read's worth beyond the header
constexpr auto kAcceptBackoff = std::chrono::milliseconds(200);
constexpr mode_t kUploadFileMode = 0600;
// What a connection over a limit gets before it is closed (written whole, without waiting).
const std::string& BusyAnswer() {
  static const std::string answer = [] {
    const std::string body =
        R"json({"error":{"code":"unavailable","message":"连接过多，请稍后重试 (too many connections, try again later)"}})json";
    return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
           "Connection: close\r\nRetry-After: 5\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
  }();
  return answer;
}

}  // namespace

class Session;

// Slow work yields the cores to the threads that serve sockets: a sign-in storm waits, /healthz does not.
void LowerThisThreadsPriority() {
  constexpr int kNice = 10;
  thread_local bool lowered = false;
  if (lowered) return;
  lowered = true;
  (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), kNice);
}

struct Server::Impl {
  ServerConfig config;
  const Router& router;
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  net::steady_timer accept_timer{ioc};
  net::signal_set signals{ioc, SIGINT, SIGTERM};
  std::atomic<bool> stopping{false};
  std::mutex sessions_mu;
  std::list<std::weak_ptr<Session>> sessions;
  std::unique_ptr<net::steady_timer> grace_timer;
  std::atomic<int> active{0};  // live sessions
  std::unique_ptr<net::thread_pool> slow_pool;  // Access::slow routes run here
  std::atomic<int> slow_waiting{0};
  std::mutex conn_mu;
  std::unordered_map<std::string, int> per_address;  // live sessions by peer address

  // Counts a new connection from addr; false when a limit is reached.
  bool Admit(const std::string& addr) {
    std::lock_guard lock(conn_mu);
    int& n = per_address[addr];
    if (active.load() >= config.max_connections || n >= config.max_connections_per_address) {
      if (n == 0) per_address.erase(addr);
      return false;
    }
    ++n;
    ++active;
    return true;
  }

  // Called when a session ends: the last one out during shutdown releases the grace timer.
  void SessionEnded(const std::string& addr) {
    {
      std::lock_guard lock(conn_mu);
      auto it = per_address.find(addr);
      if (it != per_address.end() && --it->second <= 0) per_address.erase(it);
    }
    if (--active == 0 && stopping) {
      net::post(ioc, [this] {
        if (grace_timer) grace_timer->cancel();
      });
    }
  }

  Impl(ServerConfig c, const Router& r)
      : config(std::move(c)), router(r), slow_pool(std::make_unique<net::thread_pool>(config.slow_threads)) {}
  void Accept();
  void BeginStop();
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::string remote, Server::Impl& server)
      : stream_(std::move(socket)), server_(server), remote_(std::move(remote)) {
    buffer_.max_size(server_.config.max_header_bytes + kReadBufferSlack);
  }
  ~Session() {
    if (!upload_path_.empty()) std::remove(upload_path_.c_str());
    server_.SessionEnded(remote_);
  }

  void Start() { net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::Read, shared_from_this())); }

  // Closes the connection if it is waiting for a new request (called on shutdown).
  void CloseIfIdle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.close();
      }
    });
  }

 private:
  using HeadParser = bhttp::request_parser<bhttp::empty_body>;
  using SmallParser = bhttp::request_parser<bhttp::string_body>;
  using FileParser = bhttp::request_parser<bhttp::file_body>;

  void Read() {
    if (server_.stopping) return Close();
    head_ = Request{};
    small_.reset();
    file_.reset();
    head_parser_.emplace();
    head_parser_->header_limit(static_cast<uint32_t>(server_.config.max_header_bytes));
    // The route's own limit is applied once the head is admitted (OnHeader); here only the largest.
    head_parser_->body_limit(std::max(server_.config.max_body_bytes, server_.config.max_small_body_bytes));
    idle_ = buffer_.size() == 0;
    stream_.expires_after(std::chrono::seconds(server_.config.read_timeout_seconds));
    bhttp::async_read_header(stream_, buffer_, *head_parser_,
                             beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  // The head is in: admit it (sign-in, role) before a byte of body is read, then read the body
  // the route takes.
  void OnHeader(beast::error_code ec, std::size_t) {
    idle_ = false;
    if (ec) return OnError(ec);
    const auto& h = head_parser_->get();
    head_ = Request{};
    head_.method = std::string(h.method_string());
    head_.target = std::string(h.target());
    for (const auto& f : h) {
      std::string name(f.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      head_.headers[name] = std::string(f.value());
    }
    head_.remote = remote_;
    keep_alive_ = h.keep_alive();
    version_ = h.version();
    is_head_ = h.method() == bhttp::verb::head;
    Router::Admission a = server_.router.Admit(head_);
    slow_ = a.slow;
    if (a.refusal) {
      // The unread body stays unread: answer and close, unless there was none.
      return Reply(std::move(*a.refusal), keep_alive_ && head_parser_->is_done() && !server_.stopping);
    }
    body_deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(server_.config.body_timeout_seconds);
    const size_t limit = a.body == BodyKind::kFile
                             ? server_.config.max_body_bytes
                             : std::min(server_.config.max_small_body_bytes, server_.config.max_body_bytes);
    // A declared length is checked now (the parser checked it only against the largest limit); a
    // chunked body is held to the limit as it comes.
    if (auto length = head_parser_->content_length(); length && *length > limit) {
      return Refuse(ErrorResponse({ErrorCode::kPayloadTooLarge, "请求体过大 (request body too large)"}));
    }
    if (a.body == BodyKind::kFile) {
      file_.emplace(std::move(*head_parser_));
      file_->body_limit(limit);
      upload_path_ = Upload::TempPath();
      beast::error_code fec;
      file_->get().body().open(upload_path_.c_str(), beast::file_mode::write_new, fec);
      if (fec) {
        upload_path_.clear();
        return Reply(ErrorResponse(Internal("无法保存上传的文件 (cannot store the upload): " + fec.message())), false);
      }
      ::fchmod(file_->get().body().file().native_handle(), kUploadFileMode);  // the uploader's data: ours alone
      return ReadBody(*file_);
    }
    small_.emplace(std::move(*head_parser_));
    small_->body_limit(limit);
    ReadBody(*small_);
  }

  // The body in pieces: a pause between pieces may last read_timeout_seconds, so a large upload
  // over a slow line goes on while it moves; the whole body at most body_timeout_seconds.
  template <typename Parser>
  void ReadBody(Parser& parser) {
    if (parser.is_done()) return OnBody();
    auto pause = std::chrono::steady_clock::now() + std::chrono::seconds(server_.config.read_timeout_seconds);
    stream_.expires_at(std::min(pause, body_deadline_));
    bhttp::async_read_some(stream_, buffer_, parser,
                           [self = shared_from_this(), &parser](beast::error_code ec, std::size_t) {
                             if (ec) return self->OnError(ec);
                             self->ReadBody(parser);
                           });
  }

  void OnError(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted || ec == beast::error::timeout) {
      return Close();
    }
    if (ec == bhttp::error::body_limit) {
      return Refuse(ErrorResponse({ErrorCode::kPayloadTooLarge, "请求体过大 (request body too large)"}));
    }
    if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
      return Refuse(ErrorResponse({ErrorCode::kPayloadTooLarge, "请求头过大 (request header too large)"}));
    }
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
      return Refuse(ErrorResponse(InvalidArgument("无法解析的 HTTP 请求 (bad request): " + ec.message())));
    }
    Close();
  }

  // Answers and closes without a handler, through the router's middleware (access log, metrics).
  void Refuse(Response res) {
    Request r;
    if (!head_.method.empty()) {  // the head was read (all of it when the body was too large)
      r.method = head_.method;
      r.target = head_.target;
    } else if (head_parser_) {
      r.method = std::string(head_parser_->get().method_string());
      r.target = std::string(head_parser_->get().target());
    }
    r.remote = remote_;
    Reply(server_.router.Refuse(std::move(r), std::move(res)), false);
  }

  void OnBody() {
    Request r = std::move(head_);
    const bool upload = file_.has_value();
    if (small_) {
      r.body = std::move(small_->get().body());
      small_.reset();
    } else if (file_) {
      file_->get().body().close();
      file_.reset();
      auto upload = Upload::Map(upload_path_);  // unlinks the file
      upload_path_.clear();
      if (!upload.ok()) return Reply(ErrorResponse(upload.status()), false);
      r.upload = std::move(*upload);
    }
    if (slow_) return HandleSlow(std::move(r), keep_alive_);
    Response res = server_.router.Handle(std::move(r));
    // Reading a spreadsheet allocates and frees much; give it back to the system rather than
    // keep the peak for the life of the process.
    if (upload) ::malloc_trim(0);
    Reply(std::move(res), keep_alive_ && !server_.stopping);
  }

  // Runs the request on the slow pool and writes the answer back on this connection's strand.
  void HandleSlow(Request r, bool keep_alive) {
    if (server_.slow_waiting.fetch_add(1) >= server_.config.max_slow_waiting) {
      --server_.slow_waiting;
      Response busy = ErrorResponse({ErrorCode::kUnavailable, "服务繁忙，请稍后再试 (busy: try again shortly)"});
      busy.headers.emplace_back("Retry-After", "2");
      return Reply(server_.router.Refuse(std::move(r), std::move(busy)), keep_alive && !server_.stopping);
    }
    // The request is read: no read deadline while it waits for the pool (the answer's write sets its own).
    stream_.expires_never();
    net::post(*server_.slow_pool, [self = shared_from_this(), r = std::move(r), keep_alive]() mutable {
      LowerThisThreadsPriority();
      Response res = self->server_.router.Handle(std::move(r));
      --self->server_.slow_waiting;
      net::post(self->stream_.get_executor(), [self, res = std::move(res), keep_alive]() mutable {
        self->Reply(std::move(res), keep_alive && !self->server_.stopping);
      });
    });
  }

  // The answer in pieces, like a body: each pause at most read_timeout_seconds, the whole at most
  // body_timeout_seconds, so a large download on a slow line is not cut while it moves. A file
  // answer is streamed from disk (and the file removed once open).
  void Reply(Response res, bool keep_alive) {
    reply_keep_alive_ = keep_alive;
    write_deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(server_.config.body_timeout_seconds);
    if (!res.file.empty() && is_head_) {  // the head of a download: its length, no body
      std::error_code size_ec;
      const auto size = std::filesystem::file_size(res.file, size_ec);
      std::remove(res.file.c_str());
      answer_ = std::make_unique<bhttp::response<bhttp::string_body>>();
      Fill(*answer_, res, keep_alive);
      if (!size_ec) answer_->content_length(size);
      serializer_ = std::make_unique<bhttp::response_serializer<bhttp::string_body>>(*answer_);
      return WriteSome(*serializer_);
    }
    if (!res.file.empty()) {
      file_answer_ = std::make_unique<bhttp::response<bhttp::file_body>>();
      beast::error_code ec;
      file_answer_->body().open(res.file.c_str(), beast::file_mode::scan, ec);
      std::remove(res.file.c_str());  // the open file stays readable; nothing is left behind
      if (ec) {
        file_answer_.reset();
        return Reply(ErrorResponse(Internal("无法读取导出的文件 (cannot read the export): " + ec.message())), keep_alive);
      }
      Fill(*file_answer_, res, keep_alive);
      file_serializer_ = std::make_unique<bhttp::response_serializer<bhttp::file_body>>(*file_answer_);
      return WriteSome(*file_serializer_);
    }
    answer_ = std::make_unique<bhttp::response<bhttp::string_body>>();
    answer_->body() = std::move(res.body);
    Fill(*answer_, res, keep_alive);
    if (is_head_) answer_->body().clear();
    serializer_ = std::make_unique<bhttp::response_serializer<bhttp::string_body>>(*answer_);
    WriteSome(*serializer_);
  }

  template <typename Message>
  void Fill(Message& msg, const Response& res, bool keep_alive) {
    msg.version(version_);
    msg.result(static_cast<unsigned>(res.status));
    msg.set(bhttp::field::server, "keyproject");
    msg.set(bhttp::field::content_type, res.content_type);
    for (const auto& [k, v] : res.headers) msg.insert(k, v);
    msg.keep_alive(keep_alive);
    msg.prepare_payload();
  }

  template <typename Serializer>
  void WriteSome(Serializer& sr) {
    auto pause = std::chrono::steady_clock::now() + std::chrono::seconds(server_.config.read_timeout_seconds);
    stream_.expires_at(std::min(pause, write_deadline_));
    bhttp::async_write_some(stream_, sr, [self = shared_from_this(), &sr](beast::error_code ec, std::size_t) {
      if (ec) return self->Close();
      if (!sr.is_done()) return self->WriteSome(sr);
      self->serializer_.reset();
      self->answer_.reset();
      self->file_serializer_.reset();
      self->file_answer_.reset();
      if (!self->reply_keep_alive_) return self->Close();
      self->Read();
    });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  Server::Impl& server_;
  const std::string remote_;
  std::optional<HeadParser> head_parser_;
  std::optional<SmallParser> small_;
  std::optional<FileParser> file_;
  std::string upload_path_;  // the file body being written (removed if the session ends first)
  Request head_;
  std::unique_ptr<bhttp::response<bhttp::string_body>> answer_;
  std::unique_ptr<bhttp::response_serializer<bhttp::string_body>> serializer_;
  std::unique_ptr<bhttp::response<bhttp::file_body>> file_answer_;
  std::unique_ptr<bhttp::response_serializer<bhttp::file_body>> file_serializer_;
  unsigned version_ = 11;
  bool is_head_ = false;
  bool keep_alive_ = false;
  bool slow_ = false;  // the admitted route runs on the slow pool
  bool reply_keep_alive_ = false;
  std::atomic<bool> idle_{true};
  std::chrono::steady_clock::time_point body_deadline_, write_deadline_;
};

void Server::Impl::Accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (stopping) return;
    if (ec) {
      // Out of file handles (or another transient failure): the pending connection stays in the
      // backlog, so accepting again at once would spin. Pause, then try again.
      static std::atomic<int64_t> last_warned{0};
      const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::steady_clock::now().time_since_epoch()).count();
      if (last_warned.exchange(now) != now) spdlog::warn("accept failed: {} (pausing)", ec.message());
      accept_timer.expires_after(kAcceptBackoff);
      accept_timer.async_wait([this](beast::error_code tec) {
        if (!tec && !stopping) Accept();
      });
      return;
    }
    beast::error_code ep_ec;
    auto ep = socket.remote_endpoint(ep_ec);
    std::string addr = ep_ec ? std::string() : ep.address().to_string();
    if (!Admit(addr)) {
      beast::error_code wec;
      socket.non_blocking(true, wec);
      net::write(socket, net::buffer(BusyAnswer()), wec);
      socket.shutdown(tcp::socket::shutdown_both, wec);
      socket.close(wec);
      Accept();
      return;
    }
    auto s = std::make_shared<Session>(std::move(socket), std::move(addr), *this);
    {
      std::lock_guard lock(sessions_mu);
      sessions.remove_if([](const std::weak_ptr<Session>& w) { return w.expired(); });
      sessions.push_back(s);
    }
    s->Start();
    Accept();
  });
}

void Server::Impl::BeginStop() {
  if (stopping.exchange(true)) return;
  spdlog::info("shutting down: finishing in-flight requests");
  beast::error_code ec;
  acceptor.close(ec);
  accept_timer.cancel();
  signals.cancel();
  {
    std::lock_guard lock(sessions_mu);
    for (auto& w : sessions) {
      if (auto s = w.lock()) s->CloseIfIdle();
    }
  }
  if (active == 0) return;
  grace_timer = std::make_unique<net::steady_timer>(ioc, std::chrono::seconds(config.shutdown_grace_seconds));
  grace_timer->async_wait([this](beast::error_code ec) {
    if (!ec) {
      spdlog::warn("shutdown grace period over: stopping");
      ioc.stop();
    }
  });
}

Server::Server(ServerConfig config, const Router& router) : impl_(std::make_unique<Impl>(std::move(config), router)) {}
Server::~Server() = default;

Result<unsigned short> Server::Listen() {
  // Every connection is a file handle: keep the limit where accepting cannot run out of them.
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY) {
    int fit = std::max(kMinConnections, static_cast<int>(lim.rlim_cur) - kReservedFileHandles);
    if (impl_->config.max_connections > fit) {
      spdlog::warn("max connections lowered from {} to {} (file-handle limit {})", impl_->config.max_connections, fit,
                   static_cast<long long>(lim.rlim_cur));
      impl_->config.max_connections = fit;
    }
  }
  beast::error_code ec;
  auto address = net::ip::make_address(impl_->config.address, ec);
  if (ec) return InvalidArgument("无效的监听地址 (bad listen address): " + impl_->config.address);
  tcp::endpoint ep(address, impl_->config.port);
  impl_->acceptor.open(ep.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(ep, ec);
  if (!ec) impl_->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return Status(ErrorCode::kUnavailable, "无法监听 (cannot listen on) " + impl_->config.address + ":" +
                                                     std::to_string(impl_->config.port) + ": " + ec.message());
  return impl_->acceptor.local_endpoint().port();
}

void Server::Run() {
  impl_->signals.async_wait([this](beast::error_code ec, int) {
    if (!ec) impl_->BeginStop();
  });
  impl_->Accept();
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->config.threads; ++i) threads.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : threads) t.join();
  impl_->slow_pool->join();
}

void Server::Stop() {
  net::post(impl_->ioc, [this] { impl_->BeginStop(); });
}

}  // namespace kp::http
