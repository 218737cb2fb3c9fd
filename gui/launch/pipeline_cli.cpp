#include "gui/launch/pipeline_cli.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

namespace astro::gui {

QList<ConfigField> parseSchemaJson(const QByteArray& json) {
  QList<ConfigField> fields;
  for (const QJsonValue& value : QJsonDocument::fromJson(json).array()) {
    QJsonObject entry = value.toObject();
    ConfigField field{.table = entry["table"].toString(),
                      .key = entry["key"].toString(),
                      .type = entry["type"].toString(),
                      .min = {},
                      .max = {},
                      .choices = {},
                      .defaultValue = entry["default"].toString()};
    if (entry.contains("min")) field.min = entry["min"].toDouble();
    if (entry.contains("max")) field.max = entry["max"].toDouble();
    for (const QJsonValue& choice : entry["choices"].toArray()) field.choices << choice.toString();
    fields << field;
  }
  return fields;
}

ConfigCheck parseCheckJson(const QByteArray& json, const QString& errors) {
  QJsonObject object = QJsonDocument::fromJson(json.trimmed()).object();
  ConfigCheck result;
  if (object.isEmpty()) {
    result.message =
        errors.isEmpty() ? QObject::tr("astro pipeline check printed nothing") : errors.trimmed();
    return result;
  }
  result.ok = object["ok"].toBool();
  result.line = object["line"].toInt();
  result.field = object["field"].toString();
  result.message = object["message"].toString();
  result.name = object["name"].toString();
  for (const QJsonValue& stage : object["stages"].toArray()) result.stages << stage.toString();
  return result;
}

PipelineCli::PipelineCli(QString cliPath, QObject* parent)
    : QObject(parent), cliPath_(std::move(cliPath)) {}

PipelineCli::~PipelineCli() {
  for (QProcess* process : findChildren<QProcess*>()) {
    process->disconnect(this);
    process->kill();
    process->waitForFinished(1000);
  }
}

void PipelineCli::requestSchema() {
  auto* process = new QProcess(this);
  connect(process, &QProcess::finished, this, [this, process](int exitCode) {
    process->deleteLater();
    QList<ConfigField> fields = parseSchemaJson(process->readAllStandardOutput());
    if (exitCode != 0 || fields.isEmpty()) {
      Q_EMIT schemaFailed(tr("astro pipeline schema failed: %1")
                              .arg(QString::fromUtf8(process->readAllStandardError())));
      return;
    }
    Q_EMIT schemaReady(fields);
  });
  connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
    if (error != QProcess::FailedToStart) return;
    process->deleteLater();
    Q_EMIT schemaFailed(tr("cannot start %1: %2").arg(cliPath_, process->errorString()));
  });
  process->start(cliPath_, {QStringLiteral("pipeline"), QStringLiteral("schema")});
}

void PipelineCli::check(const QString& text, const QString& baseDir, const QString& source) {
  if (checkProcess_) {  // superseded: its answer would describe an older text
    checkProcess_->disconnect(this);
    checkProcess_->kill();
    checkProcess_->deleteLater();
  }
  auto* process = new QProcess(this);
  checkProcess_ = process;
  connect(process, &QProcess::finished, this, [this, process] {
    process->deleteLater();
    if (checkProcess_ == process) checkProcess_ = nullptr;
    Q_EMIT checked(parseCheckJson(process->readAllStandardOutput(),
                                  QString::fromUtf8(process->readAllStandardError())));
  });
  connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
    if (error != QProcess::FailedToStart) return;
    process->deleteLater();
    if (checkProcess_ == process) checkProcess_ = nullptr;
    ConfigCheck failed;
    failed.message = tr("cannot start %1: %2").arg(cliPath_, process->errorString());
    Q_EMIT checked(failed);
  });
  QStringList arguments{QStringLiteral("pipeline"), QStringLiteral("check"), QStringLiteral("-"),
                        QStringLiteral("--source"), source};
  if (!baseDir.isEmpty()) arguments << QStringLiteral("--base-dir") << baseDir;
  process->start(cliPath_, arguments);
  process->write(text.toUtf8());
  process->closeWriteChannel();
}

}  // namespace astro::gui
