// The studio reading search trees from the run store: the problems list model pages lazily under
// QAbstractItemModelTester and filters in SQL (solved, subject, level, text), the panel's filter
// boxes drive it, it sorts in SQL (by nodes, most first, by default in the panel) and a running
// run's list follows new trees keeping the selection, the tree view lists a run's trees and opens
// the largest and a chosen one from worker threads, read errors are shown where the list would
// be, the main window does it for the selected run, and `astro-studio --open-run ID --view tree`
// draws a stored tree.
#include "gui/tree/run_trees.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QGraphicsEllipseItem>
#include <QHeaderView>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QtTest>

#include "core/base/workspace_paths.h"
#include "core/search/tree_store_run.h"
#include "core/store/workspace.h"
#include "gui/main_window.h"
#include "gui/tree/run_tree_list_model.h"
#include "gui/tree/run_tree_panel.h"
#include "gui/tree/tree_view.h"
#include "tests/support/test_support.h"

using namespace astro;

namespace {

// A tree for problem `index`: a root with `index + 1` children, the last a correct terminal.
search::SearchTree numberedTree(int index) {
  search::SearchTree tree("problem " + std::to_string(index), std::to_string(index));
  for (int child = 0; child <= index % 5; ++child) {
    const int id = tree.addChild(0, "step " + std::to_string(child), 1.0 / (index % 5 + 1));
    tree.node(id).visits = 1;
  }
  search::TreeNode& last = tree.node(tree.size() - 1);
  last.terminal = true;
  last.answer = std::to_string(index);
  last.correct = true;
  tree.node(0).visits = tree.size() - 1;
  return tree;
}

// A workspace whose run 1 holds `count` trees (problem ids "p0", "p1", ...) and run 2 none.
std::filesystem::path workspaceWithTrees(const QString& name, int count) {
  auto folder = test::freshTempDir(name);
  auto workspace = store::Workspace::open(folder);
  const auto run = workspace.runs().create({.name = "search run"});
  workspace.runs().create({.name = "empty run"});
  std::vector<store::NewTree> rows;
  for (int i = 0; i < count; ++i) {
    rows.push_back(search::toNewTree(numberedTree(i), run.id, "search", "p" + std::to_string(i)));
  }
  workspace.trees().saveAll(rows);
  return folder;
}

// Run 1 with 30 trees: p<i> unsolved when i % 3 == 0, subject Algebra (even i) or Geometry,
// level 1 + i % 5, and p7's problem mentions a circle.
std::filesystem::path workspaceWithTopics(const QString& name) {
  auto folder = test::freshTempDir(name);
  auto workspace = store::Workspace::open(folder);
  const auto run = workspace.runs().create({.name = "math search"});
  for (int i = 0; i < 30; ++i) {
    search::SearchTree tree = numberedTree(i);
    if (i % 3 == 0) tree.node(tree.size() - 1).correct = false;
    auto row = search::toNewTree(tree, run.id, "search", "p" + std::to_string(i));
    row.subject = i % 2 == 0 ? "Algebra" : "Geometry";
    row.level = 1 + i % 5;
    if (i == 7) row.problem = "The area of a Circle of radius 2";
    workspace.trees().save(row);
  }
  return folder;
}

QStringList problemIdsOf(const gui::RunTreeListModel& model) {
  QStringList ids;
  for (int row = 0; row < model.rowCount(); ++row) {
    ids << model.index(row, gui::RunTreeListModel::kProblemId).data().toString();
  }
  return ids;
}

}  // namespace

class RunTreesTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void readRunTreePage_andTree_readTheStore() {
    const auto folder = workspaceWithTrees("gui-run-trees-read", 7);
    const auto page = gui::readRunTreePage(folder, 1, {}, 5, 10);  // after tree id 5 (p4)
    QVERIFY(page.error.isEmpty());
    QCOMPARE(page.total, std::int64_t{7});
    QCOMPARE(page.trees.size(), std::size_t{2});
    QCOMPARE(page.trees[0].problemId, std::string("p5"));
    const auto loaded = gui::readRunTree(folder, page.trees[0].id);
    QVERIFY(loaded.tree.has_value());
    QVERIFY(*loaded.tree == numberedTree(5));
    QVERIFY(!gui::readRunTree(folder, 99).error.isEmpty());
    QCOMPARE(gui::readRunTreePage(test::freshTempDir("gui-run-trees-none"), 1, {}, 0, 10).total,
             std::int64_t{0});
  }

  void listModel_fetchesPagesLazilyUnderTheModelTester() {
    const auto folder = workspaceWithTrees("gui-run-trees-model", 23);
    gui::RunTreeListModel model(nullptr, 10);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy pages(&model, &gui::RunTreeListModel::pageLoaded);
    model.setRun(folder, 1);
    QCOMPARE(model.rowCount(), 0);  // nothing is read on the calling thread
    QTRY_COMPARE(model.rowCount(), 10);
    QCOMPARE(model.totalTrees(), qint64{23});
    // The tester itself calls fetchMore() when it probes the model, so a page may already be on
    // its way: ask for more only while the model says it can, until every row is in.
    QTRY_VERIFY([&] {
      if (model.canFetchMore({})) model.fetchMore({});
      return model.rowCount() == 23;
    }());
    QVERIFY(!model.canFetchMore({}));
    QCOMPARE(model.index(22, gui::RunTreeListModel::kProblemId).data().toString(),
             QStringLiteral("p22"));
    QCOMPARE(model.index(3, gui::RunTreeListModel::kNodes).data().toInt(), 5);
    QCOMPARE(model.index(3, gui::RunTreeListModel::kCorrect).data().toInt(), 1);
    QCOMPARE(model.index(3, 0).data(gui::RunTreeListModel::kTreeIdRole).toLongLong(), 4);
    QCOMPARE(pages.count(), 3);

    // Another run supersedes: its (empty) list replaces the rows, nothing stale arrives later.
    model.setRun(folder, 2);
    model.setRun(folder, 1);
    model.setRun(folder, 2);
    QTRY_COMPARE(model.totalTrees(), qint64{0});
    QTest::qWait(50);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.runId(), std::int64_t{2});
  }

  void listModel_filtersInSqlUnderTheModelTester() {
    const auto folder = workspaceWithTopics("gui-run-trees-filter");
    gui::RunTreeListModel model(nullptr, 4);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRun(folder, 1);
    QTRY_COMPARE(model.totalTrees(), qint64{30});
    QCOMPARE(model.subjects(), (std::vector<std::string>{"Algebra", "Geometry"}));
    QCOMPARE(model.levels(), (std::vector<int>{1, 2, 3, 4, 5}));
    QVERIFY(!model.isRunRunning());
    model.setFilter({.solved = false, .subject = std::string("Algebra")});
    QCOMPARE(model.rowCount(), 0);  // read on the pool
    QTRY_COMPARE(model.totalTrees(), qint64{5});  // p0, p6, p12, p18, p24
    QTRY_VERIFY([&] {
      if (model.canFetchMore({})) model.fetchMore({});
      return model.rowCount() == 5;
    }());
    QCOMPARE(problemIdsOf(model), (QStringList{"p0", "p6", "p12", "p18", "p24"}));
    QCOMPARE(model.index(1, gui::RunTreeListModel::kSubject).data().toString(),
             QStringLiteral("Algebra"));
    QCOMPARE(model.index(1, gui::RunTreeListModel::kLevel).data().toInt(), 2);
    model.setFilter({.level = 3, .text = "CIRCLE"});
    QTRY_COMPARE(model.totalTrees(), qint64{1});
    QTRY_COMPARE(problemIdsOf(model), QStringList{"p7"});
    model.setFilter({.text = "no such problem"});
    QTRY_COMPARE(model.totalTrees(), qint64{0});
    QCOMPARE(model.rowCount(), 0);
  }

  void panel_filterBoxesNarrowTheList() {
    const auto folder = workspaceWithTopics("gui-run-trees-panel");
    gui::RunTreePanel panel;
    panel.showRun(folder, 1);
    auto* model = panel.model();
    QTRY_COMPARE(model->totalTrees(), qint64{30});
    QCOMPARE(panel.subjectBox()->count(), 3);  // any, Algebra, Geometry
    QCOMPARE(panel.levelBox()->count(), 6);
    QVERIFY(panel.subjectBox()->isEnabled());
    panel.solvedBox()->setCurrentIndex(1);  // solved
    panel.subjectBox()->setCurrentIndex(panel.subjectBox()->findText("Geometry"));
    QTRY_COMPARE(model->totalTrees(), qint64{10});  // odd i, not a multiple of 3
    panel.levelBox()->setCurrentIndex(panel.levelBox()->findData(3));
    QTRY_COMPARE(model->totalTrees(), qint64{2});  // p7, p17
    QTRY_COMPARE(problemIdsOf(*model), (QStringList{"p7", "p17"}));
    panel.levelBox()->setCurrentIndex(0);
    panel.subjectBox()->setCurrentIndex(0);
    panel.solvedBox()->setCurrentIndex(0);
    panel.searchBox()->setText("circle");  // applied 250 ms after typing stops
    QTRY_COMPARE(model->totalTrees(), qint64{1});
    QTRY_COMPARE(problemIdsOf(*model), QStringList{"p7"});
    // A run without subjects or levels leaves those boxes disabled.
    const auto plain = workspaceWithTrees("gui-run-trees-panel-plain", 3);
    panel.searchBox()->clear();
    panel.showRun(plain, 1);
    QTRY_COMPARE(model->totalTrees(), qint64{3});
    QVERIFY(!panel.subjectBox()->isEnabled());
    QVERIFY(!panel.levelBox()->isEnabled());
  }

  void panel_runningRun_followsNewTreesKeepingSelectionAndScroll() {
    const auto folder = workspaceWithTrees("gui-run-trees-live", 40);
    auto writer = store::Workspace::open(folder);
    writer.runs().updateStatus(1, store::RunStatus::kRunning);
    gui::RunTreePanel panel;
    panel.resize(400, 300);
    panel.show();
    panel.setRefreshInterval(50);
    panel.view()->sortByColumn(gui::RunTreeListModel::kProblemId, Qt::AscendingOrder);  // stored
    panel.showRun(folder, 1);
    auto* model = panel.model();
    QTRY_VERIFY(model->rowCount() > 0);
    QTRY_VERIFY(panel.isPolling());
    QTRY_VERIFY([&] {
      if (model->canFetchMore({})) model->fetchMore({});
      return model->rowCount() == 40;
    }());
    QVERIFY(panel.selectRow(5));
    auto* scroll = panel.view()->verticalScrollBar();
    scroll->setValue(3);
    // The search stage stores more trees while the list is open.
    std::vector<store::NewTree> more;
    for (int i = 40; i < 45; ++i) {
      more.push_back(search::toNewTree(numberedTree(i), 1, "search", "p" + std::to_string(i)));
    }
    writer.trees().saveAll(more);
    QTRY_COMPARE(model->totalTrees(), qint64{45});
    QTRY_COMPARE(model->rowCount(), 45);
    QCOMPARE(model->index(44, gui::RunTreeListModel::kProblemId).data().toString(),
             QStringLiteral("p44"));
    QCOMPARE(panel.view()->currentIndex().row(), 5);
    QCOMPARE(panel.view()->selectionModel()->selectedRows().size(), 1);
    QCOMPARE(scroll->value(), 3);
    // A finished run stops the polling.
    writer.runs().updateStatus(1, store::RunStatus::kFinished);
    QTRY_VERIFY(!panel.isPolling());
  }

  // Trees p0..p3 have 2..5 nodes: the view opens the largest, the list sorted by nodes.
  void treeView_showRun_opensTheLargestTreeThenTheChosenOne() {
    const auto folder = workspaceWithTrees("gui-run-trees-view", 4);
    gui::TreeView view;
    QSignalSpy laidOut(&view, &gui::TreeView::layoutFinished);
    view.showRun(folder, 1);
    QTRY_VERIFY(view.isLayoutReady());
    QVERIFY(view.currentTree() != nullptr);
    QVERIFY(*view.currentTree() == numberedTree(3));
    QCOMPARE(problemIdsOf(*view.runTreePanel()->model()), (QStringList{"p3", "p2", "p1", "p0"}));
    QVERIFY(view.runTreePanel()->selectRow(2));
    QTRY_VERIFY(view.currentTree() != nullptr && *view.currentTree() == numberedTree(1));
    QTRY_VERIFY(view.isLayoutReady());
    QCOMPARE(view.path().finalNode(), 2);  // the linearized path ends at the correct terminal
    auto* chooser = view.findChild<QComboBox*>();
    QVERIFY(chooser->currentText().startsWith("run 1 · p1"));
    // A node's tooltip starts with its step's first words.
    QVERIFY(view.scene()->nodeItem(1)->toolTip().startsWith("step 0\n#1"));
  }

  // Sorting runs in SQL over every tree, pages included: by nodes (ties by most wrong
  // terminals), by wrong terminals, back to stored order; the tester watches every reset.
  void listModel_sortsInSqlAcrossPagesUnderTheModelTester() {
    const auto folder = workspaceWithTopics("gui-run-trees-sort");
    gui::RunTreeListModel model(nullptr, 4);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.sort(gui::RunTreeListModel::kNodes, Qt::DescendingOrder);
    model.setRun(folder, 1);
    QTRY_COMPARE(model.rowCount(), 4);
    // 6 nodes: i % 5 == 4; of those p9 and p24 hold a wrong terminal (i % 3 == 0).
    QCOMPARE(problemIdsOf(model), (QStringList{"p9", "p24", "p4", "p14"}));
    QTRY_VERIFY([&] {
      if (model.canFetchMore({})) model.fetchMore({});
      return model.rowCount() == 30;
    }());
    QCOMPARE(problemIdsOf(model).mid(4, 2), (QStringList{"p19", "p29"}));
    QCOMPARE(model.index(29, gui::RunTreeListModel::kNodes).data().toInt(), 2);
    model.sort(gui::RunTreeListModel::kWrong, Qt::DescendingOrder);
    QTRY_COMPARE(model.rowCount(), 4);
    QCOMPARE(problemIdsOf(model), (QStringList{"p0", "p3", "p6", "p9"}));
    QCOMPARE(model.index(0, gui::RunTreeListModel::kWrong).data().toInt(), 1);
    model.sort(gui::RunTreeListModel::kDepth, Qt::AscendingOrder);
    QTRY_COMPARE(model.rowCount(), 4);
    QCOMPARE(model.index(0, gui::RunTreeListModel::kDepth).data().toInt(), 1);
    model.sort(gui::RunTreeListModel::kSubject, Qt::AscendingOrder);  // text: no change
    QCOMPARE(model.order().key, store::TreeSortKey::kDepth);
    model.sort(gui::RunTreeListModel::kProblemId, Qt::AscendingOrder);
    QTRY_COMPARE(model.rowCount(), 4);
    QCOMPARE(problemIdsOf(model), (QStringList{"p0", "p1", "p2", "p3"}));
  }

  // A running run's list sorted by nodes reads its rows again when trees arrive: the new largest
  // tree lands on top and the open tree stays selected.
  void panel_sortedRunningList_readsAgainKeepingTheSelection() {
    const auto folder = workspaceWithTrees("gui-run-trees-live-sorted", 12);
    auto writer = store::Workspace::open(folder);
    writer.runs().updateStatus(1, store::RunStatus::kRunning);
    gui::RunTreePanel panel;
    panel.setRefreshInterval(50);
    QSignalSpy chosen(&panel, &gui::RunTreePanel::treeChosen);
    panel.showRun(folder, 1);
    auto* model = panel.model();
    QTRY_COMPARE(model->rowCount(), 12);
    QCOMPARE(panel.view()->horizontalHeader()->sortIndicatorSection(),
             int(gui::RunTreeListModel::kNodes));
    QVERIFY(panel.selectRow(3));
    const qint64 treeId = model->index(3, 0).data(gui::RunTreeListModel::kTreeIdRole).toLongLong();
    QCOMPARE(chosen.size(), 1);
    search::SearchTree big = numberedTree(4);
    big.addChild(0, "one more step", 0.1);
    writer.trees().save(search::toNewTree(big, 1, "search", "big"));
    QTRY_COMPARE(model->rowCount(), 13);
    QCOMPARE(model->index(0, gui::RunTreeListModel::kProblemId).data().toString(),
             QStringLiteral("big"));
    QTRY_COMPARE(panel.view()->currentIndex().data(gui::RunTreeListModel::kTreeIdRole).toLongLong(),
                 treeId);
    QCOMPARE(chosen.size(), 1);  // the open tree was not asked for again
  }

  // A corrupt workspace file: the list says why where its rows would be, and the tree view does
  // for a tree it cannot read; neither shows an empty list as if nothing were stored.
  void corruptStore_showsTheReadErrorWhereTheDataWouldBe() {
    const auto folder = workspaceWithTrees("gui-run-trees-corrupt", 3);
    {
      QFile database(QString::fromStdString(workspaceDatabasePath(folder).string()));
      QVERIFY(database.open(QIODevice::WriteOnly | QIODevice::Truncate));
      database.write(QByteArray(4096, 'x'));  // a truncated and overwritten file
    }
    gui::TreeView view;
    view.showRun(folder, 1);
    QTRY_VERIFY(!view.runTreePanel()->errorText().isEmpty());
    QVERIFY(view.runTreePanel()->errorText().startsWith("Cannot read the run's search trees:"));
    QSignalSpy failed(&view, &gui::TreeView::treeLoadFailed);
    view.openStoredTree(1, "p0");
    QTRY_COMPARE(failed.size(), 1);
    QVERIFY(view.errorText().startsWith("Cannot read tree 1:"));
  }

  void mainWindow_selectingARun_listsItsTrees() {
    const auto folder = workspaceWithTrees("gui-run-trees-window", 3);
    gui::MainWindow window(QString::fromStdString(folder.string()));
    window.selectRun(1);
    auto* model = window.treeView()->runTreePanel()->model();
    QTRY_COMPARE(model->rowCount(), 3);
    QTRY_VERIFY(window.treeView()->isLayoutReady());
    window.selectRun(2);
    QTRY_COMPARE(model->totalTrees(), qint64{0});
    QCOMPARE(model->rowCount(), 0);
  }

  void studio_openRunWithTreeView_drawsAStoredTree() {
    const auto folder = workspaceWithTrees("gui-run-trees-studio", 2);
    const QString png = QString::fromStdString((folder / "run.png").string());
    auto result = test::runProgram(
        ASTRO_STUDIO_PATH,
        {"--workspace", QString::fromStdString(folder.string()), "--open-run", "1", "--view",
         "tree", "--screenshot", png, "--quit-after-ms", "20000", "-platform", "offscreen"});
    QVERIFY2(!result.crashed, qPrintable(result.err));
    QCOMPARE(result.exitCode, 0);
    QVERIFY(QImage(png).width() >= 800);
    auto bad = test::runProgram(ASTRO_STUDIO_PATH, {"--view", "graphs", "--quit-after-ms", "100",
                                                    "-platform", "offscreen"});
    QCOMPARE(bad.exitCode, 2);
  }
};

QTEST_MAIN(RunTreesTest)
#include "run_trees_test.moc"
