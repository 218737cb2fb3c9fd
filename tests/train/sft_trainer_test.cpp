// The SFT trainer on a tiny model: loss falls, only response tokens are trained, packing changes
// nothing, and a run killed with SIGKILL resumes onto the uninterrupted loss curve.
#include <QtTest>
#include <csignal>
#include <fstream>

#include "core/base/error.h"
#include "core/model/detail/llama_module.h"
#include "core/model/language_model.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/detail/token_loss.h"
#include "core/train/sequence_packing.h"
#include "core/train/sft_data.h"
#include "core/train/sft_trainer.h"
#include "tests/support/test_support.h"
#include "tests/train/tiny_training_fixture.h"

namespace fs = std::filesystem;
using namespace astro;

namespace {

train::SftOptions tinyOptions(const fs::path& dir) {
  train::SftOptions options;
  options.initialModel = dir / "model";
  options.data = dir / "corpus.jsonl";
  options.outputDir = dir / "out";
  options.learningRate = 1e-2;
  options.warmupSteps = 2;
  options.epochs = 4;
  options.maxSequenceLength = 64;
  options.sequencesPerStep = 8;
  options.rowsPerMicroBatch = 2;
  options.rowLength = 64;
  options.seed = 11;
  return options;
}

void prepare(const fs::path& dir, int lines = 24) {
  test::writeTinyModel(dir / "model");
  test::writeTinyCorpus(dir / "corpus.jsonl", lines);
}

std::vector<double> lossCurve(const train::SftOptions& options) {
  std::vector<double> losses;
  train::runSft(options, {.onStep = [&](const train::SftStepMetrics& m) { losses.push_back(m.loss); }});
  return losses;
}

}  // namespace

class SftTrainerTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void sftData_masksPromptTokens() {
    auto dir = test::freshTempDir("sft-mask");
    test::writeTinyTokenizer(dir);
    auto tokenizer = tokenizer::Tokenizer::fromDirectory(dir);
    auto example = train::tokenizeSftRecord(
        R"({"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"ok"}]})",
        tokenizer, "x.jsonl", 1);
    std::string prompt = "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n";
    auto promptIds = tokenizer.encode(prompt);
    QCOMPARE(example.ids.size(), promptIds.size() + 3);  // "o", "k", <|im_end|>
    for (std::size_t t = 0; t < promptIds.size(); ++t) QCOMPARE(int(example.isResponse[t]), 0);
    for (std::size_t t = promptIds.size(); t < example.ids.size(); ++t) {
      QCOMPARE(int(example.isResponse[t]), 1);
    }
    QCOMPARE(example.ids.back(), *tokenizer.tokenId("<|im_end|>"));
  }
  void sftData_malformedLineNamesFileLineAndField() {
    auto dir = test::freshTempDir("sft-bad");
    test::writeTinyTokenizer(dir);
    auto tokenizer = tokenizer::Tokenizer::fromDirectory(dir);
    std::ofstream(dir / "bad.jsonl") << R"({"prompt":"a","response":"b"})" "\n"
                                     << R"({"messages":[{"role":"user","content":3}]})" "\n";
    try {
      train::loadSftJsonl(dir / "bad.jsonl", tokenizer, {}, nullptr);
      QFAIL("no error");
    } catch (const ParseError& error) {
      QCOMPARE(error.line(), int64_t(2));
      QCOMPARE(QString::fromStdString(error.field()), QString("messages[0].content"));
    }
    train::SftDataReport report;
    auto examples =
        train::loadSftJsonl(dir / "bad.jsonl", tokenizer, {.skipBad = true}, &report);
    QCOMPARE(int(examples.size()), 1);
    QCOMPARE(report.skippedBad, int64_t(1));
  }
  void loss_coversResponseTokensOnlyAndPromptGetsNoGradient() {
    auto dir = test::freshTempDir("sft-grad");
    test::writeTinyModel(dir);
    auto tokenizer = tokenizer::Tokenizer::fromDirectory(dir);
    auto llama = model::detail::loadLlamaModel(dir, torch::kCPU, torch::kFloat32);
    auto example = train::tokenizeSftRecord(
        R"({"prompt":"2+2?","response":"= 4"})", tokenizer, "x", 1);
    auto batch = train::packExamples({example}, {0}, {.rowLength = 64})[0];
    // Loss equals the summed response-token negative log-likelihood that score() reports.
    double loss = train::detail::packedTokenLossSum(llama, batch, torch::kCPU).item<double>();
    auto model = model::LanguageModel::load(dir);
    auto logprobs = model.score(example.ids);
    double expected = 0;
    for (std::size_t t = 1; t < example.ids.size(); ++t) {
      if (example.isResponse[t]) expected -= logprobs[t - 1];
    }
    QVERIFY2(std::abs(loss - expected) < 1e-4, qPrintable(QString("%1 vs %2").arg(loss).arg(expected)));
    // With every token marked as prompt the loss is zero and no parameter gets a gradient.
    auto promptOnly = example;
    std::fill(promptOnly.isResponse.begin(), promptOnly.isResponse.end(), 0);
    auto masked = train::packExamples({promptOnly}, {0}, {.rowLength = 64})[0];
    QCOMPARE(masked.trainedTokens, int64_t(0));
    auto zero = train::detail::packedTokenLossSum(llama, masked, torch::kCPU);
    zero.backward();
    QCOMPARE(zero.item<double>(), 0.0);
    for (const auto& parameter : llama->parameters()) {
      QVERIFY(!parameter.grad().defined() || parameter.grad().abs().max().item<double>() == 0.0);
    }
  }
  void packing_givesSameLossAsUnpackedBatches() {
    auto dir = test::freshTempDir("sft-pack");
    test::writeTinyModel(dir);
    test::writeTinyCorpus(dir / "c.jsonl", 6);
    auto tokenizer = tokenizer::Tokenizer::fromDirectory(dir);
    auto llama = model::detail::loadLlamaModel(dir, torch::kCPU, torch::kFloat32);
    auto examples = train::loadSftJsonl(dir / "c.jsonl", tokenizer, {}, nullptr);
    std::vector<std::size_t> order = {0, 1, 2, 3, 4, 5};
    auto packed = train::packExamples(examples, order, {.rowLength = 64, .rowsPerBatch = 8});
    auto unpacked =
        train::packExamples(examples, order, {.rowLength = 64, .rowsPerBatch = 8, .pack = false});
    QVERIFY(packed[0].rows < unpacked[0].rows);
    double a = 0, b = 0;
    for (auto& batch : packed) a += train::detail::packedTokenLossSum(llama, batch, torch::kCPU).item<double>();
    for (auto& batch : unpacked) b += train::detail::packedTokenLossSum(llama, batch, torch::kCPU).item<double>();
    QVERIFY2(std::abs(a - b) < 1e-4 * std::abs(b), qPrintable(QString("%1 vs %2").arg(a).arg(b)));
  }
  void trainer_lossDecreasesOnTinyCorpus() {
    auto dir = test::freshTempDir("sft-decrease");
    prepare(dir);
    auto losses = lossCurve(tinyOptions(dir));
    QCOMPARE(int(losses.size()), 12);  // 24 examples / 8 per step x 4 epochs
    QVERIFY2(losses.back() < 0.6 * losses.front(),
             qPrintable(QString("%1 -> %2").arg(losses.front()).arg(losses.back())));
    QVERIFY(fs::exists(dir / "out/final/model.safetensors"));
    QVERIFY(fs::exists(dir / "out/final/tokenizer.json"));
  }
  void stepBudget_trainsThatManyStepsOverAsManyEpochsAsItTakes() {
    auto dir = test::freshTempDir("sft-step-budget");
    prepare(dir);
    auto options = tinyOptions(dir);
    options.steps = 7;  // 24 examples / 8 per step: two epochs and a third of one; epochs ignored
    std::vector<int> epochs;
    auto result = train::runSft(options, {.onStep = [&](const train::SftStepMetrics& m) {
                                  QCOMPARE(m.totalSteps, 7);
                                  epochs.push_back(m.epoch);
                                }});
    QCOMPARE(epochs, (std::vector<int>{0, 0, 0, 1, 1, 1, 2}));
    QCOMPARE(result.finalStep, 7);
    QVERIFY(fs::exists(dir / "out/final/model.safetensors"));
    options.steps = -1;
    QVERIFY_THROWS_EXCEPTION(UsageError, train::runSft(options));
  }
  void resume_afterSigkillMatchesUninterruptedRun() {
    auto dir = test::freshTempDir("sft-resume");
    prepare(dir);
    auto reference = lossCurve(tinyOptions(dir));

    auto interrupted = tinyOptions(dir);
    interrupted.outputDir = dir / "killed";
    interrupted.checkpointEvery = 2;
    // A child process trains and SIGKILLs itself right after step 5 (checkpoint at step 4), so the
    // resumed run repeats step 5 and continues.
    auto child = test::runProgram(QCoreApplication::applicationFilePath(),
                                  {"--sft-child", QString::fromStdString(dir.string())});
    QVERIFY2(child.crashed, qPrintable(child.err));
    QVERIFY(fs::exists(interrupted.outputDir / "checkpoint-4"));

    std::vector<double> resumed;
    auto result = train::runSft(interrupted, {.onStep = [&](const train::SftStepMetrics& m) {
                                  resumed.push_back(m.loss);
                                }});
    QVERIFY(result.resumed);
    QCOMPARE(int(resumed.size()), 8);  // steps 5..12
    for (std::size_t i = 0; i < resumed.size(); ++i) {
      QVERIFY2(std::abs(resumed[i] - reference[i + 4]) < 1e-5,
               qPrintable(QString("step %1: %2 vs %3").arg(i + 5).arg(resumed[i]).arg(reference[i + 4])));
    }
  }
  void resume_pastTheEndSaysSoInsteadOfTrainingZeroSteps() {
    auto dir = test::freshTempDir("sft-done");
    prepare(dir, 8);
    auto options = tinyOptions(dir);
    options.epochs = 1;
    train::runSft(options);
    try {
      train::runSft(options);
      QFAIL("no error");
    } catch (const Error& error) {
      QVERIFY(QString(error.what()).contains("already finished"));
    }
  }
  void resume_withOtherOptionsIsRefused() {
    auto dir = test::freshTempDir("sft-changed");
    prepare(dir, 16);
    auto options = tinyOptions(dir);
    options.checkpointEvery = 1;
    train::runSft(options, {.shouldStop = [] { return true; }});
    options.learningRate = 5e-2;
    QVERIFY_THROWS_EXCEPTION(Error, train::runSft(options));
  }
};

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--sft-child") {
    auto options = tinyOptions(argv[2]);
    options.outputDir = fs::path(argv[2]) / "killed";
    options.checkpointEvery = 2;
    train::runSft(options, {.onStep = [](const train::SftStepMetrics& m) {
                     if (m.step == 5) std::raise(SIGKILL);
                   }});
    return 3;  // not reached
  }
  QCoreApplication app(argc, argv);
  SftTrainerTest test;
  return QTest::qExec(&test, argc, argv);
}
#include "sft_trainer_test.moc"
