#include "http/beast_server.h"

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <chrono>
#include <list>
#include <mutex>
#include <thread>

#include <sys/resource.h>
#include <unistd.h>

#include "spdlog/spdlog.h"

namespace kp::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

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
  net::signal_set signals{ioc, SIGINT, SIGTERM};
  std::atomic<bool> stopping{false};
  std::mutex sessions_mu;
  std::list<std::weak_ptr<Session>> sessions;
  std::unique_ptr<net::steady_timer> grace_timer;
  std::atomic<int> active{0};  // live sessions
  std::unique_ptr<net::thread_pool> slow_pool;  // Access::slow routes run here
  std::atomic<int> slow_waiting{0};

  // Called when a session ends: the last one out during shutdown releases the grace timer.
  void SessionEnded() {
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
  Session(tcp::socket socket, Server::Impl& server) : stream_(std::move(socket)), server_(server) { ++server_.active; }
  ~Session() { server_.SessionEnded(); }

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
  void Read() {
    if (server_.stopping) return Close();
    parser_.emplace();
    parser_->body_limit(server_.config.max_body_bytes);
    parser_->header_limit(static_cast<uint32_t>(server_.config.max_header_bytes));
    idle_ = buffer_.size() == 0;
    stream_.expires_after(std::chrono::seconds(server_.config.read_timeout_seconds));
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    idle_ = false;
    if (ec) return OnError(ec);
    body_deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(server_.config.body_timeout_seconds);
    ReadBody();
  }

  // The body in pieces: a pause between pieces may last read_timeout_seconds, so a large upload
  // over a slow line goes on while it moves; the whole body at most body_timeout_seconds.
  void ReadBody() {
    if (parser_->is_done()) return OnRead({}, 0);
    auto pause = std::chrono::steady_clock::now() + std::chrono::seconds(server_.config.read_timeout_seconds);
    stream_.expires_at(std::min(pause, body_deadline_));
    bhttp::async_read_some(stream_, buffer_, *parser_,
                           beast::bind_front_handler(&Session::OnBodyPart, shared_from_this()));
  }

  void OnBodyPart(beast::error_code ec, std::size_t) {
    if (ec) return OnError(ec);
    ReadBody();
  }

  void OnError(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted || ec == beast::error::timeout) {
      return Close();
    }
    if (ec == bhttp::error::body_limit) {
      return Refuse(ErrorResponse({ErrorCode::kPayloadTooLarge, "请求体过大 (request body too large)"}));
    }
    if (ec == bhttp::error::header_limit) {
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
    if (parser_) {  // what was read of the header (all of it when the body was too large)
      r.method = std::string(parser_->get().method_string());
      r.target = std::string(parser_->get().target());
    }
    beast::error_code ep_ec;
    auto ep = stream_.socket().remote_endpoint(ep_ec);
    if (!ep_ec) r.remote = ep.address().to_string();
    Reply(server_.router.Refuse(std::move(r), std::move(res)), false);
  }

  void OnRead(beast::error_code ec, std::size_t) {
    if (ec) return OnError(ec);
    auto req = parser_->release();
    Request r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    for (const auto& f : req) {
      std::string name(f.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers[name] = std::string(f.value());
    }
    r.body = std::move(req.body());
    beast::error_code ep_ec;
    auto ep = stream_.socket().remote_endpoint(ep_ec);
    if (!ep_ec) r.remote = ep.address().to_string();
    bool keep_alive = req.keep_alive();
    version_ = req.version();
    head_ = req.method() == bhttp::verb::head;
    if (server_.router.IsSlow(r.method, r.target)) return HandleSlow(std::move(r), keep_alive);
    Response res = server_.router.Handle(std::move(r));
    Reply(std::move(res), keep_alive && !server_.stopping);
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

  void Reply(Response res, bool keep_alive) {
    auto msg = std::make_shared<bhttp::response<bhttp::string_body>>();
    msg->version(version_);
    msg->result(static_cast<unsigned>(res.status));
    msg->set(bhttp::field::server, "keyproject");
    msg->set(bhttp::field::content_type, res.content_type);
    for (auto& [k, v] : res.headers) msg->insert(k, v);
    msg->body() = std::move(res.body);
    msg->keep_alive(keep_alive);
    msg->prepare_payload();
    if (head_) msg->body().clear();
    bhttp::async_write(stream_, *msg, [self = shared_from_this(), msg, keep_alive](beast::error_code ec, std::size_t) {
      if (ec || !keep_alive) return self->Close();
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
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Server::Impl& server_;
  unsigned version_ = 11;
  bool head_ = false;
  std::atomic<bool> idle_{true};
  std::chrono::steady_clock::time_point body_deadline_;
};

void Server::Impl::Accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (!stopping) Accept();
      return;
    }
    auto s = std::make_shared<Session>(std::move(socket), *this);
    {
      std::lock_guard lock(sessions_mu);
      sessions.remove_if([](const std::weak_ptr<Session>& w) { return w.expired(); });
      sessions.push_back(s);
    }
    s->Start();
    if (!stopping) Accept();
  });
}

void Server::Impl::BeginStop() {
  if (stopping.exchange(true)) return;
  spdlog::info("shutting down: finishing in-flight requests");
  beast::error_code ec;
  acceptor.close(ec);
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
