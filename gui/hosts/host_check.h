// The Hosts dialog's "Check": `astro remote check NAME --json` run as a QProcess (the studio links
// no ssh code), its report read into lines for the dialog: reachable or why not, the host's astro
// and store schema against this one's, libtorch, CUDA, each GPU with its free memory, free disk in
// the remote workspace, version mismatches.
#pragma once

#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace astro::gui {

struct HostCheckReport {
  bool ok = false;  // reachable, no error, no version mismatch
  bool reachable = false;
  QStringList lines;
  QString text() const { return lines.join(QLatin1Char('\n')); }
};

// `output`: what `astro remote check --json` printed (its report, also when the host is not
// usable); `errors`: its stderr, shown when stdout holds no report.
HostCheckReport parseHostCheck(const QByteArray& output, const QString& errors);

class HostChecker : public QObject {
  Q_OBJECT
 public:
  explicit HostChecker(QString cliPath, QObject* parent = nullptr);
  ~HostChecker() override;  // stops a check still running

  // Checks profile `name`; a check still running is dropped (its answer is not reported).
  void check(const QString& name);
  bool checking() const { return process_ != nullptr; }

 Q_SIGNALS:
  void checked(const QString& name, const astro::gui::HostCheckReport& report);

 private:
  QString cliPath_;
  QPointer<QProcess> process_;
};

}  // namespace astro::gui
