// The Compare view (compare_view.h).
#include "gui/compare/compare_view.h"

#include <QHeaderView>
#include <QLabel>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

#include "gui/charts/curves_panel.h"
#include "gui/common/error_label.h"
#include "gui/common/run_colors.h"
#include "gui/compare/comparison_read.h"
#include "gui/compare/config_diff_model.h"
#include "gui/compare/eval_table_model.h"
#include "gui/compare/run_header.h"
#include "gui/compare/stage_timing_model.h"

namespace astro::gui {

namespace {

QString configNote() { return QObject::tr("— where a run's config does not set the key"); }

// A running run's stages and evaluations change; reading it again this often costs one
// read-only open and a bootstrap per evaluated checkpoint.
constexpr int kPollIntervalMs = 5000;

bool stillRunning(const std::vector<store::Run>& runs) {
  return std::any_of(runs.begin(), runs.end(), [](const store::Run& run) {
    return run.status == store::RunStatus::kRunning || run.status == store::RunStatus::kPending;
  });
}

QString runsHeadline(const std::vector<store::Run>& runs) {
  QStringList names;
  for (const auto& run : runs) {
    names << QStringLiteral("<span style=\"color:%1\">&#9679;</span>&nbsp;%2")
                 .arg(runColor(run.id).name(), runTitle(run).toHtmlEscaped());
  }
  return QObject::tr("Comparing %1").arg(names.join(QStringLiteral("&nbsp;&nbsp;&nbsp;")));
}

// What a section needs to show its table without scrolling sideways (a note or error: a default).
int contentWidth(const QWidget* box, const QTableView* table) {
  if (table->isHidden()) return 280;
  int width = 2 * table->frameWidth() + table->verticalScrollBar()->sizeHint().width() + 8;
  for (int column = 0; column < table->model()->columnCount(); ++column) {
    width += table->columnWidth(column);
  }
  return std::max(width, box->minimumSizeHint().width());
}

// What a section needs to show every row of its table without scrolling down.
int contentHeight(const QWidget* box, const QTableView* table) {
  int height = box->minimumSizeHint().height();  // heading, margins and a table's minimum
  if (table->isHidden()) return height;
  return height - table->minimumSizeHint().height() + 2 * table->frameWidth() +
         table->horizontalHeader()->height() + table->verticalHeader()->length() +
         table->horizontalScrollBar()->sizeHint().height();
}

void fitColumns(QTableView* table) {
  table->resizeColumnsToContents();
  for (int column = 0; column < table->model()->columnCount(); ++column) {
    table->setColumnWidth(column, std::min(table->columnWidth(column), 320));
  }
}

}  // namespace

CompareView::CompareView(QWidget* parent) : QWidget(parent) {
  setObjectName("compareView");
  auto* layout = new QVBoxLayout(this);
  headline_ = new QLabel(this);
  headline_->setObjectName("compareHeadline");
  headline_->setTextFormat(Qt::RichText);
  headline_->setWordWrap(true);
  status_ = new QLabel(this);
  status_->setObjectName("compareStatus");
  status_->hide();
  layout->addWidget(headline_);
  layout->addWidget(status_);
  readError_ = createErrorLabel(this, "compareReadError");
  readError_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  layout->addWidget(readError_, 1);

  body_ = new QSplitter(Qt::Vertical, this);
  body_->setObjectName("compareBody");
  body_->setChildrenCollapsible(false);
  tables_ = new QSplitter(Qt::Horizontal, body_);
  tables_->setObjectName("compareTables");
  tables_->setChildrenCollapsible(false);
  config_ =
      buildSection(tables_, tr("Config: the keys that differ"), configNote(), "compareConfig");
  stages_ = buildSection(tables_, tr("Stage timings"),
                         tr("start and end of each stage in its tooltip"), "compareStages");
  evaluations_ =
      buildSection(tables_, tr("Evaluation: pass@1 [95% interval]"),
                   tr("bootstrap over problems, greedy answers left out"), "compareEvaluations");
  configModel_ = new ConfigDiffModel(this);
  stageModel_ = new StageTimingModel(this);
  evalModel_ = new EvalTableModel(this);
  config_.table->setModel(configModel_);
  stages_.table->setModel(stageModel_);
  evaluations_.table->setModel(evalModel_);
  tables_->setStretchFactor(0, 3);
  tables_->setStretchFactor(1, 2);
  tables_->setStretchFactor(2, 3);
  body_->addWidget(tables_);
  body_->addWidget(buildCurves(body_));
  body_->setStretchFactor(0, 2);
  body_->setStretchFactor(1, 3);
  layout->addWidget(body_, 1);
  poll_ = new QTimer(this);
  poll_->setSingleShot(true);
  poll_->setInterval(kPollIntervalMs);
  connect(poll_, &QTimer::timeout, this, [this] {
    curvesRuns_.clear();  // a running run's curves grew too
    reload();
  });
  setRuns({});
}

CompareView::SectionWidgets CompareView::buildSection(QWidget* parent, const QString& title,
                                                      const QString& note, const char* name) {
  SectionWidgets section;
  section.box = new QWidget(parent);
  section.box->setObjectName(name);
  auto* layout = new QVBoxLayout(section.box);
  layout->setContentsMargins(4, 0, 4, 0);
  section.heading = new QLabel(section.box);
  section.heading->setWordWrap(true);
  setHeading(section, title, note);
  section.error = createErrorLabel(section.box, (std::string(name) + "Error").c_str());
  section.error->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  section.note = new QLabel(section.box);  // an empty section says why, in plain words
  section.note->setWordWrap(true);
  section.note->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  section.note->setForegroundRole(QPalette::PlaceholderText);
  section.note->hide();
  section.table = new QTableView(section.box);
  section.table->setObjectName((std::string(name) + "Table").c_str());
  section.table->verticalHeader()->hide();
  section.table->setAlternatingRowColors(true);
  section.table->setSelectionBehavior(QAbstractItemView::SelectRows);
  section.table->setWordWrap(false);
  layout->addWidget(section.heading);
  layout->addWidget(section.error, 1);
  layout->addWidget(section.note, 1);
  layout->addWidget(section.table, 1);
  return section;
}

void CompareView::setHeading(const SectionWidgets& section, const QString& title,
                             const QString& note) {
  section.heading->setText(QStringLiteral("<b>%1</b><br><small>%2</small>")
                               .arg(title.toHtmlEscaped(), note.toHtmlEscaped()));
}

QWidget* CompareView::buildCurves(QWidget* parent) {
  auto* box = new QWidget(parent);
  auto* layout = new QVBoxLayout(box);
  layout->setContentsMargins(4, 4, 4, 0);
  layout->addWidget(new QLabel(tr("<b>Training curves, overlaid</b>"), box));
  curves_ = new CurvesPanel(box);
  layout->addWidget(curves_, 1);
  return box;
}

// The curves read only while the tab is shown, and again only when the runs changed or run on.
void CompareView::updateCurves() {
  if (curvesFolder_ != folder_) {
    curvesFolder_ = folder_;
    curvesRuns_ = runIds_;
    curves_->setWorkspace(folder_);
    curves_->setRuns(runIds_);
  } else if (curvesRuns_ != runIds_) {
    curvesRuns_ = runIds_;
    curves_->setRuns(runIds_);
  }
}

void CompareView::setWorkspace(std::filesystem::path folder) {
  folder_ = std::move(folder);
  reload();
}

void CompareView::setRuns(std::vector<std::int64_t> runIds) {
  runIds_ = std::move(runIds);
  reload();
}

void CompareView::setPollInterval(int milliseconds) { poll_->setInterval(milliseconds); }

void CompareView::reload() {
  reads_.cancelCurrent();
  poll_->stop();
  const bool enough = runIds_.size() >= 2;
  body_->setVisible(enough);
  if (!enough) {
    clearTables();
    setErrorText(readError_, {});
    headline_->setText(
        tr("Select two or more runs in the Workspace panel (Ctrl+click or "
           "Shift+click) to compare their configs, stage timings and "
           "evaluations side by side."));
    status_->hide();
    return;
  }
  if (!isVisible()) return;  // read when shown
  updateCurves();
  // Only a new set of runs says so: a re-read (poll, tab shown) replaces the tables in place.
  status_->setText(tr("Reading %n run(s)…", nullptr, static_cast<int>(runIds_.size())));
  status_->setVisible(sizedFor_ != runIds_);
  reads_.start(
      [folder = folder_, runIds = runIds_](const std::atomic<bool>& cancel) {
        return readComparison(folder, runIds, cancel);
      },
      [this](ComparisonRead read) { apply(std::move(read)); });
}

void CompareView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  // Shown again: runs may have moved on since the last read.
  if (runIds_.size() >= 2) reload();
}

