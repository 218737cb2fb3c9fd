#include "gui/trace/trace_sample_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include "gui/common/error_label.h"
#include "gui/samples/stored_sample_model.h"

namespace astro::gui {

TraceSamplePanel::TraceSamplePanel(QWidget* parent) : QWidget(parent) {
  setObjectName("traceSamplePanel");
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  auto* filters = new QHBoxLayout;
  kind_ = new QComboBox(this);
  kind_->setObjectName("traceSampleKind");
  kind_->addItems({tr("All samples"), tr("Evaluation"), tr("Rollouts")});
  verdict_ = new QComboBox(this);
  verdict_->setObjectName("traceSampleVerdict");
  verdict_->addItems({tr("All verdicts"), tr("Correct"), tr("Wrong"), tr("Ungraded")});
  filters->addWidget(kind_, 1);
  filters->addWidget(verdict_, 1);
  layout->addLayout(filters);
  search_ = new QLineEdit(this);
  search_->setObjectName("traceSampleSearch");
  search_->setPlaceholderText(tr("Search problem, prompt, completion, answer"));
  search_->setClearButtonEnabled(true);
  layout->addWidget(search_);
  searchDelay_ = new QTimer(this);
  searchDelay_->setSingleShot(true);
  searchDelay_->setInterval(250);  // one query per pause in typing

  model_ = new StoredSampleModel(this);
  view_ = new QTableView(this);
  view_->setObjectName("traceSampleTable");
  view_->setModel(model_);
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->setSelectionMode(QAbstractItemView::SingleSelection);
  view_->verticalHeader()->hide();
  view_->verticalHeader()->setDefaultSectionSize(view_->fontMetrics().height() + 6);
  view_->setWordWrap(false);
  // A narrow list: which problem, which model or step, how it went.
  for (int column = 0; column < StoredSampleModel::kColumnCount; ++column) {
    const bool shown = column == StoredSampleModel::kProblem ||
                       column == StoredSampleModel::kCheckpoint ||
                       column == StoredSampleModel::kSample ||
                       column == StoredSampleModel::kVerdict ||
                       column == StoredSampleModel::kBacktracks;
    view_->setColumnHidden(column, !shown);
  }
  auto* header = view_->horizontalHeader();
  header->moveSection(header->visualIndex(StoredSampleModel::kProblem), 0);
  header->setStretchLastSection(true);
  view_->setColumnWidth(StoredSampleModel::kProblem, 90);
  view_->setColumnWidth(StoredSampleModel::kCheckpoint, 70);
  view_->setColumnWidth(StoredSampleModel::kSample, 55);
  view_->setColumnWidth(StoredSampleModel::kVerdict, 60);
  error_ = createErrorLabel(this, "traceSampleError");  // a failed read, where the rows would be
  layout->addWidget(error_);
  layout->addWidget(view_, 1);
  status_ = new QLabel(tr("Select a run to list its samples."), this);
  status_->setObjectName("traceSampleStatus");
  status_->setWordWrap(true);
  layout->addWidget(status_);

  connect(kind_, &QComboBox::currentIndexChanged, this, &TraceSamplePanel::applyFilter);
  connect(verdict_, &QComboBox::currentIndexChanged, this, &TraceSamplePanel::applyFilter);
  connect(search_, &QLineEdit::textChanged, searchDelay_, qOverload<>(&QTimer::start));
  connect(searchDelay_, &QTimer::timeout, this, &TraceSamplePanel::applyFilter);
  connect(model_, &StoredSampleModel::pageLoaded, this, &TraceSamplePanel::updateStatus);
  connect(model_, &StoredSampleModel::totalChanged, this, &TraceSamplePanel::updateStatus);
  connect(model_, &StoredSampleModel::loadFailed, this, [this](const QString& message) {
    setErrorText(error_, tr("Cannot read samples: %1").arg(message));
  });
  connect(view_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            if (current.isValid()) Q_EMIT sampleChosen(model_->sample(current.row()));
          });
}

void TraceSamplePanel::showRun(const std::filesystem::path& folder, std::int64_t runId) {
  folder_ = folder;
  runId_ = runId;
  searchDelay_->stop();
  if (runId == 0) {
    model_->clear();
    status_->setText(tr("Select a run to list its samples."));
    setErrorText(error_, {});
    return;
  }
  applyFilter();
}

void TraceSamplePanel::applyFilter() {
  if (runId_ == 0) return;
  store::SampleFilter filter;
  if (kind_->currentIndex() == 1) filter.kind = store::SampleKind::kEval;
  if (kind_->currentIndex() == 2) filter.kind = store::SampleKind::kRollout;
  if (verdict_->currentIndex() == 1) filter.correct = true;
  if (verdict_->currentIndex() == 2) filter.correct = false;
  filter.ungradedOnly = verdict_->currentIndex() == 3;
  filter.text = search_->text().trimmed().toStdString();
  status_->setText(tr("Reading the samples of run %1…").arg(runId_));
  setErrorText(error_, {});
  model_->setQuery(folder_, runId_, filter);
}

void TraceSamplePanel::updateStatus() {
  const qint64 total = model_->totalSamples();
  if (total < 0) return;
  status_->setText(total == 0 ? tr("Run %1: no samples match.").arg(runId_)
                              : tr("Run %1: %2 samples match (%3 listed). Choose one to read "
                                   "its completion.")
                                    .arg(runId_)
                                    .arg(total)
                                    .arg(model_->rowCount()));
}

bool TraceSamplePanel::selectRow(int row) {
  const QModelIndex index = model_->index(row, StoredSampleModel::kProblem);
  if (!index.isValid()) return false;
  view_->selectionModel()->setCurrentIndex(
      index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  view_->scrollTo(index);
  return true;
}

}  // namespace astro::gui
