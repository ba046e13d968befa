#include "stats/tour_results.h"

#include <algorithm>
#include <boost/json.hpp>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <sstream>

#include "stats/stats_engine.h"
#include "stats/stats_json.h"

namespace kp::stats {
namespace {

Ratio Add(const Ratio& a, const Ratio& b) { return Ratio::Of(a.num * b.den + b.num * a.den, a.den * b.den); }
std::string Pts(const Ratio& r) { return r.Format(2); }

// Competition ranks of scored entries sorted best first: ties share, the next skips.
template <typename T>
void Rank(std::vector<T>& v) {
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].score) break;
    v[i].rank = i > 0 && v[i - 1].score && *v[i].score == *v[i - 1].score ? v[i - 1].rank : static_cast<int>(i + 1);
  }
}

}  // namespace

std::string TenthsText(int64_t tenths) {
  const bool neg = tenths < 0;
  const int64_t a = neg ? -tenths : tenths;
  std::string s = (neg ? "-" : "") + std::to_string(a / 10);
  if (a % 10) s += "." + std::to_string(a % 10);
  return s;
}

TourResult ComputeTourResult(const Tour& tour, const std::vector<TourStopInput>& stops,
                             const std::vector<TourScore>& scores, const std::map<std::string, std::string>& names) {
  TourResult r;
  r.tour_id = tour.id;
  r.tour_name = tour.name;
  r.sheet = tour.sheet;
  std::set<std::string> items;
  for (const TourSheetItem& i : tour.sheet) items.insert(i.key);
  // (stop, rater) → items scored and their sum.
  std::map<std::pair<int64_t, std::string>, std::pair<std::set<std::string>, int64_t>> sets;
  for (const TourScore& s : scores) {
    if (!items.count(s.item)) continue;
    auto& [seen, sum] = sets[{s.stop_id, s.rater}];
    if (seen.insert(s.item).second) sum += s.points_tenths;
  }
  for (const TourStopInput& in : stops) {
    TourStopResult sr;
    sr.stop = in;
    for (auto it = sets.lower_bound({in.stop_id, std::string()}); it != sets.end() && it->first.first == in.stop_id; ++it) {
      if (it->second.first.size() != items.size()) continue;
      auto n = names.find(it->first.second);
      sr.raters.push_back(TourRaterTotal{it->first.second, n != names.end() ? n->second : it->first.second,
                                         it->second.second, ""});
    }
    std::sort(sr.raters.begin(), sr.raters.end(), [](const TourRaterTotal& a, const TourRaterTotal& b) {
      return a.total_tenths != b.total_tenths ? a.total_tenths > b.total_tenths : a.rater < b.rater;
    });
    if (sr.raters.size() >= kTourDropFrom) {
      sr.raters.front().dropped = "high";
      sr.raters.back().dropped = "low";
    }
    int64_t sum = 0;
    for (const TourRaterTotal& t : sr.raters) {
      if (!t.dropped.empty()) continue;
      sum += t.total_tenths;
      ++sr.counted;
    }
    if (sr.counted > 0) sr.score = Ratio::Of(sum, static_cast<int64_t>(sr.counted) * 10);
    r.stops.push_back(std::move(sr));
  }
  std::stable_sort(r.stops.begin(), r.stops.end(), [](const TourStopResult& a, const TourStopResult& b) {
    if (a.score && b.score) return *b.score < *a.score;
    return a.score.has_value() && !b.score.has_value();
  });
  Rank(r.stops);
  std::map<std::string, std::vector<const TourStopResult*>> by_group;
  for (const TourStopResult& s : r.stops) by_group[s.stop.group];
  for (const TourStopResult& s : r.stops) {
    if (s.score) by_group[s.stop.group].push_back(&s);
  }
  for (auto& [key, list] : by_group) {
    TourGroupResult g;
    g.key = key;
    std::sort(list.begin(), list.end(), [](auto* a, auto* b) { return a->stop.seq < b->stop.seq; });
    Ratio sum;
    for (const TourStopResult* s : list) {
      g.stop_ids.push_back(s->stop.stop_id);
      sum = Add(sum, *s->score);
    }
    if (!list.empty()) g.score = sum / Ratio::Of(static_cast<int64_t>(list.size()), 1);
    r.groups.push_back(std::move(g));
  }
  std::stable_sort(r.groups.begin(), r.groups.end(), [](const TourGroupResult& a, const TourGroupResult& b) {
    if (a.score && b.score) return *b.score < *a.score;
    return a.score.has_value() && !b.score.has_value();
  });
  Rank(r.groups);
  return r;
}

