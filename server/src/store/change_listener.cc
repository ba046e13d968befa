#include "store/change_listener.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <unistd.h>

#include "spdlog/spdlog.h"
#include "store/store.h"

namespace kp::store {
namespace {

constexpr const char* kListen = "LISTEN kp_changes";

class PollingListener : public ChangeListener {
 public:
  PollingListener() {
    if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) wake_[0] = wake_[1] = -1;
  }
  ~PollingListener() override {
    if (pg_) PQfinish(pg_);
    for (int fd : wake_) {
      if (fd >= 0) ::close(fd);
    }
  }

  // Connects and LISTENs; on failure the listener polls (and says so once).
  void Listen(const std::string& conninfo) {
    pg_ = PQconnectdb(conninfo.c_str());
    if (PQstatus(pg_) == CONNECTION_OK) {
      PGresult* r = PQexec(pg_, kListen);
      const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
      PQclear(r);
      if (ok) return;
    }
    spdlog::warn("change listener: LISTEN unavailable ({}); polling the change log", PQerrorMessage(pg_));
    PQfinish(pg_);
    pg_ = nullptr;
  }

  void Wait(std::chrono::milliseconds timeout) override {
    pollfd fds[2] = {{wake_[0], POLLIN, 0}, {pg_ ? PQsocket(pg_) : -1, POLLIN, 0}};
    ::poll(fds, pg_ ? 2 : 1, static_cast<int>(timeout.count()));
    char buf[64];
    while (wake_[0] >= 0 && ::read(wake_[0], buf, sizeof buf) > 0) {
    }
    if (!pg_) return;
    if (!PQconsumeInput(pg_)) {
      spdlog::warn("change listener: connection lost ({}); polling", PQerrorMessage(pg_));
      PQfinish(pg_);
      pg_ = nullptr;
      return;
    }
    while (PGnotify* n = PQnotifies(pg_)) PQfreemem(n);
  }

  void Wake() override {
    if (wake_[1] >= 0) (void)!::write(wake_[1], "w", 1);
  }

  bool listening() const override { return pg_ != nullptr; }

 private:
  PGconn* pg_ = nullptr;
  int wake_[2] = {-1, -1};
};

}  // namespace

std::unique_ptr<ChangeListener> ChangeListener::Open(const std::string& db_url) {
  auto l = std::make_unique<PollingListener>();
  auto url = ParseDbUrl(db_url);
  if (url.ok() && url->postgres) l->Listen(url->connect);
  return l;
}

}  // namespace kp::store
