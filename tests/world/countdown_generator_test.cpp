// The seeded generator: same seed same bytes, disjoint splits, every puzzle solvable and its
// reference solution accepted by the verifier and, step by step, by the step checker.
#include "core/world/countdown_generator.h"

#include <QtTest>
#include <nlohmann/json.hpp>
#include <set>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/world/countdown_solver.h"
#include "core/world/countdown_verifier.h"
#include "core/world/reference_solution.h"
#include "core/world/step_checker.h"
#include "tests/support/test_support.h"

using astro::world::GeneratorOptions;

class CountdownGeneratorTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void generate_sameSeed_givesByteIdenticalFiles() {
    auto first = astro::test::freshTempDir("world-gen-a");
    auto second = astro::test::freshTempDir("world-gen-b");
    GeneratorOptions options;
    astro::world::writeDataset(first, astro::world::generateDataset(11, 60, 20, options), 11,
                               options);
    astro::world::writeDataset(second, astro::world::generateDataset(11, 60, 20, options), 11,
                               options);
    for (const char* name : {"train.jsonl", "test.jsonl", "manifest.json"}) {
      QCOMPARE(astro::readFile(first / name), astro::readFile(second / name));
    }
    auto keysOf = [&](std::uint64_t seed) {
      std::vector<std::string> keys;
      for (const auto& problem : astro::world::generateDataset(seed, 10, 0, options).train) {
        keys.push_back(astro::world::canonicalKey(problem.puzzle));
      }
      return keys;
    };
    QVERIFY(keysOf(11) != keysOf(12));
  }
  void generate_trainDoesNotDependOnTestCount() {
    GeneratorOptions options;
    auto small = astro::world::generateDataset(3, 40, 0, options);
    auto large = astro::world::generateDataset(3, 40, 50, options);
    for (int i = 0; i < 40; ++i) {
      QCOMPARE(astro::world::problemToJsonLine(small.train[i]),
               astro::world::problemToJsonLine(large.train[i]));
    }
  }
  void generate_testFirst_testIsTheStreamsFirstPuzzlesAndIndependentOfTrainCount() {
    using astro::world::SplitOrder;
    GeneratorOptions options;
    auto first = astro::world::generateDataset(5, 30, 0, options);  // the stream's first 30
    auto small = astro::world::generateDataset(5, 10, 30, options, SplitOrder::kTestFirst);
    auto large = astro::world::generateDataset(5, 80, 30, options, SplitOrder::kTestFirst);
    QCOMPARE(small.test.size(), std::size_t(30));
    QCOMPARE(large.train.size(), std::size_t(80));
    std::set<std::string> testKeys;
    for (int i = 0; i < 30; ++i) {
      QCOMPARE(astro::world::canonicalKey(small.test[i].puzzle),
               astro::world::canonicalKey(first.train[i].puzzle));
      QCOMPARE(astro::world::problemToJsonLine(small.test[i]),
               astro::world::problemToJsonLine(large.test[i]));
      testKeys.insert(astro::world::canonicalKey(large.test[i].puzzle));
    }
    QVERIFY(large.test[0].id.find("-test-00000") != std::string::npos);
    for (const auto& problem : large.train) {
      QVERIFY(!testKeys.contains(astro::world::canonicalKey(problem.puzzle)));
    }
    auto dir = astro::test::freshTempDir("world-gen-test-first");
    astro::world::writeDataset(dir, large, 5, options, SplitOrder::kTestFirst);
    auto manifest = nlohmann::json::parse(astro::readFile(dir / "manifest.json"));
    QCOMPARE(manifest["split_order"].get<std::string>(), std::string("test_first"));
  }
  // Issue #21's held-out rule: puzzles that differ only in the order of their numbers are one
  // puzzle, so the splits are deduplicated by (sorted numbers, target).
  void canonicalKey_ignoresNumberOrder() {
    astro::world::CountdownPuzzle shown{{8, 3, 5}, 18, {}};
    astro::world::CountdownPuzzle reordered{{5, 8, 3}, 18, {}};
    QCOMPARE(astro::world::canonicalKey(shown), std::string("3, 5, 8 -> 18"));
    QCOMPARE(astro::world::canonicalKey(reordered), astro::world::canonicalKey(shown));
    QVERIFY(astro::world::renderQuestion(reordered) != astro::world::renderQuestion(shown));
    reordered.target = 19;
    QVERIFY(astro::world::canonicalKey(reordered) != astro::world::canonicalKey(shown));
  }
  void generate_splitsNeverShareAPuzzle() {
    GeneratorOptions options;
    options.numberCount = 3;  // few distinct puzzles: collisions would show
    auto dataset = astro::world::generateDataset(5, 400, 200, options);
    std::set<std::string> trainKeys;
    for (const auto& problem : dataset.train) {
      QVERIFY(trainKeys.insert(astro::world::canonicalKey(problem.puzzle)).second);
    }
    std::set<std::string> testKeys;
    for (const auto& problem : dataset.test) {
      std::string key = astro::world::canonicalKey(problem.puzzle);
      QVERIFY2(!trainKeys.contains(key), key.c_str());
      QVERIFY(testKeys.insert(key).second);
    }
    QCOMPARE(testKeys.size(), std::size_t(200));
  }
  void generate_everyPuzzleSolvableAndReferencePassesVerifierAndStepChecker() {
    for (int count : {3, 4, 5}) {
      GeneratorOptions options;
      options.numberCount = count;
      auto dataset = astro::world::generateDataset(count, 40, 10, options);
      for (const auto* split : {&dataset.train, &dataset.test}) {
        for (const auto& problem : *split) {
          astro::world::CountdownSolver solver(problem.puzzle);
          QVERIFY(solver.solvable());
          QVERIFY(problem.fewestSteps >= options.minSteps);
          QCOMPARE(problem.solutionCount, solver.countSolutions());
          auto asProblem = astro::world::puzzleToProblem(problem.puzzle, problem.id);
          auto verdict = astro::world::CountdownVerifier().grade(asProblem, problem.solution);
          QVERIFY2(verdict.correct, (problem.solution + " -> " + verdict.rule).c_str());
          astro::world::StepChecker checker(problem.puzzle);
          auto state = astro::world::initialState(problem.puzzle);
          std::string_view rest = problem.solution;
          std::size_t blocks = 0;
          while (!rest.empty()) {
            std::size_t end = rest.find(astro::world::kStepSeparator);
            auto check = checker.check(state, rest.substr(0, end));
            QVERIFY2(check.valid, check.rule.c_str());
            state = check.next;
            ++blocks;
            rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 2);
          }
          QCOMPARE(blocks, problem.steps.size() + 1);
        }
      }
    }
  }
  void generate_solvableFractionWindow_isHonoured() {
    GeneratorOptions options;
    options.maxSolvableFraction = 0.2;
    auto dataset = astro::world::generateDataset(8, 50, 0, options);
    for (const auto& problem : dataset.train) QVERIFY(problem.solvableFraction <= 0.2);
  }
  void generate_impossibleKnobs_throwError() {
    GeneratorOptions options;
    options.numberCount = 3;
    options.maxNumber = 2;
    options.minTarget = 90;
    QVERIFY_THROWS_EXCEPTION(astro::Error, astro::world::generateDataset(1, 10, 0, options));
    options = {};
    options.numberCount = 9;
    QVERIFY_THROWS_EXCEPTION(astro::UsageError, astro::world::generateDataset(1, 10, 0, options));
  }
  void jsonLine_hasTheLoaderFieldsAndThePuzzle() {
    auto dataset = astro::world::generateDataset(2, 1, 0, GeneratorOptions{});
    auto line = nlohmann::json::parse(astro::world::problemToJsonLine(dataset.train[0]));
    for (const char* key : {"id", "problem", "answer", "solution", "numbers", "target", "rules"}) {
      QVERIFY2(line.contains(key), key);
    }
    QCOMPARE(line["id"].get<std::string>(), std::string("countdown-2-train-00000"));
    QCOMPARE(line["answer"].get<std::string>(), std::to_string(line["target"].get<int>()));
    QVERIFY(line["problem"].get<std::string>().starts_with("Using the numbers "));
    QCOMPARE(line["numbers"].size(), std::size_t(4));
  }
};

QTEST_GUILESS_MAIN(CountdownGeneratorTest)
#include "countdown_generator_test.moc"
