#include "gui/samples/samples_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "gui/samples/group_table_model.h"
#include "gui/samples/sample_table_model.h"

namespace astro::gui {
namespace {

// Free-text filter over every column plus an exact verdict filter.
class SampleFilterModel : public QSortFilterProxyModel {
 public:
  using QSortFilterProxyModel::QSortFilterProxyModel;
  void setVerdict(QString verdict) {
    verdict_ = std::move(verdict);
    invalidateFilter();
  }

 protected:
  bool filterAcceptsRow(int row, const QModelIndex& parent) const override {
    if (!verdict_.isEmpty()) {
      auto index = sourceModel()->index(row, SampleTableModel::kVerdict, parent);
      if (index.data().toString() != verdict_) return false;
    }
    return QSortFilterProxyModel::filterAcceptsRow(row, parent);
  }

 private:
  QString verdict_;
};

}  // namespace

SamplesView::SamplesView(QWidget* parent) : QWidget(parent) {
  setObjectName("samplesView");
  auto* layout = new QVBoxLayout(this);
  auto* controls = new QHBoxLayout();
  layout->addLayout(controls);
  filter_ = new QLineEdit(this);
  filter_->setPlaceholderText(tr("Filter samples (problem, checkpoint, answer, …)"));
  filter_->setClearButtonEnabled(true);
  controls->addWidget(filter_, 1);
  verdict_ = new QComboBox(this);
  verdict_->addItems({tr("all verdicts"), tr("correct"), tr("wrong"), tr("ungraded")});
  controls->addWidget(verdict_);
  samples_ = new SampleTableModel(this);
  auto* proxy = new SampleFilterModel(this);
  proxy_ = proxy;
  proxy_->setSourceModel(samples_);
  proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
  proxy_->setFilterKeyColumn(-1);
  proxy_->setSortRole(Qt::DisplayRole);
  connect(filter_, &QLineEdit::textChanged, this, &SamplesView::setFilterText);
  connect(verdict_, &QComboBox::currentIndexChanged, this, [this, proxy](int index) {
    proxy->setVerdict(index == 0 ? QString() : verdict_->itemText(index));
  });
  table_ = new QTableView(this);
  table_->setObjectName("samplesTable");
  table_->setModel(proxy_);
  table_->setSortingEnabled(true);
  table_->sortByColumn(SampleTableModel::kLine, Qt::AscendingOrder);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setStretchLastSection(true);
  groups_ = new GroupTableModel(this);
  auto* groupProxy = new QSortFilterProxyModel(this);
  groupProxy->setSourceModel(groups_);
  groupTable_ = new QTableView(this);
  groupTable_->setObjectName("groupTable");
  groupTable_->setModel(groupProxy);
  groupTable_->setSortingEnabled(true);
  groupTable_->setSelectionBehavior(QAbstractItemView::SelectRows);
  groupTable_->setSelectionMode(QAbstractItemView::SingleSelection);
  groupTable_->verticalHeader()->hide();
  groupTable_->horizontalHeader()->setStretchLastSection(true);
  connect(groupTable_, &QTableView::clicked, this, [this, groupProxy](const QModelIndex& index) {
    selectGroup(groupProxy->mapToSource(index).row());
  });
  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->addWidget(table_);
  splitter->addWidget(groupTable_);
  splitter->setSizes({500, 250});
  layout->addWidget(splitter, 1);
  connect(table_, &QTableView::activated, this,
          [this](const QModelIndex& index) { activateRow(index.row()); });
  status_ = new QLabel(tr("File > Import Generations… loads a JSONL of model outputs."), this);
  layout->addWidget(status_);
}

void SamplesView::setSamples(std::shared_ptr<const std::vector<analysis::ImportedSample>> samples,
                             const QString& source) {
  int count = samples ? static_cast<int>(samples->size()) : 0;
  groups_->setGroups(samples ? groupSamples(*samples) : std::vector<SampleGroup>{});
  samples_->setSamples(std::move(samples));
  status_->setText(tr("%1 samples from %2 (sorting and filtering apply to the rows loaded so "
                      "far; scrolling loads more)")
                       .arg(count)
                       .arg(source));
}

void SamplesView::selectGroup(int row) {
  if (row < 0 || row >= groups_->rowCount()) return;
  const auto& group = groups_->groups()[static_cast<std::size_t>(row)];
  // Problem ids and checkpoints are columns of the sample table: filtering on the id narrows to
  // the problem; sorting by checkpoint then lines its rollouts up.
  setFilterText(QString::fromStdString(group.problemId));
  table_->sortByColumn(SampleTableModel::kCheckpoint, Qt::AscendingOrder);
}

void SamplesView::setFilterText(const QString& text) {
  if (filter_->text() != text) filter_->setText(text);
  proxy_->setFilterFixedString(text);
}

void SamplesView::activateRow(int row) {
  auto source = proxy_->mapToSource(proxy_->index(row, 0));
  if (!source.isValid()) return;
  Q_EMIT sampleActivated(samples_->sample(source.row()));
}

}  // namespace astro::gui
