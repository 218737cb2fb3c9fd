// The form of one host profile, for every HostProfile field: name, kind, remote workspace, remote
// astro, ssh options (one argument a line); for SSH the destination; for Slurm the login (local or
// an SSH profile), partition, nodes, GPUs per node, CPUs per task, memory, time limit, account,
// QoS and extra #SBATCH lines. Each edit is checked by core's validateProfile and the error shown
// under the form (Save stays disabled until it passes); Save writes the profile with
// HostRegistry::save on the pool, and a refusal (a profile of that name exists) is shown the same
// way.
#pragma once

#include <QDialog>
#include <filesystem>
#include <optional>

#include "core/remote/host_profile.h"
#include "gui/common/job_tracker.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QWidget;

namespace astro::gui {

class HostProfileForm : public QDialog {
  Q_OBJECT
 public:
  // `existing`: edit that profile (its name stays); none: a new one. `sshProfiles`: the login
  // choices of a Slurm profile besides "local".
  HostProfileForm(std::filesystem::path folder, std::optional<remote::HostProfile> existing,
                  const QStringList& sshProfiles, QWidget* parent = nullptr);

  // The profile as the fields say; throws astro::UsageError naming the first thing wrong.
  remote::HostProfile profile() const;
  QString errorText() const;
  bool canSave() const;
  // Writes the profile, emits saved and accepts the dialog; on failure shows why and stays open.
  void save();

 Q_SIGNALS:
  void saved(const QString& name);

 private:
  void buildLayout(const QStringList& sshProfiles);
  void fill(const remote::HostProfile& profile);
  void validate();
  void showError(const QString& message);

  std::filesystem::path folder_;
  bool editing_ = false;
  JobTracker saveJobs_{this};  // the profile's file is written on the pool
  QLineEdit* name_ = nullptr;
  QComboBox* kind_ = nullptr;
  QLineEdit* workspace_ = nullptr;
  QLineEdit* astro_ = nullptr;
  QPlainTextEdit* sshOptions_ = nullptr;
  QWidget* sshBox_ = nullptr;
  QLineEdit* destination_ = nullptr;
  QWidget* slurmBox_ = nullptr;
  QComboBox* login_ = nullptr;
  QLineEdit* partition_ = nullptr;
  QSpinBox* nodes_ = nullptr;
  QSpinBox* gpusPerNode_ = nullptr;
  QSpinBox* cpusPerTask_ = nullptr;
  QLineEdit* memory_ = nullptr;
  QLineEdit* timeLimit_ = nullptr;
  QLineEdit* account_ = nullptr;
  QLineEdit* qos_ = nullptr;
  QPlainTextEdit* sbatch_ = nullptr;
  QLabel* error_ = nullptr;
  QPushButton* saveButton_ = nullptr;
};

}  // namespace astro::gui
