// Phrase sets: the built-in default equals the shipped resource file, keeps ASTRO's reflection
// verbatim, records an id and a content hash, and rejects malformed sets with named fields.
#include "core/search/phrase_set.h"

#include <QtTest>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/base/sha256.h"
#include "tests/search/search_fixtures.h"
#include "tests/support/test_support.h"

using namespace astro::search;
using nlohmann::json;

namespace {

const std::filesystem::path kDefaultFile =
    std::filesystem::path(ASTRO_SOURCE_DIR) / "resources/phrases/astro_default.json";

QString loadError(const json& document) {
  try {
    phraseSetFromJson(document, "phrases.json");
  } catch (const astro::Error& error) {
    return QString::fromStdString(error.what());
  }
  return "(no error)";
}

json defaultDocument() { return json::parse(astro::readFile(kDefaultFile)); }

}  // namespace

class PhraseSetTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void builtInDefault_equalsTheResourceFile() {
    const PhraseSet fromFile = loadPhraseSet(kDefaultFile);
    QCOMPARE(fromFile.toJson().dump(), defaultPhraseSet().toJson().dump());
  }
  void default_keepsAstrosReflectionVerbatim() {
    QCOMPARE(defaultPhraseSet().reflections.front(),
             std::string("But wait, are we solving the problem correctly so far? Hmm..."));
  }
  void contentHash_isSha256OfCanonicalContentWithoutId() {
    PhraseSet renamed = defaultPhraseSet();
    renamed.id = "another-name";
    QCOMPARE(renamed.contentHash(), defaultPhraseSet().contentHash());
    PhraseSet edited = defaultPhraseSet();
    edited.restarts.push_back("Once more from the top.");
    QVERIFY(edited.contentHash() != defaultPhraseSet().contentHash());
    nlohmann::ordered_json content = defaultPhraseSet().toJson();
    content.erase("id");
    content.erase("sha256");
    QCOMPARE(defaultPhraseSet().contentHash(), astro::sha256Hex(content.dump()));
  }
  void toJson_recordsIdHashAndContentInOrder() {
    const auto document = defaultPhraseSet().toJson();
    std::vector<std::string> keys;
    for (auto& [key, value] : document.items()) keys.push_back(key);
    QCOMPARE(keys, (std::vector<std::string>{"id", "sha256", "reflections", "backtracks",
                                             "restarts", "answer_checks", "final_answers"}));
    QCOMPARE(document["sha256"].get<std::string>(), defaultPhraseSet().contentHash());
  }
  void recordedJson_loadsBackToTheSameSet() {
    const json recorded = json::parse(astro::search::test::singlePhraseSet().toJson().dump());
    const PhraseSet back = phraseSetFromJson(recorded, "run.json");
    QCOMPARE(back.toJson().dump(), astro::search::test::singlePhraseSet().toJson().dump());
  }
  void backtrackWithoutStepPlaceholder_isRejected() {
    json document = defaultDocument();
    document["backtracks"][1] = "Let's go back.";
    QCOMPARE(loadError(document),
             QString("phrases.json: backtracks[1]: has 0 {step} placeholders, expected 1"));
  }
  void restartWithPlaceholder_isRejected() {
    json document = defaultDocument();
    document["restarts"][0] = "Back to {step}.";
    QCOMPARE(loadError(document),
             QString("phrases.json: restarts[0]: has 1 {step} placeholders, expected 0"));
  }
  void phraseWithBlankLine_isRejected() {
    json document = defaultDocument();
    document["reflections"][0] = "Hmm.\n\nWait.";
    QCOMPARE(loadError(document),
             QString("phrases.json: reflections[0]: contains a blank line, which separates steps"));
  }
  void finalAnswerOutsideBoxed_isRejected() {
    json document = defaultDocument();
    document["final_answers"][0] = "The answer is {answer}.";
    QCOMPARE(loadError(document),
             QString("phrases.json: final_answers[0]: must hold the answer as \\boxed{{answer}}"));
  }
  void emptyList_andMissingKey_areRejected() {
    json document = defaultDocument();
    document["answer_checks"] = json::array();
    QCOMPARE(loadError(document),
             QString("phrases.json: answer_checks: needs at least one phrase"));
    document = defaultDocument();
    document.erase("restarts");
    QCOMPARE(loadError(document), QString("phrases.json: restarts: missing"));
  }
  void wrongHash_isRejected() {
    json document = defaultDocument();
    document["sha256"] = "00";
    QVERIFY(loadError(document).startsWith("phrases.json: sha256: does not match the phrases"));
  }
  void fillTemplate_replacesThePlaceholder() {
    QCOMPARE(fillTemplate("back to \"{step}\" now", kStepPlaceholder, "x = 1"),
             std::string("back to \"x = 1\" now"));
  }
};

QTEST_GUILESS_MAIN(PhraseSetTest)
#include "phrase_set_test.moc"
