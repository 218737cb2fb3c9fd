// `astro experiment miniature` end to end at the smallest size that still has every stage: a
// base policy that memorises two dozen puzzles (so search on them finds solutions), MCTS, both
// arms' SFT and two GRPO steps with a checkpoint each, the sweep, report.json and report.md; then
// a rerun that redoes nothing; --seeds 2; --search-traces 3 --mix-direct --grounded-reflections
// --affirm-steps --min-detours 0 --detour-choice near-final-path on the same base and trees.
// Run with ASTRO_THREADS=1 on a busy machine: a few minutes.
#include <QRegularExpression>
#include <QtTest>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/test_support.h"

using astro::test::runProgram;

namespace {

QString path(const std::filesystem::path& p) { return QString::fromStdString(p.string()); }

nlohmann::json readJson(const std::filesystem::path& file) {
  std::ifstream in(file);
  return nlohmann::json::parse(in);
}

bool isRate(const nlohmann::json& value) {
  return value.is_number() && value.get<double>() >= 0.0 && value.get<double>() <= 1.0;
}

// null (undefined: constant variable) or a coefficient in [-1, 1], with n points.
bool isCorrelation(const nlohmann::json& c, std::size_t n) {
  if (c.at("n").get<std::size_t>() != n) return false;
  if (c.at("r").is_null()) return true;
  double r = c.at("r").get<double>();
  return r >= -1.0 - 1e-9 && r <= 1.0 + 1e-9;
}

// SFT steps of `examples` over the report's SFT epochs and batch (no step budget).
int sftEpochSteps(const nlohmann::json& report, int examples) {
  const int batch = report["options"]["sft"]["sequences_per_step"].get<int>();
  return (examples + batch - 1) / batch * report["options"]["sft"]["epochs"].get<int>();
}

// Gives every tree of a trees.jsonl two wrong branches with distinct wrong answers (one from the
// root, one from the root's first child), as a base that has not memorised its puzzles leaves
// them: the memorised base's trees are single chains, which have one search trace only.
void addWrongBranches(const std::filesystem::path& treesJsonl) {
  std::ifstream in(treesJsonl);
  std::string text;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    auto tree = nlohmann::json::parse(line);
    auto& nodes = tree["nodes"];
    const int first = int(nodes.size());
    const int firstChild = nodes[1]["parent"].get<int>() == 0 ? 1 : 0;
    auto node = [](int id, int parent, const char* step, bool terminal, const char* answer) {
      return nlohmann::json{{"id", id},
                            {"parent", parent},
                            {"text", step},
                            {"visits", 1},
                            {"value", 0.0},
                            {"prior", 0.5},
                            {"terminal", terminal},
                            {"answer", terminal ? nlohmann::json(answer) : nlohmann::json()},
                            {"correct", terminal ? nlohmann::json(false) : nlohmann::json()}};
    };
    nodes.push_back(node(first, 0, "Step 1: 1 + 1 = 2. Remaining: 2", false, ""));
    nodes.push_back(node(first + 1, first, "\\boxed{1+1}", true, "1+1"));
    nodes.push_back(node(first + 2, firstChild, "Step 2: 0 + 0 = 0. Remaining: 0", false, ""));
    nodes.push_back(node(first + 3, first + 2, "\\boxed{0+0}", true, "0+0"));
    text += tree.dump() + "\n";
  }
  in.close();
  std::ofstream(treesJsonl) << text;
}

}  // namespace

class MiniatureExperimentTest : public QObject {
  Q_OBJECT
 private:
  std::filesystem::path dir_;
  QStringList arguments_;

