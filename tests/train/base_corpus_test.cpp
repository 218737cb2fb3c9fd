// The base policy's direct-solution corpus (core/train/base_pretraining.h): pass 1 is the puzzles
// as generated; later passes reorder each puzzle's numbers and draw a new reference solution, and
// every line stays a correct, direct solution of its own question.
#include <QtTest>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/train/base_pretraining.h"
#include "core/world/countdown_puzzle.h"
#include "core/world/countdown_verifier.h"
#include "tests/support/test_support.h"

using namespace astro;

namespace {

struct CorpusLine {
  std::string question;
  std::string solution;
};

std::vector<CorpusLine> readCorpus(const std::filesystem::path& path) {
  std::vector<CorpusLine> lines;
  std::istringstream text(readFile(path));
  for (std::string line; std::getline(text, line);) {
    auto record = nlohmann::json::parse(line);
    lines.push_back({record["messages"][0]["content"].get<std::string>(),
                     record["messages"][1]["content"].get<std::string>()});
  }
  return lines;
}

}  // namespace

class BaseCorpusTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void variedPasses_areCorrectDirectSolutionsOfReorderedPuzzles() {
    const auto problems = world::generateDataset(4, 40, 0, train::basePolicyPuzzles()).train;
    auto dir = test::freshTempDir("base-corpus");
    train::writeDirectCorpus(dir / "one.jsonl", problems);
    train::writeDirectCorpus(dir / "three.jsonl", problems, 3, 9);
    train::writeDirectCorpus(dir / "again.jsonl", problems, 3, 9);
    QCOMPARE(readFile(dir / "three.jsonl"), readFile(dir / "again.jsonl"));
    const auto one = readCorpus(dir / "one.jsonl");
    const auto three = readCorpus(dir / "three.jsonl");
    QCOMPARE(one.size(), problems.size());
    QCOMPARE(three.size(), 3 * problems.size());
    std::size_t reordered = 0;
    const world::CountdownVerifier verifier;
    for (std::size_t i = 0; i < three.size(); ++i) {
      const auto& problem = problems[i % problems.size()];
      if (i < problems.size()) {
        QCOMPARE(three[i].question, one[i].question);
        QCOMPARE(three[i].solution, problem.solution);
      }
      auto puzzle = world::parseQuestion(three[i].question);
      QVERIFY2(puzzle, three[i].question.c_str());
      QCOMPARE(world::canonicalKey(*puzzle), world::canonicalKey(problem.puzzle));
      if (puzzle->numbers != problem.puzzle.numbers) ++reordered;
      auto verdict = verifier.grade(world::puzzleToProblem(*puzzle, "corpus"), three[i].solution);
      QVERIFY2(verdict.correct, (three[i].solution + " -> " + verdict.rule).c_str());
      QVERIFY(three[i].solution.find("But wait") == std::string::npos);  // direct: no detours
    }
    // 3 numbers have 6 orders; most of 80 reshuffled puzzles change order.
    QVERIFY2(reordered > problems.size(), std::to_string(reordered).c_str());
  }
  // `--unseen-search`: the corpus is the train split after its first unseenProblems puzzles, so
  // the puzzles later stages take from the front were never trained on.
  void unseenProblems_areLeftOutOfTheCorpus() {
    train::BasePretrainingOptions options;
    options.trainProblems = 30;
    options.testProblems = 5;
    const auto dataset = train::baseDataset(options);
    QCOMPARE(train::baseCorpusProblems(options, dataset).size(), std::size_t(30));
    options.unseenProblems = 12;
    const auto corpus = train::baseCorpusProblems(options, dataset);
    QCOMPARE(corpus.size(), std::size_t(18));
    std::set<std::string> trained;
    for (const auto& problem : corpus) trained.insert(world::canonicalKey(problem.puzzle));
    for (int i = 0; i < 12; ++i)
      QVERIFY(!trained.count(world::canonicalKey(dataset.train[i].puzzle)));
    QCOMPARE(corpus.front().id, dataset.train[12].id);
    options.unseenProblems = 30;
    QVERIFY_THROWS_EXCEPTION(UsageError, train::baseCorpusProblems(options, dataset));
  }
};

QTEST_GUILESS_MAIN(BaseCorpusTest)
#include "base_corpus_test.moc"
