// The tokenizer for worksheets and shared strings: what it reads, what it refuses, and that
// pieces cut anywhere give the same events.
#include "documents/xml_scanner.h"

#include <gtest/gtest.h>

#include <string>

namespace kp::documents {
namespace {

// Records events as text: <name a=v> </name> "text".
struct Recorder {
  std::string log;
  void OnStart(std::string_view n, const char** a) {
    log += "<" + std::string(n);
    for (int i = 0; a[i]; i += 2) log += " " + std::string(a[i]) + "=" + a[i + 1];
    log += ">";
  }
  void OnEnd(std::string_view n) { log += "</" + std::string(n) + ">"; }
  void OnText(const char* s, int len) {
    // Adjacent pieces of one text run merge, so cuts do not show.
    if (!log.empty() && log.back() == '"') {
      log.pop_back();
    } else {
      log += '"';
    }
    log.append(s, static_cast<size_t>(len));
    log += '"';
  }
};

struct Scan {
  XmlScanner::Outcome outcome;
  std::string log, error;
};

Scan ScanIn(const std::string& doc, size_t piece) {
  XmlScanner s;
  Recorder r;
  XmlScanner::Outcome o = XmlScanner::Outcome::kMore;
  for (size_t at = 0; o == XmlScanner::Outcome::kMore;) {
    size_t n = std::min(piece, doc.size() - at);
    bool last = at + n >= doc.size();
    o = s.Feed(std::string_view(doc).substr(at, n), last, r);
    at += n;
  }
  return {o, r.log, s.error()};
}

const std::string kSheet =
    "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
    "<!-- made by hand -->"
    "<x:worksheet xmlns:x=\"urn:x\"><x:sheetData>"
    "<x:row r=\"1\"><x:c r=\"A1\" t='inlineStr'><x:is><x:t xml:space=\"preserve\">a &amp; b &lt;c&gt; &#x4E2D;&#25991;\r\nz</x:t></x:is></x:c>"
    "<x:c r = \"B1\" s=\"3\" ><x:v>12.5</x:v></x:c><x:c r=\"C1\"/></x:row>"
    "<x:row r=\"2\"><x:c r=\"A2\" t=\"str\"><x:v><![CDATA[<raw> & ]]></x:v></x:c></x:row>"
    "</x:sheetData><x:mergeCells><x:mergeCell ref=\"A1:B1\"/></x:mergeCells></x:worksheet>\n";

const std::string kExpected =
    "<worksheet xmlns:x=urn:x><sheetData><row r=1><c r=A1 t=inlineStr><is><t xml:space=preserve>"
    "\"a & b <c> 中文\nz\"</t></is></c><c r=B1 s=3><v>\"12.5\"</v></c><c r=C1></c></row>"
    "<row r=2><c r=A2 t=str><v>\"<raw> & \"</v></c></row></sheetData><mergeCells><mergeCell ref=A1:B1>"
    "</mergeCell></mergeCells></worksheet>";

TEST(XmlScanner, ReadsWhatSpreadsheetProducersWrite) {
  Scan s = ScanIn(kSheet, kSheet.size());
  EXPECT_EQ(s.outcome, XmlScanner::Outcome::kDone) << s.error;
  EXPECT_EQ(s.log, kExpected);
}

TEST(XmlScanner, GivesTheSameEventsWhereverThePiecesAreCut) {
  for (size_t piece : {1u, 2u, 3u, 7u, 64u}) {
    Scan s = ScanIn(kSheet, piece);
    EXPECT_EQ(s.outcome, XmlScanner::Outcome::kDone) << "piece " << piece << ": " << s.error;
    EXPECT_EQ(s.log, kExpected) << "piece " << piece;
  }
}

TEST(XmlScanner, RefusesBrokenXmlWithAReason) {
  for (const char* bad : {"<a><b></a></b>", "<a>", "<a x=1/>", "<a x=\"1\"y=\"2\"/>", "<a>&nbsp;</a>",
                          "<a>&#0;</a>", "<a/><b/>", "text", "<a></a>junk", "<a x=\"<\"/>", "<a><b", ""}) {
    Scan s = ScanIn(bad, 4);
    EXPECT_EQ(s.outcome, XmlScanner::Outcome::kError) << bad;
    EXPECT_FALSE(s.error.empty()) << bad;
  }
}

TEST(XmlScanner, HandsOtherEncodingsAndDoctypesToExpat) {
  EXPECT_EQ(ScanIn("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>", 100).outcome, XmlScanner::Outcome::kUnsupported);
  EXPECT_EQ(ScanIn("<?xml version='1.0' encoding='GB2312'?><a/>", 5).outcome, XmlScanner::Outcome::kUnsupported);
  EXPECT_EQ(ScanIn(std::string("\xFF\xFE<\0a\0/\0>\0", 10), 100).outcome, XmlScanner::Outcome::kUnsupported);
  EXPECT_EQ(ScanIn("<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>", 100).outcome, XmlScanner::Outcome::kUnsupported);
  EXPECT_EQ(ScanIn("<?xml version=\"1.0\" encoding=\"utf-8\"?><a/>", 100).outcome, XmlScanner::Outcome::kDone);
}

TEST(XmlScanner, BoundsAnUnfinishedTagInsteadOfRescanningForEver) {
  std::string huge = "<a x=\"" + std::string(5u << 20, 'y');
  Scan s = ScanIn(huge, 1u << 20);
  EXPECT_EQ(s.outcome, XmlScanner::Outcome::kError);
  // Long text is fine: it is handed on in pieces.
  std::string text = "<a>" + std::string(3u << 20, 'z') + "&amp;</a>";
  Scan t = ScanIn(text, 100000);
  EXPECT_EQ(t.outcome, XmlScanner::Outcome::kDone) << t.error;
  EXPECT_EQ(t.log.size(), 3 + (3u << 20) + 1 + 2 + 4);
}

TEST(XmlScanner, RefusesAnEntityThatNeverEndsInALongTextInsteadOfSpinning) {
  std::string doc = "<a>&" + std::string(300000, 'A') + "</a>";
  EXPECT_EQ(ScanIn(doc, 100000).outcome, XmlScanner::Outcome::kError);
  std::string cr = "<a>" + std::string(70000, 'x') + "\r&" + std::string(300000, 'A') + "</a>";
  EXPECT_EQ(ScanIn(cr, 100000).outcome, XmlScanner::Outcome::kError);
}

TEST(XmlScanner, RefusesTextThatIsNotUtf8OrHoldsControlCharacters) {
  for (const char* bad : {"<a>\xC3\x28</a>", "<a>\xE4\xB8</a>", "<a>\xED\xA0\x80</a>", "<a>\xC0\xAF</a>",
                          "<a>\xF5\x80\x80\x80</a>", "<a>ab\x01" "cd</a>", "<a><![CDATA[\x02]]></a>", "<a>\xFF</a>"}) {
    EXPECT_EQ(ScanIn(bad, 3).outcome, XmlScanner::Outcome::kError) << bad;
  }
  EXPECT_EQ(ScanIn("<a>中文 tab\t ok 𝄞 and more plain ascii text</a>", 5).outcome, XmlScanner::Outcome::kDone);
}

}  // namespace
}  // namespace kp::documents
