// The report as a minimal WordprocessingML package, zipped by libzip.
#include <zip.h>

#include <memory>
#include <sstream>

#include "reports/report_files.h"

namespace kp::reports {
namespace {

// GB/T 9704 in twentieths of a point (1 mm = 56.6929 twips).
constexpr int kPageW = 11906, kPageH = 16838;
constexpr int kTop = 2098, kBottom = 1984, kLeft = 1587, kRight = 1474;  // 37, 35, 28, 26 mm
constexpr int kFooter = 1134;        // the page number's line, 20 mm from the page's foot (7 mm below the block)
constexpr int kLinePitch = 579;      // 225 mm ÷ 22 lines; 28 characters of 3号 (16 pt) fill the 156 mm line
                                     // without a character grid (LibreOffice spreads a linesAndChars grid wider)
constexpr int kBodyHalfPts = 32;     // 3号 16 pt
constexpr int kTitleHalfPts = 44;    // 2号 22 pt
constexpr int kTableHalfPts = 21;    // 五号 10.5 pt
constexpr int kPageNoHalfPts = 28;   // 4号 14 pt
constexpr int kTextWidth = kPageW - kLeft - kRight;

std::string Esc(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') break;  // not allowed in XML 1.0
        out += c;
    }
  }
  return out;
}

constexpr const char* kNs =
    R"( xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships")";

std::string Run(const std::string& text, const char* style_rpr = "") {
  return std::string("<w:r>") + (*style_rpr ? std::string("<w:rPr>") + style_rpr + "</w:rPr>" : "") +
         "<w:t xml:space=\"preserve\">" + Esc(text) + "</w:t></w:r>";
}

std::string Para(const std::string& style, const std::string& text, const std::string& ppr_extra = "") {
  return "<w:p><w:pPr><w:pStyle w:val=\"" + style + "\"/>" + ppr_extra + "</w:pPr>" + Run(text) + "</w:p>";
}

std::string TableXml(const Table& t) {
  std::ostringstream x;
  if (!t.caption.empty()) x << Para("Caption", t.caption);
  if (!t.unit.empty()) x << Para("TableUnit", t.unit);
  const size_t cols = t.header.size();
  x << "<w:tbl><w:tblPr><w:tblW w:w=\"" << kTextWidth
    << "\" w:type=\"dxa\"/><w:jc w:val=\"center\"/><w:tblBorders>";
  for (const char* side : {"top", "left", "bottom", "right", "insideH", "insideV"}) {
    x << "<w:" << side << " w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>";
  }
  x << "</w:tblBorders><w:tblLayout w:type=\"autofit\"/></w:tblPr><w:tblGrid>";
  for (size_t c = 0; c < cols; ++c) x << "<w:gridCol w:w=\"" << kTextWidth / static_cast<int>(cols ? cols : 1) << "\"/>";
  x << "</w:tblGrid>";
  auto row = [&](const std::vector<std::string>& cells, bool header) {
    x << "<w:tr>" << (header ? "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" : "<w:trPr><w:cantSplit/></w:trPr>");
    for (const auto& c : cells) {
      x << "<w:tc><w:tcPr><w:vAlign w:val=\"center\"/></w:tcPr>"
        << Para(header ? "TableHead" : "TableText", c) << "</w:tc>";
    }
    x << "</w:tr>";
  };
  row(t.header, true);
  for (const auto& r : t.rows) row(r, false);
  x << "</w:tbl>";
  return x.str();
}

