// The Hosts dialog (Tools > Hosts…): the host profiles of the user's config folder
// (core/remote/host_profile.h, $ASTRO_CONFIG_HOME/hosts) in a table, read on a pool thread with
// the files that do not parse named above it; Add / Edit open a HostProfileForm, Remove deletes
// the profile's file after asking; Check runs `astro remote check NAME --json` as a QProcess and
// shows its report (reachable or why not, versions, GPUs, disk) below. profilesChanged tells the
// Launch view's target chooser to read them again.
#pragma once

#include <QDialog>
#include <QPointer>
#include <filesystem>

#include "gui/common/job_tracker.h"
#include "gui/hosts/host_profile_model.h"

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace astro::gui {

class HostChecker;
class HostProfileForm;
struct HostCheckReport;

class HostsDialog : public QDialog {
  Q_OBJECT
 public:
  // `folder`: where the profiles are (remote::hostsFolder()); `cliPath`: the `astro` for Check.
  HostsDialog(std::filesystem::path folder, QString cliPath, QWidget* parent = nullptr);

  void reload();  // reads the profiles again (pool thread); loaded() once they are shown
  HostProfileModel* model() const { return model_; }
  QTableView* table() const { return table_; }
  QString selectedName() const;
  void selectProfile(const QString& name);
  QString listErrors() const;  // the files that did not parse, one a line
  QString checkText() const;

  // What the buttons do, on the selected profile.
  HostProfileForm* addProfile();
  HostProfileForm* editProfile();
  void removeProfile();
  void checkProfile();
  HostProfileForm* currentForm() const;  // the Add/Edit form open now, if any

 Q_SIGNALS:
  void loaded();
  void profilesChanged();
  void checked(const QString& name, bool ok);

 private:
  void buildLayout();
  HostProfileForm* openForm(std::optional<remote::HostProfile> existing);
  void apply(HostProfileList list);
  void showCheck(const QString& name, const HostCheckReport& report);
  void updateButtons();

  std::filesystem::path folder_;
  HostProfileModel* model_ = nullptr;
  HostChecker* checker_ = nullptr;
  QTableView* table_ = nullptr;
  QLabel* errors_ = nullptr;
  QLabel* checkStatus_ = nullptr;
  QPlainTextEdit* checkResult_ = nullptr;
  QPushButton* editButton_ = nullptr;
  QPushButton* removeButton_ = nullptr;
  QPushButton* checkButton_ = nullptr;
  QPointer<HostProfileForm> form_;
  QString pendingSelection_;
  JobTracker loadJobs_{this};
};

}  // namespace astro::gui
