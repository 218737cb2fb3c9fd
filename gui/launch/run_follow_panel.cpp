#include "gui/launch/run_follow_panel.h"

#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "gui/launch/run_follow_model.h"
#include "gui/workspace/run_progress_bar.h"

namespace astro::gui {

RunFollowPanel::RunFollowPanel(RunFollowModel* model, QWidget* parent)
    : QWidget(parent), model_(model) {
  setObjectName("runFollowPanel");
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  status_ = new QLabel(this);
  status_->setObjectName("launchStatus");
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  progress_ = new QProgressBar(this);
  progress_->setObjectName("launchProgress");
  auto* split = new QSplitter(Qt::Horizontal, this);
  metrics_ = new QTableView(split);
  metrics_->setObjectName("launchMetrics");
  metrics_->setModel(model_);
  metrics_->verticalHeader()->hide();
  metrics_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  metrics_->horizontalHeader()->setStretchLastSection(true);
  log_ = new QPlainTextEdit(split);
  log_->setObjectName("launchLog");
  log_->setReadOnly(true);
  log_->setMaximumBlockCount(20000);  // a long run's log stays cheap to show
  log_->setFont(QFont(QStringLiteral("monospace")));
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 2);
  layout->addWidget(status_);
  layout->addWidget(progress_);
  layout->addWidget(split, 1);
  connect(model_, &RunFollowModel::stateChanged, this, &RunFollowPanel::showState);
  connect(model_, &RunFollowModel::modelReset, log_, &QPlainTextEdit::clear);
  connect(model_, &RunFollowModel::logAppended, this,
          [this](const QStringList& lines) { log_->appendPlainText(lines.join('\n')); });
  showState();
}

QString RunFollowPanel::statusText() const { return status_->text(); }

QString RunFollowPanel::logText() const { return log_->toPlainText(); }

void RunFollowPanel::showState() {
  status_->setText(model_->progressText());
  showRunProgress(progress_, model_->progressState());
}

}  // namespace astro::gui
