// Packing keeps sequences apart (positions, sequence ids) and trains only response targets.
#include <QtTest>

#include "core/base/error.h"
#include "core/train/sequence_packing.h"

using astro::train::kIgnoreTarget;
using astro::train::packExamples;
using astro::train::PackingOptions;
using astro::train::SftExample;

namespace {
SftExample example(std::vector<int> ids, std::vector<int> response) {
  SftExample e;
  e.ids.assign(ids.begin(), ids.end());
  e.isResponse.assign(response.begin(), response.end());
  return e;
}
}  // namespace

class SequencePackingTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void pack_twoSequencesShareRowWithOwnPositionsAndIds() {
    std::vector<SftExample> examples = {example({1, 2, 3}, {0, 1, 1}), example({4, 5}, {0, 1})};
    auto batches = packExamples(examples, {0, 1}, PackingOptions{.rowLength = 6, .rowsPerBatch = 1});
    QCOMPARE(int(batches.size()), 1);
    const auto& b = batches[0];
    QCOMPARE(b.columns, 5);  // the row's 5 tokens, not its room for 6
    QCOMPARE(b.inputIds, (std::vector<int32_t>{1, 2, 3, 4, 5}));
    QCOMPARE(b.positionIds, (std::vector<int32_t>{0, 1, 2, 0, 1}));
    QCOMPARE(b.sequenceIds, (std::vector<int32_t>{1, 1, 1, 2, 2}));
    // Position t predicts ids[t+1] when that token is a response token of the same sequence.
    QCOMPARE(b.targetIds, (std::vector<int32_t>{2, 3, kIgnoreTarget, 5, kIgnoreTarget}));
    QCOMPARE(b.trainedTokens, int64_t(3));
  }
  void pack_opensNewRowWhenSequenceDoesNotFit() {
    std::vector<SftExample> examples = {example({1, 2, 3, 4}, {0, 0, 1, 1}),
                                        example({5, 6, 7}, {0, 1, 1})};
    auto batches = packExamples(examples, {0, 1}, PackingOptions{.rowLength = 5, .rowsPerBatch = 2});
    QCOMPARE(int(batches.size()), 1);
    QCOMPARE(batches[0].rows, 2);
    QCOMPARE(batches[0].columns, 4);  // the fuller row's 4 tokens
    QCOMPARE(batches[0].inputIds, (std::vector<int32_t>{1, 2, 3, 4, 5, 6, 7, 0}));
  }
  void unpacked_rowsAsWideAsLongestExample() {
    std::vector<SftExample> examples = {example({1, 2}, {0, 1}), example({3, 4, 5}, {0, 1, 1})};
    auto batches =
        packExamples(examples, {1, 0}, PackingOptions{.rowLength = 64, .rowsPerBatch = 2, .pack = false});
    QCOMPARE(batches[0].columns, 3);
    QCOMPARE(batches[0].inputIds, (std::vector<int32_t>{3, 4, 5, 1, 2, 0}));
    QCOMPARE(batches[0].exampleIndices, (std::vector<std::size_t>{1, 0}));
  }
  void pack_exampleLongerThanRowIsAnError() {
    std::vector<SftExample> examples = {example({1, 2, 3}, {0, 1, 1})};
    QVERIFY_THROWS_EXCEPTION(astro::Error,
                             packExamples(examples, {0}, PackingOptions{.rowLength = 2}));
  }
};

QTEST_APPLESS_MAIN(SequencePackingTest)
#include "sequence_packing_test.moc"
