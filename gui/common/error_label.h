// A label that shows an error where the data or the action would be (STYLE.md: an error is shown,
// not turned into an empty list): red, wrapping, selectable plain text, hidden while empty.
#pragma once

#include <QString>

class QLabel;
class QWidget;

namespace astro::gui {

QLabel* createErrorLabel(QWidget* parent, const char* objectName);
void setErrorText(QLabel* label, const QString& text);  // shows it, or hides it when empty

}  // namespace astro::gui
