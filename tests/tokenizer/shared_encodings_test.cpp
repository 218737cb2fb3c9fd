// The real Llama 3 and Qwen3 tokenizers against the reference encodings in ../shared/data
// (tokenizers/encodings.jsonl: 413 texts encoded by the reference implementation, no BOS):
// every id must match. Skips with a message when the shared data is absent.
#include <QtTest>
#include <fstream>
#include <map>

#include "core/tokenizer/chat_format.h"
#include "tests/support/test_support.h"
#include "tests/tokenizer/tiny_fixture.h"

using astro::tokenizer::ChatFormat;
using astro::tokenizer::Tokenizer;
using Ids = std::vector<std::int32_t>;

class SharedEncodingsTest : public QObject {
  Q_OBJECT
 private:
  // Loading a real tokenizer takes about a second; each is loaded once for the whole suite.
  std::map<std::filesystem::path, Tokenizer> loaded_;
  const Tokenizer& load(const std::filesystem::path& tokenizerJson) {
    auto found = loaded_.find(tokenizerJson);
    if (found == loaded_.end()) {
      found = loaded_.emplace(tokenizerJson, Tokenizer::fromFile(tokenizerJson)).first;
    }
    return found->second;
  }

  // Compares every reference encoding under `field` with ours; reports the first mismatches.
  void compareAll(const Tokenizer& tokenizer, const std::filesystem::path& encodings,
                  const char* field) {
    std::ifstream in(encodings);
    std::string line;
    int lineNumber = 0;
    int mismatches = 0;
    QString firstMismatch;
    while (std::getline(in, line)) {
      ++lineNumber;
      auto record = nlohmann::json::parse(line);
      auto text = record.at("text").get<std::string>();
      auto expected = record.at(field).get<Ids>();
      auto actual = tokenizer.encode(text);
      if (actual != expected && mismatches++ == 0) {
        firstMismatch = QString("line %1: %2 -> ours %3, reference %4")
                            .arg(lineNumber)
                            .arg(QString::fromStdString(nlohmann::json(text).dump()).left(120))
                            .arg(QString::fromStdString(nlohmann::json(actual).dump()).left(200))
                            .arg(QString::fromStdString(nlohmann::json(expected).dump()).left(200));
      }
      QCOMPARE(tokenizer.decode(actual), text);
    }
    QCOMPARE(lineNumber, 413);
    QVERIFY2(mismatches == 0,
             qPrintable(QString("%1 of 413 differ; first: %2").arg(mismatches).arg(firstMismatch)));
  }

 private Q_SLOTS:
  void llama3_reproducesReferenceEncodings() {
    ASTRO_REQUIRE_SHARED_FILE(encodings, "tokenizers/encodings.jsonl");
    ASTRO_REQUIRE_SHARED_FILE(json, "tokenizers/llama3/tokenizer.json");
    compareAll(load(json), encodings, "llama3");
  }
  void qwen3_reproducesReferenceEncodings() {
    ASTRO_REQUIRE_SHARED_FILE(encodings, "tokenizers/encodings.jsonl");
    ASTRO_REQUIRE_SHARED_FILE(json, "tokenizers/qwen3/tokenizer.json");
    compareAll(load(json), encodings, "qwen3");
  }
  void llama3_specialTokensAndChatFormat() {
    ASTRO_REQUIRE_SHARED_FILE(json, "tokenizers/llama3/tokenizer.json");
    const Tokenizer& llama = load(json);
    QCOMPARE(llama.vocabSize(), 128256);
    QCOMPARE(llama.bosId(), std::optional<std::int32_t>(128000));
    QCOMPARE(llama.eosId(), std::optional<std::int32_t>(128001));
    QCOMPARE(llama.padId(), std::nullopt);
    QCOMPARE(llama.stopIds(), (Ids{128001, 128009}));
    QCOMPARE(llama.chatFormat(), ChatFormat::Llama3);
    std::vector<astro::tokenizer::ChatMessage> messages = {{"user", "What is 2+2?"}};
    auto ids = llama.encode(renderChat(llama.chatFormat(), messages, true));
    QCOMPARE(ids, (Ids{128000, 128006, 882, 128007, 271, 3923, 374, 220, 17, 10, 17, 30, 128009,
                       128006, 78191, 128007, 271}));
  }
  void qwen3_specialTokensAndChatFormat() {
    ASTRO_REQUIRE_SHARED_FILE(json, "tokenizers/qwen3/tokenizer.json");
    const Tokenizer& qwen = load(json);
    QCOMPARE(qwen.vocabSize(), 151669);
    QCOMPARE(qwen.bosId(), std::nullopt);
    QCOMPARE(qwen.eosId(), std::optional<std::int32_t>(151645));
    QCOMPARE(qwen.padId(), std::optional<std::int32_t>(151643));
    QCOMPARE(qwen.stopIds(), (Ids{151645, 151643}));
    QCOMPARE(qwen.chatFormat(), ChatFormat::ChatML);
    std::vector<astro::tokenizer::ChatMessage> messages = {{"user", "Hi"}};
    QCOMPARE(qwen.encode(renderChat(qwen.chatFormat(), messages, true)),
             (Ids{151644, 872, 198, 13048, 151645, 198, 151644, 77091, 198}));
    QCOMPARE(qwen.decode(Ids{151644, 872, 198, 13048, 151645}, true), std::string("user\nHi"));
  }
};

QTEST_APPLESS_MAIN(SharedEncodingsTest)
#include "shared_encodings_test.moc"
