// A command started detached (QProcess::startDetached: it outlives the studio) with its stdout
// and stderr in files, watched by a QTimer: `firstLine` when its first stdout line is complete,
// `exited` once the process is gone. The exit status of a detached process is not observable;
// callers read what it printed.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

class QTimer;

namespace astro::gui {

class DetachedCommand : public QObject {
  Q_OBJECT
 public:
  // Output goes to `outputStem`.out and `outputStem`.err (their folder must exist).
  DetachedCommand(QString program, QStringList arguments, QString outputStem,
                  QObject* parent = nullptr);

  bool start();  // false when the program could not be started (errorText says why)
  qint64 pid() const { return pid_; }
  QString outputPath() const { return outputStem_ + QStringLiteral(".out"); }
  QString errorPath() const { return outputStem_ + QStringLiteral(".err"); }
  QString errorText() const;  // stderr so far (the last 4 KiB)
  void setPollInterval(int milliseconds);

 Q_SIGNALS:
  void firstLine(const QString& line);
  void exited();

 private:
  void poll();

  QString program_;
  QStringList arguments_;
  QString outputStem_;
  qint64 pid_ = 0;
  bool sawFirstLine_ = false;
  QString startError_;
  QTimer* timer_ = nullptr;
};

// Whether process `pid` still runs (a zombie counts as gone).
bool processAlive(qint64 pid);

}  // namespace astro::gui
