#include "documents/pdf_canvas.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

namespace kp::documents {

namespace {
constexpr const char* kFontFamily = "Noto Sans CJK SC";
}  // namespace

struct PdfCanvas::Impl {
  cairo_surface_t* surface = nullptr;
  cairo_t* cr = nullptr;
  bool closed = false;
};

Result<std::unique_ptr<PdfCanvas>> PdfCanvas::Create(const std::string& path, double width_pt, double height_pt) {
  auto impl = std::make_unique<Impl>();
  impl->surface = cairo_pdf_surface_create(path.c_str(), width_pt, height_pt);
  if (cairo_surface_status(impl->surface) != CAIRO_STATUS_SUCCESS) {
    std::string why = cairo_status_to_string(cairo_surface_status(impl->surface));
    cairo_surface_destroy(impl->surface);
    return Internal("无法创建 PDF (cannot create PDF) " + path + ": " + why);
  }
  cairo_pdf_surface_set_metadata(impl->surface, CAIRO_PDF_METADATA_CREATOR, "KeyProject");
  impl->cr = cairo_create(impl->surface);
  return std::unique_ptr<PdfCanvas>(new PdfCanvas(std::move(impl)));
}

PdfCanvas::PdfCanvas(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PdfCanvas::~PdfCanvas() {
  if (!impl_->closed) (void)Close();
}

void PdfCanvas::Rect(double x, double y, double w, double h, std::optional<Rgb> fill, std::optional<Rgb> stroke,
                     double line_width) {
  cairo_t* cr = impl_->cr;
  cairo_rectangle(cr, x, y, w, h);
  if (fill) {
    cairo_set_source_rgb(cr, fill->r, fill->g, fill->b);
    if (stroke) {
      cairo_fill_preserve(cr);
    } else {
      cairo_fill(cr);
    }
  }
  if (stroke) {
    cairo_set_source_rgb(cr, stroke->r, stroke->g, stroke->b);
    cairo_set_line_width(cr, line_width);
    cairo_stroke(cr);
  }
  cairo_new_path(cr);
}

void PdfCanvas::Line(double x1, double y1, double x2, double y2, Rgb colour, double line_width) {
  cairo_t* cr = impl_->cr;
  cairo_set_source_rgb(cr, colour.r, colour.g, colour.b);
  cairo_set_line_width(cr, line_width);
  cairo_move_to(cr, x1, y1);
  cairo_line_to(cr, x2, y2);
  cairo_stroke(cr);
}

namespace {

// A layout of `text` at width w in the family (or the CJK sans); the caller unrefs it.
PangoLayout* MakeLayout(cairo_t* cr, double w, const std::string& text, double size_pt, bool bold, const char* family) {
  PangoLayout* layout = pango_cairo_create_layout(cr);
  PangoFontDescription* font = pango_font_description_new();
  pango_font_description_set_family(font, family ? family : kFontFamily);
  pango_font_description_set_absolute_size(font, size_pt * PANGO_SCALE);
  pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(layout, font);
  pango_font_description_free(font);
  pango_layout_set_width(layout, static_cast<int>(w * PANGO_SCALE));
  pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text(layout, text.c_str(), static_cast<int>(text.size()));
  return layout;
}

}  // namespace

std::vector<std::string> PdfCanvas::WrapLines(double w, const std::string& text, double size_pt, bool bold,
                                              double first_indent, const char* family) {
  PangoLayout* layout = MakeLayout(impl_->cr, w, text, size_pt, bold, family);
  pango_layout_set_indent(layout, static_cast<int>(first_indent * PANGO_SCALE));
  std::vector<std::string> lines;
  for (GSList* l = pango_layout_get_lines_readonly(layout); l; l = l->next) {
    auto* line = static_cast<PangoLayoutLine*>(l->data);
    lines.push_back(text.substr(static_cast<size_t>(line->start_index), static_cast<size_t>(line->length)));
  }
  g_object_unref(layout);
  return lines;
}

double PdfCanvas::TextHeight(double w, const std::string& text, double size_pt, bool bold, const char* family) {
  if (text.empty()) return 0;
  PangoLayout* layout = MakeLayout(impl_->cr, w, text, size_pt, bold, family);
  int tw = 0, th = 0;
  pango_layout_get_size(layout, &tw, &th);
  g_object_unref(layout);
  return static_cast<double>(th) / PANGO_SCALE;
}

void PdfCanvas::Text(double x, double y, double w, double h, const std::string& text, double size_pt, bool bold,
                     Align align, Rgb colour, const char* family) {
  if (text.empty()) return;
  cairo_t* cr = impl_->cr;
  PangoFontDescription* font = pango_font_description_new();
  pango_font_description_set_family(font, family ? family : kFontFamily);
  pango_font_description_set_absolute_size(font, size_pt * PANGO_SCALE);
  pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  PangoLayout* layout = pango_cairo_create_layout(cr);
  pango_layout_set_font_description(layout, font);
  pango_layout_set_width(layout, static_cast<int>(w * PANGO_SCALE));
  pango_layout_set_height(layout, static_cast<int>(h * PANGO_SCALE));
  pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment(layout, align == Align::kCentre  ? PANGO_ALIGN_CENTER
                                     : align == Align::kRight ? PANGO_ALIGN_RIGHT
                                                              : PANGO_ALIGN_LEFT);
  pango_layout_set_text(layout, text.c_str(), static_cast<int>(text.size()));
  int tw = 0, th = 0;
  pango_layout_get_size(layout, &tw, &th);
  const double used = static_cast<double>(th) / PANGO_SCALE;
  cairo_set_source_rgb(cr, colour.r, colour.g, colour.b);
  cairo_move_to(cr, x, y + (used < h ? (h - used) / 2 : 0));
  pango_cairo_show_layout(cr, layout);
  cairo_new_path(cr);
  pango_font_description_free(font);
  g_object_unref(layout);
}

void PdfCanvas::NewPage() {
  cairo_show_page(impl_->cr);
  ++pages_;
}

Status PdfCanvas::Close() {
  if (impl_->closed) return Status::Ok();
  impl_->closed = true;
  cairo_show_page(impl_->cr);
  cairo_status_t cs = cairo_status(impl_->cr);
  cairo_destroy(impl_->cr);
  cairo_surface_finish(impl_->surface);
  cairo_status_t ss = cairo_surface_status(impl_->surface);
  cairo_surface_destroy(impl_->surface);
  if (cs != CAIRO_STATUS_SUCCESS || ss != CAIRO_STATUS_SUCCESS) {
    return Internal(std::string("PDF 写入失败 (PDF error): ") + cairo_status_to_string(cs != CAIRO_STATUS_SUCCESS ? cs : ss));
  }
  return Status::Ok();
}

}  // namespace kp::documents
