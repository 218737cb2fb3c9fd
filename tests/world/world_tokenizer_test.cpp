// The world's tokenizer.json through the project's own tokenizer: every generated question and
// solution encodes and decodes back to the same text, the chat specials are single tokens, and
// every number of up to three digits is one token (as in Llama 3's vocabulary).
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
    QCOMPARE(tokenizer.vocabSize(), 1400);  // 256 bytes, 96 merges, 3 specials, 1,000 numbers, 9
                                            // for the chat words, 36 for the phrase words
    QCOMPARE(tokenizer.eosId(), std::optional<std::int32_t>(354));
    QCOMPARE(tokenizer.bosId(), std::optional<std::int32_t>(352));
    QCOMPARE(tokenizer.chatFormat(), astro::tokenizer::ChatFormat::ChatML);
    auto ids = tokenizer.encode("<|im_start|>user\nhi<|im_end|>");
    QCOMPARE(ids.front(), 353);
    QCOMPARE(ids.back(), 354);
    // The ChatML role words are one token each: every training example carries both.
    QCOMPARE(tokenizer.encode("user").size(), std::size_t(1));
    QCOMPARE(tokenizer.encode("assistant").size(), std::size_t(1));
  }
  void tokenizer_spellsEachWordOfTheCountdownPhrasesAsOneToken() {
    // countdown-compact-v1's words, as a pretrained LLM's vocabulary has them: "Wait, is this
    // right? Yes, it is right." is 12 tokens, not 36 letters and marks.
    auto tokenizer = astro::tokenizer::Tokenizer::fromDirectory(kWorldDir);
    for (const char* word : {"Wait", " is", " this", " right", " Yes", " it", " No", " Back", " to",
                             " Start", " over", " So", " the", " answer"}) {
      QVERIFY2(tokenizer.encode(word).size() == 1, word);
    }
    QCOMPARE(tokenizer.encode("Wait, is this right? Yes, it is right.").size(), std::size_t(12));
    QCOMPARE(tokenizer.encode("Wait, is this right? No. Start over.").size(), std::size_t(11));
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
    // Merges and number tokens keep solutions short: measured 0.571 tokens per character (0.62
    // with numbers spelt digit by digit).
    qInfo("solution tokens per character: %.3f", double(solutionTokens) / solutionChars);
    QVERIFY(solutionTokens * 100 < solutionChars * 60);
  }
  void tokenizer_spellsEachNumberOfUpToThreeDigitsAsOneToken() {
    auto tokenizer = astro::tokenizer::Tokenizer::fromDirectory(kWorldDir);
    for (int n = 0; n < 1000; ++n) {
      auto ids = tokenizer.encode(std::to_string(n));
      QVERIFY2(ids.size() == 1, std::to_string(n).c_str());
      QCOMPARE(tokenizer.decode(ids), std::to_string(n));
    }
    QVERIFY(tokenizer.encode("12") != tokenizer.encode("21"));
    // Longer numbers split into chunks of three digits from the left (Llama 3's \p{N}{1,3}).
    QCOMPARE(tokenizer.encode("1000"),
             (std::vector<std::int32_t>{tokenizer.encode("100")[0], tokenizer.encode("0")[0]}));
    QCOMPARE(tokenizer.encode("Step 12").size(), std::size_t(3));  // "Step", " ", "12"
    QCOMPARE(tokenizer.encode(" Remaining").size(), std::size_t(1));
  }
};

QTEST_APPLESS_MAIN(WorldTokenizerTest)
#include "world_tokenizer_test.moc"
