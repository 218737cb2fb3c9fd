// A workspace whose database is corrupt (truncated and overwritten): the log dock, the trace
// view's sample list and the samples view each show the read error in red where their rows would
// be, never an empty list as if the run held nothing.
#include <QLabel>
#include <QtTest>

#include "core/base/workspace_paths.h"
#include "core/store/workspace.h"
#include "gui/samples/samples_view.h"
#include "gui/trace/trace_sample_panel.h"
#include "gui/workspace/event_log_panel.h"
#include "tests/support/test_support.h"

using namespace astro;

namespace {

std::filesystem::path corruptWorkspace() {
  auto folder = test::freshTempDir("gui-read-errors");
  {
    auto workspace = store::Workspace::open(folder);
    auto run = workspace.runs().create({.name = "soon unreadable"});
    workspace.events().append(run.id, {store::EventKind::kLog, {{"message", "hello"}}});
  }
  QFile database(QString::fromStdString(workspaceDatabasePath(folder).string()));
  if (!database.open(QIODevice::WriteOnly | QIODevice::Truncate)) qFatal("cannot corrupt");
  database.write(QByteArray(4096, 'x'));
  return folder;
}

QString shownError(const QWidget& widget, const char* name) {
  auto* label = widget.findChild<QLabel*>(name);
  return label && !label->isHidden() ? label->text() : QString();
}

}  // namespace

class ReadErrorsTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { folder_ = corruptWorkspace(); }

  void eventLog_showsTheErrorAboveTheList() {
    gui::EventLogPanel panel;
    panel.setWorkspace(folder_);
    panel.showRun(1);
    QTRY_VERIFY(!panel.errorText().isEmpty());
    QVERIFY(panel.errorText().startsWith("Cannot read the event log:"));
    QVERIFY(!shownError(panel, "eventLogError").isEmpty());
    QCOMPARE(panel.text(), QString());
  }

  void traceSamples_showTheErrorAboveTheList() {
    gui::TraceSamplePanel panel;
    panel.showRun(folder_, 1);
    QTRY_VERIFY(shownError(panel, "traceSampleError").startsWith("Cannot read samples:"));
  }

  void samplesView_showsTheErrorAboveTheTable() {
    gui::SamplesView view;
    view.showRun(folder_, 1);
    QTRY_VERIFY(!shownError(view, "samplesError").isEmpty());
  }

 private:
  std::filesystem::path folder_;
};

QTEST_MAIN(ReadErrorsTest)
#include "read_errors_test.moc"
