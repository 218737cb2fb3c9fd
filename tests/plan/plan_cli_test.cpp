// `astro plan` and `astro pipeline check`'s memory warnings, run as the built program: the tiny
// test pipeline fits (exit 0), the presets are planned from their models' names alone (no
// checkpoint on this machine), astro-70b does not fit (exit 3) and check warns without failing.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "tests/support/test_support.h"

using astro::test::runProgram;

namespace {

QString sourcePath(const char* relative) {
  return QStringLiteral(ASTRO_SOURCE_DIR "/") + QString::fromLatin1(relative);
}

}  // namespace

class PlanCliTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void tinyPipeline_fits_exitZero() {
    auto result = runProgram(ASTRO_CLI_PATH, {"plan", sourcePath("tests/pipeline/data/tiny.toml")});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err + result.out));
    QVERIFY(result.out.contains("Memory plan of tiny"));
    QVERIFY(result.out.contains("world tiny"));
    QVERIFY(!result.out.contains("does not fit"));
  }

  void llama3Preset_json_oneObjectPerStage_exitMatchesFits() {
    auto result = runProgram(ASTRO_CLI_PATH, {"plan", sourcePath("resources/pipelines/llama3-8b.toml"),
                                              "--gpus", "8", "--gpu-memory", "80GB", "--json"});
    QJsonObject plan = QJsonDocument::fromJson(result.out.toUtf8()).object();
    QVERIFY2(!plan.isEmpty(), qPrintable(result.err + result.out));
    QCOMPARE(plan["gpus"].toInt(), 8);
    QCOMPARE(plan["device"].toString(), QString("cuda"));
    QJsonArray stages = plan["stages"].toArray();
    QStringList names;
    for (const QJsonValue& stage : stages) {
      names << stage["stage"].toString();
      QVERIFY(stage["fits"].isBool());
      QVERIFY(stage["total"].toDouble() >= 0);
    }
    QCOMPARE(names, (QStringList{"search", "linearize", "sft", "rl", "evaluate", "analyze"}));
    QJsonObject sft = stages[2].toObject();
    QCOMPARE(sft["model"].toString(), QString("Llama-3.1-8B-Instruct"));
    QCOMPARE(sft["parameters"].toDouble(), 8030261248.0);
    QCOMPARE(result.exitCode, plan["fits"].toBool() ? 0 : 3);
  }

  void astro70b_doesNotFit_exitThree_andSaysWhatItNeeds() {
    auto result = runProgram(ASTRO_CLI_PATH, {"plan", sourcePath("resources/pipelines/astro-70b.toml"),
                                              "--gpus", "8"});
    QCOMPARE(result.exitCode, 3);
    QVERIFY2(result.out.contains("sft does not fit: needs more than the engine offers: tensor or "
                                 "pipeline parallelism"),
             qPrintable(result.out));
  }

  void pipelineCheck_warnsButSucceeds() {
    auto result = runProgram(ASTRO_CLI_PATH,
                             {"pipeline", "check", sourcePath("resources/pipelines/astro-70b.toml")});
    QCOMPARE(result.exitCode, 0);
    QJsonObject check = QJsonDocument::fromJson(result.out.toUtf8()).object();
    QCOMPARE(check["ok"].toBool(), true);
    QVERIFY(!check["warnings"].toArray().isEmpty());
    QVERIFY(result.err.contains("astro: warning: "));
    QVERIFY(result.err.contains("stage 'sft' needs"));

    auto tiny = runProgram(ASTRO_CLI_PATH,
                           {"pipeline", "check", sourcePath("tests/pipeline/data/tiny.toml")});
    QCOMPARE(tiny.exitCode, 0);
    QVERIFY(QJsonDocument::fromJson(tiny.out.toUtf8()).object()["warnings"].toArray().isEmpty());
  }

  void badMemorySize_isAUsageError() {
    auto result = runProgram(ASTRO_CLI_PATH, {"plan", sourcePath("tests/pipeline/data/tiny.toml"),
                                              "--gpu-memory", "80 parsecs"});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains("memory size '80 parsecs'"));
  }
};

QTEST_GUILESS_MAIN(PlanCliTest)
#include "plan_cli_test.moc"
