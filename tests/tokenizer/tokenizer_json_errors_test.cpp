// Malformed or unsupported tokenizer.json and tokenizer_config.json files are refused with an
// astro::Error that names the file and the JSON path at fault.
#include <QtTest>

#include "core/base/error.h"
#include "tests/support/test_support.h"
#include "tests/tokenizer/tiny_fixture.h"

using astro::tokenizer::Tokenizer;
using nlohmann::json;

namespace {

// The message of the astro::Error that loading `text` throws, or "" when it loads.
std::string loadError(const std::string& text, const std::string& config = {}) {
  try {
    Tokenizer::fromJsonText(text, config, "dir/tokenizer.json");
  } catch (const astro::Error& e) {
    return e.what();
  }
  return {};
}

std::string loadJsonError(const json& tokenizerJson) { return loadError(tokenizerJson.dump()); }

}  // namespace

class TokenizerJsonErrorsTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void invalidJson_isNamed() {
    QVERIFY(QString::fromStdString(loadError("{\"model\": "))
                .startsWith("dir/tokenizer.json: invalid JSON: "));
  }
  void missingModel_isNamed() {
    QCOMPARE(loadJsonError(json::object()), std::string("dir/tokenizer.json: model is missing"));
  }
  void unigramModel_isUnsupported() {
    auto tokenizer = astro::test::tinyTokenizerJson();
    tokenizer["model"]["type"] = "Unigram";
    QCOMPARE(loadJsonError(tokenizer),
             std::string("dir/tokenizer.json: model.type 'Unigram' is not supported"));
  }
  void bpeDropout_isUnsupported() {
    auto tokenizer = astro::test::tinyTokenizerJson();
    tokenizer["model"]["dropout"] = 0.1;
    QCOMPARE(loadJsonError(tokenizer),
             std::string("dir/tokenizer.json: model.dropout must be null: "
                         "BPE dropout is not supported"));
  }
  void nfkcNormalizer_isUnsupported() {
    auto tokenizer = astro::test::tinyTokenizerJson();
    tokenizer["normalizer"] = {{"type", "Sequence"}, {"normalizers", {{{"type", "NFKC"}}}}};
    QCOMPARE(loadJsonError(tokenizer),
             std::string("dir/tokenizer.json: normalizer.normalizers[0].type "
                         "'NFKC' is not supported"));
  }
  void metaspacePreTokenizer_isUnsupported() {
    auto tokenizer = astro::test::tinyTokenizerJson();
    tokenizer["pre_tokenizer"]["pretokenizers"][1] = {{"type", "Metaspace"}};
    QCOMPARE(loadJsonError(tokenizer),
             std::string("dir/tokenizer.json: pre_tokenizer.pretokenizers[1].type 'Metaspace' is "
                         "not supported"));
  }
  void preTokenizerWithoutByteLevel_isRefused() {
    auto tokenizer = astro::test::tinyTokenizerJson();
    tokenizer["pre_tokenizer"]["pretokenizers"].erase(1);
    QCOMPARE(loadJsonError(tokenizer),
             std::string("dir/tokenizer.json: pre_tokenizer has no "
                         "ByteLevel step: only byte-level BPE is supported"));
  }
  void badRegex_namesPatternPath() {
    auto tokenizer = astro::test::tinyTokenizerJson();
    tokenizer["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] = "(\\p{L}+";
    QVERIFY(QString::fromStdString(loadJsonError(tokenizer))
                .startsWith("dir/tokenizer.json: pre_tokenizer.pretokenizers[0].pattern: cannot "
                            "compile regex"));
  }
  void unknownSplitBehavior_isUnsupported() {
    auto tokenizer = astro::test::tinyTokenizerJson();
    tokenizer["pre_tokenizer"]["pretokenizers"][0]["behavior"] = "Shuffled";
    QCOMPARE(loadJsonError(tokenizer),
             std::string("dir/tokenizer.json: pre_tokenizer.pretokenizers[0].behavior 'Shuffled' "
                         "is not supported"));
  }
  void mergeOfUnknownToken_namesMergeIndex() {
    auto tokenizer = astro::test::tinyTokenizerJson();
    tokenizer["model"]["merges"][2] = "zz qq";
    QCOMPARE(loadJsonError(tokenizer),
             std::string("dir/tokenizer.json: model.merges[2]: token 'zz' "
                         "is not in model.vocab"));
  }
  void mergeWithoutSpace_namesMergeIndex() {
    auto tokenizer = astro::test::tinyTokenizerJson();
    tokenizer["model"]["merges"][3] = "ab";
    QCOMPARE(loadJsonError(tokenizer),
             std::string("dir/tokenizer.json: model.merges[3] must be two "
                         "tokens separated by one space, got 'ab'"));
  }
  void nonIntegerVocabId_namesEntry() {
    auto tokenizer = astro::test::tinyTokenizerJson();
    tokenizer["model"]["vocab"]["Ġthe"] = "7";
    QCOMPARE(loadJsonError(tokenizer),
             std::string("dir/tokenizer.json: model.vocab[\"Ġthe\"] must be "
                         "an integer token id"));
  }
  void negativeAddedTokenId_namesEntry() {
    auto tokenizer = astro::test::tinyTokenizerJson();
    tokenizer["added_tokens"][0]["id"] = -1;
    QCOMPARE(loadJsonError(tokenizer),
             std::string("dir/tokenizer.json: added_tokens[0].id token id -1 "
                         "is outside 0..4194303"));
  }
  void wordPieceDecoder_isUnsupported() {
    auto tokenizer = astro::test::tinyTokenizerJson();
    tokenizer["decoder"] = {{"type", "WordPiece"}};
    QCOMPARE(loadJsonError(tokenizer),
             std::string("dir/tokenizer.json: decoder.type 'WordPiece' is not supported"));
  }
  void malformedConfig_namesConfigFile() {
    auto text = astro::test::tinyTokenizerJson().dump();
    QVERIFY(QString::fromStdString(loadError(text, "{\"eos_token\": 5}"))
                .startsWith("dir/tokenizer_config.json: eos_token must be a string"));
    QVERIFY(QString::fromStdString(loadError(text, "["))
                .startsWith("dir/tokenizer_config.json: invalid JSON"));
  }
  void missingFile_namesPath() {
    auto dir = astro::test::freshTempDir("tokenizer-missing");
    try {
      Tokenizer::fromDirectory(dir);
      QFAIL("loaded a tokenizer from an empty folder");
    } catch (const astro::Error& e) {
      QVERIFY(
          QString(e.what()).contains(QString::fromStdString((dir / "tokenizer.json").string())));
    }
    QVERIFY_THROWS_EXCEPTION(astro::Error, Tokenizer::fromFile(dir / "nothing.json"));
  }
};

QTEST_APPLESS_MAIN(TokenizerJsonErrorsTest)
#include "tokenizer_json_errors_test.moc"
