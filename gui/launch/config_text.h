// Line-level edits of a pipeline config's TOML text, keeping everything else as written (comments,
// order, blank lines): the Launch view's form writes through these, and reads the text back with
// them. Validation is not done here: the pipeline's own parser checks the result (pipeline_cli.h).
#pragma once

#include <QString>
#include <QStringList>
#include <optional>

namespace astro::gui {

// The value of `key` in [table] as TOML text (a trailing comment removed; a multi-line array
// joined with its newlines), or nullopt when the table or key is absent.
std::optional<QString> tomlValueText(const QString& text, const QString& table, const QString& key);
// `text` with `key = value` in [table]: replaces the key's value where it is, else adds the line
// after the table's last key (adding the table at the end when absent). An empty `value` removes
// the key.
QString withTomlValue(const QString& text, const QString& table, const QString& key,
                      const QString& value);

QStringList tomlTables(const QString& text);  // the [table] headers, in order
// Adds "[table]" at the end, or removes the header and every line up to the next header.
QString withTomlTable(const QString& text, const QString& table, bool present);

// A TOML basic string ("a \"b\"") and back; nullopt when `value` is no single string.
QString tomlQuoted(const QString& text);
std::optional<QString> tomlUnquoted(const QString& value);

}  // namespace astro::gui