std::string DocumentXml(const Report& r) {
  std::ostringstream x;
  x << R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)" << "\n<w:document" << kNs << "><w:body>";
  if (!r.issue.empty()) x << Para("Caption", r.issue);
  x << Para("ReportTitle", r.title);
  x << Para("Body", "");
  for (const Section& s : r.sections) {
    x << Para("Heading1", s.heading);
    for (const Block& b : s.blocks) {
      switch (b.kind) {
        case Block::Kind::kParagraph: x << Para("Body", b.paragraph.text); break;
        case Block::Kind::kTable: x << TableXml(b.table); break;
        case Block::Kind::kChart: break;  // the chart's figures are the table beside it; drawn in the PDF
      }
    }
  }
  x << Para("Body", "");
  x << Para("Signature", r.issuer);
  x << Para("Signature", r.date);
  x << "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooterOdd\"/>"
    << "<w:footerReference w:type=\"even\" r:id=\"rIdFooterEven\"/>"
    << "<w:pgSz w:w=\"" << kPageW << "\" w:h=\"" << kPageH << "\"/>"
    << "<w:pgMar w:top=\"" << kTop << "\" w:right=\"" << kRight << "\" w:bottom=\"" << kBottom << "\" w:left=\"" << kLeft
    << "\" w:header=\"851\" w:footer=\"" << kFooter << "\" w:gutter=\"0\"/>"
    << "<w:docGrid w:type=\"lines\" w:linePitch=\"" << kLinePitch << "\"/>"
    << "</w:sectPr></w:body></w:document>";
  return x.str();
}

std::string FooterXml(bool odd) {
  // "— 1 —" in 4号 宋体, one character in from the outer edge.
  std::ostringstream x;
  const char* rpr = "<w:rFonts w:ascii=\"宋体\" w:hAnsi=\"宋体\" w:eastAsia=\"宋体\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>";
  // Element order as the schema has it (Word refuses others): w:ind before w:jc.
  x << R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)" << "\n<w:ftr" << kNs << "><w:p><w:pPr><w:ind w:"
    << (odd ? "right" : "left") << "=\"" << kPageNoHalfPts * 10 << "\"/><w:jc w:val=\"" << (odd ? "right" : "left")
    << "\"/></w:pPr>" << Run("— ", rpr) << "<w:r><w:rPr>" << rpr << "</w:rPr><w:fldChar w:fldCharType=\"begin\"/></w:r>"
    << "<w:r><w:rPr>" << rpr << "</w:rPr><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
    << "<w:r><w:rPr>" << rpr << "</w:rPr><w:fldChar w:fldCharType=\"separate\"/></w:r>" << Run("1", rpr)
    << "<w:r><w:rPr>" << rpr << "</w:rPr><w:fldChar w:fldCharType=\"end\"/></w:r>" << Run(" —", rpr) << "</w:p></w:ftr>";
  return x.str();
}

std::string Fonts(const char* name) {
  return std::string("<w:rFonts w:ascii=\"") + name + "\" w:hAnsi=\"" + name + "\" w:eastAsia=\"" + name + "\" w:cs=\"" +
         name + "\"/>";
}

std::string StyleXml(const std::string& id, const std::string& name, const std::string& ppr, const std::string& rpr,
                     const char* type = "paragraph") {
  return std::string("<w:style w:type=\"") + type + "\" w:customStyle=\"1\" w:styleId=\"" + id + "\"><w:name w:val=\"" +
         name + "\"/><w:qFormat/><w:pPr>" + ppr + "</w:pPr><w:rPr>" + rpr + "</w:rPr></w:style>";
}

