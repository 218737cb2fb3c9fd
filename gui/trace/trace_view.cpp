#include "gui/trace/trace_view.h"

#include <QFile>
#include <QFileInfo>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListView>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTextBlock>
#include <QToolBar>
#include <QVBoxLayout>

#include "core/analysis/exact_detector.h"
#include "core/analysis/heuristic_detector.h"
#include "core/analysis/trace_stats.h"
#include "core/domain/domain_registry.h"
#include "core/graph/graph_export.h"
#include "core/graph/step_graph_layout.h"
#include "core/search/phrase_set.h"
#include "gui/common/error_label.h"
#include "gui/common/export_progress.h"
#include "gui/trace/step_graph_view.h"
#include "gui/trace/step_list_model.h"
#include "gui/trace/trace_sample_panel.h"

namespace astro::gui {
namespace {

struct LaidOutSteps {
  std::optional<graph::GraphLayout> layout;  // none when cancelled or failed
  QString error;
};

struct DetectedTrace {
  QString title;
  std::string text;
  analysis::StepGraph graph;
  analysis::TraceStats stats;
  std::optional<bool> correct;
  QString detector;
  QString error;
};

}  // namespace

TraceView::TraceView(QWidget* parent) : QWidget(parent) {
  setObjectName("traceView");
  auto* layout = new QVBoxLayout(this);
  verdict_ =
      new QLabel(tr("Open a trace (File > Open Trace…) or press Trace in the tree view."), this);
  verdict_->setObjectName("traceVerdict");
  verdict_->setWordWrap(true);
  layout->addWidget(verdict_);
  auto* splitter = new QSplitter(Qt::Horizontal, this);
  layout->addWidget(splitter, 1);
  samples_ = new TraceSamplePanel(splitter);
  connect(samples_, &TraceSamplePanel::sampleChosen, this, [this](const store::StoredSample& s) {
    const QString source =
        s.set.kind == store::SampleKind::kRollout
            ? tr("rollout, step %1 group %2").arg(s.set.step.value_or(0)).arg(s.row.group)
            : tr("eval, %1 on %2")
                  .arg(QString::fromStdString(s.set.checkpoint),
                       QString::fromStdString(s.set.benchmark));
    // Completions were analysed with the exact detector when they were stored (docs/store.md).
    showTrace(
        tr("sample %1 · %2 · %3").arg(s.id).arg(QString::fromStdString(s.row.problemId), source),
        s.row.completion, DetectorChoice::kExact, s.row.correct, s.row.prompt);
  });
  text_ = new QPlainTextEdit(splitter);
  text_->setObjectName("traceText");
  text_->setReadOnly(true);
  steps_ = new StepListModel(this);
  auto* stepsAndGraph = new QSplitter(Qt::Vertical, splitter);
  stepList_ = new QListView(stepsAndGraph);
  stepList_->setObjectName("traceSteps");
  stepList_->setModel(steps_);
  stepList_->setUniformItemSizes(true);
  auto* graphPane = new QWidget(stepsAndGraph);
  auto* graphLayout = new QVBoxLayout(graphPane);
  graphLayout->setContentsMargins(0, 0, 0, 0);
  graphLayout->setSpacing(0);
  auto* graphTools = new QToolBar(graphPane);
  graphTools->setObjectName("traceGraphTools");
  graphView_ = new StepGraphView(graphPane);
  addZoomActions(graphTools, graphView_);
  graphLayout->addWidget(graphTools);
  graphError_ = createErrorLabel(graphPane, "traceGraphError");
  graphLayout->addWidget(graphError_);
  graphLayout->addWidget(graphView_, 1);
  stepsAndGraph->setSizes({250, 450});
  connect(graphView_, &StepGraphView::stepClicked, this, &TraceView::selectStep);
  splitter->setStretchFactor(0, 2);
  splitter->setStretchFactor(1, 3);
  splitter->setStretchFactor(2, 2);
  splitter->setSizes({300, 600, 300});
  export_ = new ExportProgress(this);
  layout->addWidget(export_);
  connect(export_, &ExportProgress::finished, this, &TraceView::exportFinished);
  connect(text_, &QPlainTextEdit::cursorPositionChanged, this, &TraceView::onCursorMoved);
  // The graph follows the list whoever moved it (the text, the list or a node click).
  connect(stepList_->selectionModel(), &QItemSelectionModel::currentChanged, this,
          [this](const QModelIndex& current) {
            graphView_->selectStep(current.isValid() ? current.row() : -1);
          });
  connect(stepList_->selectionModel(), &QItemSelectionModel::currentChanged, this,
          [this](const QModelIndex& current) {
            if (syncing_ || !current.isValid()) return;
            syncing_ = true;
            QTextCursor cursor(text_->document());
            cursor.setPosition(current.data(StepListModel::kCharBeginRole).toInt());
            cursor.setPosition(current.data(StepListModel::kCharEndRole).toInt(),
                               QTextCursor::KeepAnchor);
            text_->setTextCursor(cursor);
            text_->ensureCursorVisible();
            syncing_ = false;
          });
}

void TraceView::showTrace(QString title, std::string trace, DetectorChoice detector,
                          std::optional<bool> correct, std::string problem) {
  ready_ = false;
  graphReady_ = false;
  layoutJobs_.cancelCurrent();
  jobs_.start(
      [title, trace = std::move(trace), detector, correct,
       problem = std::move(problem)](const std::atomic<bool>&) {
        DetectedTrace result{.title = title, .text = trace, .correct = correct};
        try {
          std::shared_ptr<const analysis::TraceDetector> chosen;
          if (detector == DetectorChoice::kExact) {
            std::vector<math::Problem> problems;
            if (!problem.empty()) problems.push_back({.question = problem});
            chosen = analysis::ExactDetector::forDomain(
                domain::resolveDomain(domain::kAutoDomain, problems));
          } else {
            chosen = std::make_shared<analysis::HeuristicDetector>();
          }
          result.detector = QString::fromStdString(chosen->name());
          result.graph = chosen->detect(result.text);
          result.stats = analysis::traceStats(result.graph, result.text);
        } catch (const std::exception& error) {
          result.error = QString::fromStdString(error.what());
        }
        return result;
      },
      [this](DetectedTrace result) {
        if (!result.error.isEmpty()) {
          verdict_->setText(tr("Could not analyse %1: %2").arg(result.title, result.error));
          return;
        }
        graph_ = std::move(result.graph);
        trace_ = result.text;
        syncing_ = true;
        text_->setPlainText(QString::fromStdString(result.text));
        steps_->setGraph(graph_, result.text);
        syncing_ = false;
        QString verdict = !result.correct   ? tr("ungraded")
                          : *result.correct ? tr("<span style='color:#1b8a3a'>correct</span>")
                                            : tr("<span style='color:#c0302a'>wrong</span>");
        verdict_->setText(
            tr("<b>%1</b> — answer <b>%2</b> (%3); %4 steps, %5 backtracks, %6 restarts, "
               "%7 reflections, ~%8 tokens; detector %9")
                .arg(result.title.toHtmlEscaped(),
                     QString::fromStdString(result.stats.answer.empty() ? "none"
                                                                        : result.stats.answer)
                         .toHtmlEscaped(),
                     verdict)
                .arg(result.stats.steps)
                .arg(result.stats.backtracks)
                .arg(result.stats.restarts)
                .arg(result.stats.reflections)
                .arg(result.stats.tokens)
                .arg(result.detector));
        highlight();
        ready_ = true;
        Q_EMIT traceShown();
        layoutGraph(std::move(result.text));
      });
}

void TraceView::layoutGraph(std::string trace) {
  graphView_->clearGraph();
  layoutJobs_.start(
      [graph = graph_, trace = std::move(trace)](const std::atomic<bool>& cancel) {
        LaidOutSteps result;
        try {
          result.layout = graph::layoutStepGraph(graph, trace, {.maxStepCharacters = 48}, &cancel);
        } catch (const std::exception& error) {
          // A Graphviz failure leaves the text and the list usable; the graph pane says why.
          result.error = QString::fromStdString(error.what());
        }
        return result;
      },
      [this](LaidOutSteps result) {
        setErrorText(graphError_, result.error.isEmpty()
                                      ? QString()
                                      : tr("Cannot lay out the step graph: %1").arg(result.error));
        if (!result.layout) return;
        graphView_->showLayout(*result.layout);
        graphView_->selectStep(selectedStep());
        graphReady_ = true;
        Q_EMIT graphShown();
      });
}

void TraceView::showRun(const std::filesystem::path& folder, std::int64_t runId) {
  samples_->showRun(folder, runId);
}

void TraceView::openTextFile(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    verdict_->setText(tr("Cannot read %1: %2").arg(path, file.errorString()));
    return;
  }
  showTrace(QFileInfo(path).fileName(), file.readAll().toStdString(), DetectorChoice::kHeuristic,
            std::nullopt);
}

