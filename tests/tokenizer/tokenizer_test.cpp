// Tokenizer behaviour on the tiny fixture: special and added tokens, merges, BOS never added,
// lossless decoding of any bytes, the merge-list and ignore_merges variants, NFC.
#include <QtTest>
#include <atomic>
#include <random>
#include <thread>

#include "core/base/error.h"
#include "tests/tokenizer/tiny_fixture.h"

using astro::tokenizer::Tokenizer;
using Ids = std::vector<std::int32_t>;

class TokenizerTest : public QObject {
  Q_OBJECT
 private:
  std::optional<Tokenizer> tiny_;
  const Tokenizer& tiny() const { return *tiny_; }
  std::int32_t id(std::string_view text) const {
    auto found = tiny().tokenId(text);
    if (!found) qFatal("fixture lacks token %s", std::string(text).c_str());
    return *found;
  }

 private Q_SLOTS:
  void initTestCase() { tiny_ = Tokenizer::fromDirectory(astro::test::tinyTokenizerDir()); }

  void fixture_readsVocabularyAndConfigTokens() {
    QCOMPARE(tiny().vocabSize(), 564);  // 256 bytes + 300 merges + 8 added tokens
    QCOMPARE(tiny().bosId(), std::optional<std::int32_t>(556));
    QCOMPARE(tiny().eosId(), std::optional<std::int32_t>(557));
    QCOMPARE(tiny().padId(), std::nullopt);
    QCOMPARE(tiny().chatFormat(), astro::tokenizer::ChatFormat::Llama3);
  }
  void stopIds_areEosThenEndOfTurnTokens() {
    QCOMPARE(tiny().stopIds(), (Ids{557, id("<|eot_id|>")}));
  }
  void tokenText_andTokenId_roundTrip() {
    QCOMPARE(tiny().tokenText(id("Ġthe")), std::string("Ġthe"));
    QCOMPARE(tiny().tokenText(560), std::string("<|eot_id|>"));
    QCOMPARE(tiny().tokenId("no such token"), std::nullopt);
    QVERIFY_THROWS_EXCEPTION(astro::Error, tiny().tokenText(564));
  }
  void encode_appliesMergesToWholeWords() {
    QCOMPARE(tiny().encode(" the answer"), (Ids{id("Ġthe"), id("Ġanswer")}));
    QCOMPARE(tiny().encode("The"), (Ids{id("The")}));
  }
  void encode_splitsDigitsInGroupsOfThree() {
    QCOMPARE(tiny().encode("12345"), (Ids{id("1"), id("2"), id("3"), id("4"), id("5")}));
    QCOMPARE(tiny().decode(tiny().encode("12345")), std::string("12345"));
  }
  void encode_neverAddsBos() {
    Ids ids = tiny().encode("The answer");
    QVERIFY(!ids.empty());
    QVERIFY(ids.front() != *tiny().bosId());
    QCOMPARE(tiny().encode(""), Ids{});
  }
  void encode_matchesSpecialTokensWrittenInText() {
    Ids ids = tiny().encode("<|begin_of_text|>The<|eot_id|>");
    QCOMPARE(ids, (Ids{556, id("The"), 560}));
  }
  void encode_matchesNonSpecialAddedTokens() {
    QCOMPARE(tiny().encode("<think>The</think>"), (Ids{562, id("The"), 563}));
    QVERIFY(!tiny().isSpecial(562));
    QVERIFY(tiny().isSpecial(556));
  }
  void encode_lstripTokenSwallowsWhitespaceBefore() {
    // <mask> has lstrip: the spaces before it belong to the token, not to the text.
    QCOMPARE(tiny().encode("The  <mask>"), (Ids{id("The"), 561}));
    QCOMPARE(tiny().decode(Ids{id("The"), 561}), std::string("The<mask>"));
  }
  void encode_partialSpecialTokenIsPlainText() {
    Ids ids = tiny().encode("<|eot_id");
    QVERIFY(std::find(ids.begin(), ids.end(), 560) == ids.end());
    QCOMPARE(tiny().decode(ids), std::string("<|eot_id"));
  }
  void decode_skipsSpecialTokensWhenAsked() {
    Ids ids = tiny().encode("<|begin_of_text|>The<think><|eot_id|>");
    QCOMPARE(tiny().decode(ids, true), std::string("The<think>"));
    QCOMPARE(tiny().decode(ids, false), std::string("<|begin_of_text|>The<think><|eot_id|>"));
  }
  void decode_rejectsIdOutsideVocabulary() {
    Ids ids{5, 9999};
    QVERIFY_THROWS_EXCEPTION(astro::Error, tiny().decode(ids));
    Ids negative{-1};
    QVERIFY_THROWS_EXCEPTION(astro::Error, tiny().decode(negative));
  }
  void decode_isLosslessOnRandomBytes() {
    std::mt19937 random(417);
    for (int round = 0; round < 2000; ++round) {
      std::string text(random() % 64, '\0');
      for (auto& c : text) c = char(random() % 256);
      QCOMPARE(tiny().decode(tiny().encode(text)), text);
    }
  }
  void decode_isLosslessOnUnicodeAndWhitespace() {
    for (std::string text : {"caf\xC3\xA9 na\xC3\xAFve \xE2\x88\x9A"
                             "2",
                             "\xF0\x9F\xA4\x96 ok", "tabs\tand\r\nCRLF\n\n\n", "   ", "\xC3",
                             "a\xFF\xFE"
                             "b"}) {
      QCOMPARE(tiny().decode(tiny().encode(text)), text);
    }
  }
  void encode_longWhitespaceRunRoundTrips() {
    std::string text = std::string(200000, ' ') + "x" + std::string(100000, '\n');
    QCOMPARE(tiny().decode(tiny().encode(text)), text);
  }
  void merges_asPairArraysEncodeLikeStrings() {
    auto json = astro::test::tinyTokenizerJson();
    for (auto& merge : json["model"]["merges"]) {
      auto text = merge.get<std::string>();
      auto space = text.find(' ');
      merge = nlohmann::json::array({text.substr(0, space), text.substr(space + 1)});
    }
    auto pairs = astro::test::tokenizerFromJson(json);
    for (const char* text : {"The answer is \\boxed{7}.", " the triangle's angles", "<mask>x"}) {
      QCOMPARE(pairs.encode(text), tiny().encode(text));
    }
  }
  void ignoreMerges_emitsWordInVocabularyAsOneToken() {
    // "Ġzebra" is in the vocabulary, but no merges build it.
    auto json = astro::test::tinyTokenizerJson();
    json["model"]["vocab"]["Ġzebra"] = 600;
    QVERIFY(astro::test::tokenizerFromJson(json).encode(" zebra").size() > 1);
    json["model"]["ignore_merges"] = true;
    auto ignoring = astro::test::tokenizerFromJson(json);
    QCOMPARE(ignoring.encode(" zebra"), Ids{600});
    QCOMPARE(ignoring.vocabSize(), 601);
    QCOMPARE(ignoring.decode(Ids{600}), std::string(" zebra"));
  }
  void nfcNormalizer_composesBeforeMerging() {
    auto json = astro::test::tinyTokenizerJson();
    json["normalizer"] = {{"type", "NFC"}};
    auto nfc = astro::test::tokenizerFromJson(json);
    std::string decomposed = "e\xCC\x81";  // e + COMBINING ACUTE ACCENT
    std::string composed = "\xC3\xA9";     // U+00E9
    QCOMPARE(nfc.encode(decomposed), nfc.encode(composed));
    QCOMPARE(nfc.decode(nfc.encode(decomposed)), composed);
    QCOMPARE(nfc.decode(nfc.encode("a\xFF"
                                   "e\xCC\x81")),
             std::string("a\xFF\xC3\xA9"));
  }
  void byteLevelAddPrefixSpace_prependsSpace() {
    auto json = astro::test::tinyTokenizerJson();
    json["pre_tokenizer"] = {
        {"type", "ByteLevel"}, {"add_prefix_space", true}, {"use_regex", true}};
    auto prefixed = astro::test::tokenizerFromJson(json);
    QCOMPARE(prefixed.encode("the"), Ids{id("Ġthe")});
  }
  void splitRemoved_dropsTheDelimiters() {
    auto json = astro::test::tinyTokenizerJson();
    json["pre_tokenizer"] = {
        {"type", "Sequence"},
        {"pretokenizers",
         {{{"type", "Split"}, {"pattern", {{"String", "-"}}}, {"behavior", "Removed"}},
          {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", false}}}}};
    auto removed = astro::test::tokenizerFromJson(json);
    QCOMPARE(removed.decode(removed.encode("The-answer--The")), std::string("TheanswerThe"));
  }
  void encode_givesSameIdsFromConcurrentThreads() {
    std::vector<std::string> texts;
    for (int i = 0; i < 200; ++i) {
      texts.push_back("The answer " + std::to_string(i * 7919) + " is the sum of parts " +
                      std::string(std::size_t(i % 5), ' ') + "<|eot_id|>");
    }
    std::vector<Ids> expected;
    for (const auto& text : texts) expected.push_back(tiny().encode(text));
    std::atomic<int> mismatches = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, copy = tiny()] {
        for (int round = 0; round < 20; ++round) {
          for (std::size_t i = 0; i < texts.size(); ++i) {
            if (copy.encode(texts[i]) != expected[i]) ++mismatches;
          }
        }
      });
    }
    for (auto& thread : threads) thread.join();
    QCOMPARE(mismatches.load(), 0);
  }
  void copies_shareOneTokenizer() {
    Tokenizer copy = tiny();
    QCOMPARE(copy.encode("The answer"), tiny().encode("The answer"));
  }
};

QTEST_APPLESS_MAIN(TokenizerTest)
#include "tokenizer_test.moc"
