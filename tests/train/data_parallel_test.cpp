// Data-parallel training over Gloo through `astro sft|rl --nproc 2` on a tiny model: two ranks
// train the weights one process trains (same global batch), ZeRO-1 equals the unsharded update,
// and a job whose rank 1 is SIGKILLed fails naming that rank, then resumes onto exactly the
// weights of an uninterrupted job.
#include <QtTest>
#include <csignal>
#include <fstream>

#include "core/model/detail/llama_module.h"
#include "tests/support/rank_processes.h"
#include "tests/support/test_support.h"
#include "tests/train/tiny_training_fixture.h"

namespace fs = std::filesystem;
using astro::test::runProgram;

namespace {

QString path(const fs::path& p) { return QString::fromStdString(p.string()); }

torch::Tensor flatWeights(const fs::path& folder) {
  auto model = astro::model::detail::loadLlamaModel(folder, torch::kCPU, torch::kFloat32);
  std::vector<torch::Tensor> parts;
  for (const auto& parameter : model->parameters()) parts.push_back(parameter.detach().reshape(-1));
  return torch::cat(parts);
}

double maxDifference(const fs::path& a, const fs::path& b) {
  return (flatWeights(a) - flatWeights(b)).abs().max().item<double>();
}

}  // namespace

class DataParallelTest : public QObject {
  Q_OBJECT
 private:
  fs::path dir_;

  QStringList sftArguments(const fs::path& out, const QStringList& extra = {},
                           const QString& epochs = "2", const QString& microBatchRows = "2") {
    return QStringList{"sft", "--model", path(dir_ / "model"), "--data",
                       path(dir_ / "corpus.jsonl"), "--out", path(out), "--batch", "8",
                       "--micro-batch-rows", microBatchRows, "--lr", "3e-3", "--max-length", "64",
                       "--epochs", epochs, "--seed", "4"} +
           extra;
  }

 private Q_SLOTS:
  void initTestCase() {
    dir_ = astro::test::freshTempDir("data-parallel");
    astro::test::writeTinyModel(dir_ / "model");
    astro::test::writeTinyCorpus(dir_ / "corpus.jsonl", 24);
    qputenv("ASTRO_DIST_TIMEOUT", "60");
  }

  void sft_twoRanksTrainTheWeightsOfOneProcess() {
    auto one = runProgram(ASTRO_CLI_PATH, sftArguments(dir_ / "sft-1"));
    QVERIFY2(one.exitCode == 0, qPrintable(one.err));
    auto two = runProgram(ASTRO_CLI_PATH, sftArguments(dir_ / "sft-2", {"--nproc", "2"}));
    QVERIFY2(two.exitCode == 0, qPrintable(two.err));
    // Same global batch: rank r trains micro-batches r, r+2, ...; the gradients differ from one
    // process's only in the order of float32 sums, so after 6 AdamW steps the weights agree to
    // 1e-5 (they move by ~1e-2 over the run).
    double difference = maxDifference(dir_ / "sft-1" / "final", dir_ / "sft-2" / "final");
    QVERIFY2(difference < 1e-5, qPrintable(QString("max |w1 - w2| = %1").arg(difference)));
    QVERIFY(difference < maxDifference(dir_ / "model", dir_ / "sft-1" / "final") / 100);
    QVERIFY(fs::exists(dir_ / "sft-2" / "rank-logs" / "rank-1.log"));
  }

  void sft_rankWithoutMicroBatch_takesPartInEveryStep() {
    // One micro-batch per step: rank 1 trains nothing, but its collectives must still pair with
    // rank 0's (the gradient buckets rank 0 starts during backward come first).
    auto one = runProgram(ASTRO_CLI_PATH, sftArguments(dir_ / "idle-1", {}, "2", "8"));
    QVERIFY2(one.exitCode == 0, qPrintable(one.err));
    auto two = runProgram(ASTRO_CLI_PATH, sftArguments(dir_ / "idle-2", {"--nproc", "2"}, "2", "8"));
    QVERIFY2(two.exitCode == 0, qPrintable(two.err));
    QCOMPARE(maxDifference(dir_ / "idle-1" / "final", dir_ / "idle-2" / "final"), 0.0);
  }

  void sft_zeroStage1EqualsUnshardedUpdate() {
    auto plain = runProgram(ASTRO_CLI_PATH, sftArguments(dir_ / "zero-off", {"--nproc", "2"}));
    QVERIFY2(plain.exitCode == 0, qPrintable(plain.err));
    auto zero = runProgram(ASTRO_CLI_PATH,
                           sftArguments(dir_ / "zero-on", {"--nproc", "2", "--zero"}));
    QVERIFY2(zero.exitCode == 0, qPrintable(zero.err));
    // Each rank updates its slice with the same element-wise arithmetic: exactly equal.
    QCOMPARE(maxDifference(dir_ / "zero-off" / "final", dir_ / "zero-on" / "final"), 0.0);
  }

