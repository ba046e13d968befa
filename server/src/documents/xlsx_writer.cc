#include "documents/xlsx_writer.h"

#include <array>

#include "common/bounded_queue.h"
#include "common/text.h"

#include <dlfcn.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <tuple>
#include <sstream>

// Deflate level. libxlsxwriter 1.1.4 (Debian 12) zips each part through minizip at zlib's
// default level 6 and has no option for it; at 100k rows that deflate was a third of the export.
// This definition of the minizip call it makes takes precedence over libminizip's (the
// executable's symbols come first) and forwards to it with level 1: files about 30 % larger,
// the export about a third faster. xlsx_writer_test checks that it is the one in use.
namespace {
std::atomic<int> g_zip_entries{0};
}  // namespace

extern "C" int zipOpenNewFileInZip4_64(void* file, const char* filename, const void* zipfi,
                                       const void* extrafield_local, unsigned size_extrafield_local,
                                       const void* extrafield_global, unsigned size_extrafield_global,
                                       const char* comment, int method, int level, int raw, int window_bits,
                                       int mem_level, int strategy, const char* password,
                                       unsigned long crc_for_crypting, unsigned long version_made_by,
                                       unsigned long flag_base, int zip64) {
  using Fn = int (*)(void*, const char*, const void*, const void*, unsigned, const void*, unsigned, const char*, int,
                     int, int, int, int, int, const char*, unsigned long, unsigned long, unsigned long, int);
  static const Fn minizip = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64"));
  if (!minizip) return -104;  // ZIP_INTERNALERROR: libxlsxwriter reports a failed write
  ++g_zip_entries;
  if (level != 0) level = 1;  // 0 = stored: keep
  return minizip(file, filename, zipfi, extrafield_local, size_extrafield_local, extrafield_global,
                 size_extrafield_global, comment, method, level, raw, window_bits, mem_level, strategy, password,
                 crc_for_crypting, version_made_by, flag_base, zip64);
}

namespace kp::documents {
namespace {

constexpr uint8_t kPaperA4 = 9;
constexpr double kMinWidth = 6, kMaxWidth = 48;
constexpr double kTitleHeight = 28;
constexpr const char* kBodyFont = "宋体";

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// Excel's serial day (1900 system) of a date from 1900-03-01 on; earlier dates (where Excel
// counts a 1900-02-29 that never was) and invalid ones are written as text.
std::optional<int64_t> ExcelSerial(const Date& d) {
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > DaysInMonth(d.year, d.month)) return std::nullopt;
  if (d < Date{1900, 3, 1} || d.year > 9999) return std::nullopt;
  return DaysFromCivil(d.year, static_cast<unsigned>(d.month), static_cast<unsigned>(d.day)) -
         DaysFromCivil(1899, 12, 30);
}

// Width in Excel character units, a little wider than the glyphs.
double TextWidth(const std::string& s) { return static_cast<double>(DisplayWidth(s)) * 1.05; }

}  // namespace

struct XlsxTableWriter::Row {
  std::vector<CellValue> cells;
  int style = 0;  // 1 = totals
  std::vector<bool> bad;
  std::vector<Tone> tones;
  std::shared_ptr<const ExportSpec> sheet;  // set: not a row, the start of a new sheet with this spec
};

struct XlsxTableWriter::Impl {
  lxw_workbook* wb = nullptr;
  lxw_worksheet* ws = nullptr;
  ExportSpec spec;
  lxw_row_t row = 0;
  int header_first = 0, header_last = 0;
  std::vector<double> widths;
  std::vector<lxw_format*> cell_formats;   // per column, body
  std::vector<lxw_format*> total_formats;  // per column, totals row
  std::vector<lxw_format*> bad_formats;    // per column, highlighted
  std::vector<std::array<lxw_format*, 6>> tone_formats;  // per column, by Tone (wrapped text); [0] bold
  std::map<std::tuple<CellKind, bool, uint32_t>, lxw_format*> made;  // one format per distinct look
  lxw_format* title = nullptr;
  lxw_format* subtitle = nullptr;
  lxw_format* header = nullptr;
  bool closed = false;
  std::string tmpdir;
  int sheets = 1;
  // Between the caller and the writer thread.
  static constexpr size_t kBatchRows = 512, kMaxQueuedBatches = 8;
  std::vector<Row> filling;  // the caller's batch
  BoundedQueue<std::vector<Row>> batches{kMaxQueuedBatches};
  std::thread worker;
};

