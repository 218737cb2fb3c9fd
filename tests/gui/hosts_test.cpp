// Host profiles in the studio (gui/hosts): the host profile model under QAbstractItemModelTester;
// the Hosts dialog adding, editing and removing SSH and Slurm profiles in a temporary
// $ASTRO_CONFIG_HOME, with core's validation errors inline and a broken profile file named; Check
// reading `astro remote check --json` from the recording stub (tests/gui/data/astro_stub.sh).
#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableView>
#include <QTreeView>
#include <QtTest>
#include <fstream>

#include "core/base/atomic_file.h"
#include "core/remote/host_profile.h"
#include "core/store/workspace.h"
#include "gui/hosts/host_check.h"
#include "gui/hosts/host_profile_form.h"
#include "gui/hosts/host_profile_model.h"
#include "gui/hosts/hosts_dialog.h"
#include "gui/launch/launch_view.h"
#include "gui/launch/local_launch_target.h"
#include "gui/launch/mirror_reattach.h"
#include "gui/launch/remote_launch_target.h"
#include "gui/main_window.h"
#include "gui/workspace/artifact_fetch.h"
#include "gui/workspace/run_overview_view.h"
#include "gui/workspace/workspace_model.h"
#include "tests/support/test_support.h"
#include "tests/gui/hosts_test_support.h"

using namespace astro;
using namespace astro::gui;
using namespace astro::gui::hosts_fixture;

class HostsTest : public StubbedAstroTest {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { installStub("gui_hosts_test"); }
  void init() { freshProfiles(); }

