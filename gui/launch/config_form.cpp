#include "gui/launch/config_form.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLineEdit>
#include <QScrollArea>
#include <QVBoxLayout>

#include "gui/launch/config_text.h"

namespace astro::gui {

namespace {

// Text and path keys are edited without their quotes.
bool editedUnquoted(const ConfigField& field) {
  return field.type == QLatin1String("text") || field.type == QLatin1String("path");
}

QString rangeText(const ConfigField& field) {
  QString text = field.type;
  if (field.min && field.max && *field.max < 1e15) {
    text += QStringLiteral(" in [%1, %2]").arg(*field.min).arg(*field.max);
  } else if (field.min) {
    text += QStringLiteral(" ≥ %1").arg(*field.min);
  }
  if (!field.choices.isEmpty())
    text += QStringLiteral(": ") + field.choices.join(QStringLiteral(", "));
  if (!field.defaultValue.isEmpty()) text += QStringLiteral("; default ") + field.defaultValue;
  return text;
}

}  // namespace

ConfigForm::ConfigForm(QWidget* parent) : QWidget(parent) {
  setObjectName("configForm");
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  auto* scroll = new QScrollArea(this);
  scroll->setWidgetResizable(true);
  auto* inner = new QWidget(scroll);
  groupsLayout_ = new QVBoxLayout(inner);
  groupsLayout_->addStretch(1);
  scroll->setWidget(inner);
  outer->addWidget(scroll);
}

QString ConfigForm::fieldName(const QString& table, const QString& key) {
  return table + QLatin1Char('.') + key;
}

QWidget* ConfigForm::makeEditor(Editor& editor, QWidget* parent) {
  const ConfigField& field = editor.field;
  bool boolean = field.type == QLatin1String("boolean");
  if (boolean || !field.choices.isEmpty()) {
    editor.choice = new QComboBox(parent);
    editor.choice->addItem(tr("default (%1)").arg(field.defaultValue), QString());
    QStringList choices = boolean ? QStringList{"true", "false"} : field.choices;
    for (const QString& choice : choices) {
      editor.choice->addItem(choice, boolean ? choice : tomlQuoted(choice));
    }
    connect(editor.choice, &QComboBox::activated, this,
            [this, name = fieldName(field.table, field.key)] { emitEdit(editors_[name]); });
    return editor.choice;
  }
  editor.line = new QLineEdit(parent);
  QString placeholder = field.defaultValue;
  if (editedUnquoted(field)) placeholder = tomlUnquoted(placeholder).value_or(placeholder);
  if (placeholder.isEmpty()) {
    placeholder =
        field.type == QLatin1String("path") ? tr("(an earlier stage's output)") : tr("(not set)");
  }
  editor.line->setPlaceholderText(placeholder);
  editor.line->setClearButtonEnabled(true);
  connect(editor.line, &QLineEdit::editingFinished, this,
          [this, name = fieldName(field.table, field.key)] { emitEdit(editors_[name]); });
  return editor.line;
}

void ConfigForm::setSchema(const QList<ConfigField>& fields) {
  fields_ = fields;
  editors_.clear();
  for (QGroupBox* group : groups_) delete group;
  groups_.clear();
  QWidget* inner = groupsLayout_->parentWidget();
  QFormLayout* form = nullptr;
  for (const ConfigField& field : fields) {
    QGroupBox* group = groups_.value(field.table);
    if (group == nullptr) {
      group = new QGroupBox(QStringLiteral("[%1]").arg(field.table), inner);
      group->setObjectName(QStringLiteral("table:") + field.table);
      group->setCheckable(true);
      group->setChecked(false);
      form = new QFormLayout(group);
      groupsLayout_->insertWidget(groupsLayout_->count() - 1, group);
      groups_.insert(field.table, group);
      connect(group, &QGroupBox::toggled, this, [this, table = field.table](bool present) {
        if (!loading_) Q_EMIT tableToggled(table, present);
      });
    }
    Editor editor{.field = field};
    QWidget* widget = makeEditor(editor, group);
    widget->setObjectName(QStringLiteral("field:") + fieldName(field.table, field.key));
    widget->setToolTip(rangeText(field));
    form->addRow(field.key, widget);
    editors_.insert(fieldName(field.table, field.key), editor);
  }
}

void ConfigForm::setText(const QString& text) {
  loading_ = true;
  QStringList tables = tomlTables(text);
  for (auto it = groups_.begin(); it != groups_.end(); ++it) {
    it.value()->setChecked(tables.contains(it.key()));
  }
  for (Editor& editor : editors_) {
    setEditorValue(editor, tomlValueText(text, editor.field.table, editor.field.key));
  }
  loading_ = false;
}

void ConfigForm::setEditorValue(Editor& editor, const std::optional<QString>& tomlValue) {
  if (editor.choice != nullptr) {
    int index = tomlValue ? editor.choice->findData(*tomlValue) : 0;
    editor.choice->setCurrentIndex(std::max(index, 0));
    return;
  }
  QString shown = tomlValue.value_or(QString());
  if (tomlValue && editedUnquoted(editor.field)) shown = tomlUnquoted(shown).value_or(shown);
  if (editor.line->text() != shown) editor.line->setText(shown);
}

QString ConfigForm::editorValue(const Editor& editor) const {
  if (editor.choice != nullptr) return editor.choice->currentData().toString();
  QString text = editor.line->text().trimmed();
  if (text.isEmpty() || !editedUnquoted(editor.field)) return text;
  return tomlQuoted(text);
}

void ConfigForm::emitEdit(const Editor& editor) {
  if (loading_) return;
  Q_EMIT edited(editor.field.table, editor.field.key, editorValue(editor));
}

QString ConfigForm::value(const QString& table, const QString& key) const {
  auto found = editors_.find(fieldName(table, key));
  return found == editors_.end() ? QString() : editorValue(*found);
}

void ConfigForm::edit(const QString& table, const QString& key, const QString& tomlValue) {
  auto found = editors_.find(fieldName(table, key));
  if (found == editors_.end()) return;
  setEditorValue(*found, tomlValue.isEmpty() ? std::nullopt : std::optional<QString>(tomlValue));
  emitEdit(*found);
}

bool ConfigForm::tablePresent(const QString& table) const {
  QGroupBox* group = groups_.value(table);
  return group != nullptr && group->isChecked();
}

void ConfigForm::setTablePresent(const QString& table, bool present) {
  if (QGroupBox* group = groups_.value(table)) group->setChecked(present);
}

QWidget* ConfigForm::editor(const QString& table, const QString& key) const {
  auto found = editors_.find(fieldName(table, key));
  if (found == editors_.end()) return nullptr;
  return found->line != nullptr ? static_cast<QWidget*>(found->line) : found->choice;
}

void ConfigForm::markError(const QString& field, const QString& message) {
  for (Editor& editor : editors_) {
    QWidget* widget = editor.line != nullptr ? static_cast<QWidget*>(editor.line) : editor.choice;
    bool marked = !field.isEmpty() && fieldName(editor.field.table, editor.field.key) == field;
    widget->setStyleSheet(marked ? QStringLiteral("background: #ffd6d6") : QString());
    widget->setToolTip(marked ? message : rangeText(editor.field));
  }
  for (auto it = groups_.begin(); it != groups_.end(); ++it) {
    bool marked = !field.isEmpty() && field == it.key();
    it.value()->setStyleSheet(marked ? QStringLiteral("QGroupBox { color: #b00020 }") : QString());
  }
}

}  // namespace astro::gui
