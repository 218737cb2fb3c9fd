// `astro serve` child processes for tests (serve_process.h).
#include "tests/support/serve_process.h"

#include <QDeadlineTimer>
#include <QRegularExpression>
#include <QThread>

namespace astro::test {

ServeProcess::~ServeProcess() { kill(); }

bool ServeProcess::start(const QString& program, const QStringList& arguments, int port,
                         QString& why, int timeoutMs) {
  kill();
  output_.clear();
  url_.clear();
  process_.setProcessChannelMode(QProcess::MergedChannels);
  process_.start(program, QStringList{"serve"} + arguments +
                              QStringList{"--host", "127.0.0.1", "--port", QString::number(port)});
  if (!process_.waitForStarted(10000)) {
    why = "could not start " + program + ": " + process_.errorString();
    return false;
  }
  static const QRegularExpression ready("serving .* on (http://127\\.0\\.0\\.1:(\\d+)/v1)");
  QDeadlineTimer deadline(timeoutMs);
  while (!deadline.hasExpired()) {
    process_.waitForReadyRead(100);
    output_ += QString::fromUtf8(process_.readAll());
    if (auto match = ready.match(output_); match.hasMatch()) {
      url_ = match.captured(1);
      port_ = match.captured(2).toInt();
      return true;
    }
    if (process_.state() == QProcess::NotRunning) {
      why = QString("astro serve exited with %1 before it was ready:\n%2")
                .arg(process_.exitCode())
                .arg(output_);
      return false;
    }
  }
  why = "astro serve printed no ready line within the timeout:\n" + output_;
  kill();
  return false;
}

void ServeProcess::kill() {
  if (process_.state() == QProcess::NotRunning) return;
  process_.kill();
  process_.waitForFinished(10000);
  output_ += QString::fromUtf8(process_.readAll());
}

void ServeProcess::terminate() {
  if (process_.state() == QProcess::NotRunning) return;
  process_.terminate();
  if (!process_.waitForFinished(10000)) kill();
  output_ += QString::fromUtf8(process_.readAll());
}

}  // namespace astro::test
