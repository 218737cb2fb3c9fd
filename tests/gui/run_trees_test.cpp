// The studio reading search trees from the run store: the problems list model pages lazily under
// QAbstractItemModelTester, the tree view lists a run's trees and opens the first and a chosen one
// from worker threads, the main window does it for the selected run, and `astro-studio --open-run
// ID --view tree` draws a stored tree.
#include "gui/tree/run_trees.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QSignalSpy>
#include <QTabWidget>
#include <QtTest>

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

}  // namespace

class RunTreesTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void readRunTreePage_andTree_readTheStore() {
    const auto folder = workspaceWithTrees("gui-run-trees-read", 7);
    const auto page = gui::readRunTreePage(folder, 1, 5, 10);
    QVERIFY(page.error.isEmpty());
    QCOMPARE(page.total, std::int64_t{7});
    QCOMPARE(page.trees.size(), std::size_t{2});
    QCOMPARE(page.trees[0].problemId, std::string("p5"));
    const auto loaded = gui::readRunTree(folder, page.trees[0].id);
    QVERIFY(loaded.tree.has_value());
    QVERIFY(*loaded.tree == numberedTree(5));
    QVERIFY(!gui::readRunTree(folder, 99).error.isEmpty());
    QCOMPARE(gui::readRunTreePage(test::freshTempDir("gui-run-trees-none"), 1, 0, 10).total,
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

  void treeView_showRun_opensTheFirstTreeThenTheChosenOne() {
    const auto folder = workspaceWithTrees("gui-run-trees-view", 4);
    gui::TreeView view;
    QSignalSpy laidOut(&view, &gui::TreeView::layoutFinished);
    view.showRun(folder, 1);
    QTRY_VERIFY(view.isLayoutReady());
    QVERIFY(view.currentTree() != nullptr);
    QVERIFY(*view.currentTree() == numberedTree(0));
    QVERIFY(view.runTreePanel()->selectRow(2));
    QTRY_VERIFY(view.currentTree() != nullptr && *view.currentTree() == numberedTree(2));
    QTRY_VERIFY(view.isLayoutReady());
    QCOMPARE(view.path().finalNode(), 3);  // the linearized path ends at the correct terminal
    auto* chooser = view.findChild<QComboBox*>();
    QVERIFY(chooser->currentText().startsWith("run 1 · p2"));
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