  void hostProfileModel_passesModelTester_andReadsEachFileOnItsOwn() {
    remote::HostRegistry registry;
    registry.save(sshProfile("gpu-a"));
    registry.save(slurmProfile("cluster"));
    writeFileAtomically(registry.folder() / "broken.toml", "kind = \"ssh\"\nworkspace = 3\n");

    HostProfileList list = readHostProfiles(registry.folder());
    QCOMPARE(list.profiles.size(), std::size_t(2));
    QCOMPARE(list.errors.size(), 1);
    QVERIFY2(list.errors[0].contains("broken.toml:2") && list.errors[0].contains("workspace"),
             qPrintable(list.errors[0]));

    HostProfileModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setProfiles(list.profiles);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), 4);
    auto cell = [&](int row, int column) { return model.index(row, column).data().toString(); };
    QCOMPARE(cell(0, 0), QString("cluster"));  // by name
    QCOMPARE(cell(0, 1), QString("Slurm"));
    QCOMPARE(cell(0, 2), QString("login local, partition gpu, 2 × 4 GPU(s)"));
    QCOMPARE(cell(0, 3), QString("/scratch/astro"));
    QCOMPARE(cell(1, 0), QString("gpu-a"));
    QCOMPARE(cell(1, 1), QString("SSH"));
    QCOMPARE(cell(1, 2), QString("alice@gpu-a:2222"));
    QCOMPARE(model.index(1, 2).data(Qt::ToolTipRole).toString(),
             QString("ssh options: -i /home/alice/.ssh/id_gpu"));
    QCOMPARE(model.rowOf("gpu-a"), 1);
    QCOMPARE(model.rowOf("nope"), -1);
    model.setProfiles({});
    QCOMPARE(model.rowCount(), 0);
  }

  void hostsDialog_addsEditsAndRemovesProfiles() {
    HostsDialog dialog(remote::hostsFolder(), stub_);
    QSignalSpy loaded(&dialog, &HostsDialog::loaded);
    QSignalSpy changed(&dialog, &HostsDialog::profilesChanged);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1, kTimeoutMs);
    QCOMPARE(dialog.model()->rowCount(), 0);

    // Add an SSH host through the form.
    HostProfileForm* form = dialog.addProfile();
    QVERIFY(form && form->isVisible());
    QVERIFY(!form->canSave());  // an empty form names what is missing
    form->findChild<QLineEdit*>("hostName")->setText("gpu-b");
    form->findChild<QLineEdit*>("hostDestination")->setText("bob@gpu-b.lab:2200");
    form->findChild<QLineEdit*>("hostWorkspace")->setText("/srv/astro");
    form->findChild<QPlainTextEdit*>("hostSshOptions")->setPlainText("-o\nProxyJump=gate\n");
    QVERIFY2(form->canSave(), qPrintable(form->errorText()));
    form->findChild<QPushButton*>("hostSave")->click();
    QTRY_COMPARE_WITH_TIMEOUT(dialog.model()->rowCount(), 1, kTimeoutMs);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(dialog.selectedName(), QString("gpu-b"));
    remote::HostProfile saved = remote::HostRegistry().get("gpu-b");
    QCOMPARE(saved.ssh.text(), std::string("bob@gpu-b.lab:2200"));
    QCOMPARE(saved.workspace, std::string("/srv/astro"));
    QCOMPARE(saved.astro, std::string("astro"));
    QCOMPARE(saved.sshOptions, (std::vector<std::string>{"-o", "ProxyJump=gate"}));

    // Add a Slurm cluster: every #SBATCH setting of the form lands in the file.
    form = dialog.addProfile();
    form->findChild<QLineEdit*>("hostName")->setText("cluster");
    form->findChild<QComboBox*>("hostKind")->setCurrentIndex(1);
    form->findChild<QLineEdit*>("hostWorkspace")->setText("/scratch/astro");
    form->findChild<QComboBox*>("hostSlurmLogin")->setCurrentText("gpu-b");
    form->findChild<QLineEdit*>("hostPartition")->setText("gpu");
    form->findChild<QSpinBox*>("hostNodes")->setValue(2);
    form->findChild<QSpinBox*>("hostGpusPerNode")->setValue(4);
    form->findChild<QSpinBox*>("hostCpusPerTask")->setValue(16);
    form->findChild<QLineEdit*>("hostMemory")->setText("64G");
    form->findChild<QLineEdit*>("hostTime")->setText("24:00:00");
    form->findChild<QLineEdit*>("hostAccount")->setText("proj-7");
    form->findChild<QLineEdit*>("hostQos")->setText("high");
    form->findChild<QPlainTextEdit*>("hostSbatch")->setPlainText("#SBATCH --constraint=h100");
    QVERIFY2(form->canSave(), qPrintable(form->errorText()));
    form->save();
    QTRY_COMPARE_WITH_TIMEOUT(dialog.model()->rowCount(), 2, kTimeoutMs);
    remote::SlurmSettings slurm = remote::HostRegistry().get("cluster").slurm;
    QCOMPARE(slurm.login, std::string("gpu-b"));
    QCOMPARE(slurm.partition, std::string("gpu"));
    QCOMPARE(slurm.nodes, 2);
    QCOMPARE(slurm.gpusPerNode, 4);
    QCOMPARE(slurm.cpusPerTask, 16);
    QCOMPARE(slurm.memory, std::string("64G"));
    QCOMPARE(slurm.timeLimit, std::string("24:00:00"));
    QCOMPARE(slurm.account, std::string("proj-7"));
    QCOMPARE(slurm.qos, std::string("high"));
    QCOMPARE(slurm.extraSbatch, std::vector<std::string>{"#SBATCH --constraint=h100"});

    // Edit: the form opens filled, the name stays, the file is replaced.
    dialog.selectProfile("gpu-b");
    form = dialog.editProfile();
    QVERIFY(form);
    auto* name = form->findChild<QLineEdit*>("hostName");
    QCOMPARE(name->text(), QString("gpu-b"));
    QVERIFY(name->isReadOnly());
    QCOMPARE(form->findChild<QLineEdit*>("hostDestination")->text(), QString("bob@gpu-b.lab:2200"));
    form->findChild<QLineEdit*>("hostWorkspace")->setText("/srv/other");
    form->findChild<QLineEdit*>("hostAstro")->setText("/opt/astro/bin/astro");
    form->save();
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 3, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(
        dialog.model()->index(dialog.model()->rowOf("gpu-b"), HostProfileModel::kWorkspace).data(),
        QVariant("/srv/other"), kTimeoutMs);
    QCOMPARE(remote::HostRegistry().get("gpu-b").astro, std::string("/opt/astro/bin/astro"));

    // Remove asks first; Yes deletes the file.
    dialog.selectProfile("gpu-b");
    dialog.removeProfile();
    auto* confirm = dialog.findChild<QMessageBox*>("hostRemoveConfirm");
    QVERIFY(confirm);
    QVERIFY(fs::exists(remote::hostsFolder() / "gpu-b.toml"));
    confirm->button(QMessageBox::Yes)->click();
    QTRY_COMPARE_WITH_TIMEOUT(dialog.model()->rowCount(), 1, kTimeoutMs);
    QVERIFY(!fs::exists(remote::hostsFolder() / "gpu-b.toml"));
    QCOMPARE(changed.count(), 4);
    QCOMPARE(dialog.model()->index(0, 0).data().toString(), QString("cluster"));
  }

  void hostForm_showsCoreValidationErrorsInline() {
    remote::HostRegistry().save(sshProfile("gpu-a"));
    HostProfileForm form(remote::hostsFolder(), std::nullopt, {});
    auto* name = form.findChild<QLineEdit*>("hostName");
    auto* destination = form.findChild<QLineEdit*>("hostDestination");
    auto* workspace = form.findChild<QLineEdit*>("hostWorkspace");
    name->setText("gpu-c");
    destination->setText("carol@gpu-c");
    workspace->setText("relative/path");
    QVERIFY(!form.canSave());
    QCOMPARE(form.errorText(), QString("host profile 'gpu-c': workspace 'relative/path' must be "
                                       "an absolute path on the host"));
    workspace->setText("/data/astro");
    QVERIFY2(form.canSave(), qPrintable(form.errorText()));

    name->setText("x; rm -rf ~");
    QVERIFY(!form.canSave());
    QCOMPARE(form.errorText(),
             QString("host profile name 'x; rm -rf ~': only letters, digits, '.', '_' and '-'"));
    name->setText("-oProxyCommand=touch");
    QCOMPARE(form.errorText(),
             QString("host profile name '-oProxyCommand=touch' may not start with '-' or '.'"));
    name->setText("local");
    QVERIFY(form.errorText().contains("reserved"));
    name->setText("gpu-c");
    destination->setText("-oProxyCommand=touch");
    QVERIFY(form.errorText().contains("may not start with '-'"));
    destination->setText("carol@gpu-c;reboot");
    QVERIFY(form.errorText().contains("shell characters"));
    destination->setText("carol@gpu-c");
    form.findChild<QComboBox*>("hostKind")->setCurrentIndex(1);
    auto* sbatch = form.findChild<QPlainTextEdit*>("hostSbatch");
    sbatch->setPlainText("--exclusive");
    QVERIFY(form.errorText().contains("must start with \"#SBATCH \""));
    sbatch->setPlainText("#SBATCH --exclusive");
    QVERIFY2(form.canSave(), qPrintable(form.errorText()));

    // A name that exists: the registry's refusal is shown the same way, and nothing is written.
    form.findChild<QComboBox*>("hostKind")->setCurrentIndex(0);
    name->setText("gpu-a");
    QSignalSpy saved(&form, &HostProfileForm::saved);
    form.save();  // written on the pool: the refusal comes back to the form
    QTRY_VERIFY2_WITH_TIMEOUT(form.errorText().contains("host profile 'gpu-a' exists"),
                              qPrintable(form.errorText()), kTimeoutMs);
    QCOMPARE(saved.count(), 0);
    QVERIFY(form.canSave());  // Save is enabled again
    QCOMPARE(remote::HostRegistry().get("gpu-a").ssh.user, std::string("alice"));
  }

  void hostsDialog_namesBrokenFiles_andChecksHosts() {
    remote::HostRegistry registry;
    registry.save(sshProfile("gpu-a"));
    registry.save(slurmProfile("cluster"));
    writeFileAtomically(registry.folder() / "broken.toml", "kind = \"ftp\"\n");
    HostsDialog dialog(remote::hostsFolder(), stub_);
    QSignalSpy loaded(&dialog, &HostsDialog::loaded);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1, kTimeoutMs);
    QCOMPARE(dialog.model()->rowCount(), 2);
    QVERIFY2(dialog.listErrors().contains("broken.toml:1") &&
                 dialog.listErrors().contains("expected \"ssh\" or \"slurm\""),
             qPrintable(dialog.listErrors()));

    QSignalSpy checked(&dialog, &HostsDialog::checked);
    dialog.selectProfile("gpu-a");
    dialog.checkProfile();
    QTRY_COMPARE_WITH_TIMEOUT(checked.count(), 1, kTimeoutMs);
    QCOMPARE(checked[0][0].toString(), QString("gpu-a"));
    QCOMPARE(checked[0][1].toBool(), true);
    QCOMPARE(dialog.checkText(),
             QString("gpu-a (alice@gpu-a:2222)\n"
                     "Reachable, round trip 12 ms\n"
                     "Host gpu-a1: astro 0.1.0 (here 0.1.0), store schema 6 (here 6)\n"
                     "libtorch 2.3.0, CUDA 1 device(s), driver 550.54.15\n"
                     "GPU 0: NVIDIA H100 80GB HBM3, 74.5 GiB free of 79.6 GiB\n"
                     "Workspace /data/astro: 931.3 GiB free\n"
                     "OK: runs can go there"));
    QVERIFY(stubCalls(stubLog_).contains(bracketed({"remote", "check", "gpu-a", "--json"})));

    dialog.selectProfile("cluster");
    dialog.checkProfile();
    QTRY_COMPARE_WITH_TIMEOUT(checked.count(), 2, kTimeoutMs);
    QCOMPARE(checked[1][1].toBool(), false);
    QCOMPARE(
        dialog.checkText(),
        QString(
            "cluster: this machine\nUnreachable (refused): ssh: connect to host login1 port 22: "
            "Connection refused"));

    // No report on stdout: stderr is the message.
    HostCheckReport failed = parseHostCheck("", "no host profile 'x' in /h\n");
    QVERIFY(!failed.ok);
    QCOMPARE(failed.text(), QString("no host profile 'x' in /h"));
  }

};

QTEST_MAIN(HostsTest)
#include "hosts_test.moc"