int ZipEntriesWrittenFast() { return g_zip_entries.load(); }

std::string TempXlsxPath() {
  static std::atomic<int> n{0};
  return (std::filesystem::temp_directory_path() /
          ("kp-export-" + std::to_string(::getpid()) + "-" + std::to_string(++n) + ".xlsx"))
      .string();
}

Result<std::string> ReadAndRemove(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Internal("cannot read the written workbook");
  std::ostringstream ss;
  ss << in.rdbuf();
  in.close();
  std::filesystem::remove(path);
  return ss.str();
}

XlsxTableWriter::XlsxTableWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  impl_->worker = std::thread([this] { Drain(); });
}

XlsxTableWriter::~XlsxTableWriter() {
  if (impl_ && !impl_->closed) (void)Close();
}

void XlsxTableWriter::Drain() {
  Impl& m = *impl_;
  for (std::vector<Row> batch; m.batches.Pop(batch);) {
    for (const Row& r : batch) Write(m, r);
  }
}

void XlsxTableWriter::Flush() {
  Impl& m = *impl_;
  if (m.filling.empty()) return;
  m.batches.Push(std::move(m.filling));
  m.filling.clear();
  m.filling.reserve(Impl::kBatchRows);
}

void XlsxTableWriter::Enqueue(Row row) {
  impl_->filling.push_back(std::move(row));
  if (impl_->filling.size() >= Impl::kBatchRows) Flush();
}

