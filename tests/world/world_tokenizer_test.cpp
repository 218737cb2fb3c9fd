// The world's tokenizer.json through the project's own tokenizer: every generated question and
// solution encodes and decodes back to the same text, and the chat specials are single tokens.
#include <QtTest>

#include "core/tokenizer/tokenizer.h"
#include "core/world/countdown_generator.h"

namespace {

const std::filesystem::path kWorldDir = std::filesystem::path(ASTRO_SOURCE_DIR) / "resources/world";

}  // namespace

class WorldTokenizerTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void tokenizer_loadsWithChatMLSpecials() {
    auto tokenizer = astro::tokenizer::Tokenizer::fromDirectory(kWorldDir);
    QCOMPARE(tokenizer.vocabSize(), 355);
    QCOMPARE(tokenizer.eosId(), std::optional<std::int32_t>(354));
    QCOMPARE(tokenizer.bosId(), std::optional<std::int32_t>(352));
    QCOMPARE(tokenizer.chatFormat(), astro::tokenizer::ChatFormat::ChatML);
    auto ids = tokenizer.encode("<|im_start|>user\nhi<|im_end|>");
    QCOMPARE(ids.front(), 353);
    QCOMPARE(ids.back(), 354);
  }
  void tokenizer_roundTripsEveryGeneratedText() {
    auto tokenizer = astro::tokenizer::Tokenizer::fromDirectory(kWorldDir);
    std::size_t solutionTokens = 0;
    std::size_t solutionChars = 0;
    for (bool fractions : {false, true}) {
      for (int count : {3, 4, 5}) {
        astro::world::GeneratorOptions options;
        options.numberCount = count;
        options.rules.allowNonInteger = fractions;
        options.rules.allowNegative = fractions;
        for (const auto& problem : astro::world::generateDataset(count, 40, 0, options).train) {
          for (const std::string& text : {renderQuestion(problem.puzzle), problem.solution}) {
            auto ids = tokenizer.encode(text);
            QCOMPARE(tokenizer.decode(ids), text);
          }
          solutionTokens += tokenizer.encode(problem.solution).size();
          solutionChars += problem.solution.size();
        }
      }
    }
    // Merges keep solutions short: measured 0.62 tokens per character.
    qInfo("solution tokens per character: %.3f", double(solutionTokens) / solutionChars);
    QVERIFY(solutionTokens * 10 < solutionChars * 7);
  }
  void tokenizer_keepsDigitsAsSingleTokens() {
    auto tokenizer = astro::tokenizer::Tokenizer::fromDirectory(kWorldDir);
    auto ids = tokenizer.encode("128");
    QCOMPARE(ids.size(), std::size_t(3));
    QCOMPARE(tokenizer.encode("Step").size(), std::size_t(1));
    QCOMPARE(tokenizer.encode(" Remaining").size(), std::size_t(1));
  }
};

QTEST_APPLESS_MAIN(WorldTokenizerTest)
#include "world_tokenizer_test.moc"