TourPeriodFigures TourFiguresOfPeriod(const std::vector<TourResult>& results) {
  TourPeriodFigures out;
  std::map<std::string, std::pair<Ratio, int64_t>> sums;
  for (const TourResult& r : results) {
    out.tours.push_back(r.tour_name);
    for (const TourGroupResult& g : r.groups) {
      if (!g.score) continue;
      auto& [sum, n] = sums[g.key];
      sum = Add(sum, *g.score);
      ++n;
      out.by_key[g.key].parts.push_back("「" + r.tour_name + "」" + Pts(*g.score));
    }
  }
  for (auto& [key, s] : sums) out.by_key[key].score = s.first / Ratio::Of(s.second, 1);
  return out;
}

boost::json::object TourResultToJson(const TourResult& r) {
  namespace json = boost::json;
  json::array sheet;
  for (const TourSheetItem& i : r.sheet) {
    sheet.emplace_back(json::object{{"key", i.key}, {"name", i.name}, {"max", TenthsText(i.max_tenths)}});
  }
  json::array stops;
  for (const TourStopResult& s : r.stops) {
    json::array raters;
    for (const TourRaterTotal& t : s.raters) {
      raters.emplace_back(json::object{{"rater", t.rater},
                                       {"name", t.rater_name},
                                       {"total", TenthsText(t.total_tenths)},
                                       {"dropped", t.dropped.empty() ? json::value(nullptr) : json::value(t.dropped)}});
    }
    stops.emplace_back(json::object{{"rank", s.rank ? json::value(s.rank) : json::value(nullptr)},
                                    {"seq", s.stop.seq},
                                    {"stop_id", s.stop.stop_id},
                                    {"project_id", s.stop.project_id},
                                    {"code", s.stop.code},
                                    {"name", s.stop.name},
                                    {"group", s.stop.group},
                                    {"score", s.score ? json::value(s.score->ToDouble()) : json::value(nullptr)},
                                    {"counted", s.counted},
                                    {"raters", std::move(raters)},
                                    {"display", json::object{{"score", s.score ? Pts(*s.score) : "—"}}}});
  }
  json::array groups;
  for (const TourGroupResult& g : r.groups) {
    json::array ids;
    for (int64_t id : g.stop_ids) ids.emplace_back(id);
    groups.emplace_back(json::object{{"key", g.key},
                                     {"rank", g.rank ? json::value(g.rank) : json::value(nullptr)},
                                     {"score", g.score ? json::value(g.score->ToDouble()) : json::value(nullptr)},
                                     {"stops", std::move(ids)},
                                     {"display", json::object{{"score", g.score ? Pts(*g.score) : "—"}}}});
  }
  return json::object{{"tour", json::object{{"id", r.tour_id}, {"name", r.tour_name}}},
                      {"sheet", std::move(sheet)},
                      {"drop_from", kTourDropFrom},
                      {"stops", std::move(stops)},
                      {"groups", std::move(groups)}};
}

std::string TourResultToTable(const TourResult& r) {
  std::ostringstream out;
  out << "拉练 " << r.tour_name << "  （评分人≥" << kTourDropFrom << "人时去掉一个最高分和一个最低分）\n";
  out << Pad("排名", 6) << Pad("站", 4) << Pad("项目", 40) << Pad("乡镇", 14) << Pad("得分", 9) << "评分（去掉的分加括号）\n";
  for (const TourStopResult& s : r.stops) {
    std::string totals;
    for (const TourRaterTotal& t : s.raters) {
      const std::string v = TenthsText(t.total_tenths);
      totals += (totals.empty() ? "" : " ") + (t.dropped.empty() ? v : "(" + v + ")");
    }
    out << Pad(s.rank ? std::to_string(s.rank) : "—", 6) << Pad(std::to_string(s.stop.seq), 4)
        << Pad(s.stop.name, 40) << Pad(s.stop.group, 14) << Pad(s.score ? Pts(*s.score) : "—", 9) << totals << "\n";
  }
  out << Pad("排名", 6) << Pad("乡镇", 20) << Pad("项目数", 8) << "得分\n";
  for (const TourGroupResult& g : r.groups) {
    out << Pad(g.rank ? std::to_string(g.rank) : "—", 6) << Pad(g.key, 20) << Pad(std::to_string(g.stop_ids.size()), 8)
        << (g.score ? Pts(*g.score) : "—") << "\n";
  }
  return out.str();
}

std::vector<std::string> StatsEngine::GroupKeys(const std::vector<int64_t>& ids, GroupBy by,
                                                std::optional<int> region_depth) const {
  std::shared_lock lock(mu_);
  const Grouping g = MakeGrouping(by, region_depth);
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (int64_t id : ids) {
    auto it = index_.find(id);
    if (it == index_.end() || !projects_[it->second].live) {
      out.emplace_back();
      continue;
    }
    out.push_back(SlotKey(g, SlotOf(g, projects_[it->second], it->second), nullptr));
  }
  return out;
}

}  // namespace kp::stats
