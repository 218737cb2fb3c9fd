#include "gui/launch/launch_view.h"

#include <QComboBox>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QTextBlock>
#include <QTimer>
#include <QVBoxLayout>

#include "gui/common/error_label.h"
#include "gui/hosts/host_profile_model.h"
#include "gui/launch/config_form.h"
#include "gui/launch/config_text.h"
#include "gui/launch/local_launch_target.h"
#include "gui/launch/local_run_event_source.h"
#include "gui/launch/memory_plan_panel.h"
#include "gui/launch/preset_catalog.h"
#include "gui/launch/remote_launch_target.h"
#include "gui/launch/run_follow_model.h"
#include "gui/launch/run_follow_panel.h"

namespace astro::gui {

namespace {

// Each check starts an `astro` process: wait for a pause in typing.
constexpr int kCheckDelayMs = 300;

bool isOneOf(const QString& status, std::initializer_list<const char*> statuses) {
  for (const char* each : statuses) {
    if (status == QLatin1String(each)) return true;
  }
  return false;
}

}  // namespace

LaunchView::LaunchView(QWidget* parent) : QWidget(parent) {
  setObjectName("launchView");
  cli_ = new PipelineCli(astroCliPath(), this);
  followModel_ = new RunFollowModel(this);
  checkTimer_ = new QTimer(this);
  checkTimer_->setSingleShot(true);
  checkTimer_->setInterval(kCheckDelayMs);
  buildLayout();
  connect(checkTimer_, &QTimer::timeout, this, [this] {
    QString text = configText();
    form_->setText(text);
    cli_->check(text, baseDir_, configName_ + QStringLiteral(".toml"));
  });
  connect(cli_, &PipelineCli::checked, this, &LaunchView::onChecked);
  connect(cli_, &PipelineCli::schemaReady, this, [this](const QList<ConfigField>& fields) {
    form_->setSchema(fields);
    form_->setText(configText());
  });
  connect(cli_, &PipelineCli::schemaFailed, this, &LaunchView::notice);
  connect(form_, &ConfigForm::edited, this, &LaunchView::onFormEdited);
  connect(form_, &ConfigForm::tableToggled, this, &LaunchView::onTableToggled);
  connect(followModel_, &RunFollowModel::stateChanged, this, &LaunchView::updateButtons);
  updateButtons();
  reloadHosts();
}

LaunchView::~LaunchView() = default;

void LaunchView::buildLayout() {
  auto* layout = new QVBoxLayout(this);
  auto* bar = new QHBoxLayout;
  presets_ = new QComboBox(this);
  presets_->setObjectName("launchPresets");
  presets_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  startButton_ = new QPushButton(tr("&Start"), this);
  startButton_->setObjectName("launchStart");
  cancelButton_ = new QPushButton(tr("Ca&ncel run"), this);
  cancelButton_->setObjectName("launchCancel");
  resumeButton_ = new QPushButton(tr("Res&ume run"), this);
  resumeButton_->setObjectName("launchResume");
  runs_ = new QComboBox(this);
  runs_->setObjectName("launchRuns");
  runs_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  bar->addWidget(new QLabel(tr("Preset:"), this));
  bar->addWidget(presets_);
  bar->addLayout(buildTargetBar());
  bar->addWidget(startButton_);
  bar->addSpacing(24);
  bar->addWidget(new QLabel(tr("Follow:"), this));
  bar->addWidget(runs_);
  bar->addWidget(cancelButton_);
  bar->addWidget(resumeButton_);
  bar->addStretch(1);
  layout->addLayout(bar);
  targetErrors_ = createErrorLabel(this, "launchTargetErrors");
  layout->addWidget(targetErrors_);

  auto* vertical = new QSplitter(Qt::Vertical, this);
  auto* editors = new QSplitter(Qt::Horizontal, vertical);
  form_ = new ConfigForm(editors);
  auto* textSide = new QWidget(editors);
  auto* textLayout = new QVBoxLayout(textSide);
  textLayout->setContentsMargins(0, 0, 0, 0);
  text_ = new QPlainTextEdit(textSide);
  text_->setObjectName("launchToml");
  text_->setFont(QFont(QStringLiteral("monospace")));
  text_->setLineWrapMode(QPlainTextEdit::NoWrap);
  check_ = new QLabel(textSide);
  check_->setObjectName("launchCheck");
  check_->setWordWrap(true);
  check_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  textLayout->addWidget(text_, 1);
  textLayout->addWidget(check_);
  plan_ = new MemoryPlanPanel(astroCliPath(), textSide);
  textLayout->addWidget(plan_);
  editors->setStretchFactor(0, 2);
  editors->setStretchFactor(1, 3);
  editors->setSizes({560, 840});
  followPanel_ = new RunFollowPanel(followModel_, vertical);
  vertical->setStretchFactor(0, 3);
  vertical->setStretchFactor(1, 2);
  layout->addWidget(vertical, 1);

  connect(text_, &QPlainTextEdit::textChanged, this, &LaunchView::onTextChanged);
  connect(presets_, &QComboBox::activated, this,
          [this] { loadPreset(presets_->currentData().toString()); });
  connect(runs_, &QComboBox::activated, this, [this] {
    auto runId = runs_->currentData().toLongLong();
    if (runId != followModel_->runId()) followRun(runId);
  });
  connect(startButton_, &QPushButton::clicked, this, &LaunchView::start);
  connect(cancelButton_, &QPushButton::clicked, this, &LaunchView::cancelRun);
  connect(resumeButton_, &QPushButton::clicked, this, &LaunchView::resumeRun);
}

QLayout* LaunchView::buildTargetBar() {
  auto* bar = new QHBoxLayout;
  targets_ = new QComboBox(this);
  targets_->setObjectName("launchTarget");
  targets_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  targets_->addItem(tr("this machine"), QString());
  auto* hosts = new QPushButton(tr("Hosts…"), this);
  hosts->setObjectName("launchHosts");
  bar->addWidget(new QLabel(tr("Run on:"), this));
  bar->addWidget(targets_);
  bar->addWidget(hosts);
  connect(targets_, &QComboBox::currentIndexChanged, this, &LaunchView::resetTarget);
  connect(hosts, &QPushButton::clicked, this, &LaunchView::hostsRequested);
  return bar;
}

void LaunchView::reloadHosts() {
  auto read = [folder = remote::hostsFolder()](const std::atomic<bool>&) {
    return readHostProfiles(folder);
  };
  hostJobs_.start(read, [this](HostProfileList list) { applyHosts(std::move(list)); });
}

void LaunchView::applyHosts(HostProfileList list) {
  QString chosen = targets_->currentData().toString();
  QString before = target_ ? target_->description() : QString();
  hosts_ = std::move(list.profiles);
  {
    QSignalBlocker block(targets_);
    targets_->clear();
    targets_->addItem(tr("this machine"), QString());
    for (const auto& profile : hosts_) {
      QString name = QString::fromStdString(profile.name);
      targets_->addItem(QStringLiteral("%1 — %2").arg(name, hostProfileWhere(profile)), name);
    }
    targets_->setCurrentIndex(std::max(targets_->findData(chosen), 0));
  }
  QString errors = list.errors.join(QLatin1Char('\n'));
  setErrorText(targetErrors_, errors.isEmpty()
                                  ? QString()
                                  : tr("Host profiles that do not parse:\n%1").arg(errors));
  if (!errors.isEmpty()) Q_EMIT notice(tr("Host profiles that do not parse: %1").arg(errors));
  // A profile that went away or changed: a new target (not while a start waits for its run id).
  if (target_ && !starting_ && createTarget()->description() != before) resetTarget();
  Q_EMIT hostsLoaded();
}

QString LaunchView::hostErrors() const { return targetErrors_->text(); }

bool LaunchView::chooseTarget(const QString& profile) {
  int index = targets_->findData(profile);
  if (index < 0) return false;
  targets_->setCurrentIndex(index);
  return true;
}

std::unique_ptr<LaunchTarget> LaunchView::createTarget() const {
  QString chosen = targets_->currentData().toString();
  for (const auto& profile : hosts_) {
    if (!chosen.isEmpty() && QString::fromStdString(profile.name) == chosen) {
      return std::make_unique<RemoteLaunchTarget>(workspace_, astroCliPath(), profile);
    }
  }
  return std::make_unique<LocalLaunchTarget>(workspace_, astroCliPath());
}

void LaunchView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (presets_->count() > 0) return;
  for (const QString& file : presetFiles()) presets_->addItem(QFileInfo(file).baseName(), file);
  if (!configText().isEmpty() || presets_->count() == 0) return;
  // The last preset used, else the one a laptop finishes (docs/pipeline.md, Presets).
  int chosen = presets_->findText(QSettings().value("launch/preset").toString());
  if (chosen < 0) chosen = presets_->findText(QStringLiteral("miniature-quick"));
  presets_->setCurrentIndex(std::max(chosen, 0));
  loadPreset(presets_->currentData().toString());
}

