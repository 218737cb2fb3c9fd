#include "gui/launch/pipeline_cli.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include "gui/common/cli_command.h"

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

PipelineCli::~PipelineCli() { dropCommands(this); }

void PipelineCli::requestSchema() {
  startCommand(cliPath_, {QStringLiteral("pipeline"), QStringLiteral("schema")}, this,
               {.finished = [this](const CommandOutput& result) {
                 QList<ConfigField> fields = parseSchemaJson(result.output);
                 if (!result.started) {
                   Q_EMIT schemaFailed(result.errors);
                 } else if (result.exitCode != 0 || fields.isEmpty()) {
                   Q_EMIT schemaFailed(tr("astro pipeline schema failed: %1").arg(result.errors));
                 } else {
                   Q_EMIT schemaReady(fields);
                 }
               }});
}

void PipelineCli::check(const QString& text, const QString& baseDir, const QString& source) {
  dropCommand(checkProcess_);  // superseded: its answer would describe an older text
  QStringList arguments{QStringLiteral("pipeline"), QStringLiteral("check"), QStringLiteral("-"),
                        QStringLiteral("--source"), source};
  if (!baseDir.isEmpty()) arguments << QStringLiteral("--base-dir") << baseDir;
  QProcess* process =
      startCommand(cliPath_, arguments, this, {.finished = [this](const CommandOutput& result) {
                     checkProcess_ = nullptr;
                     Q_EMIT checked(parseCheckJson(result.output, result.errors));
                   }});
  checkProcess_ = process;
  process->write(text.toUtf8());
  process->closeWriteChannel();
}

}  // namespace astro::gui
