// The report drawn as a PDF on A4 in the GB/T 9704 layout: text flows line by line across pages,
// tables repeat their header row on each page, the township chart is drawn as vectors.
#include <algorithm>
#include <cmath>

#include "common/text.h"
#include "documents/pdf_canvas.h"
#include "reports/report_files.h"

namespace kp::reports {
namespace {

using documents::Align;
using documents::PdfCanvas;
using documents::Rgb;

constexpr double kMm = PdfCanvas::kPointsPerMm;
constexpr double kPageW = 210 * kMm, kPageH = 297 * kMm;
constexpr double kLeft = 28 * kMm, kTop = 37 * kMm, kTextW = 156 * kMm, kTextH = 225 * kMm;
constexpr double kLine = kTextH / 22;   // 22 lines a page
constexpr double kBody = 16;           // 3号
constexpr double kTitle = 22;          // 2号
constexpr double kPageNo = 14;         // 4号
constexpr double kCell = 10.5;         // 五号 in tables
constexpr double kCellPad = 3;
constexpr double kChartH = 75 * kMm;
constexpr double kCurveH = 62 * kMm;  // the summary's curve: low enough to stay on the first page under table 1
// Where these fonts are missing, fontconfig falls through to the next name (the installed CJK fonts).
constexpr const char* kFangSong = "仿宋_GB2312,FangSong,Noto Serif CJK SC,Noto Sans CJK SC";
constexpr const char* kHei = "黑体,SimHei,Noto Sans CJK SC";
constexpr const char* kXiaoBiaoSong = "方正小标宋简体,Noto Serif CJK SC,Noto Sans CJK SC";
constexpr const char* kSong = "宋体,SimSun,Noto Serif CJK SC,Noto Sans CJK SC";

class Writer {
 public:
  explicit Writer(PdfCanvas& c) : c_(c) {}

  void Title(const std::string& text) {
    for (const auto& line : c_.WrapLines(kTextW, text, kTitle, false, 0, kXiaoBiaoSong)) {
      Need(kLine * 1.5);
      c_.Text(kLeft, y_, kTextW, kLine * 1.5, line, kTitle, false, Align::kCentre, {}, kXiaoBiaoSong);
      y_ += kLine * 1.5;
    }
    y_ += kLine;
  }

  // Body text: first line indented two characters, one line of the grid each.
  void Paragraph(const std::string& text, const char* family, bool bold = false, Align align = Align::kLeft,
                 double indent = 2 * kBody, double right = 0) {
    for (const auto& line : c_.WrapLines(kTextW - right, text, kBody, bold, indent, family)) {
      Need(kLine);
      const double x = kLeft + indent;
      c_.Text(x, y_, kTextW - right - indent, kLine, line, kBody, bold, align, {}, family);
      indent = 0;
      y_ += kLine;
    }
  }

  // A heading kept with the first line after it (never alone at a page's foot).
  void Heading(const std::string& text) {
    Need(kLine * 2);
    Paragraph(text, kHei);
  }

  void TableOf(const Table& t) {
    if (!t.caption.empty()) {
      Need(kLine * 3);  // keep the caption with the header and a row
      c_.Text(kLeft, y_, kTextW, kLine, t.caption, kBody, false, Align::kCentre, {}, kHei);
      y_ += kLine;
    }
    if (!t.unit.empty()) {
      c_.Text(kLeft, y_, kTextW, kCell * 1.6, t.unit, kCell, false, Align::kRight, {}, kFangSong);
      y_ += kCell * 1.6;
    }
    const std::vector<double> widths = ColumnWidths(t);
    const double head_h = RowHeight(t.header, widths, true);
    auto header = [&] {
      DrawRow(t.header, widths, head_h, true);
    };
    Need(head_h + kCell * 2);
    header();
    for (const auto& row : t.rows) {
      const double h = RowHeight(row, widths, false);
      if (y_ + h > kTop + kTextH) {
        NewPage();
        header();
      }
      DrawRow(row, widths, h, false);
    }
    y_ += kLine / 2;
  }

  // A chart's plot area: its left edge and width, its base line, and the value at its top.
  struct Plot {
    double x0, w, y_base, h, top;
    double Y(double v) const { return y_base - std::max(0.0, v) / top * h; }
  };
  // The chart's title, then a plot area `plot_h` high with the y axis up to the next 20% above `max`, its
  // gridlines and their labels; y_ moves below the title.
  Plot Frame(const std::string& title, double plot_h, double max) {
    c_.Text(kLeft, y_, kTextW, kLine, title, kBody * 0.8, false, Align::kCentre, {}, kHei);
    y_ += kLine;
    constexpr double kStep = 20;  // gridlines every 20%
    const double axis_w = 10 * kMm;
    const Plot p{kLeft + axis_w, kTextW - axis_w, y_ + plot_h, plot_h, std::max(kStep, std::ceil(max / kStep) * kStep)};
    for (double v = 0; v <= p.top + 1e-9; v += kStep) {
      c_.Line(p.x0, p.Y(v), p.x0 + p.w, p.Y(v), Rgb::Hex(0xcccccc), 0.3);
      c_.Text(kLeft, p.Y(v) - 5, axis_w - 2, 10, std::to_string(static_cast<int>(v)), 7, false, Align::kRight,
              Rgb::Hex(0x333333));
    }
    return p;
  }

