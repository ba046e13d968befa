#include "stats/carrier_match.h"

#include <algorithm>

namespace kp::stats {

namespace {

// a ranks before b (see the header).
bool Better(const CarrierMatch& a, const CarrierMatch& b) {
  if (a.industry_exact != b.industry_exact) return a.industry_exact;
  // need_a / area_a > need_b / area_b, exactly; a stated need of 0 counts as a perfect fit.
  const __int128 fa_num = a.need == 0 ? 1 : a.need, fa_den = a.need == 0 ? 1 : a.area;
  const __int128 fb_num = b.need == 0 ? 1 : b.need, fb_den = b.need == 0 ? 1 : b.area;
  if (fa_num * fb_den != fb_num * fa_den) return fa_num * fb_den > fb_num * fa_den;
  if (a.carrier->price != b.carrier->price) return a.carrier->price < b.carrier->price;
  return a.carrier->id < b.carrier->id;
}

}  // namespace

std::vector<CarrierMatch> MatchCarriers(const Lead& lead, const std::vector<Carrier>& carriers, size_t limit) {
  std::vector<CarrierMatch> out;
  const bool any_need = lead.land_tenth_mu > 0 || lead.floor_m2 > 0;
  for (const Carrier& c : carriers) {
    if (!c.available) continue;
    const bool land = c.kind == CarrierKind::kLand;
    const int64_t need = land ? lead.land_tenth_mu : lead.floor_m2;
    const int64_t area = land ? c.land_tenth_mu : c.floor_m2;
    if (any_need && (need <= 0 || area < need)) continue;
    CarrierMatch m;
    m.industry_exact = std::find(c.industries.begin(), c.industries.end(), lead.industry) != c.industries.end();
    if (!m.industry_exact && !c.industries.empty()) continue;
    m.carrier = &c;
    m.need = any_need ? need : 0;
    m.area = area;
    m.fit_pct = m.need == 0 || area == 0 ? Ratio::Of(100, 1) : Ratio::Of(static_cast<__int128>(need) * 100, area);
    out.push_back(m);
  }
  const size_t keep = std::min(limit, out.size());
  std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(keep), out.end(), Better);
  out.resize(keep);
  return out;
}

}  // namespace kp::stats
