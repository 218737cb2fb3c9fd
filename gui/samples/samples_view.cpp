#include "gui/samples/samples_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

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
  layout->addWidget(table_, 1);
  connect(table_, &QTableView::activated, this,
          [this](const QModelIndex& index) { activateRow(index.row()); });
  status_ = new QLabel(tr("File > Import Generations… loads a JSONL of model outputs."), this);
  layout->addWidget(status_);
}

void SamplesView::setSamples(std::shared_ptr<const std::vector<analysis::ImportedSample>> samples,
                             const QString& source) {
  int count = samples ? static_cast<int>(samples->size()) : 0;
  samples_->setSamples(std::move(samples));
  status_->setText(tr("%1 samples from %2 (sorting and filtering apply to the rows loaded so "
                      "far; scrolling loads more)")
                       .arg(count)
                       .arg(source));
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
