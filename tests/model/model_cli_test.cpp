// `astro model init`, `astro generate` and `astro score`: exit codes and JSON output forms.
#include <QtTest>

#include "core/base/atomic_file.h"
#include "tests/support/test_support.h"

using astro::test::runProgram;

namespace {

const char* kConfig = R"({"architectures": ["LlamaForCausalLM"], "vocab_size": 40,
  "hidden_size": 16, "intermediate_size": 24, "num_hidden_layers": 1, "num_attention_heads": 2,
  "num_key_value_heads": 1, "initializer_range": 0.3})";

QString path(const std::filesystem::path& p) { return QString::fromStdString(p.string()); }

// A freshly initialised model folder.
std::filesystem::path initModel(const QString& name) {
  auto dir = astro::test::freshTempDir(name);
  astro::writeFileAtomically(dir / "config.json.in", kConfig);
  auto result =
      runProgram(ASTRO_CLI_PATH, {"model", "init", "--config", path(dir / "config.json.in"),
                                  "--seed", "3", "--out", path(dir / "model")});
  if (result.exitCode != 0) qWarning("%s", qPrintable(result.err));
  return dir / "model";
}

}  // namespace

class ModelCliTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void init_writesHuggingFaceLayout() {
    auto model = initModel("cli-init");
    QVERIFY(std::filesystem::exists(model / "config.json"));
    QVERIFY(std::filesystem::exists(model / "model.safetensors"));
  }

  void generate_printsJsonWithIds() {
    auto model = initModel("cli-generate");
    auto result =
        runProgram(ASTRO_CLI_PATH, {"generate", "--model", path(model), "--prompt-ids", "1,2,3",
                                    "--max-new-tokens", "5", "--format", "json"});
    QCOMPARE(result.exitCode, 0);
    auto object = QJsonDocument::fromJson(result.out.toUtf8()).object();
    QCOMPARE(object["ids"].toArray().size(), 5);
    QCOMPARE(object["finish_reason"].toString(), QString("length"));
    QVERIFY(!object.contains("text"));
  }

  void generate_sameSeedSameSample() {
    auto model = initModel("cli-seed");
    QStringList args = {"generate", "--model",  path(model), "--prompt-ids", "4",  "--temperature",
                        "1.0",      "--top-p",  "0.9",       "--top-k",      "20", "--seed",
                        "7",        "--format", "json"};
    auto first = runProgram(ASTRO_CLI_PATH, args);
    auto second = runProgram(ASTRO_CLI_PATH, args);
    QCOMPARE(first.exitCode, 0);
    QCOMPARE(first.out, second.out);
  }

  void score_printsOneLogprobPerPredictedToken() {
    auto model = initModel("cli-score");
    auto result = runProgram(ASTRO_CLI_PATH, {"score", "--model", path(model), "--ids", "1,2,3,4"});
    QCOMPARE(result.exitCode, 0);
    auto array = QJsonDocument::fromJson(result.out.toUtf8()).array();
    QCOMPARE(array.size(), 3);
    for (const auto& value : array) QVERIFY(value.isDouble() && value.toDouble() < 0);
  }

  void generate_promptWithoutTokenizer_isUsageError() {
    auto model = initModel("cli-notokenizer");
    auto result =
        runProgram(ASTRO_CLI_PATH, {"generate", "--model", path(model), "--prompt", "hi"});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains("tokenizer.json"));
  }

  void generate_bothPromptForms_isUsageError() {
    auto model = initModel("cli-both");
    auto result = runProgram(
        ASTRO_CLI_PATH, {"generate", "--model", path(model), "--prompt", "x", "--prompt-ids", "1"});
    QCOMPARE(result.exitCode, 2);
  }

  void score_badIds_isUsageError() {
    auto model = initModel("cli-badids");
    auto result = runProgram(ASTRO_CLI_PATH, {"score", "--model", path(model), "--ids", "1,x"});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains("--ids"));
    result = runProgram(ASTRO_CLI_PATH, {"score", "--model", path(model), "--ids", "1,400"});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains("vocabulary"));
  }

  void init_unknownArchitecture_failsNamingKey() {
    auto dir = astro::test::freshTempDir("cli-badarch");
    astro::writeFileAtomically(dir / "c.json", R"({"architectures": ["BertModel"]})");
    auto result = runProgram(ASTRO_CLI_PATH, {"model", "init", "--config", path(dir / "c.json"),
                                              "--seed", "1", "--out", path(dir / "m")});
    QCOMPARE(result.exitCode, 1);
    QVERIFY(result.err.contains("architectures") && result.err.contains("BertModel"));
  }

  void score_missingWeights_failsNamingFile() {
    auto model = initModel("cli-noweights");
    std::filesystem::remove(model / "model.safetensors");
    auto result = runProgram(ASTRO_CLI_PATH, {"score", "--model", path(model), "--ids", "1,2"});
    QCOMPARE(result.exitCode, 1);
    QVERIFY(result.err.contains("model.safetensors"));
  }
};

QTEST_GUILESS_MAIN(ModelCliTest)
#include "model_cli_test.moc"