void TraceView::highlight() {
  QList<QTextEdit::ExtraSelection> selections;
  for (const auto& row : steps_->steps()) {
    QColor color;
    switch (row.step.role) {
      case analysis::StepRole::kBacktrack:
        color = QColor(255, 215, 215);
        break;
      case analysis::StepRole::kRestart:
        color = QColor(230, 215, 255);
        break;
      case analysis::StepRole::kReflection:
        color = QColor(255, 245, 200);
        break;
      case analysis::StepRole::kStep:
        if (row.step.reflects) color = QColor(255, 245, 200);
        break;
    }
    if (!color.isValid()) continue;
    QTextEdit::ExtraSelection selection;
    selection.cursor = QTextCursor(text_->document());
    selection.cursor.setPosition(row.charBegin);
    selection.cursor.setPosition(row.charEnd, QTextCursor::KeepAnchor);
    selection.format.setBackground(color);
    selections.append(selection);
  }
  text_->setExtraSelections(selections);
}

void TraceView::onCursorMoved() {
  if (syncing_) return;
  int step = steps_->stepAt(text_->textCursor().position());
  if (step < 0) return;
  syncing_ = true;
  stepList_->setCurrentIndex(steps_->index(step));
  syncing_ = false;
}

int TraceView::selectedStep() const {
  auto current = stepList_->currentIndex();
  return current.isValid() ? current.row() : -1;
}

void TraceView::selectStep(int index) { stepList_->setCurrentIndex(steps_->index(index)); }

QString TraceView::verdictText() const { return verdict_->text(); }

void TraceView::exportGraph(graph::ExportFormat format, const QString& path) {
  if (!ready_) {
    Q_EMIT exportFinished(path, tr("no trace is shown"));
    return;
  }
  QString what = tr("the step graph as %1")
                     .arg(QString::fromStdString(graph::exportFormatName(format)).toUpper());
  export_->start(what, path,
                 [graph = graph_, trace = trace_, format,
                  file = path.toStdString()](const std::atomic<bool>&) {
                   return graph::renderDot(graph::stepGraphToDot(graph, trace), format, file);
                 });
}

}  // namespace astro::gui