std::string StylesXml() {
  const std::string exact = "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"" + std::to_string(kLinePitch) +
                            "\" w:lineRule=\"exact\"/>";
  const std::string body_size = "<w:sz w:val=\"" + std::to_string(kBodyHalfPts) + "\"/><w:szCs w:val=\"" +
                                std::to_string(kBodyHalfPts) + "\"/>";
  const std::string table_size = "<w:sz w:val=\"" + std::to_string(kTableHalfPts) + "\"/><w:szCs w:val=\"" +
                                 std::to_string(kTableHalfPts) + "\"/>";
  std::ostringstream x;
  x << R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)" << "\n<w:styles" << kNs << ">"
    << "<w:docDefaults><w:rPrDefault><w:rPr>" << Fonts("仿宋_GB2312") << body_size
    << "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>" << exact
    << "<w:jc w:val=\"both\"/></w:pPr></w:pPrDefault></w:docDefaults>"
    << "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style>"
    << StyleXml("ReportTitle", "公文标题", "<w:jc w:val=\"center\"/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"" +
                                               std::to_string(kLinePitch * 3 / 2) + "\" w:lineRule=\"exact\"/>",
                Fonts("方正小标宋简体") + "<w:sz w:val=\"" + std::to_string(kTitleHalfPts) + "\"/><w:szCs w:val=\"" +
                    std::to_string(kTitleHalfPts) + "\"/>")
    << StyleXml("Body", "公文正文", exact + "<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/>",
                Fonts("仿宋_GB2312") + body_size)
    << StyleXml("Heading1", "一级标题", "<w:keepNext/>" + exact + "<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/><w:outlineLvl w:val=\"0\"/>",
                Fonts("黑体") + body_size)
    << StyleXml("Heading2", "二级标题", "<w:keepNext/>" + exact + "<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/><w:outlineLvl w:val=\"1\"/>",
                Fonts("楷体_GB2312") + body_size)
    << StyleXml("Caption", "表题", "<w:keepNext/>" + exact + "<w:jc w:val=\"center\"/>", Fonts("黑体") + body_size)
    << StyleXml("TableUnit", "表单位", "<w:keepNext/><w:snapToGrid w:val=\"0\"/><w:jc w:val=\"right\"/>", Fonts("仿宋_GB2312") + table_size)
    << StyleXml("TableHead", "表头", "<w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/><w:jc w:val=\"center\"/>",
                Fonts("黑体") + table_size)
    << StyleXml("TableText", "表格文字", "<w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/><w:jc w:val=\"center\"/>",
                Fonts("仿宋_GB2312") + table_size)
    << StyleXml("Signature", "落款", exact + "<w:ind w:right=\"" + std::to_string(kBodyHalfPts * 10 * 4) + "\"/><w:jc w:val=\"right\"/>",
                Fonts("仿宋_GB2312") + body_size)
    << "</w:styles>";
  return x.str();
}

constexpr const char* kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>)";
constexpr const char* kRootRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>)";
constexpr const char* kDocumentRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rIdFooterOdd" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rIdFooterEven" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/></Relationships>)";
constexpr const char* kSettings =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:defaultTabStop w:val="640"/><w:evenAndOddHeaders/><w:characterSpacingControl w:val="compressPunctuation"/></w:settings>)";

std::string CoreXml(const Report& r) {
  return std::string(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>)") +
         Esc(r.title) + "</dc:title><dc:creator>KeyProject</dc:creator></cp:coreProperties>";
}

}  // namespace

Status WriteDocx(const Report& r, const std::string& path) {
  const std::vector<std::pair<std::string, std::string>> parts = {
      {"[Content_Types].xml", kContentTypes},     {"_rels/.rels", kRootRels},
      {"docProps/core.xml", CoreXml(r)},          {"word/_rels/document.xml.rels", kDocumentRels},
      {"word/document.xml", DocumentXml(r)},      {"word/styles.xml", StylesXml()},
      {"word/settings.xml", kSettings},           {"word/footer1.xml", FooterXml(true)},
      {"word/footer2.xml", FooterXml(false)}};
  int err = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (!zip) return Internal("无法创建 docx (cannot create docx): " + path);
  for (const auto& [name, bytes] : parts) {
    zip_source_t* src = zip_source_buffer(zip, bytes.data(), bytes.size(), 0);
    if (!src || zip_file_add(zip, name.c_str(), src, ZIP_FL_ENC_UTF_8) < 0) {
      if (src) zip_source_free(src);
      zip_discard(zip);
      return Internal("docx 写入失败 (docx error): " + name);
    }
  }
  if (zip_close(zip) != 0) {
    std::string why = zip_strerror(zip);
    zip_discard(zip);
    return Internal("docx 写入失败 (docx error): " + why);
  }
  return Status::Ok();
}

Status WriteReport(const Report& r, const std::string& path) {
  auto ends = [&](const char* ext) {
    std::string e = ext;
    return path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
  };
  if (ends(".docx")) return WriteDocx(r, path);
  if (ends(".pdf")) return WritePdf(r, path);
  if (ends(".xlsx")) return WriteXlsx(r, path);
  return InvalidArgument("输出文件应以 .docx、.pdf 或 .xlsx 结尾 (output must end in .docx, .pdf or .xlsx): " + path, "output");
}

}  // namespace kp::reports
