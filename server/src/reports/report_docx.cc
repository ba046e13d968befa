// The report as a minimal WordprocessingML package, zipped by libzip.
#include <zip.h>

#include <cstdio>
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

// ---- charts: DrawingML chart parts (word/charts/chartN.xml) with their data written in (numLit/strLit),
// so Word, WPS and LibreOffice draw them as vectors and a reader can restyle them. ----

constexpr int64_t kEmuPerTwip = 635;
constexpr int64_t kChartHeightEmu = 75 * 36000;  // 75 mm
constexpr int64_t kCurveHeightEmu = 58 * 36000;  // the summary's curve, lower: it stays on the first page under table 1
constexpr const char* kBlue = "3A7BD5";
constexpr const char* kRed = "D9534F";
constexpr const char* kOrange = "E67E22";

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

std::string StrLit(const std::vector<std::string>& labels) {
  std::ostringstream x;
  x << "<c:cat><c:strLit><c:ptCount val=\"" << labels.size() << "\"/>";
  for (size_t i = 0; i < labels.size(); ++i) x << "<c:pt idx=\"" << i << "\"><c:v>" << Esc(labels[i]) << "</c:v></c:pt>";
  x << "</c:strLit></c:cat>";
  return x.str();
}

std::string NumLit(const std::vector<double>& values) {
  std::ostringstream x;
  x << "<c:val><c:numLit><c:formatCode>0.0</c:formatCode><c:ptCount val=\"" << values.size() << "\"/>";
  for (size_t i = 0; i < values.size(); ++i) x << "<c:pt idx=\"" << i << "\"><c:v>" << Num(values[i]) << "</c:v></c:pt>";
  x << "</c:numLit></c:val>";
  return x.str();
}

std::string LineSpPr(const char* colour, bool dashed) {
  return std::string("<c:spPr><a:ln w=\"19050\"><a:solidFill><a:srgbClr val=\"") + colour + "\"/></a:solidFill>" +
         (dashed ? "<a:prstDash val=\"dash\"/>" : "") + "</a:ln></c:spPr>";
}

// One line series of a c:lineChart (element order as the schema has it: idx, order, tx, spPr, marker, cat, val, smooth).
std::string LineSeries(int idx, const std::string& name, const char* colour, bool dashed, bool markers,
                       const std::vector<std::string>& labels, const std::vector<double>& values) {
  std::ostringstream x;
  x << "<c:ser><c:idx val=\"" << idx << "\"/><c:order val=\"" << idx << "\"/><c:tx><c:v>" << Esc(name) << "</c:v></c:tx>"
    << LineSpPr(colour, dashed) << "<c:marker><c:symbol val=\"" << (markers ? "circle" : "none") << "\"/>"
    << (markers ? std::string("<c:size val=\"5\"/><c:spPr><a:solidFill><a:srgbClr val=\"") + colour + "\"/></a:solidFill></c:spPr>" : "")
    << "</c:marker>" << StrLit(labels) << NumLit(values) << "<c:smooth val=\"0\"/></c:ser>";
  return x.str();
}

std::string TextProps(int hundredths_pt) {
  return "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"" + std::to_string(hundredths_pt) +
         "\"><a:latin typeface=\"宋体\"/><a:ea typeface=\"宋体\"/></a:defRPr></a:pPr><a:endParaRPr lang=\"zh-CN\"/></a:p></c:txPr>";
}

