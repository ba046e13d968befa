#pragma once
// Loads a generated province into a database through the product's own write path
// (Store::Truncate, CreateRegion, SetSetting, ImportProjects, ImportReports) and times each step.
// The import of each month's reports is a separate call, as a bureau would load them month by month.
#include <cstdint>
#include <vector>

#include "common/status.h"
#include "province_generator.h"
#include "store/store.h"

namespace kp::bench {

struct LoadTimes {
  double regions_s = 0;             // CreateRegion for every region, one call each
  double projects_s = 0;            // one ImportProjects call with every project and its plan
  std::vector<double> months_s;     // one ImportReports call per month, in month order
  double reports_s() const;         // sum of months_s
  std::vector<int64_t> region_ids;  // database id of each generated region, by index
};

// Empties the database, then loads `province`; the province (regions[0]) becomes the home region
// and shape.year the current year. Fails when an import does not create exactly what was generated.
// REQUIRES: store is migrated.
// `months` loads reports for months 1..months only (0: none).
Result<LoadTimes> LoadProvince(store::Store& store, const Province& province, int months = kMonthsPerYear);

}  // namespace kp::bench
