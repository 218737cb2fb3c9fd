// The loss_mask field of SFT records: written as [[begin, end], ...] and read back only when the
// ranges are integer pairs inside the content, sorted and disjoint; every fault names its field.
#include "core/search/loss_mask.h"

#include <QtTest>

#include "core/base/error.h"

using namespace astro::search;
using nlohmann::json;

namespace {

// The ParseError message of reading `text` as the loss mask of 10 content bytes.
QString readError(const std::string& text) {
  try {
    lossMaskFromJson(json::parse(text), 10, "data.jsonl", 7, "messages[1].loss_mask");
  } catch (const astro::ParseError& error) {
    return QString::fromStdString(error.field() + ": " + std::to_string(error.line()));
  }
  return "no error";
}

}  // namespace

class LossMaskTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void lossMask_roundTripsThroughJson() {
    const std::vector<ByteRange> ranges = {{.begin = 0, .end = 4}, {.begin = 4, .end = 10}};
    QCOMPARE(lossMaskToJson(ranges).dump(), std::string("[[0,4],[4,10]]"));
    QCOMPARE(lossMaskFromJson(json::parse("[[0,4],[4,10]]"), 10, "f", 1, "m"), ranges);
    QCOMPARE(lossMaskFromJson(json::parse("[]"), 0, "f", 1, "m"), std::vector<ByteRange>{});
  }
  void lossMask_rejectsMalformedRangesNamingTheField() {
    QCOMPARE(readError(R"({"a":1})"), QString("messages[1].loss_mask: 7"));
    QCOMPARE(readError("[[1,2,3]]"), QString("messages[1].loss_mask[0]: 7"));
    QCOMPARE(readError("[[0,2],[3]]"), QString("messages[1].loss_mask[1]: 7"));
    QCOMPARE(readError("[[0.5,2]]"), QString("messages[1].loss_mask[0][0]: 7"));
    QCOMPARE(readError(R"([[0,"2"]])"), QString("messages[1].loss_mask[0][1]: 7"));
    QCOMPARE(readError("[[-1,2]]"), QString("messages[1].loss_mask[0][0]: 7"));
    QCOMPARE(readError("[[3,3]]"), QString("messages[1].loss_mask[0]: 7"));        // empty
    QCOMPARE(readError("[[4,2]]"), QString("messages[1].loss_mask[0]: 7"));        // reversed
    QCOMPARE(readError("[[2,11]]"), QString("messages[1].loss_mask[0]: 7"));       // past the end
    QCOMPARE(readError("[[5,8],[1,2]]"), QString("messages[1].loss_mask[1]: 7"));  // unsorted
    QCOMPARE(readError("[[1,5],[4,8]]"), QString("messages[1].loss_mask[1]: 7"));  // overlap
  }
  void lossMask_errorMessageSaysWhatIsWrong() {
    try {
      lossMaskFromJson(json::parse("[[2,11]]"), 10, "data.jsonl", 7, "messages[1].loss_mask");
      QFAIL("no error");
    } catch (const astro::ParseError& error) {
      QCOMPARE(QString(error.what()),
               QString("data.jsonl:7: field 'messages[1].loss_mask[0]': end 11 lies past the "
                       "content's 10 bytes"));
    }
  }
};

QTEST_GUILESS_MAIN(LossMaskTest)
#include "loss_mask_test.moc"
