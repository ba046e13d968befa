#pragma once
// A PDF drawn page by page (cairo, text by pango with the installed CJK fonts, embedded and
// extractable): rectangles and wrapped text in boxes, in points from the page's top left.
// Not thread-safe: one canvas per document.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace kp::documents {

struct Rgb {
  double r = 0, g = 0, b = 0;
  static Rgb Hex(unsigned v) { return {((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0, (v & 255) / 255.0}; }
};

enum class Align { kLeft, kCentre, kRight };

class PdfCanvas {
 public:
  static constexpr double kPointsPerMm = 72.0 / 25.4;
  // Opens `path` with pages of width × height points.
  static Result<std::unique_ptr<PdfCanvas>> Create(const std::string& path, double width_pt, double height_pt);
  ~PdfCanvas();
  PdfCanvas(const PdfCanvas&) = delete;
  PdfCanvas& operator=(const PdfCanvas&) = delete;

  void Rect(double x, double y, double w, double h, std::optional<Rgb> fill, std::optional<Rgb> stroke,
            double line_width = 0.5);
  void Line(double x1, double y1, double x2, double y2, Rgb colour, double line_width = 0.5);
  // Text wrapped to the box's width, vertically centred, cut with "…" when it does not fit.
  // `family`: a pango family list ("仿宋_GB2312,Noto Serif CJK SC"); nullptr: the CJK sans.
  void Text(double x, double y, double w, double h, const std::string& text, double size_pt, bool bold = false,
            Align align = Align::kLeft, Rgb colour = {}, const char* family = nullptr);
  // The lines `text` wraps into at width w (the first line indented by first_indent points), and the
  // height the wrapped text takes.
  std::vector<std::string> WrapLines(double w, const std::string& text, double size_pt, bool bold = false,
                                     double first_indent = 0, const char* family = nullptr);
  double TextHeight(double w, const std::string& text, double size_pt, bool bold = false, const char* family = nullptr);
  void NewPage();
  // Finishes the file; any drawing error is reported here.
  Status Close();
  int pages() const { return pages_; }

 private:
  struct Impl;
  explicit PdfCanvas(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  int pages_ = 1;
};

}  // namespace kp::documents
