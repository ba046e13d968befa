#include "store/report_activity_store.h"

#include "store/db.h"

namespace kp::store {
namespace {

constexpr const char* kSubmittedBetween =
    "SELECT project_id, year, month, completed_yuan, submitted_at, submitted_by FROM monthly_reports "
    "WHERE submitted_at >= :a AND submitted_at < :b ORDER BY submitted_at, project_id, year, month";

}  // namespace

Result<std::vector<MonthlyReport>> ReportActivityStore::SubmittedBetween(const std::string& from, const std::string& to) {
  std::vector<MonthlyReport> out;
  Status s = db_.Read([&](soci::session& sql) -> Status {
    MonthlyReport r;
    long long pid = 0, amount = 0;
    int year = 0, month = 0;
    soci::statement st = (sql.prepare << kSubmittedBetween, soci::use(from), soci::use(to), soci::into(pid), soci::into(year),
                          soci::into(month), soci::into(amount), soci::into(r.submitted_at), soci::into(r.submitted_by));
    st.execute(false);
    while (st.fetch()) {
      r.project_id = pid;
      r.month = YearMonth{year, month};
      r.completed = Money(amount);
      out.push_back(r);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace kp::store
