#include "province_generator.h"

#include <array>
#include <cstdio>

namespace kp::bench {
namespace {

// SplitMix64 over (seed, stream, index): the value of a project or a report depends on nothing
// but its own coordinates.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class Rng {
 public:
  Rng(uint32_t seed, uint64_t stream, uint64_t index) : s_(Mix(Mix(Mix(seed) ^ stream) ^ index)) {}
  uint64_t Next() { return s_ = Mix(s_); }
  // Uniform in [lo, hi]. REQUIRES: lo <= hi.
  int64_t Uniform(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool Chance(int percent) { return Uniform(1, 100) <= percent; }

 private:
  uint64_t s_;
};

enum Stream : uint64_t { kTreeStream = 1, kProjectStream = 2, kReportStream = 3 };

// Two-character place-name stems: 50 × 50 distinct stems, so names within a level never repeat.
constexpr std::array<const char*, 50> kSyllables = {
    "安", "平", "东", "西", "南", "北", "青", "川", "江", "河", "山", "水", "宁", "定", "华", "阳", "兴",
    "隆", "福", "新", "丰", "城", "泉", "林", "石", "桥", "庆", "龙", "凤", "长", "永", "和", "德", "明",
    "昌", "顺", "泰", "金", "云", "溪", "清", "台", "宝", "茂", "广", "白", "沙", "黄", "梅", "桂"};
constexpr int kStems = static_cast<int>(kSyllables.size() * kSyllables.size());
constexpr int kStemStride = 7;  // coprime with kStems: i -> i * 7 + offset is a permutation

std::string Stem(int index, int offset) {
  int j = static_cast<int>((static_cast<int64_t>(index) * kStemStride + offset) % kStems);
  return std::string(kSyllables[j / kSyllables.size()]) + kSyllables[j % kSyllables.size()];
}

constexpr std::array<const char*, 30> kSurnames = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                                   "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
                                                   "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹"};
constexpr std::array<const char*, 40> kGivenNames = {
    "建国", "志强", "明", "伟", "芳", "敏", "静", "丽",   "强",   "磊",   "洋", "勇", "军", "杰",
    "涛",   "斌",   "超", "辉", "华", "平", "刚", "桂英", "秀英", "玉兰", "文", "海", "波", "宁",
    "红",   "霞",   "鹏", "飞", "俊", "峰", "晨", "欣",   "婷",   "雪",   "浩", "宇"};
constexpr int kPersonNames = static_cast<int>(kSurnames.size() * kGivenNames.size());

// A person's name, distinct for distinct index < kPersonNames.
std::string PersonName(int index) {
  int j = static_cast<int>((static_cast<int64_t>(index) * 13) % kPersonNames);  // 13 is coprime with 1200
  return std::string(kSurnames[j % kSurnames.size()]) + kGivenNames[j / kSurnames.size()];
}

struct IndustrySpec {
  const char* industry;
  const char* bureau;  // the responsible unit is a locality's bureau
  const char* project;
};
constexpr std::array<IndustrySpec, 16> kIndustries = {{
    {"先进制造", "经济和信息化局", "智能装备制造产业园项目"},
    {"新能源", "发展和改革委员会", "农光互补光伏发电项目"},
    {"新材料", "经济和信息化局", "新型建材生产线项目"},
    {"电子信息", "科学技术局", "电子元器件生产基地项目"},
    {"医药健康", "卫生健康委员会", "中药材精深加工项目"},
    {"农产品加工", "农业农村局", "粮油加工及仓储项目"},
    {"现代物流", "商务局", "冷链物流园建设项目"},
    {"文化旅游", "文化广播电视和旅游局", "文旅融合发展项目"},
    {"交通基础设施", "交通运输局", "公路改建工程"},
    {"水利", "水利局", "灌区续建配套与节水改造项目"},
    {"能源基础设施", "发展和改革委员会", "天然气分布式能源站项目"},
    {"城市建设", "住房和城乡建设局", "老旧小区改造项目"},
    {"教育", "教育局", "中学新校区建设项目"},
    {"卫生", "卫生健康委员会", "医院医技综合楼建设项目"},
    {"生态环保", "生态环境局", "污水处理厂提标改造项目"},
    {"社会民生", "民政局", "养老服务中心建设项目"},
}};

constexpr std::array<const char*, 3> kNatures = {"新建", "改扩建", "迁建"};
// Status weights in percent, in the order of kp::ProjectStatuses():
// 前期 新开工 续建 在建 竣工 投产 停缓建.
constexpr std::array<int, 7> kStatusWeights = {10, 20, 35, 20, 8, 5, 2};
constexpr int kLeadersPerLocality = 4;
constexpr int kProvinceLeaders = 8;
constexpr int kDemoPercent = 10;

// Plan ranges in 万元 by level (provincial projects are the largest).
struct PlanRange {
  int64_t lo_wan, hi_wan;
};
constexpr PlanRange kPlanRange[] = {{20'000, 500'000}, {5'000, 100'000}, {500, 30'000}};

const std::string& StatusOf(Rng& rng) {
  int64_t roll = rng.Uniform(1, 100);
  const auto& statuses = ProjectStatuses();
  for (size_t i = 0; i < kStatusWeights.size(); ++i) {
    roll -= kStatusWeights[i];
    if (roll <= 0) return statuses[i];
  }
  return statuses.back();
}

Level LevelOf(Rng& rng) {
  int64_t roll = rng.Uniform(1, 100);
  if (roll <= 5) return Level::kProvincial;
  if (roll <= 30) return Level::kMunicipal;
  return Level::kCounty;
}

std::string Code(const char* fmt, int a, int b = 0, int c = 0) {
  char buf[32];
  std::snprintf(buf, sizeof buf, fmt, a, b, c);
  return buf;
}

}  // namespace

Province GenerateProvince(const ProvinceShape& shape, uint32_t seed) {
  Province p;
  p.shape = shape;
  p.seed = seed;
  p.regions.push_back({"示例省", "990000", -1, 0});
  std::vector<int> cities, counties;
  std::vector<std::vector<int>> townships_of;  // by county position
  std::vector<int> city_of_county;             // by county position
  int township_serial = 0;
  Rng tree(seed, kTreeStream, 0);
  for (int c = 0; c < shape.cities; ++c) {
    cities.push_back(static_cast<int>(p.regions.size()));
    p.regions.push_back({Stem(c, 11) + "市", Code("99%02d00", c + 1), 0, 1});
    for (int k = 0; k < shape.counties_per_city; ++k) {
      int county_serial = c * shape.counties_per_city + k;
      const char* suffix = k == 0 ? "区" : "县";
      int county = static_cast<int>(p.regions.size());
      counties.push_back(county);
      city_of_county.push_back(cities.back());
      p.regions.push_back({Stem(county_serial, 23) + suffix, Code("99%02d%02d", c + 1, k + 1), cities.back(), 2});
      townships_of.emplace_back();
      int n = static_cast<int>(tree.Uniform(shape.min_townships, shape.max_townships));
      for (int t = 0; t < n; ++t) {
        const char* tsuffix = t == 0 ? "街道" : (tree.Chance(30) ? "乡" : "镇");
        townships_of.back().push_back(static_cast<int>(p.regions.size()));
        p.regions.push_back(
            {Stem(township_serial++, 37) + tsuffix, p.regions[county].code + Code("%03d", t + 1), county, 3});
      }
    }
  }

  p.projects.reserve(shape.projects);
  for (int i = 0; i < shape.projects; ++i) {
    Rng rng(seed, kProjectStream, static_cast<uint64_t>(i));
    ProjectImportRow row;
    Project& pr = row.project;
    pr.level = LevelOf(rng);
    int county_pos = static_cast<int>(rng.Uniform(0, static_cast<int64_t>(counties.size()) - 1));
    int county = counties[county_pos];
    int city = city_of_county[county_pos];
    int64_t where = rng.Uniform(1, 100);
    int region =
        where <= 5 ? city
        : where <= 20
            ? county
            : townships_of[county_pos][rng.Uniform(0, static_cast<int64_t>(townships_of[county_pos].size()) - 1)];
    row.region_text = p.regions[region].name;
    const IndustrySpec& ind = kIndustries[rng.Uniform(0, kIndustries.size() - 1)];
    // The responsible unit and the leader belong to the locality of the project's level.
    int city_pos = county_pos / shape.counties_per_city;
    std::string locality;
    int leader_index = 0;
    int pick = static_cast<int>(rng.Uniform(0, kLeadersPerLocality - 1));
    switch (pr.level) {
      case Level::kProvincial:
        locality = p.regions[0].name;
        leader_index = static_cast<int>(rng.Uniform(0, kProvinceLeaders - 1));
        break;
      case Level::kMunicipal:
        locality = p.regions[city].name;
        leader_index = kProvinceLeaders + city_pos * kLeadersPerLocality + pick;
        break;
      case Level::kCounty:
        locality = p.regions[county].name;
        leader_index = kProvinceLeaders + shape.cities * kLeadersPerLocality + county_pos * kLeadersPerLocality + pick;
        break;
    }
    pr.code = Code("SJ%04d-%06d", shape.year, i + 1);
    pr.name = p.regions[region].name + ind.project + "（" + std::to_string(i + 1) + "）";
    pr.nature = kNatures[rng.Uniform(0, kNatures.size() - 1)];
    pr.industry = ind.industry;
    pr.owner = locality + ind.industry + "投资有限公司";
    pr.unit = locality + ind.bureau;
    pr.person = PersonName(static_cast<int>(rng.Uniform(0, kPersonNames - 1)));
    pr.leader = PersonName(leader_index % kPersonNames);
    pr.is_demo = rng.Chance(kDemoPercent);
    pr.status = StatusOf(rng);
    const PlanRange& range = kPlanRange[static_cast<int>(pr.level) - 1];
    Money plan = Money::FromWan(rng.Uniform(range.lo_wan, range.hi_wan));
    pr.total_investment = Money(plan.yuan * rng.Uniform(2, 6));
    pr.planned_start = Date{shape.year - static_cast<int>(rng.Uniform(0, 1)), static_cast<int>(rng.Uniform(1, 12)), 1};
    pr.planned_end = Date{shape.year + static_cast<int>(rng.Uniform(1, 3)), static_cast<int>(rng.Uniform(1, 12)), 28};
    pr.content = "建设" + std::string(ind.project) + "，配套建设附属设施。";
    row.plan_year = shape.year;
    row.plan = plan;
    p.projects.push_back(std::move(row));
  }
  return p;
}

std::vector<ReportImportRow> GenerateMonthReports(const Province& province, int month) {
  // Monthly share of the annual plan in thousandths of 1/12: 300..1700, mean 1000.
  constexpr int64_t kMinShare = 300, kMaxShare = 1700, kShareUnit = 1000;
  constexpr int64_t kRoundYuan = 100;
  const auto& statuses = ProjectStatuses();
  const std::string& preparing = statuses[0];  // 前期: nothing spent before the start month
  const std::string& halted = statuses[6];     // 停缓建: nothing spent after March
  std::vector<ReportImportRow> out;
  out.reserve(province.projects.size());
  for (size_t i = 0; i < province.projects.size(); ++i) {
    const ProjectImportRow& row = province.projects[i];
    Rng pace_rng(province.seed, kReportStream, i);
    int64_t pace = pace_rng.Uniform(50, 130);  // percent of the plan the project will spend
    int start_month = static_cast<int>(pace_rng.Uniform(3, 9));
    Rng rng(province.seed, kReportStream, (static_cast<uint64_t>(i) << 4) | static_cast<uint64_t>(month));
    int64_t share = rng.Uniform(kMinShare, kMaxShare);
    bool idle = (row.project.status == preparing && month < start_month) || (row.project.status == halted && month > 3);
    int64_t yuan =
        idle ? 0 : row.plan->yuan * pace / 100 * share / (kShareUnit * kMonthsPerYear) / kRoundYuan * kRoundYuan;
    ReportImportRow r;
    r.project_code = row.project.code;
    r.report.month = YearMonth{province.shape.year, month};
    r.report.completed = Money(yuan);
    r.report.progress = pace >= 100 ? "按计划推进" : "进度滞后";
    if (rng.Chance(10)) r.report.problems = "要素保障待协调";
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace kp::bench
