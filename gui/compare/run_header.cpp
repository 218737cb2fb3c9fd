// Run column headers (run_header.h).
#include "gui/compare/run_header.h"

#include <QIcon>
#include <QPainter>
#include <QPixmap>

#include "gui/common/run_colors.h"

namespace astro::gui {

namespace {

QIcon swatch(const QColor& color) {
  QPixmap pixmap(12, 12);
  pixmap.fill(Qt::transparent);
  QPainter painter(&pixmap);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setPen(Qt::NoPen);
  painter.setBrush(color);
  painter.drawEllipse(QRectF(1, 1, 10, 10));
  return QIcon(pixmap);
}

}  // namespace

QString runTitle(const store::Run& run) {
  return QStringLiteral("#%1 %2").arg(run.id).arg(QString::fromStdString(run.name));
}

QVariant runHeaderData(const store::Run& run, int role) {
  switch (role) {
    case Qt::DisplayRole:  // the names are in the view's legend; columns stay narrow
      return QStringLiteral("#%1").arg(run.id);
    case Qt::DecorationRole:
      return swatch(runColor(run.id));
    case Qt::ToolTipRole:
      return QStringLiteral("run %1 \"%2\": %3 on %4")
          .arg(run.id)
          .arg(QString::fromStdString(run.name),
               QString::fromStdString(store::runStatusName(run.status)),
               QString::fromStdString(run.host.empty() ? std::string("-") : run.host));
    default:
      return {};
  }
}

}  // namespace astro::gui
