// `astro serve` as a child process for tests that drive a real server over a loopback socket:
// started on a given port (0: any free one), ready once it prints "serving ... on URL", killed
// (SIGKILL, as a crash would) or stopped (SIGTERM) on request and when destroyed.
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

namespace astro::test {

class ServeProcess {
 public:
  ServeProcess() = default;
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  // Runs ASTRO_CLI serve `arguments` --host 127.0.0.1 --port `port` and waits (up to
  // `timeoutMs`) for its ready line; false with `why` set when it exits or stays silent.
  bool start(const QString& program, const QStringList& arguments, int port, QString& why,
             int timeoutMs = 60000);
  QString url() const { return url_; }  // "http://127.0.0.1:PORT/v1"
  int port() const { return port_; }
  void kill();       // SIGKILL, then reaped
  void terminate();  // SIGTERM, then reaped (SIGKILL after 10 s)
  QString output() const { return output_; }  // everything it printed so far

 private:
  QProcess process_;
  QString url_;
  int port_ = 0;
  QString output_;
};

}  // namespace astro::test
