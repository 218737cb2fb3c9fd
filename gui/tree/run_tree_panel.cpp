#include "gui/tree/run_tree_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <map>

#include "gui/common/error_label.h"
#include "gui/tree/run_tree_list_model.h"

namespace astro::gui {

RunTreePanel::RunTreePanel(QWidget* parent) : QWidget(parent) {
  setObjectName("runTreePanel");
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  title_ = new QLabel(tr("Select a run to list its search trees."), this);
  title_->setObjectName("runTreeTitle");
  title_->setWordWrap(true);
  layout->addWidget(title_);

  auto* filters = new QHBoxLayout;
  solved_ = new QComboBox(this);
  solved_->setObjectName("treeSolvedFilter");
  solved_->addItems({tr("All"), tr("Solved"), tr("Unsolved")});
  solved_->setToolTip(tr("Solved: the tree holds a correct terminal"));
  subject_ = new QComboBox(this);
  subject_->setObjectName("treeSubjectFilter");
  level_ = new QComboBox(this);
  level_->setObjectName("treeLevelFilter");
  filters->addWidget(solved_);
  filters->addWidget(subject_, 1);
  filters->addWidget(level_);
  layout->addLayout(filters);
  search_ = new QLineEdit(this);
  search_->setObjectName("treeSearch");
  search_->setPlaceholderText(tr("Search problem text or id"));
  search_->setClearButtonEnabled(true);
  layout->addWidget(search_);
  searchDelay_ = new QTimer(this);
  searchDelay_->setSingleShot(true);
  searchDelay_->setInterval(250);  // a query per pause in typing, not per key
  poll_ = new QTimer(this);
  poll_->setInterval(2500);

  model_ = new RunTreeListModel(this);
  buildTable();
  error_ = createErrorLabel(this, "runTreeError");  // a failed read, where the rows would be
  layout->addWidget(error_);
  layout->addWidget(view_, 1);

  connect(view_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            if (!current.isValid()) return;
            const auto& tree = model_->summary(current.row());
            if (tree.id == chosenTree_) return;  // the same tree, selected again after a re-sort
            chosenTree_ = tree.id;
            Q_EMIT treeChosen(tree.id, QStringLiteral("run %1 · %2")
                                           .arg(tree.runId)
                                           .arg(QString::fromStdString(tree.problemId)));
          });
  connect(model_, &RunTreeListModel::pageLoaded, this, [this](int rows) {
    setErrorText(error_, {});
    updateTitle();
    if (listedRun_ != model_->runId()) {
      listedRun_ = model_->runId();
      Q_EMIT runListed(listedRun_, rows, model_->totalTrees());
    }
  });
  connect(model_, &RunTreeListModel::loadFailed, this, [this](const QString& message) {
    setErrorText(error_, tr("Cannot read the run's search trees: %1").arg(message));
  });
  connect(model_, &RunTreeListModel::pageLoaded, this, [this] {
    fillTopicBoxes();
    updatePolling();
    reselectChosenTree();
  });
  connect(model_, &RunTreeListModel::refreshed, this, [this] {
    fillTopicBoxes();
    updateTitle();
    updatePolling();
  });
  connect(poll_, &QTimer::timeout, model_, &RunTreeListModel::refresh);
  connect(solved_, &QComboBox::currentIndexChanged, this, &RunTreePanel::applyFilter);
  connect(subject_, &QComboBox::currentIndexChanged, this, &RunTreePanel::applyFilter);
  connect(level_, &QComboBox::currentIndexChanged, this, &RunTreePanel::applyFilter);
  connect(search_, &QLineEdit::textChanged, searchDelay_, qOverload<>(&QTimer::start));
  connect(searchDelay_, &QTimer::timeout, this, &RunTreePanel::applyFilter);
  fillTopicBoxes();
}

// The problems table: counts fit their header, the id keeps a width the user may change, the
// problem text takes the rest. Sorted by nodes, most first: the run opens on its largest tree.
void RunTreePanel::buildTable() {
  view_ = new QTableView(this);
  view_->setObjectName("runTreeTable");
  view_->setModel(model_);
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->setSelectionMode(QAbstractItemView::SingleSelection);
  view_->verticalHeader()->hide();
  view_->verticalHeader()->setDefaultSectionSize(view_->fontMetrics().height() + 6);
  view_->setWordWrap(false);
  QHeaderView* header = view_->horizontalHeader();
  header->setStretchLastSection(true);
  header->setSectionResizeMode(QHeaderView::ResizeToContents);
  header->setSectionResizeMode(RunTreeListModel::kProblemId, QHeaderView::Interactive);
  header->setSectionResizeMode(RunTreeListModel::kProblem, QHeaderView::Interactive);
  view_->setColumnWidth(RunTreeListModel::kProblemId, 90);
  header->setSortIndicator(RunTreeListModel::kNodes, Qt::DescendingOrder);
  view_->setSortingEnabled(true);
  // Text columns do not sort (the model keeps its order): their header click leaves the arrow.
  connect(header, &QHeaderView::sortIndicatorChanged, this, [this, header](int section) {
    const auto& order = model_->order();
    static const std::map<store::TreeSortKey, int> kColumns = {
        {store::TreeSortKey::kStored, RunTreeListModel::kProblemId},
        {store::TreeSortKey::kCorrect, RunTreeListModel::kCorrect},
        {store::TreeSortKey::kWrong, RunTreeListModel::kWrong},
        {store::TreeSortKey::kNodes, RunTreeListModel::kNodes},
        {store::TreeSortKey::kDepth, RunTreeListModel::kDepth},
        {store::TreeSortKey::kTerminals, RunTreeListModel::kTerminals}};
    const int column = kColumns.at(order.key);
    if (section == column) return;
    const QSignalBlocker block(header);
    header->setSortIndicator(column, order.descending ? Qt::DescendingOrder : Qt::AscendingOrder);
  });
}