void LaunchView::ensureSchema() {
  if (schemaRequested_) return;
  schemaRequested_ = true;
  cli_->requestSchema();
}

void LaunchView::setWorkspace(const std::filesystem::path& folder) {
  workspace_ = folder;
  source_.reset();
  followModel_->reset(0);
  runs_->clear();
  resetTarget();
}

void LaunchView::resetTarget() {
  if (workspace_.empty()) return;  // no workspace yet: nothing to launch into
  // The chooser is disabled while a start waits for its run id; a new workspace drops that wait.
  starting_ = false;
  target_ = createTarget();
  connect(target_.get(), &LaunchTarget::started, this,
          [this](std::int64_t runId, const LaunchRequest& request) {
            starting_ = false;
            addRunChoice(runId, request.name);
            followRun(runId);
            Q_EMIT notice(tr("Started run %1 on %2").arg(runId).arg(target_->description()));
            Q_EMIT runStarted(runId);
          });
  connect(target_.get(), &LaunchTarget::startFailed, this, [this](const QString& message) {
    starting_ = false;
    updateButtons();
    Q_EMIT notice(tr("The run did not start: %1").arg(message));
  });
  connect(target_.get(), &LaunchTarget::commandFailed, this, &LaunchView::notice);
  connect(target_.get(), &LaunchTarget::runningFound, this, &LaunchView::onRunningFound);
  target_->findRunning();
  updateButtons();
}

