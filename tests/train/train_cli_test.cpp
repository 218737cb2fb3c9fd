// `astro sft`, `astro evaluate` (one model, and the checkpoint sweep) and `astro rl` end to end on
// a tiny model, and their exit codes.
#include <QtTest>

#include "core/store/workspace.h"
#include "tests/support/test_support.h"
#include "tests/train/tiny_training_fixture.h"

using astro::test::runProgram;

namespace {
QString path(const std::filesystem::path& p) { return QString::fromStdString(p.string()); }
QJsonObject lastJsonLine(const QString& out) {
  auto lines = out.trimmed().split('\n');
  return QJsonDocument::fromJson(lines.last().toUtf8()).object();
}
}  // namespace

class TrainCliTest : public QObject {
  Q_OBJECT
 private:
  std::filesystem::path dir_;

 private Q_SLOTS:
  void initTestCase() {
    dir_ = astro::test::freshTempDir("train-cli");
    astro::test::writeTinyModel(dir_ / "model");
    astro::test::writeTinyCorpus(dir_ / "corpus.jsonl", 8);
    auto world = runProgram(ASTRO_CLI_PATH, {"world", "generate", "--seed", "3", "--train", "8",
                                             "--test", "4", "--out", path(dir_ / "world")});
    QCOMPARE(world.exitCode, 0);
  }
  void sft_trainsAndReportsFinalModel() {
    auto result = runProgram(ASTRO_CLI_PATH,
                             {"sft", "--model", path(dir_ / "model"), "--data",
                              path(dir_ / "corpus.jsonl"), "--out", path(dir_ / "sft"),
                              "--batch", "4", "--lr", "1e-3", "--max-length", "64"});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    auto report = lastJsonLine(result.out);
    QCOMPARE(report["final_step"].toInt(), 2);
    QVERIFY(std::filesystem::exists(dir_ / "sft/final/model.safetensors"));
    // Running it again does not silently train zero steps.
    auto again = runProgram(ASTRO_CLI_PATH,
                            {"sft", "--model", path(dir_ / "model"), "--data",
                             path(dir_ / "corpus.jsonl"), "--out", path(dir_ / "sft"),
                             "--batch", "4", "--lr", "1e-3", "--max-length", "64"});
    QCOMPARE(again.exitCode, 1);
    QVERIFY(again.err.contains("already finished"));
  }
  void evaluate_printsPassRatesWithCountdownVerifier() {
    auto result = runProgram(ASTRO_CLI_PATH,
                             {"evaluate", "--model", path(dir_ / "model"), "--dataset",
                              path(dir_ / "world/test.jsonl"), "--samples", "2",
                              "--max-new-tokens", "8", "--limit", "3"});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    auto report = lastJsonLine(result.out);
    QCOMPARE(report["verifier"].toString(), QString("countdown"));
    QCOMPARE(report["problems"].toInt(), 3);
    QVERIFY(report.contains("pass@1") && report.contains("pass@2") && report.contains("greedy"));
  }
  void rl_runsStepsAndKeepsRollouts() {
    auto result = runProgram(ASTRO_CLI_PATH,
                             {"rl", "--model", path(dir_ / "model"), "--dataset",
                              path(dir_ / "world/train.jsonl"), "--out", path(dir_ / "rl"),
                              "--steps", "2", "--prompts-per-step", "2", "--max-new-tokens", "6",
                              "--lr", "1e-3", "--warmup", "0", "--no-curation"});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QCOMPARE(result.out.trimmed().split('\n').size(), 3);  // two steps and the summary
    QVERIFY(std::filesystem::exists(dir_ / "rl/rollouts/step-2.jsonl"));
  }
  void evaluate_sweepsEveryCheckpointOfARun() {  // after rl_runsStepsAndKeepsRollouts
    QStringList arguments = {"evaluate", "--sweep", path(dir_ / "rl"), "--sweep-start",
                             path(dir_ / "model"), "--sweep-out", path(dir_ / "sweep"),
                             "--dataset", path(dir_ / "world/test.jsonl"), "--samples", "2",
                             "--max-new-tokens", "8", "--limit", "2", "--samples-out",
                             path(dir_ / "sweep-samples.jsonl")};
    auto result = runProgram(ASTRO_CLI_PATH, arguments);
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    auto lines = result.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 3);  // the start model, checkpoint-2 (final is the same step), summary
    auto start = QJsonDocument::fromJson(lines[0].toUtf8()).object();
    auto last = QJsonDocument::fromJson(lines[1].toUtf8()).object();
    QCOMPARE(start["checkpoint"].toString(), QString("start"));
    QCOMPARE(last["checkpoint"].toString(), QString("checkpoint-2"));
    QVERIFY(last.contains("mean_backtracks") && last.contains("mean_completion_tokens"));
    auto summary = lastJsonLine(result.out);
    QCOMPARE(summary["pearson"].toObject()["backtracks"].toObject()["n"].toInt(), 2);
    QVERIFY(std::filesystem::exists(dir_ / "sweep/checkpoint-2.jsonl"));
    QFile samples(path(dir_ / "sweep-samples.jsonl"));
    QVERIFY(samples.open(QIODevice::ReadOnly));
    auto sample = QJsonDocument::fromJson(samples.readLine()).object();
    QVERIFY(sample.contains("backtracks") && sample.contains("restarts") &&
            sample.contains("tokens") && sample.contains("checkpoint"));
    // A rerun reuses every stored result.
    auto again = runProgram(ASTRO_CLI_PATH, arguments);
    QCOMPARE(again.exitCode, 0);
    QCOMPARE(again.out.count("\"reused\":true"), 2);
  }
  void evaluate_sweepsTheRlStageOfARun() {  // after rl_runsStepsAndKeepsRollouts
    auto workspaceDir = dir_ / "workspace";
    std::int64_t runId = 0;
    {
      auto workspace = astro::store::Workspace::open(workspaceDir);
      runId = workspace.runs().create({.name = "sweep", .host = "local"}).id;
      workspace.stages().add(runId, "sft");
      workspace.stages().add(runId, "rl");  // position 2: runs/<id>/2-rl
    }
    auto stageDir = workspaceDir / "runs" / std::to_string(runId) / "2-rl";
    std::filesystem::create_directories(stageDir.parent_path());
    std::filesystem::copy(dir_ / "rl", stageDir, std::filesystem::copy_options::recursive);
    auto result = runProgram(
        ASTRO_CLI_PATH, {"--workspace", path(workspaceDir), "evaluate", "--sweep",
                         QString::number(runId), "--dataset", path(dir_ / "world/test.jsonl"),
                         "--samples", "1", "--max-new-tokens", "4", "--limit", "1"});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    auto first = QJsonDocument::fromJson(result.out.split('\n').first().toUtf8()).object();
    QCOMPARE(first["checkpoint"].toString(), QString("checkpoint-2"));
    auto missing = runProgram(ASTRO_CLI_PATH, {"--workspace", path(workspaceDir), "evaluate",
                                               "--sweep", "999", "--dataset",
                                               path(dir_ / "world/test.jsonl")});
    QCOMPARE(missing.exitCode, 1);
  }
  void badUsage_exitsTwo() {
    QCOMPARE(runProgram(ASTRO_CLI_PATH, {"sft", "--model", "m"}).exitCode, 2);
    QCOMPARE(runProgram(ASTRO_CLI_PATH, {"evaluate", "--dataset", path(dir_ / "corpus.jsonl")})
                 .exitCode,
             2);  // neither --model nor --sweep
    QCOMPARE(runProgram(ASTRO_CLI_PATH, {"rl", "--model", "m", "--dataset",
                                         path(dir_ / "corpus.jsonl"), "--out", "o",
                                         "--group-size", "1"}).exitCode, 2);
  }
  void missingModel_exitsOneNamingIt() {
    auto result = runProgram(ASTRO_CLI_PATH, {"evaluate", "--model", path(dir_ / "nope"),
                                              "--dataset", path(dir_ / "world/test.jsonl")});
    QCOMPARE(result.exitCode, 1);
    QVERIFY(result.err.contains("nope"));
  }
};

QTEST_GUILESS_MAIN(TrainCliTest)
#include "train_cli_test.moc"
