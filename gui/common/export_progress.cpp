// File exports on the pool with progress and Cancel (export_progress.h).
#include "gui/common/export_progress.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

#include "core/base/atomic_file.h"

namespace astro::gui {
namespace {

struct ExportResult {
  QString error;  // empty: written
  bool cancelled = false;
};

}  // namespace

ExportProgress::ExportProgress(QWidget* parent) : QWidget(parent) {
  setObjectName("exportProgress");
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  label_ = new QLabel(this);
  bar_ = new QProgressBar(this);
  bar_->setRange(0, 0);  // busy: Graphviz reports no progress of its own
  bar_->setMaximumWidth(160);
  bar_->setTextVisible(false);
  cancel_ = new QPushButton(tr("Cancel"), this);
  cancel_->setObjectName("exportCancel");
  layout->addWidget(label_, 1);
  layout->addWidget(bar_);
  layout->addWidget(cancel_);
  connect(cancel_, &QPushButton::clicked, this, &ExportProgress::cancel);
  hide();
}

void ExportProgress::start(const QString& what, const QString& path, Render render) {
  if (isRunning()) cancel();  // a newer export supersedes the running one
  path_ = path;
  label_->setText(tr("Exporting %1 to %2…").arg(what, path));
  show();
  std::string file = path.toStdString();
  jobs_.start(
      [render = std::move(render), file](const std::atomic<bool>& cancelled) {
        ExportResult result;
        try {
          std::string bytes = render(cancelled);
          if (cancelled) return ExportResult{.cancelled = true};
          writeFileAtomically(file, bytes);
        } catch (const std::exception& error) {
          result.error = QString::fromUtf8(error.what());
        }
        return result;
      },
      [this](ExportResult result) {
        hide();
        Q_EMIT finished(path_, result.cancelled ? tr("cancelled") : result.error);
      });
}

void ExportProgress::cancel() {
  if (!isRunning()) return;
  jobs_.cancelCurrent();  // the render's result is dropped and nothing is written
  hide();
  Q_EMIT finished(path_, tr("cancelled"));
}

}  // namespace astro::gui
