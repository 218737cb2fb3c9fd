// The Hosts dialog (hosts_dialog.h).
#include "gui/hosts/hosts_dialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include "gui/common/error_label.h"
#include "gui/hosts/host_check.h"
#include "gui/hosts/host_profile_form.h"

namespace astro::gui {

HostsDialog::HostsDialog(std::filesystem::path folder, QString cliPath, QWidget* parent)
    : QDialog(parent), folder_(std::move(folder)) {
  setObjectName("hostsDialog");
  setWindowTitle(tr("Hosts"));
  resize(820, 520);
  model_ = new HostProfileModel(this);
  checker_ = new HostChecker(std::move(cliPath), this);
  buildLayout();
  connect(checker_, &HostChecker::checked, this, &HostsDialog::showCheck);
  reload();
}

void HostsDialog::buildLayout() {
  auto* layout = new QVBoxLayout(this);
  auto* folderLabel = new QLabel(tr("Profiles in %1 (one TOML file each; docs/remote.md)")
                                     .arg(QString::fromStdString(folder_.string()).toHtmlEscaped()),
                                 this);
  folderLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(folderLabel);
  errors_ = createErrorLabel(this, "hostListErrors");
  layout->addWidget(errors_);

  auto* middle = new QHBoxLayout;
  table_ = new QTableView(this);
  table_->setObjectName("hostTable");
  table_->setModel(model_);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setStretchLastSection(true);
  middle->addWidget(table_, 1);
  auto* buttons = new QVBoxLayout;
  auto addButton = [this, buttons](const QString& text, const char* name, auto slot) {
    auto* button = new QPushButton(text, this);
    button->setObjectName(name);
    connect(button, &QPushButton::clicked, this, slot);
    buttons->addWidget(button);
    return button;
  };
  addButton(tr("&Add…"), "hostAdd", [this] { addProfile(); });
  editButton_ = addButton(tr("&Edit…"), "hostEdit", [this] { editProfile(); });
  removeButton_ = addButton(tr("&Remove"), "hostRemove", &HostsDialog::removeProfile);
  checkButton_ = addButton(tr("&Check"), "hostCheck", &HostsDialog::checkProfile);
  buttons->addStretch(1);
  middle->addLayout(buttons);
  layout->addLayout(middle, 2);

  checkStatus_ = new QLabel(tr("Check reaches the selected host with `astro remote check`."), this);
  checkStatus_->setObjectName("hostCheckStatus");
  layout->addWidget(checkStatus_);
  checkResult_ = new QPlainTextEdit(this);
  checkResult_->setObjectName("hostCheckResult");
  checkResult_->setReadOnly(true);
  checkResult_->setFont(QFont(QStringLiteral("monospace")));
  layout->addWidget(checkResult_, 1);
  auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(close);

  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &HostsDialog::updateButtons);
  connect(table_, &QTableView::activated, this, [this] { editProfile(); });
  updateButtons();
}

void HostsDialog::reload() {
  if (pendingSelection_.isEmpty()) pendingSelection_ = selectedName();
  loadJobs_.start([folder = folder_](const std::atomic<bool>&) { return readHostProfiles(folder); },
                  [this](HostProfileList list) { apply(std::move(list)); });
}

void HostsDialog::apply(HostProfileList list) {
  model_->setProfiles(std::move(list.profiles));
  setErrorText(errors_, list.errors.isEmpty()
                            ? QString()
                            : tr("These profile files do not parse (fix or remove them):\n%1")
                                  .arg(list.errors.join(QLatin1Char('\n'))));
  selectProfile(pendingSelection_);
  pendingSelection_.clear();
  updateButtons();
  Q_EMIT loaded();
}

QString HostsDialog::listErrors() const { return errors_->text(); }

QString HostsDialog::checkText() const { return checkResult_->toPlainText(); }

QString HostsDialog::selectedName() const {
  auto rows = table_->selectionModel()->selectedRows();
  const remote::HostProfile* profile = rows.isEmpty() ? nullptr : model_->profile(rows[0].row());
  return profile ? QString::fromStdString(profile->name) : QString();
}

void HostsDialog::selectProfile(const QString& name) {
  int row = model_->rowOf(name);
  if (row < 0) {
    table_->clearSelection();
    return;
  }
  table_->selectRow(row);
}

void HostsDialog::updateButtons() {
  bool selected = !selectedName().isEmpty();
  editButton_->setEnabled(selected);
  removeButton_->setEnabled(selected);
  checkButton_->setEnabled(selected);
}

HostProfileForm* HostsDialog::openForm(std::optional<remote::HostProfile> existing) {
  if (form_) form_->close();
  QStringList sshProfiles;
  for (const auto& profile : model_->profiles()) {
    if (profile.kind == remote::HostKind::kSsh) sshProfiles << QString::fromStdString(profile.name);
  }
  form_ = new HostProfileForm(folder_, std::move(existing), sshProfiles, this);
  form_->setAttribute(Qt::WA_DeleteOnClose);
  connect(form_, &HostProfileForm::saved, this, [this](const QString& saved) {
    pendingSelection_ = saved;
    reload();
    Q_EMIT profilesChanged();
  });
  form_->open();  // window-modal, returns at once
  return form_;
}

HostProfileForm* HostsDialog::currentForm() const { return form_; }

HostProfileForm* HostsDialog::addProfile() { return openForm(std::nullopt); }

HostProfileForm* HostsDialog::editProfile() {
  const remote::HostProfile* profile = model_->profile(model_->rowOf(selectedName()));
  return profile ? openForm(*profile) : nullptr;
}

void HostsDialog::removeProfile() {
  QString name = selectedName();
  if (name.isEmpty()) return;
  auto* confirm = new QMessageBox(
      QMessageBox::Question, tr("Remove Host Profile"),
      tr("Remove host profile %1? Its file is deleted; runs mirrored from it keep their records "
         "but cannot reach the host until a profile of that name exists again.")
          .arg(name),
      QMessageBox::Yes | QMessageBox::No, this);
  confirm->setObjectName("hostRemoveConfirm");
  confirm->setAttribute(Qt::WA_DeleteOnClose);
  connect(confirm->button(QMessageBox::Yes), &QPushButton::clicked, this, [this, name] {
    try {
      remote::HostRegistry(folder_).remove(name.toStdString());
    } catch (const std::exception& error) {
      setErrorText(errors_, tr("Cannot remove %1: %2").arg(name, QString::fromUtf8(error.what())));
      return;
    }
    reload();
    Q_EMIT profilesChanged();
  });
  confirm->open();
}

void HostsDialog::checkProfile() {
  QString name = selectedName();
  if (name.isEmpty()) return;
  checkStatus_->setText(tr("Checking %1…").arg(name));
  checkResult_->clear();
  checker_->check(name);
}

void HostsDialog::showCheck(const QString& name, const HostCheckReport& report) {
  checkStatus_->setText(report.ok ? tr("%1 is ready for runs.").arg(name)
                                  : tr("%1 is not usable:").arg(name));
  checkStatus_->setStyleSheet(report.ok ? QStringLiteral("color: #1b5e20")
                                        : QStringLiteral("color: #b00020"));
  checkResult_->setPlainText(report.text());
  Q_EMIT checked(name, report.ok);
}

}  // namespace astro::gui