// Widths, title rows, header and print setup of the current sheet (the first, or a
// continuation sheet when a sheet's 1,048,576 rows are full).
void XlsxTableWriter::StartSheet(Impl* impl) {
  lxw_worksheet* ws = impl->ws;
  const ExportSpec& spec = impl->spec;
  impl->row = 0;
  const lxw_col_t last_col = static_cast<lxw_col_t>(spec.columns.size() - 1);
  // Column widths must be set before any row is written in constant_memory mode.
  for (size_t i = 0; i < spec.columns.size(); ++i) {
    double w = impl->widths[i];
    if (spec.columns[i].kind == CellKind::kText) w = std::max(w, 12.0);
    if (spec.columns[i].kind == CellKind::kMoneyWan) w = std::max(w, 14.0);
    if (spec.columns[i].kind == CellKind::kDate) w = std::max(w, 12.0);
    if (spec.columns[i].width <= 0) w = std::min(w, kMaxWidth);
    worksheet_set_column(ws, static_cast<lxw_col_t>(i), static_cast<lxw_col_t>(i), w, nullptr);
  }
  lxw_row_t& row = impl->row;
  if (!spec.title.empty()) {
    worksheet_set_row(ws, row, kTitleHeight, nullptr);
    if (last_col > 0) worksheet_merge_range(ws, row, 0, row, last_col, spec.title.c_str(), impl->title);
    else worksheet_write_string(ws, row, 0, spec.title.c_str(), impl->title);
    ++row;
    if (!spec.subtitle.empty()) {
      if (last_col > 0) worksheet_merge_range(ws, row, 0, row, last_col, spec.subtitle.c_str(), impl->subtitle);
      else worksheet_write_string(ws, row, 0, spec.subtitle.c_str(), impl->subtitle);
      ++row;
    }
  }
  impl->header_first = static_cast<int>(row);
  bool groups = std::any_of(spec.columns.begin(), spec.columns.end(), [](const ExportColumn& c) { return !c.group.empty(); });
  if (groups) {
    // Group row: runs of the same group are merged. Ungrouped columns merge down over both
    // header rows, except in constant_memory mode (one row at a time): there they repeat.
    for (size_t i = 0; i < spec.columns.size();) {
      size_t j = i;
      while (j + 1 < spec.columns.size() && spec.columns[j + 1].group == spec.columns[i].group) ++j;
      const std::string& text = spec.columns[i].group.empty() ? spec.columns[i].title : spec.columns[i].group;
      if (j > i && !spec.columns[i].group.empty()) {
        worksheet_merge_range(ws, row, static_cast<lxw_col_t>(i), row, static_cast<lxw_col_t>(j), text.c_str(),
                              impl->header);
      } else {
        for (size_t k = i; k <= j; ++k) {
          const std::string& t = spec.columns[k].group.empty() ? spec.columns[k].title : spec.columns[k].group;
          if (spec.columns[k].group.empty() && !spec.constant_memory) {
            worksheet_merge_range(ws, row, static_cast<lxw_col_t>(k), row + 1, static_cast<lxw_col_t>(k), t.c_str(),
                                  impl->header);
          } else {
            worksheet_write_string(ws, row, static_cast<lxw_col_t>(k), t.c_str(), impl->header);
          }
        }
      }
      i = j + 1;
    }
    ++row;
  }
  for (size_t i = 0; i < spec.columns.size(); ++i) {
    if (groups && spec.columns[i].group.empty() && !spec.constant_memory) continue;  // merged from above
    worksheet_write_string(ws, row, static_cast<lxw_col_t>(i), spec.columns[i].title.c_str(), impl->header);
    if (!spec.columns[i].note.empty()) {
      worksheet_write_comment(ws, row, static_cast<lxw_col_t>(i), spec.columns[i].note.c_str());
    }
    if (!spec.columns[i].choices.empty()) {
      std::vector<char*> list;  // libxlsxwriter's API takes char**; it does not write through it
      for (const auto& c : spec.columns[i].choices) list.push_back(const_cast<char*>(c.c_str()));
      list.push_back(nullptr);
      lxw_data_validation dv{};
      dv.validate = LXW_VALIDATION_TYPE_LIST;
      dv.value_list = list.data();
      dv.error_title = const_cast<char*>("输入有误");
      dv.error_message = const_cast<char*>("请从下拉列表中选择");
      worksheet_data_validation_range(ws, row + 1, static_cast<lxw_col_t>(i), LXW_ROW_MAX - 1,
                                      static_cast<lxw_col_t>(i), &dv);
    }
  }
  impl->header_last = static_cast<int>(row);
  ++row;
  worksheet_freeze_panes(ws, row, 0);
  worksheet_set_landscape(ws);
  worksheet_set_paper(ws, kPaperA4);
  worksheet_repeat_rows(ws, static_cast<lxw_row_t>(impl->header_first), static_cast<lxw_row_t>(impl->header_last));
  worksheet_fit_to_pages(ws, 1, 0);
  worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
  worksheet_center_horizontally(ws);
  worksheet_set_footer(ws, "&C第 &P 页 / 共 &N 页");
}

