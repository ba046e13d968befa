#pragma once
// The HTTP/1.1 server: Boost.Beast + Asio, async, N io threads. Handlers run on the io threads.
// Limits: header and body size; a timeout on the header, on each pause in a body and on the whole body. Stop() (or SIGINT/SIGTERM in
// Run) stops accepting, closes idle keep-alive connections and lets in-flight requests finish.
#include <memory>
#include <string>

#include "http/router.h"

namespace kp::http {

struct ServerConfig {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;
  int threads = 2;
  size_t max_body_bytes = 64u << 20;  // 64 MiB: uploads of large registers
  size_t max_header_bytes = 16u << 10;
  int read_timeout_seconds = 30;    // the header (with the keep-alive wait before it), and any pause in a body
  int body_timeout_seconds = 1800;  // a whole body: 64 MiB at ~40 KB/s
  int shutdown_grace_seconds = 20;
  int slow_threads = 2;       // the pool for slow routes (password hashing: ~64 MiB and ~0.1 s each)
  int max_slow_waiting = 256;  // slow requests queued beyond this are answered 503 at once
};

class Server {
 public:
  Server(ServerConfig config, const Router& router);
  ~Server();
  // Binds the listening socket; returns the bound port (useful with port 0).
  Result<unsigned short> Listen();
  // Serves until Stop() or SIGINT/SIGTERM; returns after in-flight requests are done.
  void Run();
  void Stop();

  struct Impl;  // Beast internals, kept out of this header

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace kp::http