void CompareView::apply(ComparisonRead read) {
  status_->hide();
  auto& comparison = read.comparison;
  if (!read.error.isEmpty()) {
    clearTables();
    QStringList ids;
    for (auto runId : runIds_) ids << QString::number(runId);
    headline_->setText(tr("Cannot read runs %1").arg(ids.join(QStringLiteral(", "))));
    body_->hide();  // the error stands where the tables and curves would be
    setErrorText(readError_, read.error);
    Q_EMIT loaded();
    return;
  }
  setErrorText(readError_, {});
  body_->show();
  headline_->setText(runsHeadline(comparison.runs));
  if (stillRunning(comparison.runs)) poll_->start();
  configModel_->setDiff(comparison.runs, std::move(comparison.config));
  stageModel_->setTimings(comparison.runs, std::move(comparison.stages));
  evalModel_->setRows(comparison.runs, std::move(comparison.evaluations));
  showSectionError(Section::kConfig, QString::fromStdString(comparison.configError));
  setHeading(config_,
             comparison.configError.empty() ? tr("Config: %1 of %2 keys differ")
                                                  .arg(configModel_->rowCount())
                                                  .arg(comparison.configKeys)
                                            : tr("Config"),
             configNote());
  if (comparison.configError.empty()) {
    setNote(config_, configModel_->rowCount() == 0
                         ? tr("Every key of these runs' configs has the same value.")
                         : QString());
  }
  showSectionError(Section::kStages, {});
  setNote(stages_, stageModel_->rowCount() <= 1 ? tr("These runs have no stages yet.") : QString());
  showSectionError(Section::kEvaluations, {});
  setErrorText(evaluations_.error, QString::fromStdString(comparison.evaluationError));
  setNote(evaluations_, evalModel_->rowCount() == 0
                            ? tr("None of these runs has stored evaluation samples (an evaluate "
                                 "stage writes them).")
                            : QString());
  for (auto* table : {config_.table, stages_.table, evaluations_.table}) fitColumns(table);
  if (sizedFor_ != runIds_) {  // a new set of runs: room by content; later reads keep the user's
    sizedFor_ = runIds_;
    sizeToContent();
  }
  Q_EMIT loaded();
}