// The body formats and widths of the current spec's columns.
void XlsxTableWriter::MakeColumnFormats(Impl* impl) {
  const char* font = kBodyFont;
  // One format object per distinct look. libxlsxwriter remembers the style index only on the
  // first of two equal formats; each cell written with a later copy rebuilds and hashes the
  // whole format again (a fifth of a 100k-row export's time before this cache).
  std::map<std::tuple<CellKind, bool, uint32_t>, lxw_format*>& made = impl->made;
  lxw_workbook* wb = impl->wb;
  const ExportSpec& spec = impl->spec;
  impl->cell_formats.clear();
  impl->total_formats.clear();
  impl->bad_formats.clear();
  impl->tone_formats.clear();
  impl->widths.clear();
  auto body_format = [&](CellKind kind, bool bold, uint32_t bg) {
    lxw_format*& f = made[{kind, bold, bg}];
    if (f) return f;
    f = workbook_add_format(wb);
    format_set_font_name(f, font);
    format_set_border(f, LXW_BORDER_THIN);
    if (bold) format_set_bold(f);
    if (bg) format_set_bg_color(f, bg);
    switch (kind) {
      case CellKind::kMoneyWan: format_set_num_format(f, "#,##0.00"); break;
      case CellKind::kNumber: format_set_num_format(f, "#,##0.00"); break;
      case CellKind::kInteger: format_set_num_format(f, "0"); break;
      case CellKind::kPercent: format_set_num_format(f, "0.00"); break;
      case CellKind::kPoints: format_set_num_format(f, "+0.0;-0.0;0.0"); break;
      case CellKind::kText: format_set_num_format(f, "@"); break;
      case CellKind::kDate: format_set_num_format(f, "yyyy-mm-dd"); break;
    }
    return f;
  };
  for (const ExportColumn& c : spec.columns) {
    impl->cell_formats.push_back(body_format(c.kind, false, 0));
    impl->total_formats.push_back(body_format(c.kind, true, 0xF2F2F2));
    impl->bad_formats.push_back(body_format(c.kind, false, 0xFFC7CE));
    static constexpr uint32_t kToneFill[] = {0, 0xF8B4B4, 0xFFE699, 0xC6EFCE, 0xDDEBF7, 0xF2F2F2};
    std::array<lxw_format*, 6> tones{};
    for (size_t t = 0; t < tones.size(); ++t) {
      tones[t] = body_format(c.kind, t == 0, kToneFill[t]);
      format_set_text_wrap(tones[t]);
      format_set_align(tones[t], LXW_ALIGN_VERTICAL_CENTER);
    }
    impl->tone_formats.push_back(tones);
    impl->widths.push_back(c.width > 0 ? c.width : std::clamp(TextWidth(c.title) + 2, kMinWidth, kMaxWidth));
  }
}

Result<std::unique_ptr<XlsxTableWriter>> XlsxTableWriter::Create(const std::string& path, const ExportSpec& spec) {
  auto impl = std::make_unique<Impl>();
  impl->spec = spec;
  impl->tmpdir = std::filesystem::temp_directory_path().string();
  lxw_workbook_options options{};
  options.constant_memory = spec.constant_memory ? LXW_TRUE : LXW_FALSE;
  options.tmpdir = impl->tmpdir.data();
  options.use_zip64 = LXW_TRUE;
  impl->wb = workbook_new_opt(path.c_str(), &options);
  if (!impl->wb) return Internal("cannot create workbook " + path);
  impl->ws = workbook_add_worksheet(impl->wb, spec.sheet_name.c_str());
  lxw_workbook* wb = impl->wb;
  const char* font = kBodyFont;

  impl->title = workbook_add_format(wb);
  format_set_bold(impl->title);
  format_set_font_size(impl->title, 16);
  format_set_font_name(impl->title, font);
  format_set_align(impl->title, LXW_ALIGN_CENTER);
  format_set_align(impl->title, LXW_ALIGN_VERTICAL_CENTER);
  impl->subtitle = workbook_add_format(wb);
  format_set_font_name(impl->subtitle, font);
  format_set_align(impl->subtitle, LXW_ALIGN_RIGHT);
  impl->header = workbook_add_format(wb);
  format_set_bold(impl->header);
  format_set_font_name(impl->header, font);
  format_set_border(impl->header, LXW_BORDER_THIN);
  format_set_align(impl->header, LXW_ALIGN_CENTER);
  format_set_align(impl->header, LXW_ALIGN_VERTICAL_CENTER);
  format_set_text_wrap(impl->header);
  format_set_bg_color(impl->header, 0xDDEBF7);

  MakeColumnFormats(impl.get());
  StartSheet(impl.get());
  return std::unique_ptr<XlsxTableWriter>(new XlsxTableWriter(std::move(impl)));
}