void LaunchView::loadPreset(const QString& file) {
  QFile preset(file);
  if (!preset.open(QIODevice::ReadOnly)) {
    Q_EMIT notice(tr("Cannot read %1: %2").arg(file, preset.errorString()));
    return;
  }
  QFileInfo info(file);
  QSettings().setValue("launch/preset", info.baseName());
  setConfig(QString::fromUtf8(preset.readAll()), info.absolutePath(), info.baseName());
}

void LaunchView::setConfig(const QString& text, const QString& baseDir, const QString& name) {
  baseDir_ = baseDir;
  configName_ = name;
  setConfigText(text);
}

void LaunchView::setConfigText(const QString& text) {
  ensureSchema();
  text_->setPlainText(text);
}

QString LaunchView::configText() const { return text_->toPlainText(); }

QString LaunchView::checkText() const { return check_->text(); }

void LaunchView::onTextChanged() {
  lastCheck_ = {};
  check_->setText(tr("checking…"));
  check_->setStyleSheet(QString());
  updateButtons();
  checkTimer_->start();
}

void LaunchView::onChecked(const ConfigCheck& result) {
  if (checkTimer_->isActive()) return;  // the text changed since; a newer check follows
  lastCheck_ = result;
  QList<QTextEdit::ExtraSelection> marks;
  if (result.ok) {
    check_->setText(tr("✓ valid: run \"%1\", %2 stage(s): %3")
                        .arg(result.name)
                        .arg(result.stages.size())
                        .arg(result.stages.join(QStringLiteral(", "))));
    check_->setStyleSheet(QStringLiteral("color: #1b5e20"));
  } else {
    QString where = result.line > 0 ? tr("line %1").arg(result.line) : QString();
    if (!result.field.isEmpty()) {
      where += (where.isEmpty() ? QString() : QStringLiteral(", ")) + result.field;
    }
    check_->setText(
        QStringLiteral("✗ %1%2").arg(where.isEmpty() ? QString() : where + ": ", result.message));
    check_->setStyleSheet(QStringLiteral("color: #b00020"));
    QTextBlock block = text_->document()->findBlockByNumber(result.line - 1);
    if (result.line > 0 && block.isValid()) {
      QTextEdit::ExtraSelection mark;
      mark.cursor = QTextCursor(block);
      mark.format.setBackground(QColor(0xff, 0xd6, 0xd6));
      mark.format.setProperty(QTextFormat::FullWidthSelection, true);
      marks << mark;
    }
  }
  text_->setExtraSelections(marks);
  form_->markError(result.ok ? QString() : result.field, result.message);
  plan_->plan(configText(), baseDir_, configName_ + QStringLiteral(".toml"));
  updateButtons();
  Q_EMIT configChecked(result);
}

