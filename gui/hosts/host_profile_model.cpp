// The host profiles as a table model (host_profile_model.h).
#include "gui/hosts/host_profile_model.h"

#include <algorithm>

#include "core/base/error.h"

namespace astro::gui {

namespace {

QString text(const std::string& value) { return QString::fromStdString(value); }

QString slurmWhere(const remote::SlurmSettings& slurm) {
  QString where = QObject::tr("login %1").arg(text(slurm.login));
  if (!slurm.partition.empty()) where += QObject::tr(", partition %1").arg(text(slurm.partition));
  if (slurm.gpusPerNode > 0) {
    where += QObject::tr(", %1 × %2 GPU(s)").arg(slurm.nodes).arg(slurm.gpusPerNode);
  }
  return where;
}

}  // namespace

HostProfileList readHostProfiles(const std::filesystem::path& folder) {
  namespace fs = std::filesystem;
  HostProfileList list;
  std::error_code error;
  if (!fs::is_directory(folder, error)) return list;
  remote::HostRegistry registry(folder);
  try {
    for (const auto& entry : fs::directory_iterator(folder)) {
      if (entry.path().extension() != ".toml") continue;
      std::string name = entry.path().stem().string();
      if (name.empty() || name.front() == '.') continue;  // as HostRegistry::list skips them
      try {
        if (auto profile = registry.find(name)) list.profiles.push_back(std::move(*profile));
      } catch (const ParseError& parseError) {
        list.errors << QString::fromStdString(parseError.what());  // names file and line
      } catch (const std::exception& other) {
        list.errors << QStringLiteral("%1: %2").arg(text(entry.path().string()),
                                                    QString::fromStdString(other.what()));
      }
    }
  } catch (const std::exception& listing) {  // the folder itself could not be read
    list.errors << QString::fromStdString(listing.what());
  }
  std::sort(list.profiles.begin(), list.profiles.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  list.errors.sort();
  return list;
}

HostProfileModel::HostProfileModel(QObject* parent) : QAbstractTableModel(parent) {}

void HostProfileModel::setProfiles(std::vector<remote::HostProfile> profiles) {
  beginResetModel();
  profiles_ = std::move(profiles);
  endResetModel();
}

const remote::HostProfile* HostProfileModel::profile(int row) const {
  if (row < 0 || row >= rowCount()) return nullptr;
  return &profiles_[static_cast<std::size_t>(row)];
}

int HostProfileModel::rowOf(const QString& name) const {
  for (std::size_t row = 0; row < profiles_.size(); ++row) {
    if (text(profiles_[row].name) == name) return static_cast<int>(row);
  }
  return -1;
}

int HostProfileModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(profiles_.size());
}

int HostProfileModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant HostProfileModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const remote::HostProfile& profile = profiles_[static_cast<std::size_t>(index.row())];
  bool slurm = profile.kind == remote::HostKind::kSlurm;
  if (role == Qt::ToolTipRole && index.column() == kWhere && !profile.sshOptions.empty()) {
    QStringList options;
    for (const auto& option : profile.sshOptions) options << text(option);
    return tr("ssh options: %1").arg(options.join(QLatin1Char(' ')));
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case kName:
      return text(profile.name);
    case kKind:
      return slurm ? tr("Slurm") : tr("SSH");
    case kWhere:
      return slurm ? slurmWhere(profile.slurm) : text(profile.ssh.text());
    case kWorkspace:
      return text(profile.workspace);
  }
  return {};
}

QVariant HostProfileModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case kName:
      return tr("Name");
    case kKind:
      return tr("Kind");
    case kWhere:
      return tr("Destination / login");
    case kWorkspace:
      return tr("Remote workspace");
  }
  return {};
}

}  // namespace astro::gui