void XlsxTableWriter::Write(Impl& m, const Row& r) {
  if (r.sheet) {
    m.spec = *r.sheet;
    m.sheets = 1;
    m.ws = workbook_add_worksheet(m.wb, m.spec.sheet_name.c_str());
    MakeColumnFormats(&m);
    StartSheet(&m);
    return;
  }
  if (m.row >= LXW_ROW_MAX) {
    // A sheet holds 1,048,576 rows: go on in "name (2)", "name (3)" … with the same header.
    std::string name = m.spec.sheet_name + " (" + std::to_string(++m.sheets) + ")";
    m.ws = workbook_add_worksheet(m.wb, name.c_str());
    StartSheet(&m);
  }
  for (size_t i = 0; i < r.cells.size() && i < m.spec.columns.size(); ++i) {
    lxw_format* f = r.style == 1 ? m.total_formats[i] : m.cell_formats[i];
    if (i < r.bad.size() && r.bad[i]) f = m.bad_formats[i];
    if (i < r.tones.size()) {
      const auto t = static_cast<size_t>(r.tones[i]);
      f = t == 0 && r.style != 2 ? m.cell_formats[i] : m.tone_formats[i][t];
    }
    lxw_col_t col = static_cast<lxw_col_t>(i);
    const CellValue& v = r.cells[i];
    if (const auto* s = std::get_if<std::string>(&v)) {
      worksheet_write_string(m.ws, m.row, col, s->c_str(), f);
    } else if (const auto* money = std::get_if<Money>(&v)) {
      worksheet_write_number(m.ws, m.row, col, money->Wan(), f);
    } else if (const auto* d = std::get_if<double>(&v)) {
      worksheet_write_number(m.ws, m.row, col, *d, f);
    } else if (const auto* n = std::get_if<int64_t>(&v)) {
      worksheet_write_number(m.ws, m.row, col, static_cast<double>(*n), f);
    } else if (const auto* date = std::get_if<Date>(&v)) {
      if (std::optional<int64_t> serial = ExcelSerial(*date)) {
        worksheet_write_number(m.ws, m.row, col, static_cast<double>(*serial), f);
      } else {
        worksheet_write_string(m.ws, m.row, col, date->ToString().c_str(), f);
      }
    } else {
      worksheet_write_blank(m.ws, m.row, col, f);
    }
  }
  ++m.row;
}

void XlsxTableWriter::AddRow(std::vector<CellValue> cells) {
  Enqueue(Row{std::move(cells), 0, {}, {}, nullptr});
  ++data_rows_;
}

void XlsxTableWriter::AddRowMarked(std::vector<CellValue> cells, std::vector<bool> bad_cells) {
  Enqueue(Row{std::move(cells), 0, std::move(bad_cells), {}, nullptr});
  ++data_rows_;
}

void XlsxTableWriter::AddRowToned(std::vector<CellValue> cells, std::vector<Tone> tones, bool bold) {
  Enqueue(Row{std::move(cells), bold ? 2 : 0, {}, std::move(tones), nullptr});
  ++data_rows_;
}

void XlsxTableWriter::NewSheet(const ExportSpec& spec) {
  Row r;
  r.sheet = std::make_shared<const ExportSpec>(spec);
  Enqueue(std::move(r));
}

void XlsxTableWriter::AddTotalRow(std::vector<CellValue> cells) { Enqueue(Row{std::move(cells), 1, {}, {}, nullptr}); }

Status XlsxTableWriter::Close() {
  if (impl_->closed) return Status::Ok();
  impl_->closed = true;
  Flush();
  impl_->batches.Close();  // the writer thread drains what is queued, then ends
  impl_->worker.join();  // every row is written; the thread's work happens-before what follows
  lxw_error err = workbook_close(impl_->wb);
  if (err != LXW_NO_ERROR) return Internal(std::string("writing the workbook failed: ") + lxw_strerror(err));
  return Status::Ok();
}

}  // namespace kp::documents