void CompareView::sizeToContent() {
  QList<int> widths;
  for (const auto* section : {&config_, &stages_, &evaluations_})
    widths << contentWidth(section->box, section->table);
  tables_->setSizes(widths);
  // The tables as tall as their rows, up to half the view; the curves take the rest.
  int tablesHeight = 0;
  for (const auto* section : {&config_, &stages_, &evaluations_})
    tablesHeight = std::max(tablesHeight, contentHeight(section->box, section->table));
  const int total = body_->height() - body_->handleWidth();
  tablesHeight = std::min(tablesHeight, total / 2);
  body_->setSizes({tablesHeight, total - tablesHeight});
}

void CompareView::showSectionError(Section which, const QString& error) {
  const auto& widgets = section(which);
  setErrorText(widgets.error, error);
  widgets.table->setVisible(error.isEmpty());
  if (!error.isEmpty()) setNote(widgets, {});
}

void CompareView::setNote(const SectionWidgets& widgets, const QString& note) {
  widgets.note->setText(note);
  widgets.note->setVisible(!note.isEmpty());
  if (!note.isEmpty()) widgets.table->hide();
}

void CompareView::clearTables() {
  configModel_->clear();
  stageModel_->clear();
  evalModel_->clear();
}

const CompareView::SectionWidgets& CompareView::section(Section which) const {
  switch (which) {
    case Section::kConfig:
      return config_;
    case Section::kStages:
      return stages_;
    case Section::kEvaluations:
      break;
  }
  return evaluations_;
}

QTableView* CompareView::table(Section which) const { return section(which).table; }

QString CompareView::errorText(Section which) const {
  const auto& widgets = section(which);
  return widgets.error->isHidden() ? QString() : widgets.error->text();
}

QString CompareView::headline() const { return headline_->text(); }

QString CompareView::readError() const {
  return readError_->isHidden() ? QString() : readError_->text();
}

}  // namespace astro::gui
