// The Launch view's memory plan panel (memory_plan_panel.h).
#include "gui/launch/memory_plan_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProcess>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

#include "gui/common/cli_command.h"
#include "gui/common/error_label.h"
#include "gui/launch/memory_plan_model.h"

namespace astro::gui {

MemoryPlanPanel::MemoryPlanPanel(QString cliPath, QWidget* parent)
    : QWidget(parent), cliPath_(std::move(cliPath)) {
  setObjectName("launchMemoryPlan");
  model_ = new MemoryPlanModel(this);
  gpus_ = new QSpinBox(this);
  gpus_->setObjectName("launchPlanGpus");
  gpus_->setRange(1, 4096);
  gpuMemory_ = new QComboBox(this);
  gpuMemory_->setObjectName("launchPlanGpuMemory");
  gpuMemory_->setEditable(true);
  gpuMemory_->addItems({QStringLiteral("80GiB"), QStringLiteral("141GiB"), QStringLiteral("40GiB"),
                        QStringLiteral("24GiB")});
  summary_ = new QLabel(this);
  summary_->setObjectName("launchPlanSummary");
  summary_->setWordWrap(true);
  error_ = createErrorLabel(this, "launchPlanError");
  table_ = new QTableView(this);
  table_->setObjectName("launchPlanTable");
  table_->setModel(model_);
  table_->verticalHeader()->hide();
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel(tr("Memory plan for"), this));
  bar->addWidget(gpus_);
  bar->addWidget(new QLabel(tr("GPU(s) of"), this));
  bar->addWidget(gpuMemory_);
  bar->addStretch(1);
  layout->addLayout(bar);
  layout->addWidget(summary_);
  layout->addWidget(error_);
  layout->addWidget(table_, 1);

  connect(gpus_, &QSpinBox::valueChanged, this, &MemoryPlanPanel::replan);
  connect(gpuMemory_, &QComboBox::currentTextChanged, this, &MemoryPlanPanel::replan);
}

MemoryPlanPanel::~MemoryPlanPanel() { dropCommands(this); }

QString MemoryPlanPanel::errorText() const { return error_->text(); }
QString MemoryPlanPanel::summaryText() const { return summary_->text(); }

void MemoryPlanPanel::plan(const QString& text, const QString& baseDir, const QString& source) {
  text_ = text;
  baseDir_ = baseDir;
  source_ = source;
  replan();
}

void MemoryPlanPanel::replan() {
  if (text_.isEmpty()) return;
  dropCommand(process_);  // superseded: its answer would describe an older config
  summary_->setText(tr("planning…"));
  QStringList arguments{QStringLiteral("plan"), QStringLiteral("-"), QStringLiteral("--json"),
                        QStringLiteral("--gpus"), QString::number(gpus_->value()),
                        QStringLiteral("--gpu-memory"), gpuMemory_->currentText().trimmed(),
                        QStringLiteral("--source"), source_};
  if (!baseDir_.isEmpty()) arguments << QStringLiteral("--base-dir") << baseDir_;
  QProcess* process =
      startCommand(cliPath_, arguments, this, {.finished = [this](const CommandOutput& result) {
                     process_ = nullptr;
                     QString error;
                     MemoryPlan plan = parseMemoryPlanJson(result.output, &error);
                     // Exit 3 is a plan that does not fit: a plan all the same.
                     bool answered = result.started && !result.crashed &&
                                     (result.exitCode == 0 || result.exitCode == 3) &&
                                     error.isEmpty();
                     if (!answered) {
                       plan = {};
                       error = result.errors.trimmed().isEmpty() ? error : result.errors.trimmed();
                     }
                     summary_->setText(answered ? plan.summary : tr("No memory plan"));
                     setErrorText(error_, answered ? QString() : error);
                     model_->setPlan(std::move(plan));
                     Q_EMIT planned();
                   }});
  process_ = process;
  process->write(text_.toUtf8());
  process->closeWriteChannel();
}

}  // namespace astro::gui
