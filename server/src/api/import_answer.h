#pragma once
// The answer to an import (preview, errors naming sheet/row/column, summary), shared by every
// import route.
#include <boost/json.hpp>
#include <type_traits>

#include "api/json_codec.h"
#include "api/routes.h"
#include "domain/import_parser.h"

namespace kp::api {

template <typename Row>
inline boost::json::object PreviewJson(const ParsedImport<Row>& parsed) {
  constexpr size_t kPreviewRows = 500;
  boost::json::array errors;
  for (const ImportError& e : parsed.errors) {
    errors.emplace_back(boost::json::object{{"sheet", e.sheet}, {"row", e.row}, {"column", e.column}, {"col", e.col},
                                     {"reason", e.reason}, {"message", FormatImportError(e)}});
  }
  boost::json::array header;
  for (const auto& h : parsed.header) header.emplace_back(h);
  boost::json::array rows;
  for (size_t i = 0; i < parsed.table.size() && i < kPreviewRows; ++i) {
    boost::json::array cells;
    for (const auto& f : parsed.table[i].fields) cells.emplace_back(f);
    rows.emplace_back(boost::json::object{{"row", parsed.table[i].line}, {"cells", std::move(cells)}});
  }
  boost::json::array ignored;
  for (const auto& c : parsed.ignored_columns) ignored.emplace_back(c);
  boost::json::array sheets, read;
  for (const auto& s : parsed.all_sheets) sheets.emplace_back(s);
  for (const auto& s : parsed.sheets_read) read.emplace_back(s);
  return boost::json::object{{"encoding", parsed.encoding},      {"sheet", parsed.sheet},
                      {"header_row", parsed.header_row},  {"header", std::move(header)},
                      {"total_rows", parsed.table.size()}, {"rows", std::move(rows)},
                      {"ignored_columns", std::move(ignored)}, {"errors", std::move(errors)},
                      {"error_count", parsed.error_count()}, {"errors_omitted", parsed.errors_omitted},
                      {"sheets", std::move(sheets)}, {"sheets_read", std::move(read)}};
}

template <typename Row>
inline http::Response ImportAnswer(const Result<ImportOutcome<Row>>& out, bool dry_run) {
  if (!out.ok()) return http::ErrorResponse(out.status());
  boost::json::object preview = PreviewJson(out->parsed);
  if (!out->ok()) {
    const size_t n = out->parsed.error_count();
    if (dry_run) {
      preview["ok"] = false;
      return Json(preview);
    }
    boost::json::object err{{"code", "invalid_argument"},
                     {"message", "导入失败：" + std::to_string(n) + " 处错误，未写入任何数据 (import rejected, nothing written)" +
                                     (out->parsed.errors_omitted > 0
                                          ? "；仅列出前 " + std::to_string(out->parsed.errors.size()) + " 处 (first " +
                                                std::to_string(out->parsed.errors.size()) + " listed)"
                                          : std::string())},
                     {"rows", preview.at("errors")},
                     {"error_count", n},
                     {"errors_omitted", out->parsed.errors_omitted}};
    return Json(boost::json::object{{"error", std::move(err)}}, 400);
  }
  preview["ok"] = true;
  if (!dry_run) {
    if constexpr (std::is_same_v<Row, NodeImportRow>) {
      const NodeImportSummary& n = out->node_summary;
      preview["summary"] = boost::json::object{{"rows", n.rows}, {"nodes_created", n.created}, {"nodes_updated", n.updated},
                                               {"nodes_unchanged", n.unchanged}, {"projects", n.projects.size()}};
    } else if constexpr (std::is_same_v<Row, ProblemImportRow>) {
      const ProblemImportSummary& p = out->problem_summary;
      preview["summary"] = boost::json::object{{"rows", p.rows}, {"problems_added", p.added}, {"problems_skipped", p.skipped}};
    } else {
      preview["summary"] = ToJson(out->summary);
    }
  }
  return Json(preview);
}

inline ImportOptions OptionsOf(const http::Request& req) {
  ImportOptions o;
  o.sheet = req.Query("sheet").value_or("");
  o.dry_run = req.Query("dry_run").value_or("") == "1";
  return o;
}

}  // namespace kp::api
