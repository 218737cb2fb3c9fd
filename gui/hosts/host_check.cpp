// `astro remote check NAME --json` for the Hosts dialog (host_check.h).
#include "gui/hosts/host_check.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <cmath>

#include "gui/common/cli_command.h"

namespace astro::gui {

namespace {

QString gib(double bytes) {
  return QObject::tr("%1 GiB").arg(bytes / double(1ll << 30), 0, 'f', 1);
}

void addHostLines(const QJsonObject& host, const QJsonObject& local, QStringList& lines) {
  lines << QObject::tr("Host %1: astro %2 (here %3), store schema %4 (here %5)")
               .arg(host["hostname"].toString(), host["astro"].toString(),
                    local["astro"].toString())
               .arg(host["schema"].toInt())
               .arg(local["schema"].toInt());
  QString runtime =
      QObject::tr("libtorch %1, CUDA %2").arg(host["libtorch"].toString(), host["cuda"].toString());
  if (!host["driver"].toString().isEmpty()) {
    runtime += QObject::tr(", driver %1").arg(host["driver"].toString());
  }
  lines << runtime;
  QJsonArray gpus = host["gpus"].toArray();
  if (gpus.isEmpty()) lines << QObject::tr("GPUs: none");
  for (const QJsonValue& value : gpus) {
    QJsonObject gpu = value.toObject();
    lines << QObject::tr("GPU %1: %2, %3 free of %4")
                 .arg(gpu["index"].toInt())
                 .arg(gpu["name"].toString(), gib(gpu["free_bytes"].toDouble()),
                      gib(gpu["total_bytes"].toDouble()));
  }
  double disk = host["disk_free_bytes"].toDouble(-1);
  lines << QObject::tr("Workspace %1: %2")
               .arg(host["workspace"].toString(),
                    disk < 0 ? QObject::tr("cannot be created (no parent folder)")
                             : QObject::tr("%1 free").arg(gib(disk)));
}

}  // namespace

HostCheckReport parseHostCheck(const QByteArray& output, const QString& errors) {
  HostCheckReport report;
  QJsonObject check = QJsonDocument::fromJson(output.trimmed()).object();
  if (check.isEmpty()) {
    report.lines << (errors.trimmed().isEmpty() ? QObject::tr("astro remote check printed nothing")
                                                : errors.trimmed());
    return report;
  }
  report.reachable = check["reachable"].toBool();
  report.ok = check["ok"].toBool();
  // `where` names the profile and how it is reached ("gpu-a (alice@gpu-a:22)").
  QString profile = check["profile"].toString();
  QString where = check["where"].toString();
  report.lines << (where.startsWith(profile) ? where
                                             : QStringLiteral("%1: %2").arg(profile, where));
  QString error = check["error"].toString();
  if (!report.reachable) {
    QString failure = check["failure"].toString();
    report.lines << (failure.isEmpty() ? QObject::tr("Unreachable: %1").arg(error)
                                       : QObject::tr("Unreachable (%1): %2").arg(failure, error));
    return report;
  }
  report.lines << QObject::tr("Reachable, round trip %1 ms")
                      .arg(std::llround(check["round_trip_ms"].toDouble()));
  if (!error.isEmpty()) report.lines << QObject::tr("Error: %1").arg(error);
  if (check.contains("host")) {
    addHostLines(check["host"].toObject(), check["local"].toObject(), report.lines);
  }
  for (const QJsonValue& problem : check["problems"].toArray()) {
    report.lines << QObject::tr("Mismatch: %1").arg(problem.toString());
  }
  report.lines << (report.ok ? QObject::tr("OK: runs can go there")
                             : QObject::tr("NOT usable (see above)"));
  return report;
}

HostChecker::HostChecker(QString cliPath, QObject* parent)
    : QObject(parent), cliPath_(std::move(cliPath)) {}

HostChecker::~HostChecker() { dropCommands(this); }

void HostChecker::check(const QString& name) {
  dropCommand(process_);
  process_ = startCommand(
      cliPath_, {QStringLiteral("remote"), QStringLiteral("check"), name, QStringLiteral("--json")},
      this, {.finished = [this, name](const CommandOutput& result) {
        process_ = nullptr;
        Q_EMIT checked(name, parseHostCheck(result.output, result.errors));
      }});
}

}  // namespace astro::gui
