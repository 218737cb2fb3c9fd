// The Launch view's form, generated from the pipeline schema (astro pipeline schema): one
// checkable group per table (checked: the table is in the config), one editor per key showing the
// key's value in the TOML text, or its default greyed when absent. Edits come out as
// `edited(table, key, tomlValue)` ("" removes the key); setText() reads a text back in.
#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QWidget>

#include "gui/launch/pipeline_cli.h"

class QComboBox;
class QGroupBox;
class QLineEdit;
class QVBoxLayout;

namespace astro::gui {

class ConfigForm : public QWidget {
  Q_OBJECT
 public:
  explicit ConfigForm(QWidget* parent = nullptr);

  void setSchema(const QList<ConfigField>& fields);
  bool hasSchema() const { return !fields_.isEmpty(); }
  void setText(const QString& text);  // fills every editor; emits nothing

  // The editor's value as TOML text ("" when the key is left to its default).
  QString value(const QString& table, const QString& key) const;
  // Sets an editor as a user would, emitting edited(); for tests and shortcuts.
  void edit(const QString& table, const QString& key, const QString& tomlValue);
  bool tablePresent(const QString& table) const;
  void setTablePresent(const QString& table, bool present);  // as a user would
  QWidget* editor(const QString& table, const QString& key) const;
  // Marks the editor of `field` ("search.iterations") or its table; "" clears every mark.
  void markError(const QString& field, const QString& message);

 Q_SIGNALS:
  void edited(const QString& table, const QString& key, const QString& tomlValue);
  void tableToggled(const QString& table, bool present);

 private:
  struct Editor {
    ConfigField field;
    QLineEdit* line = nullptr;    // integer, real, text, path, value
    QComboBox* choice = nullptr;  // boolean, and text with choices
  };
  static QString fieldName(const QString& table, const QString& key);
  QString editorValue(const Editor& editor) const;
  void setEditorValue(Editor& editor, const std::optional<QString>& tomlValue);
  void emitEdit(const Editor& editor);
  QWidget* makeEditor(Editor& editor, QWidget* parent);

  QList<ConfigField> fields_;
  QHash<QString, Editor> editors_;  // by "table.key"
  QHash<QString, QGroupBox*> groups_;
  QVBoxLayout* groupsLayout_ = nullptr;
  bool loading_ = false;
};

}  // namespace astro::gui
