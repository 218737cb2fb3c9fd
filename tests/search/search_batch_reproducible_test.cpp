// Batched search with the real engine is reproducible: LanguageModelPolicy seeds every row from
// its own state's seed, so a tree depends on its problem and the search seed only, never on how
// many trees shared its rounds (trees_per_batch) or which problems they were.
#include <QtTest>
#include <cmath>

#include "core/math/math_verifier.h"
#include "core/model/language_model.h"
#include "core/model/model_config.h"
#include "core/model/runtime.h"
#include "core/search/mcts.h"
#include "core/search/policy_language_model.h"
#include "core/tokenizer/tokenizer.h"
#include "tests/search/tree_equivalence.h"

using namespace astro::search;

namespace {

std::vector<astro::math::Problem> problems(int count) {
  std::vector<astro::math::Problem> result;
  for (int i = 0; i < count; ++i) {
    result.push_back({.id = "p" + std::to_string(i),
                      .question = "Using " + std::to_string(3 + i) + ", 5, 7 and 8, reach " +
                                  std::to_string(20 + i) + ".",
                      .answer = std::to_string(20 + i)});
  }
  return result;
}

}  // namespace

class SearchBatchReproducibleTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void sameSeed_sameTreesWhateverTreesPerBatch() {
    astro::model::initTorchRuntime(1);
    const std::filesystem::path world = ASTRO_SOURCE_DIR "/resources/world";
    const auto tokenizer = astro::tokenizer::Tokenizer::fromDirectory(world);
    const auto config = astro::model::readModelConfig(world / "models/tiny.json");
    const astro::math::MathVerifier verifier;
    const auto searched = problems(8);
    MctsOptions options{.iterations = 6, .maxDepth = 4, .maxStepTokens = 12, .seed = 11};

    // A fresh engine per search, so no search finds another's keys and values in the prefix store.
    auto search = [&](int treesPerBatch, std::span<const astro::math::Problem> subset) {
      const auto model = astro::model::LanguageModel::randomInit(config, 1);
      LanguageModelPolicy policy(model, tokenizer);
      options.treesPerBatch = treesPerBatch;
      return searchBatch(subset, policy, verifier, options).trees;
    };
    const auto alone = search(1, searched);
    int nodes = 0;
    for (const auto& tree : alone) nodes += tree->size();
    QVERIFY2(nodes > 8 * 6, qPrintable(QString::number(nodes)));  // trees grew
    for (int treesPerBatch : {4, 8}) {
      const auto batched = search(treesPerBatch, searched);
      for (std::size_t i = 0; i < searched.size(); ++i) {
        QString why;
        QVERIFY2(
            astro::test::sameTreeUpToPriors(*batched[i], *alone[i], why),
            qPrintable(
                QString("trees_per_batch %1, problem %2: %3").arg(treesPerBatch).arg(i).arg(why)));
      }
    }
    // A rank given only the odd problems grows the same trees for them.
    std::vector<astro::math::Problem> slice;
    for (std::size_t i = 1; i < searched.size(); i += 2) slice.push_back(searched[i]);
    const auto sliced = search(4, slice);
    for (std::size_t i = 0; i < slice.size(); ++i) {
      QString why;
      QVERIFY2(astro::test::sameTreeUpToPriors(*sliced[i], *alone[2 * i + 1], why),
               qPrintable(why));
    }
    // Another seed grows other trees.
    options.seed = 12;
    const auto reseeded = search(4, std::span(searched).first(2));
    QString why;
    QVERIFY(!astro::test::sameTreeUpToPriors(*reseeded[0], *alone[0], why) ||
            !astro::test::sameTreeUpToPriors(*reseeded[1], *alone[1], why));
  }
};

QTEST_GUILESS_MAIN(SearchBatchReproducibleTest)
#include "search_batch_reproducible_test.moc"
