// The Launch view: pick a pipeline preset, edit it in a form generated from the config schema and
// as TOML text side by side (kept in sync, checked live by `astro pipeline check`, its memory plan
// beside it by `astro plan`), choose where
// it runs (this machine, or a host profile: each SSH host and Slurm cluster of the Hosts dialog),
// start it as a detached worker through that LaunchTarget, and follow its events (progress with
// ETA, metrics, log); cancel and resume it. Opening a workspace finds the runs still being worked
// on and follows them.
#pragma once

#include <QString>
#include <QWidget>
#include <filesystem>
#include <memory>

#include "core/remote/host_profile.h"
#include "gui/common/job_tracker.h"
#include "gui/launch/launch_target.h"
#include "gui/launch/pipeline_cli.h"

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTimer;

namespace astro::gui {

class ConfigForm;
class MemoryPlanPanel;
struct HostProfileList;
class RunFollowModel;
class RunFollowPanel;

class LaunchView : public QWidget {
  Q_OBJECT
 public:
  explicit LaunchView(QWidget* parent = nullptr);
  ~LaunchView() override;

  // Launches into `folder` (on the chosen target; this machine at first) and looks for running
  // runs there.
  void setWorkspace(const std::filesystem::path& folder);
  // Reads the host profiles again on a pool thread (the chooser keeps its choice while it is
  // there); hostsLoaded() once the chooser shows them.
  void reloadHosts();
  // Chooses where Start runs: a host profile's name, or empty for this machine. False when no
  // profile of that name is listed.
  bool chooseTarget(const QString& profile);
  QComboBox* targetChooser() const { return targets_; }
  QString hostErrors() const;  // the profile files that do not parse, one a line

  void loadPreset(const QString& file);  // reads the preset; its folder is the base dir
  // Replaces the config text (as if typed); relative paths resolve against `baseDir`.
  void setConfig(const QString& text, const QString& baseDir, const QString& name);
  void setConfigText(const QString& text);  // as if typed into the text editor

  QString configText() const;
  ConfigForm* form() const { return form_; }
  MemoryPlanPanel* memoryPlan() const { return plan_; }  // the config's plan (astro plan)
  RunFollowModel* followModel() const { return followModel_; }
  RunFollowPanel* followPanel() const { return followPanel_; }
  LaunchTarget* target() const { return target_.get(); }
  const ConfigCheck& lastCheck() const { return lastCheck_; }
  QString checkText() const;

  void start();
  void cancelRun();
  void resumeRun();
  void followRun(std::int64_t runId);
  void setPollInterval(int milliseconds);  // the event follower's

 Q_SIGNALS:
  void configChecked(const astro::gui::ConfigCheck& result);
  void runStarted(std::int64_t runId);
  void runningFound(int count);
  void notice(const QString& message);  // failures and confirmations for the status bar
  void hostsLoaded();
  void hostsRequested();  // the "Hosts…" button: the window opens its Hosts dialog

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  void buildLayout();
  QLayout* buildTargetBar();
  void applyHosts(HostProfileList list);
  std::unique_ptr<LaunchTarget> createTarget() const;
  void resetTarget();
  void ensureSchema();
  void onTextChanged();
  void onChecked(const ConfigCheck& result);
  void onFormEdited(const QString& table, const QString& key, const QString& value);
  void onTableToggled(const QString& table, bool present);
  void onRunningFound(const std::vector<RunningRun>& runs);
  void updateButtons();
  void replaceText(const QString& text);
  void addRunChoice(std::int64_t runId, const QString& name);
  void rememberFollowedRun();

  std::filesystem::path workspace_;
  std::vector<remote::HostProfile> hosts_;
  std::unique_ptr<LaunchTarget> target_;
  std::unique_ptr<RunEventSource> source_;
  PipelineCli* cli_ = nullptr;
  QString baseDir_;
  QString configName_;
  ConfigCheck lastCheck_;
  bool schemaRequested_ = false;
  bool starting_ = false;
  int pollInterval_ = 500;

  QComboBox* presets_ = nullptr;
  QComboBox* targets_ = nullptr;
  QLabel* targetErrors_ = nullptr;
  QComboBox* runs_ = nullptr;
  QPushButton* startButton_ = nullptr;
  QPushButton* cancelButton_ = nullptr;
  QPushButton* resumeButton_ = nullptr;
  ConfigForm* form_ = nullptr;
  QPlainTextEdit* text_ = nullptr;
  QLabel* check_ = nullptr;
  MemoryPlanPanel* plan_ = nullptr;
  QTimer* checkTimer_ = nullptr;
  RunFollowModel* followModel_ = nullptr;
  RunFollowPanel* followPanel_ = nullptr;
  JobTracker hostJobs_{this};
};

}  // namespace astro::gui
