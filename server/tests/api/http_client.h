#pragma once
// A minimal blocking HTTP/1.1 client for tests (one request per connection), plus a helper that
// starts the real `keyproject` binary and reads its URL.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace kp::testing {

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names (last wins)
  std::vector<std::string> set_cookies;
  std::string body;
};

// A TCP connection to 127.0.0.1:port (throws when refused); the caller closes it.
inline int ConnectLoopback(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    throw std::runtime_error("connect failed");
  }
  return fd;
}

inline HttpResult HttpCall(int port, const std::string& method, const std::string& target, const std::string& body = "",
                           const std::map<std::string, std::string>& headers = {}) {
  int fd = ConnectLoopback(port);
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  bool typed = false;
  for (const auto& [k, v] : headers) typed = typed || k == "Content-Type" || k == "content-type";
  if (!typed && !body.empty() && body[0] == '{') req += "Content-Type: application/json\r\n";
  if (!body.empty() || method == "POST" || method == "PUT") req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  for (size_t sent = 0; sent < req.size();) {
    ssize_t n = ::send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string raw;
  char buf[65536];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) raw.append(buf, static_cast<size_t>(n));
  ::close(fd);
  HttpResult r;
  size_t head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos) return r;
  std::string head = raw.substr(0, head_end);
  r.body = raw.substr(head_end + 4);
  size_t sp = head.find(' ');
  r.status = std::stoi(head.substr(sp + 1, 3));
  size_t pos = head.find("\r\n");
  while (pos != std::string::npos && pos < head.size()) {
    size_t next = head.find("\r\n", pos + 2);
    std::string line = head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string k = line.substr(0, colon), v = line.substr(colon + 1);
      for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      while (!v.empty() && v[0] == ' ') v.erase(0, 1);
      if (k == "set-cookie") r.set_cookies.push_back(v);
      r.headers[k] = v;
    }
    pos = next;
  }
  return r;
}

// Runs a command and returns (exit code, stdout).
inline std::pair<int, std::string> RunCommand(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// The real binary serving on a free loopback port.
class ServerProcess {
 public:
  ServerProcess(const std::string& binary, const std::vector<std::string>& args) {
    int pipefd[2];
    if (::pipe(pipefd) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(pipefd[1], 1);
      ::close(pipefd[0]);
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(binary.c_str()));
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(binary.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(pipefd[1]);
    out_ = ::fdopen(pipefd[0], "r");
    char line[1024];
    while (fgets(line, sizeof line, out_)) {
      std::string s(line);
      size_t at = s.find("http://127.0.0.1:");
      if (at != std::string::npos) {
        port_ = std::stoi(s.substr(at + 17));
        break;
      }
    }
    if (port_ == 0) throw std::runtime_error("server did not start");
    // Keep reading what the server prints (its access log): a full pipe would stop the server.
    drain_ = std::thread([f = out_] {
      char buf[4096];
      while (fgets(buf, sizeof buf, f)) {
      }
    });
  }
  ~ServerProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (drain_.joinable()) drain_.join();
    if (out_) ::fclose(out_);
  }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Sends SIGTERM and waits; returns the exit status (or -1 after timeout_ms).
  int Terminate(int timeout_ms) {
    ::kill(pid_, SIGTERM);
    for (int waited = 0; waited < timeout_ms; waited += 20) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      ::usleep(20'000);
    }
    return -1;
  }

 private:
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  std::thread drain_;
  int port_ = 0;
};

}  // namespace kp::testing
