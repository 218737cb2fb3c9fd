// Asks the `astro` program about pipeline configs without blocking: `astro pipeline schema` (every
// key of every table, from the pipeline's own parser) and `astro pipeline check -` (the config as
// `astro run` would parse it). The studio links neither the pipeline nor libtorch; the CLI it
// launches with is the one that judges the config.
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <optional>

namespace astro::gui {

struct ConfigField {
  QString table;
  QString key;
  QString type;  // integer, real, boolean, text, path, value (core/pipeline/pipeline_schema.h)
  std::optional<double> min;
  std::optional<double> max;
  QStringList choices;
  QString defaultValue;  // TOML text; empty when it comes from an earlier stage
};

struct ConfigCheck {
  bool ok = false;
  int line = 0;   // of the error; 0 when not known
  QString field;  // "search.iterations"
  QString message;
  QString name;  // the run name, when ok
  QStringList stages;
};

QList<ConfigField> parseSchemaJson(const QByteArray& json);
ConfigCheck parseCheckJson(const QByteArray& json, const QString& errors);

class PipelineCli : public QObject {
  Q_OBJECT
 public:
  explicit PipelineCli(QString cliPath, QObject* parent = nullptr);
  ~PipelineCli() override;  // stops the checks still running

  void requestSchema();
  // Checks `text` with relative paths against `baseDir`; a check still running is dropped.
  void check(const QString& text, const QString& baseDir, const QString& source);
  bool checking() const { return checkProcess_ != nullptr; }

 Q_SIGNALS:
  void schemaReady(const QList<astro::gui::ConfigField>& fields);
  void schemaFailed(const QString& message);
  void checked(const astro::gui::ConfigCheck& result);

 private:
  QString cliPath_;
  QPointer<QProcess> checkProcess_;
};

}  // namespace astro::gui
