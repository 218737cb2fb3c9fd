// Generated world data read back through core/math's dataset loader: the loader keeps only the
// generic fields, and the countdown verifier still grades every reference solution correct.
#include <QtTest>

#include "core/math/dataset_loader.h"
#include "core/world/countdown_generator.h"
#include "core/world/countdown_verifier.h"
#include "tests/support/test_support.h"

class WorldDatasetLoaderTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void loadDataset_generatedJsonl_gradesEverySolutionCorrect() {
    auto dir = astro::test::freshTempDir("world-loader");
    astro::world::GeneratorOptions options;
    auto dataset = astro::world::generateDataset(21, 50, 10, options);
    astro::world::writeDataset(dir, dataset, 21, options);
    auto loaded = astro::math::loadDataset(dir / "train.jsonl");
    QCOMPARE(loaded.problems.size(), std::size_t(50));
    QCOMPARE(loaded.format, astro::math::DatasetFormat::kGeneric);
    astro::world::CountdownVerifier verifier;
    for (std::size_t i = 0; i < loaded.problems.size(); ++i) {
      const auto& problem = loaded.problems[i];
      QCOMPARE(problem.id, dataset.train[i].id);
      QCOMPARE(problem.answer, std::to_string(dataset.train[i].puzzle.target));
      auto verdict = verifier.grade(problem, problem.solution);
      QVERIFY2(verdict.correct, verdict.rule.c_str());
    }
  }
};

QTEST_GUILESS_MAIN(WorldDatasetLoaderTest)
#include "world_dataset_loader_test.moc"