 private Q_SLOTS:
  void initTestCase() {
    dir_ = astro::test::freshTempDir("miniature");
    // Two dozen puzzles, 80 epochs: the base memorises them, so search on them finds answers
    // (40 epochs did while numbers were spelt digit by digit; a token per number needs more).
    arguments_ = QString(
                     "experiment miniature --quick --model-config tiny --train 24 --test 4 "
                     "--base-epochs 80 --base-batch 8 --search-problems 8 --iterations 24 "
                     "--sft-epochs 2 --rl-prompts 12 --rl-steps 2 --prompts-per-step 4 "
                     "--checkpoint-every 1 --samples 2 --max-new-tokens 128")
                     .split(' ');
    arguments_ << "--out" << path(dir_ / "xp");
  }
  void run_writesReportWithEveryArmAndStage() {
    auto result = runProgram(ASTRO_CLI_PATH, arguments_, 840000);
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    for (const char* stage :
         {"[base]", "[base/eval]", "[search]", "[data]", "[astro/sft]", "[astro/rl]",
          "[astro/eval]", "[direct/sft]", "[direct/rl]", "[direct/eval]"}) {
      QVERIFY2(result.err.contains(stage), stage);
    }
    auto report = readJson(dir_ / "xp" / "report.json");
    for (const char* arm : {"astro", "direct"}) {
      for (const char* stage : {"base", "sft", "rl"}) {
        QVERIFY2(isRate(report["arms"][arm][stage]), (std::string(arm) + "." + stage).c_str());
      }
      const auto& details = report["details"][arm];
      QCOMPARE(details["rl_steps"].size(), std::size_t(2));
      QCOMPARE(details["checkpoints"].size(), std::size_t(3));  // SFT model + 2 RL checkpoints
      QCOMPARE(details["checkpoints"][0]["checkpoint"].get<std::string>(), std::string("start"));
      QCOMPARE(details["checkpoints"][2]["step"].get<int>(), 2);
      // Every stage was evaluated with its backtrack behaviour kept.
      for (const char* stage : {"base", "sft", "rl"}) {
        const auto& behaviour = details[stage]["behaviour"];
        QVERIFY2(behaviour.is_object(), stage);
        QVERIFY(behaviour["returns_after_wrong_branch"].get<int>() <=
                behaviour["returns"].get<int>());
        // And why its wrong answers are wrong: the kinds add up to the wrong answers.
        const auto& failures = details[stage]["failures"];
        QVERIFY2(failures.is_object(), stage);
        QCOMPARE(failures["invalid_step"].get<int>() + failures["wrong_answer"].get<int>() +
                     failures["no_answer"].get<int>(),
                 failures["wrong"].get<int>());
        QVERIFY(failures["wrong"].get<int>() <= failures["answers"].get<int>());
      }
      for (const auto& step : details["rl_steps"]) {
        QVERIFY(step["reward"].get<double>() >= -1.0 && step["reward"].get<double>() <= 1.0);
        QVERIFY(step["response_length"].get<double>() > 0.0);
        QVERIFY(step["backtracks"].get<double>() >= 0.0);
      }
      QVERIFY(isCorrelation(report["pearson_by_arm"][arm]["backtracks"], 3));
      QVERIFY(isCorrelation(report["pearson_by_arm"][arm]["length"], 3));
    }
    QCOMPARE(report["arms"]["astro"]["base"], report["arms"]["direct"]["base"]);
    QVERIFY(isCorrelation(report["pearson"]["backtracks"], 3));
    QVERIFY(isCorrelation(report["pearson"]["length"], 3));
    QCOMPARE(report["held_out_problems"].get<int>(), 4);
    QCOMPARE(report["search"]["problems"].get<int>(), 8);
    // The base memorised its puzzles, so search solves some and both arms have SFT data.
    QVERIFY2(report["search"]["solved_trees"].get<int>() > 0, "search solved no puzzle");
    // Defaults: one ASTRO and one Direct trace per solved tree, so equal examples and steps.
    QCOMPARE(report["options"]["linearize"]["sequences_per_tree"].get<int>(), 1);
    QCOMPARE(report["options"]["linearize"]["mix_direct"].get<bool>(), false);
    QCOMPARE(report["details"]["astro"]["sft_examples"],
             report["details"]["direct"]["sft_examples"]);
    QCOMPARE(report["details"]["astro"]["sft_steps"], report["details"]["direct"]["sft_steps"]);
    QCOMPARE(report["details"]["direct"]["sft_steps"].get<int>(),
             sftEpochSteps(report, report["details"]["direct"]["sft_examples"].get<int>()));
    QVERIFY(report["seconds"]["total"].get<double>() > 0.0);

    std::ifstream md(dir_ / "xp" / "report.md");
    std::string text((std::istreambuf_iterator<char>(md)), std::istreambuf_iterator<char>());
    QVERIFY(text.find("## Accuracy per arm and stage") != std::string::npos);
    QVERIFY(text.find("## Pearson correlation with pass@1 across checkpoints") !=
            std::string::npos);
    // Every evaluation sample is kept with its trace statistics.
    std::ifstream samples(dir_ / "xp" / "astro" / "eval" / "checkpoint-2.jsonl");
    std::string line;
    QVERIFY(std::getline(samples, line));
    auto sample = nlohmann::json::parse(line);
    for (const char* key : {"completion", "correct", "tokens", "backtracks", "restarts",
                            "returns_after_wrong_branch"}) {
      QVERIFY2(sample.contains(key), key);
    }
  }
  void rerun_continuesWithoutRedoingStages() {
    auto before = readJson(dir_ / "xp" / "report.json");
    auto result = runProgram(ASTRO_CLI_PATH, arguments_, 300000);
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QVERIFY(!result.err.contains("[base] step"));
    QVERIFY(!result.err.contains("[astro/rl] step"));
    QVERIFY(result.err.contains("kept from an earlier run"));
    auto after = readJson(dir_ / "xp" / "report.json");
    QCOMPARE(after["arms"], before["arms"]);
    QCOMPARE(after["seconds"], before["seconds"]);
  }
  // --seeds 2: seed 1 is the run above (copied in, so it is resumed, not redone), seed 2 runs
  // whole; the combined report gives both seeds' results and the paired comparisons over them.
  void seeds_runEachSeedInItsFolderAndCombine() {
    const auto out = dir_ / "xp-seeds";
    std::filesystem::create_directories(out);
    std::filesystem::copy(dir_ / "xp", out / "seed-1", std::filesystem::copy_options::recursive);
    QStringList arguments = arguments_;
    arguments[arguments.indexOf("--out") + 1] = path(out);
    arguments << "--seeds" << "2";
    auto result = runProgram(ASTRO_CLI_PATH, arguments, 840000);
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QVERIFY(result.err.contains("[seeds] seed 1 (1 of 2)"));
    QVERIFY(result.err.contains("[seeds] seed 2 (2 of 2)"));
    // Seed 1 pretrains nothing (resumed); seed 2 pretrains its own base.
    const qsizetype second = result.err.indexOf("[seeds] seed 2 (2 of 2)");
    QVERIFY(!result.err.left(second).contains("[base] step"));
    QVERIFY(result.err.mid(second).contains("[base] step"));
    auto single = readJson(dir_ / "xp" / "report.json");
    auto seed1 = readJson(out / "seed-1" / "report.json");
    QCOMPARE(seed1["arms"], single["arms"]);  // resumed: the same models and evaluations
    QVERIFY(std::filesystem::exists(out / "seed-2" / "report.md"));
    auto report = readJson(out / "report.json");
    QCOMPARE(report["seeds"], nlohmann::json({1, 2}));
    for (const char* arm : {"astro", "direct"}) {
      for (const char* stage : {"base", "sft", "rl"}) {
        const auto& entry = report["arms"][arm][stage];
        QCOMPARE(entry["per_seed"].size(), std::size_t(2));
        QVERIFY2(isRate(entry["mean"]) && isRate(entry["ci_low"]) && isRate(entry["ci_high"]),
                 entry.dump().c_str());
      }
    }
    QCOMPARE(report["arms"]["astro"]["rl"]["per_seed"][0], single["arms"]["astro"]["rl"]);
    for (const char* claim : {"astro_sft_minus_base", "astro_rl_minus_astro_sft",
                              "astro_rl_minus_direct_rl", "direct_rl_minus_base"}) {
      const auto& c = report["comparisons"][claim];
      QCOMPARE(c["seeds"].get<int>(), 2);
      QCOMPARE(c["puzzles"].get<int>(), 8);  // 4 held-out puzzles per seed
      QVERIFY(c["ci_low"].get<double>() <= c["difference"].get<double>());
      QCOMPARE(report["hypothesis"][std::string(claim).replace(std::string(claim).find("_minus_"),
                                                                7, "_above_")]
                   .get<bool>(),
               c["ci_low"].get<double>() > 0.0);
    }
    // The headline on stdout is the combined report's.
    auto headline = nlohmann::json::parse(result.out.trimmed().split('\n').last().toStdString());
    QCOMPARE(headline["seeds"], report["seeds"]);
  }
  // --search-traces 3 --mix-direct on the first run's base and trees (with wrong branches
  // added): the ASTRO arm trains on up to 3 search traces and the Direct trace of every solved
  // tree, the Direct arm on the Direct traces alone, and both take the ASTRO arm's SFT steps (2
  // epochs of its examples).
  void searchTracesAndMixDirect_astroArmGetsMoreExamplesAndBothArmsTheSameSteps() {
    const auto out = dir_ / "xp-traces";
    std::filesystem::create_directories(out);
    for (const char* stage : {"base", "search"}) {
      std::filesystem::copy(dir_ / "xp" / stage, out / stage,
                            std::filesystem::copy_options::recursive);
    }
    addWrongBranches(out / "search" / "trees.jsonl");
    QStringList arguments = arguments_;
    arguments[arguments.indexOf("--out") + 1] = path(out);
    arguments << "--search-traces" << "3" << "--mix-direct" << "--grounded-reflections"
              << "--affirm-steps" << "--min-detours" << "0" << "--detour-choice"
              << "near-final-path";
    auto result = runProgram(ASTRO_CLI_PATH, arguments, 600000);
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QVERIFY(!result.err.contains("[base] step"));  // the copied base and trees are reused
    auto report = readJson(out / "report.json");
    QCOMPARE(report["options"]["linearize"]["sequences_per_tree"].get<int>(), 3);
    QCOMPARE(report["options"]["linearize"]["mix_direct"].get<bool>(), true);
    QCOMPARE(report["options"]["linearize"]["min_detours"].get<int>(), 0);
    QCOMPARE(report["options"]["linearize"]["detour_choice"].get<std::string>(),
             std::string("near-final-path"));

    const int searchTraces = report["dataset"]["astro"]["total"]["trajectories"].get<int>();
    const int directTraces = report["dataset"]["direct"]["total"]["trajectories"].get<int>();
    const int solved = report["search"]["solved_trees"].get<int>();
    QCOMPARE(directTraces, solved);
    QVERIFY2(searchTraces > solved, "no tree gave a second distinct search trace");
    QVERIFY(searchTraces <= 3 * solved);
    const auto& astro = report["details"]["astro"];
    const auto& direct = report["details"]["direct"];
    QCOMPARE(astro["sft_examples"].get<int>(), searchTraces + directTraces);
    QCOMPARE(direct["sft_examples"].get<int>(), directTraces);
    QCOMPARE(astro["sft_steps"].get<int>(), sftEpochSteps(report, searchTraces + directTraces));
    QCOMPARE(direct["sft_steps"], astro["sft_steps"]);
    QVERIFY2(direct["sft_steps"].get<int>() > sftEpochSteps(report, directTraces),
             "the Direct arm took no more steps than its own epochs give");
    QVERIFY(std::filesystem::exists(out / "data" / "astro_mixed_sft.jsonl"));

    // Grounded reflections: the answer check states the value it checked; Direct has none.
    QCOMPARE(report["options"]["linearize"]["grounded_reflections"].get<bool>(), true);
    std::ifstream astroData(out / "data" / "astro_sft.jsonl");
    const std::string astroText{std::istreambuf_iterator<char>(astroData), {}};
    const QRegularExpression groundedCheck(
        "Wait, is this right\\? [^\"]+ = \\d+\\. Yes, it is right\\.");
    QVERIFY2(QString::fromStdString(astroText).contains(groundedCheck), astroText.c_str());
    // --affirm-steps: a (grounded) reflection answered yes between a first and a second step.
    QCOMPARE(report["options"]["linearize"]["affirm_steps_with_q_at_least"].get<double>(), -1.0);
    QCOMPARE(report["dataset"]["affirm_steps_min_q"].get<double>(), -1.0);
    const QRegularExpression affirmedStep(
        "Step 1: [^\"\\\\]*\\\\n\\\\nWait, is this right\\? [^\"\\\\]*Yes, it is "
        "right\\.\\\\n\\\\nStep 2: ");
    QVERIFY2(QString::fromStdString(astroText).contains(affirmedStep), astroText.c_str());
    std::ifstream directData(out / "data" / "direct_sft.jsonl");
    const std::string directText{std::istreambuf_iterator<char>(directData), {}};
    QVERIFY(directText.find("Wait, is this right?") == std::string::npos);
  }
  void searchTracesOutOfRange_exitsTwoNamingTheFlag() {
    auto result = runProgram(ASTRO_CLI_PATH, {"experiment", "miniature", "--quick", "--out",
                                              path(dir_ / "unused"), "--search-traces", "9"});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("--search-traces"), qPrintable(result.err));
    QVERIFY(!std::filesystem::exists(dir_ / "unused"));
  }
  void missingOut_exitsTwo() {
    QCOMPARE(runProgram(ASTRO_CLI_PATH, {"experiment", "miniature", "--quick"}).exitCode, 2);
  }
};

QTEST_GUILESS_MAIN(MiniatureExperimentTest)
#include "miniature_experiment_test.moc"
