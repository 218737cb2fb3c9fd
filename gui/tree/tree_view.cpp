#include "gui/tree/tree_view.h"

#include <QAction>
#include <QComboBox>
#include <QFileInfo>
#include <QGraphicsEllipseItem>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QShortcut>
#include <QSplitter>
#include <QToolBar>
#include <QVBoxLayout>

#include "core/graph/tree_layout.h"
#include "core/search/tree_json.h"
#include "gui/common/error_label.h"
#include "gui/common/export_progress.h"
#include "gui/tree/graph_canvas.h"
#include "gui/tree/run_tree_panel.h"
#include "gui/tree/run_trees.h"

namespace astro::gui {
namespace {

struct LoadedTrees {
  std::vector<search::SearchTree> trees;
  QString source;
  QString error;
};

struct LaidOutTree {
  std::optional<graph::GraphLayout> layout;
  search::NodeSequence path;
  QString pathError;  // the tree is drawn without its path
  QString error;
};

LoadedTrees loadTreeFile(const QString& path) {
  LoadedTrees loaded{.source = path};
  try {
    std::filesystem::path file = path.toStdString();
    if (file.extension() == ".jsonl") {
      loaded.trees = search::loadTreesJsonl(file);
    } else {
      loaded.trees.push_back(search::loadTree(file));
    }
    if (loaded.trees.empty()) loaded.error = QStringLiteral("%1 holds no tree").arg(path);
  } catch (const std::exception& error) {
    loaded.error = QString::fromStdString(error.what());
  }
  return loaded;
}

// The path drawn over the tree: ASTRO's first linearization (stream 0) with the default options
// (arXiv 2507.00417, Algorithm 1), or nothing when the tree has no correct terminal. A tree the
// linearization rejects is drawn without a path, and says why.
void drawPath(const search::SearchTree& tree, LaidOutTree& result) {
  if (tree.correctTerminals().empty()) return;
  try {
    result.path = search::linearizeOnce(tree, search::LinearizeOptions{}, 0);
  } catch (const std::exception& error) {
    result.pathError = QString::fromStdString(error.what());
  }
}

}  // namespace

TreeView::TreeView(QWidget* parent) : QWidget(parent) {
  setObjectName("treeView");
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  auto* tools = new QToolBar(this);
  layout->addWidget(tools);
  treeChooser_ = new QComboBox(this);
  treeChooser_->setMinimumContentsLength(30);
  treeChooser_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  tools->addWidget(treeChooser_);
  connect(treeChooser_, &QComboBox::activated, this, &TreeView::showTree);
  coloring_ = new QComboBox(this);
  coloring_->addItems({tr("Colour: correctness"), tr("Colour: value Q")});
  tools->addWidget(coloring_);
  connect(coloring_, &QComboBox::currentIndexChanged, this, [this](int index) {
    scene_->setColoring(index == 0 ? NodeColoring::kCorrectness : NodeColoring::kValue);
  });
  canvas_ = new GraphCanvas(this);  // placed in the splitter below
  canvas_->setObjectName("treeCanvas");
  addZoomActions(tools, canvas_);
  auto* pathToggle = tools->addAction(tr("Path"));
  pathToggle->setCheckable(true);
  pathToggle->setChecked(true);
  pathToggle->setToolTip(tr("Draw the linearized path (dashed: backtracks and restarts)"));
  connect(pathToggle, &QAction::toggled, this, [this](bool on) { scene_->setPathVisible(on); });
  tools->addAction(tr("Show all"), this, &TreeView::showAllNodes)
      ->setToolTip(tr("Lay out every node of a pruned tree"));
  tools->addAction(tr("Trace"), this, [this] { Q_EMIT traceRequested(treeIndex_); })
      ->setToolTip(tr("Open the rendered chain of thought of the drawn path"));
  find_ = new QLineEdit(this);
  find_->setObjectName("treeFind");
  find_->setPlaceholderText(tr("Find step text (Ctrl+F, Enter: next)"));
  find_->setClearButtonEnabled(true);
  tools->addWidget(find_);
  connect(find_, &QLineEdit::returnPressed, this, [this] {
    if (!findNext(find_->text())) setStatus(tr("No step contains \"%1\"").arg(find_->text()));
  });
  auto* findShortcut = new QShortcut(QKeySequence::Find, this);
  findShortcut->setContext(Qt::WidgetWithChildrenShortcut);
  connect(findShortcut, &QShortcut::activated, this, [this] {
    find_->setFocus();
    find_->selectAll();
  });

  error_ = createErrorLabel(this, "treeError");
  layout->addWidget(error_);
  auto* splitter = new QSplitter(Qt::Horizontal, this);
  layout->addWidget(splitter, 1);
  runTrees_ = new RunTreePanel(splitter);
  connect(runTrees_, &RunTreePanel::treeChosen, this, &TreeView::openStoredTree);
  connect(runTrees_, &RunTreePanel::runListed, this, [this](qint64, int rows, qint64) {
    if (openFirstRunTree_ && rows > 0) runTrees_->selectRow(0);
    openFirstRunTree_ = false;
  });
  scene_ = new TreeScene(this);
  splitter->addWidget(canvas_);
  canvas_->setScene(scene_);
  stepPanel_ = new QPlainTextEdit(splitter);
  stepPanel_->setObjectName("stepPanel");
  stepPanel_->setReadOnly(true);
  stepPanel_->setPlaceholderText(tr("Click a node to read its step."));
  splitter->setStretchFactor(0, 1);
  splitter->setStretchFactor(1, 3);
  splitter->setStretchFactor(2, 1);
  splitter->setSizes({400, 760, 260});  // the problems table shows its counts uncut
  status_ =
      new QLabel(tr("Choose a problem of the selected run, or File > Open Tree… for a search tree "
                    "file (interchange JSON or JSONL)."),
                 this);
  status_->setObjectName("treeStatus");
  layout->addWidget(status_);
  export_ = new ExportProgress(this);
  layout->addWidget(export_);
  connect(export_, &ExportProgress::finished, this, &TreeView::exportFinished);
  connect(scene_, &QGraphicsScene::selectionChanged, this, &TreeView::showSelectedNode);
}

TreeView::~TreeView() {
  // The scene outlives the step panel among this widget's children; clearing it on destruction
  // must not reach the panel.
  disconnect(scene_, nullptr, this, nullptr);
}

void TreeView::setStatus(const QString& text) { status_->setText(text); }

// A failed read or layout is shown above the canvas, where the tree would be (an empty message
// hides it).
void TreeView::showReadError(const QString& message) { setErrorText(error_, message); }

QString TreeView::errorText() const { return error_->text(); }

const search::SearchTree* TreeView::currentTree() const {
  if (!trees_ || treeIndex_ < 0 || treeIndex_ >= static_cast<int>(trees_->size())) return nullptr;
  return &(*trees_)[static_cast<std::size_t>(treeIndex_)];
}

void TreeView::openFile(const QString& path) {
  showClock_.start();
  layoutReady_ = false;
  setStatus(tr("Reading %1…").arg(path));
  loadJobs_.start([path](const std::atomic<bool>&) { return loadTreeFile(path); },
                  [this](LoadedTrees loaded) {
                    if (!loaded.error.isEmpty()) {
                      showReadError(loaded.error);
                      Q_EMIT treeLoadFailed(loaded.error);
                      return;
                    }
                    showTrees(std::move(loaded.trees), QFileInfo(loaded.source).fileName());
                  });
}

void TreeView::showRun(const std::filesystem::path& folder, std::int64_t runId) {
  runFolder_ = folder;
  openFirstRunTree_ = runId != 0;
  runTrees_->showRun(folder, runId);
}

void TreeView::openStoredTree(qint64 treeId, const QString& label) {
  showClock_.start();
  layoutReady_ = false;
  setStatus(tr("Reading tree %1 (%2)…").arg(treeId).arg(label));
  const auto folder = runFolder_;
  loadJobs_.start(
      [folder, treeId](const std::atomic<bool>&) { return readRunTree(folder, treeId); },
      [this, label, treeId](LoadedRunTree loaded) {
        if (!loaded.error.isEmpty() || !loaded.tree) {
          showReadError(tr("Cannot read tree %1: %2").arg(treeId).arg(loaded.error));
          Q_EMIT treeLoadFailed(loaded.error);
          return;
        }
        std::vector<search::SearchTree> trees;
        trees.push_back(std::move(*loaded.tree));
        showTrees(std::move(trees), label);
      });
}

void TreeView::showTrees(std::vector<search::SearchTree> trees, const QString& label) {
  if (!showClock_.isValid()) showClock_.start();
  showReadError({});
  trees_ = std::make_shared<const std::vector<search::SearchTree>>(std::move(trees));
  treeChooser_->clear();
  for (std::size_t i = 0; i < trees_->size(); ++i) {
    const auto& tree = (*trees_)[i];
    treeChooser_->addItem(QStringLiteral("%1 [%2] %3 nodes: %4")
                              .arg(label)
                              .arg(i + 1)
                              .arg(tree.size())
                              .arg(QString::fromStdString(tree.problem()).left(60)));
  }
  showTree(0);
}

void TreeView::showTree(int index) {
  if (!trees_ || index < 0 || index >= static_cast<int>(trees_->size())) return;
  if (!showClock_.isValid()) showClock_.start();
  treeIndex_ = index;
  treeChooser_->setCurrentIndex(index);
  startLayout(kInitialNodeLimit);
}

void TreeView::showAllNodes() {
  if (!currentTree()) return;
  showClock_.start();
  startLayout(0);
}

void TreeView::startLayout(int nodeLimit) {
  layoutReady_ = false;
  auto trees = trees_;
  auto index = static_cast<std::size_t>(treeIndex_);
  setStatus(tr("Laying out %1 nodes…").arg((*trees)[index].size()));
  // Graphviz dot for small trees (splines); the linear-time tidy layout above a few hundred
  // nodes keeps a 2,000-node tree under the 2 s budget on two cores.
  graph::LayoutOptions options{.dot = {.maxStepCharacters = 16, .nodeLimit = nodeLimit},
                               .dotNodeLimit = 400};
  layoutJobs_.start(
      [trees, index, options](const std::atomic<bool>& cancel) mutable {
        LaidOutTree result;
        try {
          const auto& tree = (*trees)[index];
          drawPath(tree, result);
          for (const auto& step : result.path.steps) options.linearizedPath.push_back(step.node);
          result.layout = graph::layoutTree(tree, options, &cancel);
        } catch (const std::exception& error) {
          result.error = QString::fromStdString(error.what());
        }
        return result;
      },
      [this](LaidOutTree result) {
        if (!result.error.isEmpty()) {
          showReadError(tr("Cannot lay out the tree: %1").arg(result.error));
          return;
        }
        if (!result.layout) return;  // cancelled
        showReadError(result.pathError.isEmpty()
                          ? QString()
                          : tr("The linearized path is not drawn: %1").arg(result.pathError));
        path_ = result.path;
        auto coloring =
            coloring_->currentIndex() == 0 ? NodeColoring::kCorrectness : NodeColoring::kValue;
        const auto& layout = *result.layout;
        QString summary = tr("%1 of %2 nodes (%3 layout)%4; path: %5 steps, %6 backtracks, "
                             "%7 restarts. Double-click a node to collapse it.")
                              .arg(layout.shownNodes)
                              .arg(layout.totalNodes)
                              .arg(QString::fromStdString(layout.engine))
                              .arg(layout.pruned ? tr(", pruned by visits: Show all") : QString())
                              .arg(path_.steps.size())
                              .arg(path_.backtracks())
                              .arg(path_.restarts());
        scene_->showLayout(std::move(*result.layout), path_, coloring, currentTree());
        canvas_->fitAll();
        layoutReady_ = true;
        lastShowMilliseconds_ = showClock_.isValid() ? showClock_.elapsed() : -1;
        showClock_.invalidate();
        setStatus(summary + tr(" Shown in %1 ms.").arg(lastShowMilliseconds_));
        Q_EMIT layoutFinished();
      });
}

void TreeView::showSelectedNode() {
  const auto* tree = currentTree();
  int id = scene_->selectedNode();
  if (!tree || !tree->contains(id)) {
    stepPanel_->clear();
    return;
  }
  const auto& node = tree->node(id);
  QString text = id == 0 ? tr("Problem:\n%1\n\nGold answer: %2")
                               .arg(QString::fromStdString(tree->problem()),
                                    QString::fromStdString(tree->goldAnswer()))
                         : QString::fromStdString(node.text);
  QString verdict = node.correct ? (*node.correct ? tr("correct") : tr("wrong")) : tr("ungraded");
  text += tr("\n\n— node #%1, depth %2, visits %3, Q %4, prior %5")
              .arg(id)
              .arg(node.depth)
              .arg(node.visits)
              .arg(node.q(), 0, 'f', 4)
              .arg(node.prior, 0, 'f', 4);
  if (node.terminal) {
    text += tr("\nterminal; answer %1 (%2)")
                .arg(QString::fromStdString(node.answer.value_or("none")), verdict);
  }
  stepPanel_->setPlainText(text);
}

QString TreeView::stepText() const { return stepPanel_->toPlainText(); }

void TreeView::selectNode(int id) {
  scene_->selectNode(id);
  if (auto* item = scene_->nodeItem(id)) canvas_->centerOn(item);
}

bool TreeView::findNext(const QString& text) {
  const auto* tree = currentTree();
  if (!tree || text.isEmpty()) return false;
  int start = scene_->selectedNode();
  int n = tree->size();
  for (int offset = 1; offset <= n; ++offset) {
    int id = (start + offset + n) % n;
    if (!scene_->nodeItem(id)) continue;  // pruned away
    if (QString::fromStdString(tree->node(id).text).contains(text, Qt::CaseInsensitive)) {
      selectNode(id);
      return true;
    }
  }
  return false;
}

void TreeView::exportGraph(graph::ExportFormat format, const QString& path) {
  if (!currentTree()) {
    Q_EMIT exportFinished(path, tr("no tree is open"));
    return;
  }
  auto trees = trees_;
  auto index = static_cast<std::size_t>(treeIndex_);
  graph::TreeDotOptions options{.nodeLimit = scene_->graphLayout().pruned ? kInitialNodeLimit : 0};
  QString what =
      tr("the tree as %1").arg(QString::fromStdString(graph::exportFormatName(format)).toUpper());
  export_->start(what, path, [trees, index, format, options](const std::atomic<bool>&) {
    return graph::renderTree((*trees)[index], format, options);
  });
}

}  // namespace astro::gui
