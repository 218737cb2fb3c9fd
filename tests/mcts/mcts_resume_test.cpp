// Finished trees survive: the JSONL store appends and fsyncs tree by tree, repairs a torn last
// line, and a search killed with SIGKILL mid-way resumes without losing or repeating a tree, into
// the JSONL file as into a run of the workspace database.
#include "core/search/mcts_resume.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QtTest>
#include <chrono>
#include <fstream>
#include <functional>
#include <set>
#include <thread>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/search/policy_callback.h"
#include "core/search/tree_json.h"
#include "core/search/tree_store_jsonl.h"
#include "core/search/tree_store_run.h"
#include "core/store/workspace.h"
#include "tests/mcts/toy_world.h"
#include "tests/support/test_support.h"

using namespace astro::search;
using astro::test::sampleToyStep;
using astro::test::toyProblem;
using astro::test::ToyVerifier;

namespace {

std::vector<astro::math::Problem> toyProblems(int count) {
  std::vector<astro::math::Problem> problems;
  for (int i = 0; i < count; ++i) {
    problems.push_back(toyProblem("toy-" + std::to_string(i), 4 + i % 4, 5));
  }
  return problems;
}

MctsOptions resumeOptions() {
  return MctsOptions{
      .iterations = 8, .maxDepth = 10, .childrenPerExpansion = 3, .treesPerBatch = 2, .seed = 11};
}

// Trees of the run's search stage, read by a separate read-only connection (0 before the child
// created the database).
int treesInRun(const std::filesystem::path& folder, std::int64_t runId) {
  try {
    auto reader = astro::store::Workspace::open(folder, {.readOnly = true});
    return static_cast<int>(reader.trees().count(runId));
  } catch (const astro::Error&) {
    return 0;
  }
}

// Kills `child` once `storedSoFar()` reaches 3; fails the test if it finished first.
void killAfterThreeTrees(pid_t child, const std::function<int()>& storedSoFar) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (storedSoFar() < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  QVERIFY2(WIFSIGNALED(status), "the search finished before it could be killed");
}

// A slow policy, so the parent can kill the search with trees both stored and in flight.
CallbackStepPolicy slowPolicy() {
  return CallbackStepPolicy([](const PolicyState& state, std::mt19937_64& random) {
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
    return sampleToyStep(state, random);
  });
}

int completeLines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return static_cast<int>(std::count(content.begin(), content.end(), '\n'));
}

}  // namespace

class MctsResumeTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void store_appendsTreesThatReopenIdentically() {
    const auto path = astro::test::freshTempDir("mcts-store") / "trees.jsonl";
    CallbackStepPolicy policy(sampleToyStep);
    ToyVerifier verifier;
    const auto problems = toyProblems(3);
    const MctsResult result = searchBatch(problems, policy, verifier, resumeOptions());
    {
      JsonlTreeStore store(path);
      for (const auto& tree : result.trees) store.append(*tree);
      QCOMPARE(store.size(), 3);
    }
    JsonlTreeStore reopened(path);
    QCOMPARE(reopened.size(), 3);
    QCOMPARE(reopened.storedCount(problems[1].question, problems[1].answer), 1);
    QCOMPARE(reopened.storedCount(problems[1].question, "other answer"), 0);
    const auto loaded = loadTreesJsonl(path);
    QCOMPARE(loaded.size(), std::size_t(3));
    for (std::size_t i = 0; i < loaded.size(); ++i) QCOMPARE(loaded[i], *result.trees[i]);
  }

  void store_dropsATornLastLine() {
    const auto path = astro::test::freshTempDir("mcts-torn") / "trees.jsonl";
    const SearchTree tree("question", "answer");
    {
      JsonlTreeStore store(path);
      store.append(tree);
    }
    const std::string whole = astro::readFile(path);
    astro::writeFileAtomically(path, whole + whole.substr(0, whole.size() / 2));
    JsonlTreeStore reopened(path);
    QCOMPARE(reopened.size(), 1);
    QCOMPARE(astro::readFile(path), whole);
    reopened.append(tree);
    QCOMPARE(loadTreesJsonl(path).size(), std::size_t(2));
  }

  void searchIntoStore_skipsProblemsAlreadyStored() {
    const auto path = astro::test::freshTempDir("mcts-skip") / "trees.jsonl";
    const auto problems = toyProblems(4);
    ToyVerifier verifier;
    {
      CallbackStepPolicy policy(sampleToyStep);
      JsonlTreeStore store(path);
      const auto first = searchIntoStore(problems, policy, verifier, resumeOptions(), store);
      QCOMPARE(first.searched, 4);
      QCOMPARE(first.alreadyStored, 0);
    }
    CallbackStepPolicy policy(sampleToyStep);
    JsonlTreeStore store(path);
    const auto second = searchIntoStore(problems, policy, verifier, resumeOptions(), store);
    QCOMPARE(second.alreadyStored, 4);
    QCOMPARE(second.searched, 0);
    QCOMPARE(policy.statesServed(), 0LL);
  }

  void killedSearch_resumesWithoutLosingOrRepeatingATree() {
    const auto folder = astro::test::freshTempDir("mcts-kill");
    const auto path = folder / "trees.jsonl";
    const auto problems = toyProblems(10);
    ToyVerifier verifier;

    const pid_t child = ::fork();
    QVERIFY(child >= 0);
    if (child == 0) {
      CallbackStepPolicy slow = slowPolicy();
      JsonlTreeStore store(path);
      searchIntoStore(problems, slow, verifier, resumeOptions(), store);
      ::_exit(0);
    }
    killAfterThreeTrees(child, [&] { return completeLines(path); });
    if (QTest::currentTestFailed()) return;

    CallbackStepPolicy policy(sampleToyStep);
    int storedBefore = 0;
    {
      JsonlTreeStore store(path);
      storedBefore = store.size();
      QVERIFY(storedBefore >= 3);
      QVERIFY(storedBefore < 10);
      const auto summary = searchIntoStore(problems, policy, verifier, resumeOptions(), store);
      QCOMPARE(summary.alreadyStored, storedBefore);
      QCOMPARE(summary.searched, 10 - storedBefore);
    }

    // Every problem exactly once, each tree as an uninterrupted search grows it.
    const auto trees = loadTreesJsonl(path);
    QCOMPARE(trees.size(), std::size_t(10));
    CallbackStepPolicy reference(sampleToyStep);
    const MctsResult uninterrupted = searchBatch(problems, reference, verifier, resumeOptions());
    std::set<std::string> questions;
    for (const SearchTree& tree : trees) {
      QVERIFY(questions.insert(tree.problem()).second);
      const auto match = std::find_if(
          uninterrupted.trees.begin(), uninterrupted.trees.end(),
          [&](const auto& candidate) { return candidate->problem() == tree.problem(); });
      QVERIFY(match != uninterrupted.trees.end());
      QCOMPARE(tree, **match);
    }
  }

  void killedSearchIntoRun_resumesWithoutLosingOrRepeatingATree() {
    const auto folder = astro::test::freshTempDir("mcts-kill-run");
    const auto problems = toyProblems(10);
    ToyVerifier verifier;
    std::int64_t runId = 0;
    {
      auto workspace = astro::store::Workspace::open(folder);
      runId = workspace.runs().create({.name = "search"}).id;
    }

    const pid_t child = ::fork();
    QVERIFY(child >= 0);
    if (child == 0) {
      CallbackStepPolicy slow = slowPolicy();
      auto workspace = astro::store::Workspace::open(folder);
      RunTreeStore store(workspace, runId);
      searchIntoStore(problems, slow, verifier, resumeOptions(), store);
      ::_exit(0);
    }
    killAfterThreeTrees(child, [&] { return treesInRun(folder, runId); });
    if (QTest::currentTestFailed()) return;

    auto workspace = astro::store::Workspace::open(folder);
    QCOMPARE(workspace.checkIntegrity(), std::string("ok"));
    const int storedBefore = static_cast<int>(workspace.trees().count(runId));
    QVERIFY(storedBefore >= 3);
    QVERIFY(storedBefore < 10);
    CallbackStepPolicy policy(sampleToyStep);
    RunTreeStore store(workspace, runId);
    const auto summary = searchIntoStore(problems, policy, verifier, resumeOptions(), store);
    QCOMPARE(summary.alreadyStored, storedBefore);
    QCOMPARE(summary.searched, 10 - storedBefore);

    // Every problem exactly once, each tree as an uninterrupted search grows it.
    const auto stored = workspace.trees().list(runId);
    QCOMPARE(stored.size(), std::size_t(10));
    CallbackStepPolicy reference(sampleToyStep);
    const MctsResult uninterrupted = searchBatch(problems, reference, verifier, resumeOptions());
    std::set<std::string> ids;
    for (const auto& summaryRow : stored) {
      QVERIFY(ids.insert(summaryRow.problemId).second);
      const auto index = static_cast<std::size_t>(
          std::find_if(problems.begin(), problems.end(),
                       [&](const auto& problem) { return problem.id == summaryRow.problemId; }) -
          problems.begin());
      QVERIFY(index < problems.size());
      QCOMPARE(treeFromStore(workspace.trees().get(summaryRow.id)), *uninterrupted.trees[index]);
    }
  }
};

QTEST_GUILESS_MAIN(MctsResumeTest)
#include "mcts_resume_test.moc"
