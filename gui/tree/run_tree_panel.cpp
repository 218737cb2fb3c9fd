#include "gui/tree/run_tree_panel.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

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
  model_ = new RunTreeListModel(this);
  view_ = new QTableView(this);
  view_->setObjectName("runTreeTable");
  view_->setModel(model_);
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->setSelectionMode(QAbstractItemView::SingleSelection);
  view_->verticalHeader()->hide();
  view_->verticalHeader()->setDefaultSectionSize(view_->fontMetrics().height() + 6);
  view_->horizontalHeader()->setStretchLastSection(true);
  view_->setWordWrap(false);
  view_->setColumnWidth(RunTreeListModel::kProblemId, 150);
  for (int column : {RunTreeListModel::kCorrect, RunTreeListModel::kNodes, RunTreeListModel::kDepth,
                     RunTreeListModel::kTerminals}) {
    view_->setColumnWidth(column, 64);
  }
  layout->addWidget(view_, 1);

  connect(view_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            if (!current.isValid()) return;
            const auto& tree = model_->summary(current.row());
            Q_EMIT treeChosen(tree.id, QStringLiteral("run %1 · %2")
                                           .arg(tree.runId)
                                           .arg(QString::fromStdString(tree.problemId)));
          });
  connect(model_, &RunTreeListModel::pageLoaded, this, [this](int rows) {
    updateTitle();
    if (listedRun_ != model_->runId()) {
      listedRun_ = model_->runId();
      Q_EMIT runListed(listedRun_, rows, model_->totalTrees());
    }
  });
  connect(model_, &RunTreeListModel::loadFailed, this,
          [this](const QString& message) { title_->setText(message); });
}

void RunTreePanel::showRun(const std::filesystem::path& folder, std::int64_t runId) {
  if (runId == 0) {
    listedRun_ = 0;
    model_->clear();
    title_->setText(tr("Select a run to list its search trees."));
    return;
  }
  title_->setText(tr("Reading the trees of run %1…").arg(runId));
  listedRun_ = 0;
  model_->setRun(folder, runId);
}

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
  if (total == 0) {
    title_->setText(tr("Run %1 holds no search trees.").arg(model_->runId()));
    return;
  }
  title_->setText(tr("Run %1: %2 search trees (%3 listed). Choose a problem to open its tree.")
                      .arg(model_->runId())
                      .arg(total)
                      .arg(model_->rowCount()));
}

}  // namespace astro::gui
