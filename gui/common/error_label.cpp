// The red error label (error_label.h).
#include "gui/common/error_label.h"

#include <QLabel>

namespace astro::gui {

QLabel* createErrorLabel(QWidget* parent, const char* objectName) {
  auto* label = new QLabel(parent);
  label->setObjectName(objectName);
  label->setTextFormat(Qt::PlainText);  // messages quote file contents and host output
  label->setWordWrap(true);
  label->setStyleSheet(QStringLiteral("color: #b00020"));
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  label->hide();
  return label;
}

void setErrorText(QLabel* label, const QString& text) {
  label->setText(text);
  label->setVisible(!text.isEmpty());
}

}  // namespace astro::gui
