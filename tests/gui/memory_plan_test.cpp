// The Launch view's memory plan (gui/launch/memory_plan_panel.h) through the built `astro plan`:
// a valid config gets one row per stage under QAbstractItemModelTester, a preset that does not fit
// says so with the advice as tooltip, more GPUs re-plan, and an invalid config shows the CLI's
// error in place of the table instead of an empty one.
#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QFile>
#include <QSettings>
#include <QSpinBox>
#include <QtTest>

#include "gui/launch/launch_view.h"
#include "gui/launch/memory_plan_model.h"
#include "gui/launch/memory_plan_panel.h"

using namespace astro::gui;

namespace {

constexpr int kPlanTimeoutMs = 30000;  // one `astro` start each, on a loaded 2-core machine

QString readSource(const char* relative) {
  QFile file(QStringLiteral(ASTRO_SOURCE_DIR "/") + QLatin1String(relative));
  if (!file.open(QIODevice::ReadOnly)) return {};
  return QString::fromUtf8(file.readAll());
}

int rowOf(const MemoryPlanModel* model, const QString& stage) {
  for (int row = 0; row < model->rowCount(); ++row) {
    if (model->index(row, MemoryPlanModel::kStage).data().toString() == stage) return row;
  }
  return -1;
}

}  // namespace

class MemoryPlanTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName("AstroStudioTests");
    QCoreApplication::setApplicationName("memory_plan_test");
    QSettings().clear();
    qputenv("ASTRO_CLI", ASTRO_CLI_PATH);
  }

  void parseMemoryPlanJson_readsStagesAndBytes() {
    QString error;
    MemoryPlan plan = parseMemoryPlanJson(
        R"({"device":"cuda","gpus":8,"device_memory":85899345920,"fits":false,"stages":[
           {"stage":"sft","model":"m","work":"training","weights":16060522496,"gradients":1,
            "optimizer":2,"activations":3,"kv_cache":0,"total":16060522502,"fits":false,
            "advice":"more"}]})",
        &error);
    QVERIFY(error.isEmpty());
    QCOMPARE(plan.rows.size(), 1);
    QCOMPARE(plan.rows[0].weights, qint64(16060522496));
    QCOMPARE(plan.rows[0].advice, QString("more"));
    QVERIFY(plan.summary.contains("8 GPU(s) of 80.0 GiB"));
    parseMemoryPlanJson("astro: error: nope", &error);
    QVERIFY(!error.isEmpty());
    QCOMPARE(formatByteCount(76287481856), QString("71.0 GiB"));
  }

  void launchView_showsThePlanBesideTheConfig() {
    LaunchView view;
    MemoryPlanPanel* panel = view.memoryPlan();
    QVERIFY(panel != nullptr);
    QAbstractItemModelTester tester(panel->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy planned(panel, &MemoryPlanPanel::planned);
    view.setConfig(readSource("tests/pipeline/data/tiny.toml"),
                   QStringLiteral(ASTRO_SOURCE_DIR "/tests/pipeline/data"), "tiny");
    QTRY_VERIFY_WITH_TIMEOUT(planned.count() >= 1 && !panel->planning(), kPlanTimeoutMs);
    QVERIFY2(panel->errorText().isEmpty(), qPrintable(panel->errorText()));
    const MemoryPlanModel* model = panel->model();
    QCOMPARE(model->rowCount(), 7);  // every stage of tiny.toml
    int sft = rowOf(model, "sft");
    QVERIFY(sft >= 0);
    QCOMPARE(model->index(sft, MemoryPlanModel::kModel).data().toString(), QString("world tiny"));
    QVERIFY(model->index(sft, MemoryPlanModel::kTotal).data().toString().endsWith("iB"));
    QCOMPARE(model->index(sft, MemoryPlanModel::kFits).data().toString(), QString("yes"));
    QVERIFY(model->plan().fits);
  }

  void presetThatDoesNotFit_saysWhy_andMoreGpusReplan() {
    LaunchView view;
    MemoryPlanPanel* panel = view.memoryPlan();
    QSignalSpy planned(panel, &MemoryPlanPanel::planned);
    view.setConfig(readSource("resources/pipelines/astro-70b.toml"),
                   QStringLiteral(ASTRO_SOURCE_DIR "/resources/pipelines"), "astro-70b");
    QTRY_VERIFY_WITH_TIMEOUT(planned.count() >= 1 && !panel->planning(), kPlanTimeoutMs);
    const MemoryPlanModel* model = panel->model();
    int sft = rowOf(model, "sft");
    QVERIFY2(sft >= 0, qPrintable(panel->errorText()));
    QCOMPARE(model->index(sft, MemoryPlanModel::kFits).data().toString(), QString("no"));
    QVERIFY(model->index(sft, MemoryPlanModel::kFits)
                .data(Qt::ToolTipRole)
                .toString()
                .contains("tensor or pipeline parallelism"));
    qint64 optimizerOnOne = model->plan().rows[sft].optimizer;
    planned.clear();
    panel->gpus()->setValue(8);
    QTRY_VERIFY_WITH_TIMEOUT(planned.count() >= 1 && !panel->planning(), kPlanTimeoutMs);
    QCOMPARE(model->plan().rows[rowOf(model, "sft")].optimizer * 8, optimizerOnOne);
  }

  void invalidConfig_showsTheErrorInPlace() {
    LaunchView view;
    MemoryPlanPanel* panel = view.memoryPlan();
    QSignalSpy planned(panel, &MemoryPlanPanel::planned);
    view.setConfig(QStringLiteral("[sft]\nmodel = \"/nowhere/not-a-model\"\ndata = \"d.jsonl\"\n"),
                   QStringLiteral("/tmp"), "broken");
    QTRY_VERIFY_WITH_TIMEOUT(planned.count() >= 1 && !panel->planning(), kPlanTimeoutMs);
    QCOMPARE(panel->model()->rowCount(), 0);
    QVERIFY2(panel->errorText().contains("not-a-model"), qPrintable(panel->errorText()));
  }
};

QTEST_MAIN(MemoryPlanTest)
#include "memory_plan_test.moc"
