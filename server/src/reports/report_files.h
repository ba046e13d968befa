#pragma once
// A report model as a document in the official layout (GB/T 9704-2012, PRACTICES.md §7): A4, margins
// 37/35/28/26 mm, 22 lines × 28 characters, title 方正小标宋简体 2号, body 仿宋_GB2312 3号, headings
// "一、" 黑体 and "（一）" 楷体_GB2312, "— 1 —" page numbers (odd pages right, even left), tables whose header
// rows repeat on each page. docx: a WordprocessingML package (the font names kept; Word/WPS substitute);
// PDF: drawn by the server (documents/pdf_canvas) with the installed CJK fonts standing in, charts as vectors.
#include <string>

#include "common/status.h"
#include "reports/report_model.h"

namespace kp::reports {

Status WriteDocx(const Report& r, const std::string& path);
Status WritePdf(const Report& r, const std::string& path);
// The report's tables as a workbook, one sheet per table, figures as numbers (万元 as exact money cells).
Status WriteXlsx(const Report& r, const std::string& path);
// .docx, .pdf or .xlsx by the path's ending; anything else is refused naming the path.
Status WriteReport(const Report& r, const std::string& path);

}  // namespace kp::reports
