// `astro experiment miniature` end to end at the smallest size that still has every stage: a
// base policy that memorises two dozen puzzles (so search on them finds solutions), MCTS, both
// arms' SFT and two GRPO steps with a checkpoint each, the sweep, report.json and report.md; then
// a rerun that redoes nothing. Run with ASTRO_THREADS=1 on a busy machine: a few minutes.
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
    QCOMPARE(report["details"]["astro"]["sft_examples"],
             report["details"]["direct"]["sft_examples"]);
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
    for (const char* key : {"completion", "correct", "tokens", "backtracks", "restarts"}) {
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
  void missingOut_exitsTwo() {
    QCOMPARE(runProgram(ASTRO_CLI_PATH, {"experiment", "miniature", "--quick"}).exitCode, 2);
  }
};

QTEST_GUILESS_MAIN(MiniatureExperimentTest)
#include "miniature_experiment_test.moc"
