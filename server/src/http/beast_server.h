#pragma once
// The HTTP/1.1 server: Boost.Beast + Asio, async, N io threads. Handlers run on the io threads.
// Memory and time a caller can hold are bounded (SECURITY.md lists the values):
//  - a request head is admitted (Router::Admit: signed in, role, CSRF) before any body is read;
//  - a small body (JSON) is held in memory up to max_small_body_bytes; a file body (uploads) goes
//    to a temporary file up to max_body_bytes, so a connection holds at most a few buffers;
//  - connections are limited in total and per peer address (the total also below the process's
//    file-handle limit); when handles run out anyway, accepting pauses instead of spinning;
//  - a timeout on the header, on each pause in a body or in an answer, and on a whole body or
//    answer (a large download on a slow line goes on while it moves).
// Stop() (or SIGINT/SIGTERM in Run) stops accepting, closes idle keep-alive connections and lets
// in-flight requests finish.
#include <memory>
#include <string>

#include "http/router.h"

namespace kp::http {

struct ServerConfig {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;
  int threads = 2;
  size_t max_body_bytes = 64u << 20;        // 64 MiB: uploads of large registers, streamed to disk
  size_t max_small_body_bytes = 1u << 20;   // 1 MiB (at most max_body_bytes): every other body, in memory
  size_t max_header_bytes = 16u << 10;
  int read_timeout_seconds = 30;    // the header (with the keep-alive wait before it), any pause in a body or answer
  int body_timeout_seconds = 1800;  // a whole body or answer: 64 MiB at ~40 KB/s
  int shutdown_grace_seconds = 20;
  int slow_threads = 2;       // the pool for slow routes (password hashing: ~64 MiB and ~0.1 s each)
  int max_slow_waiting = 256;  // slow requests queued beyond this are answered 503 at once
  int max_connections = 512;              // in total (lowered to fit the file-handle limit)
  int max_connections_per_address = 64;   // from one peer address
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
