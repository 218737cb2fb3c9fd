// The host profiles (core/remote/host_profile.h) as the studio lists them: read file by file, so
// that one broken profile is reported by name and does not hide the others, and a table model
// (name, kind, destination or Slurm login, remote workspace) for the Hosts dialog.
#pragma once

#include <QAbstractTableModel>
#include <QStringList>
#include <filesystem>
#include <vector>

#include "core/remote/host_profile.h"

namespace astro::gui {

struct HostProfileList {
  std::vector<remote::HostProfile> profiles;  // by name
  QStringList errors;                         // one per file that does not parse, naming it
};

// Every <folder>/NAME.toml through HostRegistry::find. Never throws: failures land in `errors`.
// Small files: cheap, but callers still read it on the pool like every other read.
HostProfileList readHostProfiles(const std::filesystem::path& folder);

class HostProfileModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { kName, kKind, kWhere, kWorkspace, kColumnCount };

  explicit HostProfileModel(QObject* parent = nullptr);

  void setProfiles(std::vector<remote::HostProfile> profiles);
  const std::vector<remote::HostProfile>& profiles() const { return profiles_; }
  const remote::HostProfile* profile(int row) const;  // null outside the rows
  int rowOf(const QString& name) const;               // -1 when absent

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::vector<remote::HostProfile> profiles_;
};

}  // namespace astro::gui
