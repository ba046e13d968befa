#pragma once
// Carrier matching (载体匹配, issue 12 §4): the parks' available land parcels and standard factories
// ranked for one lead's needs. Pure and exact.
//   A land parcel is a candidate when the lead needs land (亩 > 0) and the parcel is at least that
//   large; a standard factory when the lead needs floor area (m² > 0) and the factory is at least
//   that large. A lead that states neither need is matched on industry alone, every size fitting.
//   Industry: the carrier lists the lead's industry (专门) ranks above a carrier open to any industry
//   (不限); a carrier reserved for other industries is no match.
//   Ranking: industry (专门 before 不限), then area fit = need / area (closest to 1 first: the least
//   land or floor left idle), then the lower price, then the carrier's id.
#include <cstdint>
#include <vector>

#include "common/money.h"
#include "domain/lead_model.h"

namespace kp::stats {

struct CarrierMatch {
  const Carrier* carrier = nullptr;
  bool industry_exact = false;  // 专门: the carrier lists the lead's industry
  int64_t need = 0, area = 0;   // in the carrier's unit (0.1 亩 or m²); need 0: the lead stated none
  Ratio fit_pct;                // need / area × 100 (100 when no need was stated)
};

// The best `limit` matches for `lead` among `carriers` (unavailable ones are skipped), best first.
// The pointers point into `carriers`.
std::vector<CarrierMatch> MatchCarriers(const Lead& lead, const std::vector<Carrier>& carriers, size_t limit);

}  // namespace kp::stats
