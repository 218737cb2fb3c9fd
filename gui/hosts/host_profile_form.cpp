// The form of one host profile's fields (host_profile_form.h).
#include "gui/hosts/host_profile_form.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "core/base/error.h"
#include "gui/common/error_label.h"

namespace astro::gui {

namespace {

std::string field(const QLineEdit* edit) { return edit->text().trimmed().toStdString(); }

// One entry a line, blank lines left out.
std::vector<std::string> lines(const QPlainTextEdit* edit) {
  std::vector<std::string> result;
  for (const QString& line : edit->toPlainText().split(QLatin1Char('\n'))) {
    if (!line.trimmed().isEmpty()) result.push_back(line.trimmed().toStdString());
  }
  return result;
}

QString joinLines(const std::vector<std::string>& values) {
  QStringList result;
  for (const auto& value : values) result << QString::fromStdString(value);
  return result.join(QLatin1Char('\n'));
}

// Each editor is added as a row of `form` under `label`, named for tests and tools.
template <typename Editor>
Editor* addRow(QFormLayout* form, const QString& label, const char* name, Editor* editor) {
  editor->setObjectName(name);
  form->addRow(label, editor);
  return editor;
}

QLineEdit* lineRow(QFormLayout* form, const QString& label, const char* name,
                   const QString& placeholder) {
  auto* edit = addRow(form, label, name, new QLineEdit(form->parentWidget()));
  edit->setPlaceholderText(placeholder);
  return edit;
}

// Minimum = "cluster default" where 0 leaves the setting to the cluster.
QSpinBox* spinRow(QFormLayout* form, const QString& label, const char* name, int min, int max) {
  auto* box = addRow(form, label, name, new QSpinBox(form->parentWidget()));
  box->setRange(min, max);
  if (min == 0) box->setSpecialValueText(QObject::tr("cluster default"));
  return box;
}

QPlainTextEdit* linesRow(QFormLayout* form, const QString& label, const char* name,
                         const QString& placeholder) {
  auto* edit = addRow(form, label, name, new QPlainTextEdit(form->parentWidget()));
  edit->setPlaceholderText(placeholder);
  edit->setTabChangesFocus(true);
  edit->setFixedHeight(64);
  return edit;
}

}  // namespace

HostProfileForm::HostProfileForm(std::filesystem::path folder,
                                 std::optional<remote::HostProfile> existing,
                                 const QStringList& sshProfiles, QWidget* parent)
    : QDialog(parent), folder_(std::move(folder)), editing_(existing.has_value()) {
  setObjectName("hostProfileForm");
  setWindowTitle(editing_ ? tr("Edit Host Profile") : tr("Add Host Profile"));
  buildLayout(sshProfiles);
  fill(existing.value_or(remote::HostProfile{}));
  name_->setReadOnly(editing_);  // a profile's name is its file: remove and add to rename
  for (auto* edit : findChildren<QLineEdit*>()) {
    connect(edit, &QLineEdit::textChanged, this, &HostProfileForm::validate);
  }
  for (auto* edit : findChildren<QPlainTextEdit*>()) {
    connect(edit, &QPlainTextEdit::textChanged, this, &HostProfileForm::validate);
  }
  for (auto* box : findChildren<QSpinBox*>()) {
    connect(box, &QSpinBox::valueChanged, this, &HostProfileForm::validate);
  }
  connect(kind_, &QComboBox::currentIndexChanged, this, [this] {
    bool slurm = kind_->currentIndex() == 1;
    sshBox_->setVisible(!slurm);
    slurmBox_->setVisible(slurm);
    validate();
  });
  connect(login_, &QComboBox::currentTextChanged, this, &HostProfileForm::validate);
  sshBox_->setVisible(kind_->currentIndex() == 0);
  slurmBox_->setVisible(kind_->currentIndex() == 1);
  validate();
}

void HostProfileForm::buildLayout(const QStringList& sshProfiles) {
  auto* layout = new QVBoxLayout(this);
  auto* commonBox = new QWidget(this);
  auto* common = new QFormLayout(commonBox);
  common->setContentsMargins(0, 0, 0, 0);
  name_ = lineRow(common, tr("&Name:"), "hostName", tr("gpu-a (letters, digits, '.', '_', '-')"));
  kind_ = addRow(common, tr("&Kind:"), "hostKind", new QComboBox(commonBox));
  kind_->addItems({tr("SSH host"), tr("Slurm cluster")});
  workspace_ = lineRow(common, tr("Remote &workspace:"), "hostWorkspace",
                       tr("/data/astro (absolute, on the host)"));
  astro_ = lineRow(common, tr("Remote &astro:"), "hostAstro", tr("astro (the program there)"));
  sshOptions_ = linesRow(common, tr("SSH &options:"), "hostSshOptions",
                         tr("extra ssh arguments, one a line: -i, key"));
  layout->addWidget(commonBox);

  auto* sshBox = new QGroupBox(tr("SSH"), this);
  auto* ssh = new QFormLayout(sshBox);
  destination_ = lineRow(ssh, tr("&Destination:"), "hostDestination",
                         tr("[user@]host[:port] or a ~/.ssh/config alias"));
  sshBox_ = sshBox;
  layout->addWidget(sshBox);

  auto* slurmBox = new QGroupBox(tr("Slurm"), this);
  auto* slurm = new QFormLayout(slurmBox);
  login_ = addRow(slurm, tr("&Login:"), "hostSlurmLogin", new QComboBox(slurmBox));
  login_->setEditable(true);
  login_->addItems(QStringList{QStringLiteral("local")} + sshProfiles);
  login_->setToolTip(tr("Where sbatch runs: this machine (local) or an SSH profile"));
  partition_ = lineRow(slurm, tr("&Partition:"), "hostPartition", tr("cluster default"));
  nodes_ = spinRow(slurm, tr("No&des:"), "hostNodes", 1, 100000);
  gpusPerNode_ = spinRow(slurm, tr("&GPUs per node:"), "hostGpusPerNode", 0, 1024);
  cpusPerTask_ = spinRow(slurm, tr("&CPUs per task:"), "hostCpusPerTask", 0, 100000);
  memory_ = lineRow(slurm, tr("&Memory:"), "hostMemory", tr("64G"));
  timeLimit_ = lineRow(slurm, tr("&Time limit:"), "hostTime", tr("24:00:00"));
  account_ = lineRow(slurm, tr("Acco&unt:"), "hostAccount", tr("cluster default"));
  qos_ = lineRow(slurm, tr("&QoS:"), "hostQos", tr("cluster default"));
  sbatch_ = linesRow(slurm, tr("E&xtra lines:"), "hostSbatch",
                     tr("#SBATCH --constraint=h100 (one a line)"));
  slurmBox_ = slurmBox;
  layout->addWidget(slurmBox);

  error_ = createErrorLabel(this, "hostFormError");
  layout->addWidget(error_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
  saveButton_ = buttons->button(QDialogButtonBox::Save);
  saveButton_->setObjectName("hostSave");
  connect(saveButton_, &QPushButton::clicked, this, &HostProfileForm::save);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);
}

void HostProfileForm::fill(const remote::HostProfile& profile) {
  auto set = [](QLineEdit* edit, const std::string& value) {
    edit->setText(QString::fromStdString(value));
  };
  set(name_, profile.name);
  kind_->setCurrentIndex(profile.kind == remote::HostKind::kSlurm ? 1 : 0);
  set(workspace_, profile.workspace);
  set(astro_, profile.astro);
  sshOptions_->setPlainText(joinLines(profile.sshOptions));
  set(destination_, profile.ssh.host.empty() ? std::string() : profile.ssh.text());
  const remote::SlurmSettings& slurm = profile.slurm;
  login_->setCurrentText(QString::fromStdString(slurm.login));
  set(partition_, slurm.partition);
  nodes_->setValue(slurm.nodes);
  gpusPerNode_->setValue(slurm.gpusPerNode);
  cpusPerTask_->setValue(slurm.cpusPerTask);
  set(memory_, slurm.memory);
  set(timeLimit_, slurm.timeLimit);
  set(account_, slurm.account);
  set(qos_, slurm.qos);
  sbatch_->setPlainText(joinLines(slurm.extraSbatch));
}

remote::HostProfile HostProfileForm::profile() const {
  remote::HostProfile profile{
      .name = field(name_),
      .kind = kind_->currentIndex() == 1 ? remote::HostKind::kSlurm : remote::HostKind::kSsh,
      .ssh = {},
      .sshOptions = lines(sshOptions_),
      .workspace = field(workspace_),
      .astro = field(astro_),
      .slurm = {.login = login_->currentText().trimmed().toStdString(),
                .partition = field(partition_),
                .nodes = nodes_->value(),
                .gpusPerNode = gpusPerNode_->value(),
                .cpusPerTask = cpusPerTask_->value(),
                .memory = field(memory_),
                .timeLimit = field(timeLimit_),
                .account = field(account_),
                .qos = field(qos_),
                .extraSbatch = lines(sbatch_)}};
  remote::validateProfileName(profile.name);  // the name first: it is the file
  if (profile.kind == remote::HostKind::kSsh) {
    if (field(destination_).empty()) throw UsageError(tr("no ssh destination").toStdString());
    profile.ssh = remote::parseSshDestination(field(destination_));
  }
  remote::validateProfile(profile);
  return profile;
}

QString HostProfileForm::errorText() const { return error_->text(); }

bool HostProfileForm::canSave() const { return saveButton_->isEnabled(); }

void HostProfileForm::showError(const QString& message) { setErrorText(error_, message); }

void HostProfileForm::validate() {
  try {
    profile();
    showError(QString());
    saveButton_->setEnabled(true);
  } catch (const std::exception& error) {
    showError(QString::fromUtf8(error.what()));
    saveButton_->setEnabled(false);
  }
}

void HostProfileForm::save() {
  remote::HostProfile written;
  try {
    written = profile();
  } catch (const std::exception& error) {
    showError(QString::fromUtf8(error.what()));
    return;
  }
  // The file is written on the pool; the form stays open, Save disabled, until it is.
  saveButton_->setEnabled(false);
  saveJobs_.start(
      [folder = folder_, written, editing = editing_](const std::atomic<bool>&) -> QString {
        try {
          remote::HostRegistry(folder).save(written, editing);
        } catch (const std::exception& error) {
          return QString::fromUtf8(error.what());
        }
        return {};
      },
      [this, name = written.name](const QString& error) {
        saveButton_->setEnabled(true);
        if (!error.isEmpty()) {
          showError(error);
          return;
        }
        Q_EMIT saved(QString::fromStdString(name));
        accept();
      });
}

}  // namespace astro::gui