std::string ChartXml(const Chart& ch) {
  constexpr int kCatAx = 1001, kValAx = 1002;
  std::ostringstream x;
  x << R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    << "\n<c:chartSpace xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" "
       "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
       "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    << "<c:roundedCorners val=\"0\"/><c:chart><c:autoTitleDeleted val=\"1\"/><c:plotArea><c:layout/>";
  if (ch.shape == Chart::Shape::kBars) {
    std::vector<std::string> labels;
    std::vector<double> values;
    for (const auto& [label, v] : ch.bars) {
      labels.push_back(label);
      values.push_back(v);
    }
    // Bars behind the line are red, the others blue (as in the PDF and the app).
    x << "<c:barChart><c:barDir val=\"col\"/><c:grouping val=\"clustered\"/><c:varyColors val=\"0\"/>"
      << "<c:ser><c:idx val=\"0\"/><c:order val=\"0\"/><c:tx><c:v>完成率</c:v></c:tx><c:spPr><a:solidFill><a:srgbClr val=\""
      << kBlue << "\"/></a:solidFill></c:spPr><c:invertIfNegative val=\"0\"/>";
    for (size_t i = 0; i < values.size(); ++i) {
      if (values[i] >= ch.line_value) continue;
      x << "<c:dPt><c:idx val=\"" << i << "\"/><c:invertIfNegative val=\"0\"/><c:bubble3D val=\"0\"/><c:spPr><a:solidFill><a:srgbClr val=\""
        << kRed << "\"/></a:solidFill></c:spPr></c:dPt>";
    }
    x << StrLit(labels) << NumLit(values) << "</c:ser><c:gapWidth val=\"80\"/><c:axId val=\"" << kCatAx
      << "\"/><c:axId val=\"" << kValAx << "\"/></c:barChart>";
    // 时序进度: a dashed line across every category.
    x << "<c:lineChart><c:grouping val=\"standard\"/><c:varyColors val=\"0\"/>"
      << LineSeries(1, ch.line_label, kOrange, true, false, labels, std::vector<double>(values.size(), ch.line_value))
      << "<c:marker val=\"1\"/><c:axId val=\"" << kCatAx << "\"/><c:axId val=\"" << kValAx << "\"/></c:lineChart>";
  } else {
    const char* colours[] = {kBlue, kOrange, "5CB85C"};
    x << "<c:lineChart><c:grouping val=\"standard\"/><c:varyColors val=\"0\"/>";
    for (size_t i = 0; i < ch.series.size(); ++i) {
      x << LineSeries(static_cast<int>(i), ch.series[i].name, colours[i % 3], i > 0, i == 0, ch.labels, ch.series[i].values);
    }
    x << "<c:marker val=\"1\"/><c:axId val=\"" << kCatAx << "\"/><c:axId val=\"" << kValAx << "\"/></c:lineChart>";
  }
  x << "<c:catAx><c:axId val=\"" << kCatAx << "\"/><c:scaling><c:orientation val=\"minMax\"/></c:scaling><c:delete val=\"0\"/>"
    << "<c:axPos val=\"b\"/><c:numFmt formatCode=\"General\" sourceLinked=\"0\"/><c:majorTickMark val=\"none\"/>"
    << "<c:minorTickMark val=\"none\"/><c:tickLblPos val=\"nextTo\"/>" << TextProps(800) << "<c:crossAx val=\"" << kValAx
    << "\"/><c:crosses val=\"autoZero\"/><c:auto val=\"1\"/><c:lblAlgn val=\"ctr\"/><c:lblOffset val=\"100\"/><c:noMultiLvlLbl val=\"0\"/></c:catAx>"
    << "<c:valAx><c:axId val=\"" << kValAx << "\"/><c:scaling><c:orientation val=\"minMax\"/><c:min val=\"0\"/></c:scaling>"
    << "<c:delete val=\"0\"/><c:axPos val=\"l\"/><c:majorGridlines><c:spPr><a:ln w=\"3175\"><a:solidFill><a:srgbClr val=\"CCCCCC\"/>"
    << "</a:solidFill></a:ln></c:spPr></c:majorGridlines><c:numFmt formatCode=\"0\" sourceLinked=\"0\"/><c:majorTickMark val=\"none\"/>"
    << "<c:minorTickMark val=\"none\"/><c:tickLblPos val=\"nextTo\"/>" << TextProps(800) << "<c:crossAx val=\"" << kCatAx
    << "\"/><c:crosses val=\"autoZero\"/><c:crossBetween val=\"between\"/></c:valAx></c:plotArea>"
    << "<c:legend><c:legendPos val=\"b\"/><c:overlay val=\"0\"/>" << TextProps(900) << "</c:legend>"
    << "<c:plotVisOnly val=\"1\"/><c:dispBlanksAs val=\"gap\"/></c:chart></c:chartSpace>";
  return x.str();
}

