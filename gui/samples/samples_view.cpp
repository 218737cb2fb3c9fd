#include "gui/samples/samples_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include "gui/common/error_label.h"
#include "gui/samples/group_table_model.h"
#include "gui/samples/rollout_group_model.h"
#include "gui/samples/run_samples.h"
#include "gui/samples/sample_table_model.h"
#include "gui/samples/stored_sample_model.h"

namespace astro::gui {
namespace {

// Typing in the filter box waits this long before the store is asked again.
constexpr int kFilterDelayMs = 250;

// Free-text filter over every column plus an exact verdict filter (imported samples only: a
// run's samples are filtered in SQL). A run's samples are sorted in SQL too: the sort goes to the
// StoredSampleModel and the proxy keeps its order.
class SampleFilterModel : public QSortFilterProxyModel {
 public:
  using QSortFilterProxyModel::QSortFilterProxyModel;
  void sort(int column, Qt::SortOrder order) override {
    if (auto* stored = qobject_cast<StoredSampleModel*>(sourceModel())) {
      QSortFilterProxyModel::sort(-1);
      stored->sort(column, order);
      return;
    }
    QSortFilterProxyModel::sort(column, order);
  }
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

QTableView* makeTable(QWidget* parent, const QString& name) {
  auto* table = new QTableView(parent);
  table->setObjectName(name);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->verticalHeader()->hide();
  table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
  table->horizontalHeader()->setStretchLastSection(true);
  return table;
}

}  // namespace

SamplesView::SamplesView(QWidget* parent) : QWidget(parent) {
  setObjectName("samplesView");
  auto* layout = new QVBoxLayout(this);
  auto* controls = new QHBoxLayout();
  layout->addLayout(controls);
  filter_ = new QLineEdit(this);
  filter_->setPlaceholderText(tr("Filter samples (problem, prompt, completion, answer)"));
  filter_->setClearButtonEnabled(true);
  controls->addWidget(filter_, 1);
  kind_ = new QComboBox(this);
  kind_->setObjectName("sampleKind");
  kind_->addItem(tr("all kinds"));
  kind_->addItem(tr("evaluation"), QStringLiteral("eval"));
  kind_->addItem(tr("rollouts"), QStringLiteral("rollout"));
  controls->addWidget(kind_);
  checkpoint_ = new QComboBox(this);
  checkpoint_->setObjectName("sampleCheckpoint");
  checkpoint_->addItem(tr("all checkpoints"));
  controls->addWidget(checkpoint_);
  verdict_ = new QComboBox(this);
  verdict_->addItems({tr("all verdicts"), tr("correct"), tr("wrong"), tr("ungraded")});
  controls->addWidget(verdict_);

  samples_ = new SampleTableModel(this);
  stored_ = new StoredSampleModel(this);
  auto* proxy = new SampleFilterModel(this);
  proxy_ = proxy;
  proxy_->setSourceModel(samples_);
  proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
  proxy_->setFilterKeyColumn(-1);
  proxy_->setSortRole(Qt::DisplayRole);
  filterDelay_ = new QTimer(this);
  filterDelay_->setSingleShot(true);
  filterDelay_->setInterval(kFilterDelayMs);
  connect(filterDelay_, &QTimer::timeout, this, &SamplesView::applyStoreFilter);
  connect(filter_, &QLineEdit::textChanged, this, [this](const QString& text) {
    if (showsRun_) {
      filterDelay_->start();
    } else {
      proxy_->setFilterFixedString(text);
    }
  });
  connect(verdict_, &QComboBox::currentIndexChanged, this, [this, proxy](int index) {
    if (showsRun_) {
      applyStoreFilter();
    } else {
      proxy->setVerdict(index == 0 ? QString() : verdict_->itemText(index));
    }
  });
  connect(kind_, &QComboBox::currentIndexChanged, this, &SamplesView::applyStoreFilter);
  connect(checkpoint_, &QComboBox::currentIndexChanged, this, &SamplesView::applyStoreFilter);
  connect(stored_, &StoredSampleModel::pageLoaded, this, &SamplesView::updateStatus);
  connect(stored_, &StoredSampleModel::totalChanged, this, &SamplesView::updateStatus);
  connect(stored_, &StoredSampleModel::loadFailed, this, [this](const QString& message) {
    setErrorText(error_, tr("Cannot read samples: %1").arg(message));
  });
  connect(stored_, &StoredSampleModel::pageLoaded, this, [this] { setErrorText(error_, {}); });

  table_ = makeTable(this, "samplesTable");
  table_->setModel(proxy_);
  table_->setSortingEnabled(true);
  table_->sortByColumn(SampleTableModel::kLine, Qt::AscendingOrder);
  // A run's table sorts in SQL by its numeric columns only; a click elsewhere goes back to id
  // order (in the direction clicked) so the header never shows an order the rows are not in.
  connect(table_->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this,
          [this](int column, Qt::SortOrder order) {
            if (showsRun_ && !StoredSampleModel::isSortable(column)) {
              table_->horizontalHeader()->setSortIndicator(StoredSampleModel::kId, order);
            }
          });
  connect(table_, &QTableView::activated, this,
          [this](const QModelIndex& index) { activateRow(index.row()); });

  // Lower pane: groups of imported samples, or one RL step's GRPO groups of the run.
  lower_ = new QStackedWidget(this);
  groups_ = new GroupTableModel(this);
  auto* groupProxy = new QSortFilterProxyModel(this);
  groupProxy->setSourceModel(groups_);
  groupTable_ = makeTable(lower_, "groupTable");
  groupTable_->setModel(groupProxy);
  groupTable_->setSortingEnabled(true);
  groupTable_->setSelectionMode(QAbstractItemView::SingleSelection);
  connect(groupTable_, &QTableView::clicked, this, [this, groupProxy](const QModelIndex& index) {
    selectGroup(groupProxy->mapToSource(index).row());
  });
  lower_->addWidget(groupTable_);
  auto* rolloutPane = new QWidget(lower_);
  auto* rolloutLayout = new QVBoxLayout(rolloutPane);
  rolloutLayout->setContentsMargins(0, 0, 0, 0);
  auto* stepRow = new QHBoxLayout();
  stepRow->addWidget(new QLabel(tr("GRPO groups of"), rolloutPane));
  step_ = new QComboBox(rolloutPane);
  step_->setObjectName("rolloutStep");
  stepRow->addWidget(step_);
  stepRow->addStretch(1);
  rolloutLayout->addLayout(stepRow);
  rolloutGroups_ = new RolloutGroupModel(this);
  rolloutTable_ = makeTable(rolloutPane, "rolloutGroupTable");
  rolloutTable_->setModel(rolloutGroups_);
  rolloutTable_->setSelectionBehavior(QAbstractItemView::SelectItems);
  rolloutLayout->addWidget(rolloutTable_, 1);
  lower_->addWidget(rolloutPane);
  connect(step_, &QComboBox::currentIndexChanged, this, [this](int index) {
    if (index >= 0) showRolloutStep(step_->itemData(index).toLongLong());
  });
  connect(rolloutTable_, &QTableView::activated, this, [this](const QModelIndex& index) {
    if (const auto* rollout = rolloutGroups_->rolloutAt(index)) {
      Q_EMIT sampleActivated(toImportedSample(*rollout));
    }
  });

  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->addWidget(table_);
  splitter->addWidget(lower_);
  splitter->setSizes({500, 250});
  error_ = createErrorLabel(this, "samplesError");  // a failed read, where the rows would be
  layout->addWidget(error_);
  layout->addWidget(splitter, 1);
  status_ = new QLabel(tr("Select a run to browse its evaluation samples and GRPO rollouts, or "
                          "File > Import Generations… to load a JSONL of model outputs."),
                       this);
  layout->addWidget(status_);
  kind_->setEnabled(false);
  checkpoint_->setEnabled(false);
}

void SamplesView::setSamples(std::shared_ptr<const std::vector<analysis::ImportedSample>> samples,
                             const QString& source) {
  showsRun_ = false;
  filterDelay_->stop();
  stored_->clear();
  setsJob_.cancelCurrent();
  stepJob_.cancelCurrent();
  kind_->setEnabled(false);
  checkpoint_->setEnabled(false);
  lower_->setCurrentIndex(0);
  importCount_ = samples ? static_cast<int>(samples->size()) : 0;
  importSource_ = source;
  groups_->setGroups(samples ? groupSamples(*samples) : std::vector<SampleGroup>{});
  samples_->setSamples(std::move(samples));
  if (proxy_->sourceModel() != samples_) proxy_->setSourceModel(samples_);
  auto* proxy = static_cast<SampleFilterModel*>(proxy_);
  proxy->setVerdict(verdict_->currentIndex() == 0 ? QString() : verdict_->currentText());
  proxy_->setFilterFixedString(filter_->text());
  table_->sortByColumn(SampleTableModel::kLine, Qt::AscendingOrder);
  updateStatus();
}

void SamplesView::showRun(const std::filesystem::path& folder, std::int64_t runId) {
  if (runId == 0 && !showsRun_) return;  // keep an import on screen
  showsRun_ = true;
  folder_ = folder;
  runId_ = runId;
  setErrorText(error_, {});
  filterDelay_->stop();
  // The filter boxes start over for each run: its checkpoints are its own.
  {
    const QSignalBlocker blockKind(kind_), blockCheckpoint(checkpoint_), blockStep(step_);
    kind_->setCurrentIndex(0);
    while (checkpoint_->count() > 1) checkpoint_->removeItem(1);
    checkpoint_->setCurrentIndex(0);
    step_->clear();
  }
  kind_->setEnabled(true);
  checkpoint_->setEnabled(true);
  rolloutGroups_->clear();
  lower_->setCurrentIndex(1);
  // No proxy filtering in run mode: the store filters; the proxy only sorts the loaded rows.
  auto* proxy = static_cast<SampleFilterModel*>(proxy_);
  proxy->setVerdict({});
  proxy_->setFilterFixedString({});
  if (proxy_->sourceModel() != stored_) proxy_->setSourceModel(stored_);
  table_->sortByColumn(StoredSampleModel::kId, Qt::AscendingOrder);
  stored_->setQuery(folder, runId, currentFilter());
  if (runId != 0) {
    setsJob_.start(
        [folder, runId](const std::atomic<bool>&) { return readRunSampleSets(folder, runId); },
        [this](RunSampleSets sets) { applySampleSets(std::move(sets)); });
  }
  updateStatus();
}

store::SampleFilter SamplesView::currentFilter() const {
  store::SampleFilter filter;
  const QString kind = kind_->currentData().toString();
  if (!kind.isEmpty()) filter.kind = store::sampleKindFromName(kind.toStdString());
  if (checkpoint_->currentIndex() > 0) {
    filter.checkpoint = checkpoint_->currentData().toString().toStdString();
  }
  switch (verdict_->currentIndex()) {
    case 1:
      filter.correct = true;
      break;
    case 2:
      filter.correct = false;
      break;
    case 3:
      filter.ungradedOnly = true;
      break;
  }
  filter.text = filter_->text().toStdString();
  return filter;
}

void SamplesView::applyStoreFilter() {
  if (!showsRun_ || runId_ == 0) return;
  filterDelay_->stop();
  stored_->setQuery(folder_, runId_, currentFilter());
  updateStatus();
}

void SamplesView::applySampleSets(RunSampleSets sets) {
  if (!showsRun_ || sets.runId != runId_) return;
  if (!sets.error.isEmpty()) {
    setErrorText(error_,
                 tr("Cannot read the run's checkpoints and rollout steps: %1").arg(sets.error));
    return;
  }
  const QSignalBlocker blockCheckpoint(checkpoint_);
  QStringList seen;
  for (const auto& info : sets.sets) {
    if (info.set.kind != store::SampleKind::kEval) continue;
    QString checkpoint = QString::fromStdString(info.set.checkpoint);
    if (seen.contains(checkpoint)) continue;
    seen.push_back(checkpoint);
    checkpoint_->addItem(checkpoint.isEmpty() ? tr("(unlabelled)") : checkpoint, checkpoint);
  }
  {
    const QSignalBlocker blockStep(step_);
    for (auto step : sets.rolloutSteps)
      step_->addItem(tr("step %1").arg(step), QVariant::fromValue<qint64>(step));
  }
  if (!sets.rolloutSteps.empty()) showRolloutStep(sets.rolloutSteps.front());
}

void SamplesView::showRolloutStep(std::int64_t step) {
  const auto folder = folder_;
  const auto runId = runId_;
  stepJob_.start(
      [folder, runId, step](const std::atomic<bool>&) {
        return readRolloutStep(folder, runId, step);
      },
      [this](RolloutStep loaded) {
        if (!showsRun_ || loaded.runId != runId_) return;
        if (!loaded.error.isEmpty()) {
          setErrorText(
              error_,
              tr("Cannot read the rollouts of step %1: %2").arg(loaded.step).arg(loaded.error));
          return;
        }
        rolloutGroups_->setRollouts(loaded.step, loaded.rollouts);
      });
}

void SamplesView::updateStatus() {
  if (!showsRun_) {
    status_->setText(tr("%1 samples from %2 (sorting and filtering apply to the rows loaded so "
                        "far; scrolling loads more)")
                         .arg(importCount_)
                         .arg(importSource_));
    return;
  }
  if (runId_ == 0) {
    status_->setText(tr("Select a run to browse its samples."));
    return;
  }
  const qint64 total = stored_->totalSamples();
  status_->setText(tr("Run %1: %2 samples match, %3 loaded (scrolling loads more; sorting applies "
                      "to the loaded rows)")
                       .arg(runId_)
                       .arg(total < 0 ? tr("counting") : QString::number(total))
                       .arg(stored_->rowCount()));
}

void SamplesView::selectGroup(int row) {
  if (showsRun_ || row < 0 || row >= groups_->rowCount()) return;
  const auto& group = groups_->groups()[static_cast<std::size_t>(row)];
  // Problem ids and checkpoints are columns of the sample table: filtering on the id narrows to
  // the problem; sorting by checkpoint then lines its rollouts up.
  setFilterText(QString::fromStdString(group.problemId));
  table_->sortByColumn(SampleTableModel::kCheckpoint, Qt::AscendingOrder);
}

void SamplesView::setFilterText(const QString& text) {
  if (filter_->text() != text) {
    filter_->setText(text);
  } else if (!showsRun_) {
    proxy_->setFilterFixedString(text);
  }
  if (showsRun_) applyStoreFilter();  // no typing pause when set programmatically
}

void SamplesView::activateRow(int row) {
  auto source = proxy_->mapToSource(proxy_->index(row, 0));
  if (!source.isValid()) return;
  if (showsRun_) {
    Q_EMIT sampleActivated(toImportedSample(stored_->sample(source.row())));
  } else {
    Q_EMIT sampleActivated(samples_->sample(source.row()));
  }
}

}  // namespace astro::gui
