// Loss masks in SFT data: tokens whose bytes lie in a record's loss_mask ranges get no loss, as
// the prompt's get none; straddling tokens are masked; a record without the field trains on its
// whole response; malformed ranges stop loading with file, line and field.
#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/response_loss_mask.h"
#include "core/train/sequence_packing.h"
#include "core/train/sft_data.h"
#include "tests/support/test_support.h"
#include "tests/train/tiny_training_fixture.h"

namespace fs = std::filesystem;
using namespace astro;
using nlohmann::json;

namespace {

// The tiny byte-level tokenizer (one token per byte, <|im_end|> ends a turn).
tokenizer::Tokenizer byteTokenizer(const fs::path& dir) {
  test::writeTinyTokenizer(dir);
  return tokenizer::Tokenizer::fromDirectory(dir);
}

// The same with merges a+b -> "ab" (259) and ab+c -> "abc" (260), and optionally an NFC
// normalizer, so that one token can span bytes on both sides of a range boundary.
tokenizer::Tokenizer mergingTokenizer(const fs::path& dir, bool nfc = false) {
  test::writeTinyTokenizer(dir);
  json spec = json::parse(readFile(dir / "tokenizer.json"));
  spec["model"]["vocab"]["ab"] = 259;
  spec["model"]["vocab"]["abc"] = 260;
  spec["model"]["merges"] = {"a b", "ab c"};
  if (nfc) spec["normalizer"] = {{"type", "NFC"}};
  return tokenizer::Tokenizer::fromJsonText(spec.dump());
}

std::string record(const std::string& content, const std::string& lossMask = "") {
  return R"({"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":")" +
         content + "\"" + (lossMask.empty() ? "" : R"(,"loss_mask":)" + lossMask) + "}]}";
}

// The response's trained flags (the tokens after the prompt), as a string of 0s and 1s.
std::string responseFlags(const train::SftExample& example, std::size_t promptTokens) {
  std::string flags;
  for (std::size_t t = promptTokens; t < example.isResponse.size(); ++t) {
    flags += example.isResponse[t] ? '1' : '0';
  }
  return flags;
}

}  // namespace

class SftLossMaskTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void sftData_tokensInsideLossMaskGetNoLoss() {
    auto tokenizer = byteTokenizer(test::freshTempDir("mask-bytes"));
    const std::size_t prompt =
        tokenizer.encode("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n").size();
    // "ab\n\ncd\n\nef": bytes 4-5 ("cd") and 8 ("e") masked; <|im_end|> stays trained.
    auto masked = train::tokenizeSftRecord(record(R"(ab\n\ncd\n\nef)", "[[4,6],[8,9]]"), tokenizer,
                                           "x.jsonl", 1);
    QCOMPARE(responseFlags(masked, prompt), std::string("11110011011"));
    auto whole = train::tokenizeSftRecord(record(R"(ab\n\ncd\n\nef)"), tokenizer, "x.jsonl", 2);
    QCOMPARE(responseFlags(whole, prompt), std::string("11111111111"));
    QCOMPARE(masked.ids, whole.ids);  // masking changes no token
  }
  void packing_givesMaskedTokensNoTarget() {
    auto tokenizer = byteTokenizer(test::freshTempDir("mask-pack"));
    auto masked = train::tokenizeSftRecord(record(R"(ab\n\ncd\n\nef)", "[[4,6],[8,9]]"), tokenizer,
                                           "x.jsonl", 1);
    auto whole = train::tokenizeSftRecord(record(R"(ab\n\ncd\n\nef)"), tokenizer, "x.jsonl", 2);
    auto maskedBatch = train::packExamples({masked}, {0}, {.rowLength = 64})[0];
    auto wholeBatch = train::packExamples({whole}, {0}, {.rowLength = 64})[0];
    QCOMPARE(wholeBatch.trainedTokens, std::int64_t(11));  // 10 bytes + <|im_end|>
    QCOMPARE(maskedBatch.trainedTokens, std::int64_t(8));
    // Position t predicts token t + 1: the targets of "c", "d" and "e" are ignored.
    const std::size_t first = masked.ids.size() - 11;  // the response's first token
    for (std::size_t t = 0; t + 1 < masked.ids.size(); ++t) {
      const std::size_t predicted = t + 1;
      const bool ignored = predicted == first + 4 || predicted == first + 5 ||
                           predicted == first + 8 || predicted < first;
      QCOMPARE(maskedBatch.targetIds[t],
               ignored ? train::kIgnoreTarget : std::int32_t(masked.ids[predicted]));
    }
  }
  void tokenizeResponse_masksTokenStraddlingARangeBoundary() {
    auto tokenizer = mergingTokenizer(test::freshTempDir("mask-straddle"));
    // "abcd" is "abc" + "d"; masking "bc" masks "abc" (it holds "b") but not "d".
    auto response = train::tokenizeResponse(tokenizer, "abcd", {{.begin = 1, .end = 3}});
    QCOMPARE(response.ids, (std::vector<std::int32_t>{260, 'd'}));
    QCOMPARE(response.trained, (std::vector<std::uint8_t>{0, 1}));
    // A range that ends where "abc" ends leaves "d" trained; one on "d" alone leaves "abc".
    QCOMPARE(train::tokenizeResponse(tokenizer, "abcd", {{.begin = 3, .end = 4}}).trained,
             (std::vector<std::uint8_t>{1, 0}));
  }
  void tokenizeResponse_tokenizesPiecewiseWhenNormalizerRewritesText() {
    auto tokenizer = mergingTokenizer(test::freshTempDir("mask-nfc"), true);
    // "xe" + U+0301 becomes "x" + U+00E9 under NFC, so token bytes do not spell the content:
    // the masked "x" and the rest are tokenized apart.
    const std::string content = "xe\xcc\x81y";
    auto response = train::tokenizeResponse(tokenizer, content, {{.begin = 0, .end = 1}});
    QCOMPARE(response.ids, (std::vector<std::int32_t>{'x', 0xc3, 0xa9, 'y'}));
    QCOMPARE(response.trained, (std::vector<std::uint8_t>{0, 1, 1, 1}));
  }
  void sftData_malformedLossMaskNamesFileLineAndField() {
    auto dir = test::freshTempDir("mask-bad");
    auto tokenizer = byteTokenizer(dir);
    std::ofstream(dir / "bad.jsonl") << record("abcd", "[[0,2]]") << "\n"
                                     << record("abcd", "[[1,2],[0,1]]") << "\n"
                                     << record("abcd") << "\n";
    try {
      train::loadSftJsonl(dir / "bad.jsonl", tokenizer, {}, nullptr);
      QFAIL("no error");
    } catch (const ParseError& error) {
      QCOMPARE(QString::fromStdString(error.file()),
               QString::fromStdString((dir / "bad.jsonl").string()));
      QCOMPARE(error.line(), std::int64_t(2));
      QCOMPARE(QString::fromStdString(error.field()), QString("messages[1].loss_mask[1]"));
    }
    train::SftDataReport report;
    auto examples = train::loadSftJsonl(dir / "bad.jsonl", tokenizer, {.skipBad = true}, &report);
    QCOMPARE(int(examples.size()), 2);
    QCOMPARE(report.skippedBad, std::int64_t(1));
    QCOMPARE(report.responseTokens, std::int64_t(3 + 5));  // "cd" + eot, then "abcd" + eot
  }
  void sftData_lossMaskOutsideTheAssistantMessageIsAnError() {
    auto tokenizer = byteTokenizer(test::freshTempDir("mask-prompt-form"));
    try {
      train::tokenizeSftRecord(R"({"prompt":"a","response":"bc","loss_mask":[[0,1]]})", tokenizer,
                               "x.jsonl", 3);
      QFAIL("no error");
    } catch (const ParseError& error) {
      QCOMPARE(error.line(), std::int64_t(3));
      QCOMPARE(QString::fromStdString(error.field()), QString("loss_mask"));
    }
  }
};

QTEST_GUILESS_MAIN(SftLossMaskTest)
#include "sft_loss_mask_test.moc"
