#include "domain/lead_export.h"

#include "documents/xlsx_writer.h"

namespace kp {

Status ExportLeadList(const std::vector<Lead>& leads, const Date& as_of, const std::string& path) {
  using documents::CellKind;
  using documents::CellValue;
  using documents::Tone;
  documents::ExportSpec spec;
  spec.sheet_name = "招商线索";
  spec.title = "产业招商项目线索台账";
  spec.subtitle = "截至 " + as_of.ToString() + "    共 " + std::to_string(leads.size()) + " 条    单位：万元、亩、平方米";
  struct Col {
    const char* title;
    CellKind kind;
    double width;
  };
  for (Col c : {Col{"项目名称", CellKind::kText, 30}, Col{"投资方", CellKind::kText, 24}, Col{"产业", CellKind::kText, 0},
                Col{"意向投资(万元)", CellKind::kMoneyWan, 0}, Col{"用地需求(亩)", CellKind::kText, 0},
                Col{"厂房需求(㎡)", CellKind::kInteger, 0}, Col{"预计年产值(万元)", CellKind::kMoneyWan, 0},
                Col{"预计年税收(万元)", CellKind::kMoneyWan, 0}, Col{"阶段", CellKind::kText, 0},
                Col{"线索日期", CellKind::kDate, 0}, Col{"洽谈日期", CellKind::kDate, 0}, Col{"签约日期", CellKind::kDate, 0},
                Col{"落地日期", CellKind::kDate, 0}, Col{"开工日期", CellKind::kDate, 0}, Col{"投产日期", CellKind::kDate, 0},
                Col{"项目编码", CellKind::kText, 0}, Col{"招商人员", CellKind::kText, 0}, Col{"联系人", CellKind::kText, 20},
                Col{"线索来源", CellKind::kText, 0}}) {
    spec.columns.push_back({c.title, c.kind, "", "", {}, c.width});
  }
  auto writer = documents::XlsxTableWriter::Create(path, spec);
  if (!writer.ok()) return writer.status();
  auto day = [](const std::optional<Date>& d) { return d ? CellValue(*d) : CellValue(); };
  for (const Lead& l : leads) {
    const LeadFollow f = FollowProject(l);
    std::vector<CellValue> cells = {l.name, l.investor, l.industry, l.investment, FormatTenthMu(l.land_tenth_mu),
                                    l.floor_m2, l.output, l.tax, std::string(LeadStageLabel(f.stage)), l.lead_on,
                                    day(l.talks_on), day(l.signed_on), day(l.landed_on), day(f.started_on),
                                    day(f.producing_on), l.project ? l.project->code : std::string(), l.staff,
                                    l.contact, l.source};
    std::vector<Tone> tones(cells.size(), Tone::kNone);
    tones[8] = f.stage >= LeadStage::kStarted ? Tone::kGreen : f.stage >= LeadStage::kSigned ? Tone::kBlue : Tone::kNone;
    (*writer)->AddRowToned(std::move(cells), std::move(tones));
  }
  return (*writer)->Close();
}

}  // namespace kp