void LaunchView::replaceText(const QString& text) {
  if (text == configText()) return;
  // Through a cursor, so the edit joins the text's undo history.
  int position = text_->textCursor().position();
  QTextCursor cursor(text_->document());
  cursor.select(QTextCursor::Document);
  cursor.insertText(text);
  cursor.setPosition(std::min(position, static_cast<int>(text.size())));
  text_->setTextCursor(cursor);
}

void LaunchView::onFormEdited(const QString& table, const QString& key, const QString& value) {
  replaceText(withTomlValue(configText(), table, key, value));
}

void LaunchView::onTableToggled(const QString& table, bool present) {
  replaceText(withTomlTable(configText(), table, present));
}

void LaunchView::start() {
  if (!target_ || !lastCheck_.ok || starting_) return;
  starting_ = true;
  updateButtons();
  target_->start({.configText = configText(), .baseDir = baseDir_, .name = configName_});
}

void LaunchView::cancelRun() {
  if (!target_ || followModel_->runId() == 0) return;
  target_->cancel(followModel_->runId());
  Q_EMIT notice(tr("Asked run %1 to checkpoint and stop").arg(followModel_->runId()));
}

void LaunchView::resumeRun() {
  if (!target_ || followModel_->runId() == 0) return;
  target_->resume(followModel_->runId());
  Q_EMIT notice(tr("Resuming run %1").arg(followModel_->runId()));
}

void LaunchView::setPollInterval(int milliseconds) {
  pollInterval_ = milliseconds;
  if (auto* local = dynamic_cast<LocalRunEventSource*>(source_.get())) {
    local->setPollInterval(milliseconds);
  }
}

void LaunchView::followRun(std::int64_t runId) {
  if (!target_) return;
  followModel_->reset(runId);
  // The studio keeps no events across restarts: the store's log is the record, read from seq 1
  // and then only what is new.
  source_ = runId == 0 ? nullptr : target_->follow(runId, 0);
  if (source_) {
    setPollInterval(pollInterval_);
    connect(source_.get(), &RunEventSource::eventsArrived, followModel_, &RunFollowModel::apply);
    connect(source_.get(), &RunEventSource::readFailed, this, &LaunchView::notice);
  }
  int index = runs_->findData(QVariant::fromValue<qint64>(runId));
  if (index >= 0) runs_->setCurrentIndex(index);
  rememberFollowedRun();
  updateButtons();
}

void LaunchView::addRunChoice(std::int64_t runId, const QString& name) {
  if (runs_->findData(QVariant::fromValue<qint64>(runId)) >= 0) return;
  runs_->addItem(tr("run %1 (%2)").arg(runId).arg(name), QVariant::fromValue<qint64>(runId));
}

void LaunchView::rememberFollowedRun() {
  QSettings settings;
  settings.setValue("launch/workspace", QString::fromStdString(workspace_.string()));
  settings.setValue("launch/run", QVariant::fromValue<qint64>(followModel_->runId()));
}

void LaunchView::onRunningFound(const std::vector<RunningRun>& runs) {
  for (const RunningRun& run : runs) addRunChoice(run.runId, run.name);
  Q_EMIT runningFound(static_cast<int>(runs.size()));
  if (followModel_->runId() != 0 || runs.empty()) return;
  QSettings settings;
  std::int64_t remembered = 0;
  if (settings.value("launch/workspace").toString() ==
      QString::fromStdString(workspace_.string())) {
    remembered = settings.value("launch/run").toLongLong();
  }
  std::int64_t chosen = runs.back().runId;  // the newest, unless the last one followed still runs
  for (const RunningRun& run : runs) {
    if (run.runId == remembered) chosen = remembered;
  }
  followRun(chosen);
}

void LaunchView::updateButtons() {
  startButton_->setEnabled(target_ != nullptr && lastCheck_.ok && !starting_);
  targets_->setEnabled(!starting_);
  const QString& status = followModel_->status();
  bool followed = target_ != nullptr && followModel_->runId() != 0;
  cancelButton_->setEnabled(followed && isOneOf(status, {"running", "pending"}));
  resumeButton_->setEnabled(followed && isOneOf(status, {"interrupted", "cancelled", "failed"}));
}

}  // namespace astro::gui