  void ChartOf(const Chart& ch) {
    if (ch.shape == Chart::Shape::kCurve) return CurveOf(ch);
    if (ch.bars.empty()) return;
    Need(kChartH + kLine);
    const double label_h = 12 * kMm;
    double top = ch.line_value;
    for (const auto& [label, v] : ch.bars) top = std::max(top, v);
    const Plot p = Frame(ch.title, kChartH - label_h - kLine, top);
    const double x0 = p.x0, plot_w = p.w, y_base = p.y_base;
    auto y_of = [&](double v) { return p.Y(v); };
    const Rgb ink = Rgb::Hex(0x333333);
    const double slot = plot_w / static_cast<double>(ch.bars.size());
    for (size_t i = 0; i < ch.bars.size(); ++i) {
      const auto& [label, v] = ch.bars[i];
      const double x = x0 + slot * static_cast<double>(i);
      const bool behind = v < ch.line_value;
      c_.Rect(x + slot * 0.2, y_of(v), slot * 0.6, y_base - y_of(v), behind ? Rgb::Hex(0xd9534f) : Rgb::Hex(0x3a7bd5),
              std::nullopt);
      c_.Text(x, y_base + 2, slot, label_h - 2, label, std::min(7.0, slot / 3), false, Align::kCentre, ink);
    }
    c_.Line(x0, y_base, x0 + plot_w, y_base, ink, 0.6);
    const double ly = y_of(ch.line_value);
    for (double x = x0; x < x0 + plot_w; x += 6) c_.Line(x, ly, std::min(x + 3.5, x0 + plot_w), ly, Rgb::Hex(0xe67e22), 1.2);
    c_.Text(x0 + plot_w - 45 * kMm, ly - 14, 45 * kMm, 12, ch.line_label, 8, false, Align::kRight, Rgb::Hex(0xe67e22));
    y_ = y_base + label_h + kLine / 2;
  }

  // Lines over the months: the first series solid with dots, the others dashed; a legend below.
  void CurveOf(const Chart& ch) {
    if (ch.labels.empty() || ch.series.empty()) return;
    Need(kCurveH + kLine);
    const double label_h = 6 * kMm, legend_h = 6 * kMm;
    double top = 0;
    for (const auto& se : ch.series) {
      for (double v : se.values) top = std::max(top, v);
    }
    const Plot p = Frame(ch.title, kCurveH - label_h - legend_h - kLine, top);
    const double x0 = p.x0, plot_w = p.w, y_base = p.y_base;
    auto y_of = [&](double v) { return p.Y(v); };
    const Rgb ink = Rgb::Hex(0x333333);
    const double slot = plot_w / static_cast<double>(ch.labels.size());
    auto x_of = [&](size_t i) { return x0 + slot * (static_cast<double>(i) + 0.5); };
    for (size_t i = 0; i < ch.labels.size(); ++i) {
      c_.Text(x0 + slot * static_cast<double>(i), y_base + 2, slot, label_h - 2, ch.labels[i], 7, false, Align::kCentre, ink);
    }
    c_.Line(x0, y_base, x0 + plot_w, y_base, ink, 0.6);
    const Rgb colours[] = {Rgb::Hex(0x3a7bd5), Rgb::Hex(0xe67e22), Rgb::Hex(0x5cb85c)};
    for (size_t s = 0; s < ch.series.size(); ++s) {
      const auto& se = ch.series[s];
      const Rgb colour = colours[s % 3];
      for (size_t i = 0; i < se.values.size() && i < ch.labels.size(); ++i) {
        const double x = x_of(i), y = y_of(se.values[i]);
        if (s == 0) c_.Rect(x - 1.5, y - 1.5, 3, 3, colour, std::nullopt);
        if (i == 0) continue;
        const double px = x_of(i - 1), py = y_of(se.values[i - 1]);
        if (s == 0) {
          c_.Line(px, py, x, y, colour, 1.4);
          continue;
        }
        constexpr int kDashes = 12;  // dashed: every other twelfth of the segment
        for (int k = 0; k < kDashes; k += 2) {
          const double a = static_cast<double>(k) / kDashes, b = static_cast<double>(k + 1) / kDashes;
          c_.Line(px + (x - px) * a, py + (y - py) * a, px + (x - px) * b, py + (y - py) * b, colour, 1.2);
        }
      }
    }
    // The legend: a short line and the series' name, side by side, centred under the plot.
    const double item_w = 40 * kMm, ly = y_base + label_h + legend_h / 2;
    double lx = x0 + (plot_w - item_w * static_cast<double>(ch.series.size())) / 2;
    for (size_t s = 0; s < ch.series.size(); ++s, lx += item_w) {
      c_.Line(lx, ly, lx + 8 * kMm, ly, colours[s % 3], 1.4);
      c_.Text(lx + 10 * kMm, ly - 5, item_w - 10 * kMm, 10, ch.series[s].name, 8, false, Align::kLeft, ink);
    }
    y_ = y_base + label_h + legend_h + kLine / 2;
  }

