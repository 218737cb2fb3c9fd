// Exported files carry the headers of their formats; PNG dimensions are read from IHDR.
#include "core/graph/graph_export.h"

#include <QtTest>

#include "core/base/error.h"
#include "tests/graph/random_tree.h"
#include "tests/support/test_support.h"

using astro::graph::ExportFormat;

class GraphExportTest : public QObject {
  Q_OBJECT
 private:
  astro::search::SearchTree tree_ = astro::test::randomTree(30);

 private Q_SLOTS:
  void svgExport_startsWithXmlAndHasSvgElement() {
    std::string svg = astro::graph::renderTree(tree_, ExportFormat::kSvg);
    QVERIFY(svg.starts_with("<?xml"));
    QVERIFY(svg.find("<svg") != std::string::npos);
    QVERIFY(svg.rfind("</svg>") != std::string::npos);
  }
  void pdfExport_hasPdfHeaderAndTrailer() {
    std::string pdf = astro::graph::renderTree(tree_, ExportFormat::kPdf);
    QVERIFY(pdf.starts_with("%PDF-"));
    QVERIFY(pdf.find("%%EOF") != std::string::npos);
  }
  void pngExport_hasSignatureAndPositiveIhdrDimensions() {
    std::string png = astro::graph::renderTree(tree_, ExportFormat::kPng);
    QVERIFY(png.size() > 33);
    QCOMPARE(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    QCOMPARE(png.substr(12, 4), std::string("IHDR"));
    auto bigEndian = [&](std::size_t at) {
      return (static_cast<unsigned char>(png[at]) << 24) |
             (static_cast<unsigned char>(png[at + 1]) << 16) |
             (static_cast<unsigned char>(png[at + 2]) << 8) |
             static_cast<unsigned char>(png[at + 3]);
    };
    QVERIFY(bigEndian(16) > 100);  // width in pixels
    QVERIFY(bigEndian(20) > 100);  // height in pixels
  }
  void dotExport_writesTheDotTextToAFile() {
    auto dir = astro::test::freshTempDir("graph_export");
    auto path = dir / "tree.dot";
    astro::graph::exportTree(tree_, ExportFormat::kDot, path);
    QFile file(QString::fromStdString(path.string()));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().startsWith("digraph search_tree {"));
  }
  void formatNames_roundTripAndRejectUnknown() {
    for (const char* name : {"dot", "svg", "pdf", "png"}) {
      QCOMPARE(astro::graph::exportFormatName(astro::graph::exportFormatFromName(name)),
               std::string(name));
    }
    QVERIFY_THROWS_EXCEPTION(astro::UsageError, astro::graph::exportFormatFromName("jpeg"));
  }
};

QTEST_APPLESS_MAIN(GraphExportTest)
#include "graph_export_test.moc"