void RunTreePanel::setRefreshInterval(int milliseconds) { poll_->setInterval(milliseconds); }

bool RunTreePanel::isPolling() const { return poll_->isActive(); }

void RunTreePanel::applyFilter() {
  store::TreeFilter filter;
  if (solved_->currentIndex() > 0) filter.solved = solved_->currentIndex() == 1;
  if (subject_->currentIndex() > 0) filter.subject = subject_->currentText().toStdString();
  if (level_->currentIndex() > 0) filter.level = level_->currentData().toInt();
  filter.text = search_->text().trimmed().toStdString();
  model_->setFilter(filter);
}

// The subject and level boxes list what the run holds; each keeps its choice while it exists.
void RunTreePanel::fillTopicBoxes() {
  const QSignalBlocker blockSubject(subject_);
  const QSignalBlocker blockLevel(level_);
  const QString subject = subject_->currentIndex() > 0 ? subject_->currentText() : QString();
  const int level = level_->currentIndex() > 0 ? level_->currentData().toInt() : 0;
  subject_->clear();
  subject_->addItem(tr("Any subject"));
  for (const auto& name : model_->subjects()) subject_->addItem(QString::fromStdString(name));
  subject_->setCurrentIndex(std::max(0, subject_->findText(subject)));
  level_->clear();
  level_->addItem(tr("Any level"), 0);
  for (int value : model_->levels()) level_->addItem(tr("Level %1").arg(value), value);
  level_->setCurrentIndex(std::max(0, level_->findData(level)));
  // Trees without a subject or level (datasets that have none) leave the boxes disabled.
  subject_->setEnabled(subject_->count() > 1);
  level_->setEnabled(level_->count() > 1);
  subject_->setToolTip(subject_->isEnabled() ? tr("The problem's subject (from its dataset)")
                                             : tr("This run's problems carry no subject"));
  level_->setToolTip(level_->isEnabled() ? tr("The problem's level (MATH: 1-5)")
                                         : tr("This run's problems carry no level"));
}

void RunTreePanel::updatePolling() {
  if (model_->runId() != 0 && model_->isRunRunning()) {
    if (!poll_->isActive()) poll_->start();
  } else {
    poll_->stop();
  }
}

void RunTreePanel::showRun(const std::filesystem::path& folder, std::int64_t runId) {
  if (runId == 0) {
    listedRun_ = 0;
    chosenTree_ = 0;
    poll_->stop();
    model_->clear();
    fillTopicBoxes();
    title_->setText(tr("Select a run to list its search trees."));
    return;
  }
  title_->setText(tr("Reading the trees of run %1…").arg(runId));
  setErrorText(error_, {});
  listedRun_ = 0;
  chosenTree_ = 0;
  poll_->stop();
  {
    // Subjects and levels belong to a run: a new run starts from "any"; solved and text stay.
    const QSignalBlocker blockSubject(subject_);
    const QSignalBlocker blockLevel(level_);
    subject_->setCurrentIndex(0);
    level_->setCurrentIndex(0);
  }
  store::TreeFilter filter = model_->filter();
  filter.subject.reset();
  filter.level.reset();
  model_->clear();
  model_->setFilter(filter);  // no read for a cleared model: setRun reads the first page
  model_->setRun(folder, runId);
}

// A sort or a running run's re-read resets the rows: the open tree's row is selected again.
void RunTreePanel::reselectChosenTree() {
  if (chosenTree_ == 0 || view_->currentIndex().isValid()) return;
  const int row = model_->rowOfTree(chosenTree_);
  if (row < 0) return;
  view_->selectionModel()->setCurrentIndex(
      model_->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

QString RunTreePanel::errorText() const { return error_->text(); }

std::int64_t RunTreePanel::runId() const { return model_->runId(); }

bool RunTreePanel::selectRow(int row) {
  const QModelIndex index = model_->index(row, 0);
  if (!index.isValid()) return false;
  view_->selectionModel()->setCurrentIndex(
      index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  view_->scrollTo(index);
  return true;
}

void RunTreePanel::updateTitle() {
  const qint64 total = model_->totalTrees();
  const QString live = model_->isRunRunning() ? tr(" Running: the list follows new trees.") : "";
  if (total == 0) {
    title_->setText(tr("Run %1: no search trees match.").arg(model_->runId()) + live);
    return;
  }
  title_->setText(tr("Run %1: %2 search trees match (%3 listed). Choose a problem to open its "
                     "tree.")
                      .arg(model_->runId())
                      .arg(total)
                      .arg(model_->rowCount()) +
                  live);
}

}  // namespace astro::gui