  void grpo_twoRanksSampleAndTrainAsOneProcess() {
    auto world = runProgram(ASTRO_CLI_PATH, {"world", "generate", "--seed", "3", "--train", "8",
                                             "--test", "4", "--out", path(dir_ / "world")});
    QVERIFY2(world.exitCode == 0, qPrintable(world.err));
    auto rl = [&](const fs::path& out, const QStringList& extra) {
      return runProgram(ASTRO_CLI_PATH,
                        QStringList{"rl", "--model", path(dir_ / "model"), "--dataset",
                                    path(dir_ / "world" / "train.jsonl"), "--out", path(out),
                                    "--steps", "2", "--prompts-per-step", "2", "--group-size",
                                    "3", "--max-new-tokens", "12", "--lr", "1e-3",
                                    "--micro-batch", "2", "--seed", "9"} +
                            extra);
    };
    auto one = rl(dir_ / "rl-1", {"--no-curation"});
    QVERIFY2(one.exitCode == 0, qPrintable(one.err));
    auto two = rl(dir_ / "rl-2", {"--no-curation", "--nproc", "2"});
    QVERIFY2(two.exitCode == 0, qPrintable(two.err));
    // Step 1's rollouts come from identical weights and per-row seeds: the same text.
    auto read = [](const fs::path& file) {
      std::ifstream in(file);
      return std::string(std::istreambuf_iterator<char>(in), {});
    };
    QCOMPARE(read(dir_ / "rl-2" / "rollouts" / "step-1.jsonl"),
             read(dir_ / "rl-1" / "rollouts" / "step-1.jsonl"));
    double difference = maxDifference(dir_ / "rl-1" / "final", dir_ / "rl-2" / "final");
    QVERIFY2(difference < 1e-5, qPrintable(QString("max |w1 - w2| = %1").arg(difference)));

    // Prompt curation's sampling is shared by the ranks too: the same pass rates, prompts kept and
    // rollouts as one process.
    auto curatedOne = rl(dir_ / "rl-curated-1", {"--min-pass-rate", "0"});
    QVERIFY2(curatedOne.exitCode == 0, qPrintable(curatedOne.err));
    auto curatedTwo = rl(dir_ / "rl-curated-2", {"--min-pass-rate", "0", "--nproc", "2"});
    QVERIFY2(curatedTwo.exitCode == 0, qPrintable(curatedTwo.err));
    auto keptLine = [](const QString& err) {
      for (const QString& line : err.split('\n')) {
        if (line.startsWith("rl: kept")) return line;
      }
      return QString();
    };
    QVERIFY(!keptLine(curatedOne.err).isEmpty());
    QCOMPARE(keptLine(curatedTwo.err), keptLine(curatedOne.err));
    QCOMPARE(read(dir_ / "rl-curated-2" / "rollouts" / "step-1.jsonl"),
             read(dir_ / "rl-curated-1" / "rollouts" / "step-1.jsonl"));
  }

  void sft_rankKilledFailsTheJobNamingItThenResumesExactly() {
    QStringList longer = {"--checkpoint-every", "2", "--nproc", "2"};
    auto reference = runProgram(ASTRO_CLI_PATH, sftArguments(dir_ / "kill-ref", longer, "40"));
    QVERIFY2(reference.exitCode == 0, qPrintable(reference.err));

    fs::path out = dir_ / "kill";
    QProcess job;
    job.start(ASTRO_CLI_PATH, sftArguments(out, longer, "40"));
    QVERIFY(job.waitForStarted());
    // Kill rank 1 once a checkpoint exists, well before the 240th step.
    QTRY_VERIFY_WITH_TIMEOUT(fs::exists(out / "latest.json"), 60000);
    pid_t rank1 = astro::test::rankChild(pid_t(job.processId()), 1);
    QVERIFY(rank1 > 0);
    ::kill(rank1, SIGKILL);
    QVERIFY(job.waitForFinished(90000));
    QVERIFY(job.exitCode() != 0);
    QString err = QString::fromUtf8(job.readAllStandardError());
    QVERIFY2(err.contains("rank 1 of 2") && err.contains("signal 9"), qPrintable(err));
    QVERIFY(!fs::exists(out / "final"));

    auto resumed = runProgram(ASTRO_CLI_PATH, sftArguments(out, longer, "40"));
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
    QVERIFY(resumed.out.contains("\"resumed\":true"));
    QCOMPARE(maxDifference(out / "final", dir_ / "kill-ref" / "final"), 0.0);
  }
};

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  DataParallelTest test;
  return QTest::qExec(&test, argc, argv);
}
#include "data_parallel_test.moc"