  void Finish() { PageNumber(); }

 private:
  void Need(double h) {
    if (y_ + h > kTop + kTextH + 0.01) NewPage();
  }
  void NewPage() {
    PageNumber();
    c_.NewPage();
    ++page_;
    y_ = kTop;
  }
  // "— 1 —" 7 mm below the text block: odd pages right, even pages left, one character in.
  void PageNumber() {
    const double y = kTop + kTextH + 7 * kMm;
    const std::string text = "— " + std::to_string(page_) + " —";
    const bool odd = page_ % 2 == 1;
    c_.Text(kLeft + (odd ? 0 : kPageNo), y, kTextW - kPageNo, kPageNo * 1.4, text, kPageNo, false,
            odd ? Align::kRight : Align::kLeft, {}, kSong);
  }

  std::vector<double> ColumnWidths(const Table& t) const {
    // Each column as wide as its widest cell (a header may wrap onto two lines), within bounds.
    constexpr double kMinCols = 5, kMaxCols = 40;
    std::vector<double> want(t.header.size(), kMinCols);
    auto fit = [&](const std::vector<std::string>& cells, double share) {
      for (size_t i = 0; i < cells.size() && i < want.size(); ++i) {
        want[i] = std::max(want[i], std::min(static_cast<double>(DisplayWidth(cells[i])) * share + 1, kMaxCols));
      }
    };
    fit(t.header, 0.5);
    for (const auto& r : t.rows) fit(r, 1);
    double sum = 0;
    for (double w : want) sum += w;
    for (double& w : want) w = w / sum * kTextW;
    return want;
  }
  double RowHeight(const std::vector<std::string>& cells, const std::vector<double>& widths, bool head) {
    double h = kCell * 1.4;
    for (size_t i = 0; i < cells.size() && i < widths.size(); ++i) {
      h = std::max(h, c_.TextHeight(widths[i] - 2 * kCellPad, cells[i], kCell, head, head ? kHei : kFangSong));
    }
    return h + 2 * kCellPad;
  }
  void DrawRow(const std::vector<std::string>& cells, const std::vector<double>& widths, double h, bool head) {
    double x = kLeft;
    for (size_t i = 0; i < widths.size(); ++i) {
      c_.Rect(x, y_, widths[i], h, head ? std::optional<Rgb>(Rgb::Hex(0xf0f0f0)) : std::nullopt, Rgb{}, 0.5);
      if (i < cells.size()) {
        c_.Text(x + kCellPad, y_ + kCellPad, widths[i] - 2 * kCellPad, h - 2 * kCellPad, cells[i], kCell, false,
                Align::kCentre, {}, head ? kHei : kFangSong);
      }
      x += widths[i];
    }
    y_ += h;
  }

  PdfCanvas& c_;
  double y_ = kTop;
  int page_ = 1;
};

}  // namespace

Status WritePdf(const Report& r, const std::string& path) {
  auto canvas = PdfCanvas::Create(path, kPageW, kPageH);
  if (!canvas.ok()) return canvas.status();
  Writer w(**canvas);
  if (!r.issue.empty()) w.Paragraph(r.issue, kFangSong, false, Align::kCentre, 0);
  w.Title(r.title);
  for (const Section& s : r.sections) {
    w.Heading(s.heading);
    for (const Block& b : s.blocks) {
      switch (b.kind) {
        case Block::Kind::kParagraph: w.Paragraph(b.paragraph.text, kFangSong); break;
        case Block::Kind::kTable: w.TableOf(b.table); break;
        case Block::Kind::kChart: w.ChartOf(b.chart); break;
      }
    }
  }
  // Issuer and date, right-aligned four characters in from the right.
  w.Paragraph(" ", kFangSong, false, Align::kLeft, 0);
  w.Paragraph(r.issuer, kFangSong, false, Align::kRight, 0, 4 * kBody);
  w.Paragraph(r.date, kFangSong, false, Align::kRight, 0, 4 * kBody);
  w.Finish();
  return (*canvas)->Close();
}

}  // namespace kp::reports