// The chart's caption and the chart inline, as wide as the text block. `n` numbers its part (chartN.xml).
std::string ChartParagraphs(const Chart& ch, size_t n) {
  const int64_t cx = static_cast<int64_t>(kTextWidth) * kEmuPerTwip;
  std::ostringstream x;
  x << Para("Caption", ch.title) << "<w:p><w:pPr><w:pStyle w:val=\"ChartBox\"/></w:pPr><w:r><w:drawing>"
    << "<wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"" << cx << "\" cy=\""
    << (ch.shape == Chart::Shape::kCurve ? kCurveHeightEmu : kChartHeightEmu)
    << "\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/><wp:docPr id=\"" << n << "\" name=\"" << Esc(ch.title)
    << "\"/><wp:cNvGraphicFramePr/><a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\">"
    << "<a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\">"
    << "<c:chart xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" r:id=\"rIdChart" << n << "\"/>"
    << "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>";
  return x.str();
}

bool Drawable(const Chart& ch) {
  return ch.shape == Chart::Shape::kBars ? !ch.bars.empty() : !ch.labels.empty() && !ch.series.empty();
}

// The report's drawable charts, in order: chart n (from 1) is word/charts/chartN.xml.
std::vector<const Chart*> ChartsOf(const Report& r) {
  std::vector<const Chart*> out;
  for (const Section& s : r.sections) {
    for (const Block& b : s.blocks) {
      if (b.kind == Block::Kind::kChart && Drawable(b.chart)) out.push_back(&b.chart);
    }
  }
  return out;
}

std::string DocumentXml(const Report& r) {
  std::ostringstream x;
  size_t charts = 0;
  x << R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)" << "\n<w:document" << kNs
    << " xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"><w:body>";
  if (!r.issue.empty()) x << Para("Caption", r.issue);
  x << Para("ReportTitle", r.title);
  x << Para("Body", "");
  for (const Section& s : r.sections) {
    x << Para("Heading1", s.heading);
    for (const Block& b : s.blocks) {
      switch (b.kind) {
        case Block::Kind::kParagraph: x << Para("Body", b.paragraph.text); break;
        case Block::Kind::kTable: x << TableXml(b.table); break;
        case Block::Kind::kChart:
          if (Drawable(b.chart)) x << ChartParagraphs(b.chart, ++charts);
          break;
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
    << StyleXml("ChartBox", "图", "<w:keepNext/><w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"120\" w:line=\"240\" w:lineRule=\"auto\"/><w:ind w:firstLine=\"0\"/><w:jc w:val=\"center\"/>",
                Fonts("仿宋_GB2312") + table_size)
    << StyleXml("Signature", "落款", exact + "<w:ind w:right=\"" + std::to_string(kBodyHalfPts * 10 * 4) + "\"/><w:jc w:val=\"right\"/>",
                Fonts("仿宋_GB2312") + body_size)
    << "</w:styles>";
  return x.str();
}

constexpr const char* kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>)";
constexpr const char* kRootRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>)";
constexpr const char* kDocumentRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rIdFooterOdd" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rIdFooterEven" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>)";
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
  const std::vector<const Chart*> charts = ChartsOf(r);
  std::string types = kContentTypes, rels = kDocumentRels;
  std::vector<std::pair<std::string, std::string>> parts;
  for (size_t i = 1; i <= charts.size(); ++i) {
    const std::string n = std::to_string(i);
    types += "<Override PartName=\"/word/charts/chart" + n +
             ".xml\" ContentType=\"application/vnd.openxmlformats-officedocument.drawingml.chart+xml\"/>";
    rels += "<Relationship Id=\"rIdChart" + n +
            "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart\" Target=\"charts/chart" + n +
            ".xml\"/>";
    parts.emplace_back("word/charts/chart" + n + ".xml", ChartXml(*charts[i - 1]));
  }
  types += "</Types>";
  rels += "</Relationships>";
  parts.insert(parts.begin(), {{"[Content_Types].xml", types},       {"_rels/.rels", kRootRels},
                               {"docProps/core.xml", CoreXml(r)},    {"word/_rels/document.xml.rels", rels},
                               {"word/document.xml", DocumentXml(r)}, {"word/styles.xml", StylesXml()},
                               {"word/settings.xml", kSettings},     {"word/footer1.xml", FooterXml(true)},
                               {"word/footer2.xml", FooterXml(false)}});
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
