#include "gui/launch/detached_command.h"

#include <signal.h>

#include <QFile>
#include <QProcess>
#include <QTimer>
#include <cerrno>

namespace astro::gui {

bool processAlive(qint64 pid) {
  if (pid <= 0) return false;
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM) return false;
  // A reparented child whose reaper does not wait() stays a zombie: it has exited.
  QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
  if (!stat.open(QIODevice::ReadOnly)) return true;
  QByteArray text = stat.read(512);
  int close = text.lastIndexOf(')');
  return close < 0 || close + 2 >= text.size() || text.at(close + 2) != 'Z';
}

DetachedCommand::DetachedCommand(QString program, QStringList arguments, QString outputStem,
                                 QObject* parent)
    : QObject(parent),
      program_(std::move(program)),
      arguments_(std::move(arguments)),
      outputStem_(std::move(outputStem)) {
  timer_ = new QTimer(this);
  timer_->setInterval(200);
  connect(timer_, &QTimer::timeout, this, &DetachedCommand::poll);
}

void DetachedCommand::setPollInterval(int milliseconds) { timer_->setInterval(milliseconds); }

bool DetachedCommand::start() {
  QProcess process;
  process.setProgram(program_);
  process.setArguments(arguments_);
  process.setStandardInputFile(QProcess::nullDevice());
  process.setStandardOutputFile(outputPath());
  process.setStandardErrorFile(errorPath());
  if (!process.startDetached(&pid_)) {
    startError_ = tr("cannot start %1: %2").arg(program_, process.errorString());
    return false;
  }
  timer_->start();
  return true;
}

QString DetachedCommand::errorText() const {
  if (!startError_.isEmpty()) return startError_;
  QFile file(errorPath());
  if (!file.open(QIODevice::ReadOnly)) return {};
  if (file.size() > 4096) file.seek(file.size() - 4096);
  return QString::fromUtf8(file.readAll()).trimmed();
}

void DetachedCommand::poll() {
  // Liveness first: a line written just before the exit is still read below.
  bool alive = processAlive(pid_);
  if (!sawFirstLine_) {
    QFile file(outputPath());
    if (file.open(QIODevice::ReadOnly)) {
      QByteArray head = file.read(4096);
      int newline = head.indexOf('\n');
      if (newline >= 0) {
        sawFirstLine_ = true;
        Q_EMIT firstLine(QString::fromUtf8(head.left(newline)));
      }
    }
  }
  if (!alive) {
    timer_->stop();
    Q_EMIT exited();
  }
}

}  // namespace astro::gui
