#include "gui/launch/config_text.h"

#include <QRegularExpression>
#include <vector>

namespace astro::gui {

namespace {

// One key's place in the text: lines [first, last] (0-based) and its value.
struct KeySpan {
  int first = -1;
  int last = -1;
  QString value;
};

// The lines of one table: its header line (-1 when the key sits at the top level) and the end of
// its block (the next header or the end of the text).
struct TableSpan {
  int header = -1;
  int end = 0;
  int lastContent = -1;  // the last non-blank, non-comment line of the block
};

std::optional<QString> headerName(const QString& line) {
  static const QRegularExpression header(QStringLiteral(R"(^\s*\[\s*([^\[\]#]+?)\s*\]\s*(#.*)?$)"));
  auto match = header.match(line);
  if (!match.hasMatch()) return std::nullopt;
  QString name = match.captured(1);
  if (name.size() >= 2 && name.startsWith('"') && name.endsWith('"'))
    name = name.mid(1, name.size() - 2);
  return name;
}

// The index of the first character of `line` outside strings for which `stop(c)` is true, or -1;
// `stop` sees every character outside strings, in order.
template <typename Stop>
int findOutsideStrings(const QString& line, Stop stop) {
  QChar quote;
  for (int i = 0; i < line.size(); ++i) {
    QChar c = line[i];
    if (!quote.isNull()) {
      if (c == '\\' && quote == '"')
        ++i;
      else if (c == quote)
        quote = QChar();
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (stop(c)) {
      return i;
    }
  }
  return -1;
}

// `line` without a comment that starts outside strings.
QString withoutComment(const QString& line) {
  int hash = findOutsideStrings(line, [](QChar c) { return c == '#'; });
  return hash < 0 ? line : line.left(hash);
}

// Open brackets and braces minus closed ones, outside strings.
int bracketDepth(const QString& value) {
  int depth = 0;
  findOutsideStrings(withoutComment(value), [&](QChar c) {
    if (c == '[' || c == '{') ++depth;
    if (c == ']' || c == '}') --depth;
    return false;
  });
  return depth;
}

std::optional<TableSpan> findTable(const QStringList& lines, const QString& table) {
  std::optional<TableSpan> span;
  for (int i = 0; i < lines.size(); ++i) {
    auto name = headerName(lines[i]);
    if (name) {
      if (span && span->end < 0) span->end = i;
      if (*name == table && !span) span = TableSpan{.header = i, .end = -1, .lastContent = i};
      continue;
    }
    QString trimmed = lines[i].trimmed();
    if (span && span->end < 0 && !trimmed.isEmpty() && !trimmed.startsWith('#')) {
      span->lastContent = i;
    }
  }
  if (span && span->end < 0) span->end = static_cast<int>(lines.size());
  return span;
}

std::optional<KeySpan> findKey(const QStringList& lines, const TableSpan& table,
                               const QString& key) {
  static const QRegularExpression keyLine(
      QStringLiteral(R"(^\s*("[^"]*"|[A-Za-z0-9_-]+)\s*=\s*(.*)$)"));
  for (int i = table.header + 1; i < table.end; ++i) {
    auto match = keyLine.match(lines[i]);
    if (!match.hasMatch()) continue;
    QString name = match.captured(1);
    if (name.startsWith('"')) name = name.mid(1, name.size() - 2);
    // A multi-line value's continuation lines are skipped with it.
    QString value = match.captured(2);
    int last = i;
    int depth = bracketDepth(value);
    while (depth > 0 && last + 1 < table.end) {
      ++last;
      value += QLatin1Char('\n') + lines[last];
      depth += bracketDepth(lines[last]);
    }
    if (name == key) {
      return KeySpan{.first = i, .last = last, .value = withoutComment(value).trimmed()};
    }
    i = last;
  }
  return std::nullopt;
}

QStringList linesOf(const QString& text) { return text.split(QLatin1Char('\n')); }

}  // namespace

std::optional<QString> tomlValueText(const QString& text, const QString& table,
                                     const QString& key) {
  QStringList lines = linesOf(text);
  auto span = findTable(lines, table);
  if (!span) return std::nullopt;
  auto found = findKey(lines, *span, key);
  if (!found) return std::nullopt;
  return found->value;
}

QString withTomlValue(const QString& text, const QString& table, const QString& key,
                      const QString& value) {
  QStringList lines = linesOf(text);
  auto span = findTable(lines, table);
  if (!span) {
    if (value.isEmpty()) return text;
    QString added = withTomlTable(text, table, true);
    lines = linesOf(added);
    span = findTable(lines, table);
  }
  auto found = findKey(lines, *span, key);
  QString line = key + QStringLiteral(" = ") + value;
  if (found) {
    // Keep a trailing comment of a one-line value.
    QString comment;
    if (found->first == found->last) {
      QString original = lines[found->first];
      comment = original.mid(withoutComment(original).size());
    }
    for (int i = found->last; i > found->first; --i) lines.removeAt(i);
    if (value.isEmpty()) {
      lines.removeAt(found->first);
    } else {
      lines[found->first] = comment.isEmpty() ? line : line + QLatin1Char(' ') + comment.trimmed();
    }
  } else if (!value.isEmpty()) {
    lines.insert(span->lastContent + 1, line);
  }
  return lines.join(QLatin1Char('\n'));
}

QStringList tomlTables(const QString& text) {
  QStringList tables;
  for (const QString& line : linesOf(text)) {
    if (auto name = headerName(line)) tables << *name;
  }
  return tables;
}

QString withTomlTable(const QString& text, const QString& table, bool present) {
  QStringList lines = linesOf(text);
  auto span = findTable(lines, table);
  if (present) {
    if (span) return text;
    QString result = text;
    while (result.endsWith(QLatin1Char('\n'))) result.chop(1);
    if (!result.isEmpty()) result += QStringLiteral("\n\n");
    return result + QLatin1Char('[') + table + QStringLiteral("]\n");
  }
  if (!span) return text;
  for (int i = span->end - 1; i >= span->header; --i) lines.removeAt(i);
  return lines.join(QLatin1Char('\n'));
}

QString tomlQuoted(const QString& text) {
  QString out = QStringLiteral("\"");
  for (QChar c : text) {
    if (c == '"' || c == '\\') out += QLatin1Char('\\');
    if (c == '\n') {
      out += QStringLiteral("\\n");
      continue;
    }
    out += c;
  }
  return out + QLatin1Char('"');
}

std::optional<QString> tomlUnquoted(const QString& value) {
  QString v = value.trimmed();
  if (v.size() >= 2 && v.startsWith('\'') && v.endsWith('\'') &&
      !v.mid(1, v.size() - 2).contains('\'')) {
    return v.mid(1, v.size() - 2);
  }
  if (v.size() < 2 || !v.startsWith('"') || !v.endsWith('"')) return std::nullopt;
  QString out;
  for (int i = 1; i < v.size() - 1; ++i) {
    QChar c = v[i];
    if (c == '"') return std::nullopt;  // two strings, or a string and more
    if (c == '\\' && i + 1 < v.size() - 1) {
      QChar next = v[++i];
      out += next == 'n' ? QChar('\n') : next == 't' ? QChar('\t') : next;
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace astro::gui
