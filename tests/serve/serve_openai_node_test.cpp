// `astro serve --port 0` on a saved random-init model, driven by the official OpenAI Node client
// (node/openai_client_test.mjs, the `openai` package pinned in node/package.json): completions,
// chat, streaming, n, seeds, stop strings and errors. Then SIGTERM stops the server cleanly.
// Skips (exit code 77, ctest SKIP_RETURN_CODE) when node or node/node_modules is missing:
// scripts/install-deps.sh installs both.
#include <signal.h>

#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QtTest>
#include <filesystem>
#include <iostream>

#include "tests/serve/serve_test_fixture.h"
#include "tests/support/test_support.h"

namespace {

const std::filesystem::path kNodeDir = std::filesystem::path(ASTRO_SOURCE_DIR) / "tests/serve/node";
constexpr int kSkipExitCode = 77;

}  // namespace

class ServeOpenAiNodeTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void openAiNodeClient_passesEveryCheck() {
    auto modelDir = astro::test::freshTempDir("serve_node") / "tiny-random";
    astro::test::writeServeModel(modelDir, astro::test::smallServeConfig());

    QProcess server;
    server.setProcessChannelMode(QProcess::SeparateChannels);
    server.start(ASTRO_CLI_PATH, {"serve", "--model", QString::fromStdString(modelDir.string()),
                                  "--port", "0", "--api-key", "node-test-key"});
    QVERIFY(server.waitForStarted(10000));
    // "serving tiny-random on http://127.0.0.1:PORT/v1"
    QString line;
    QRegularExpression ready(R"(^serving (\S+) on (http://\S+/v1)\s*$)");
    QRegularExpressionMatch match;
    for (int waited = 0; waited < 120000 && !match.hasMatch(); waited += 100) {
      if (!server.canReadLine() && !server.waitForReadyRead(100)) {
        QVERIFY2(server.state() == QProcess::Running, server.readAllStandardError().constData());
        continue;
      }
      line = QString::fromUtf8(server.readLine());
      match = ready.match(line);
    }
    QVERIFY2(match.hasMatch(), qPrintable("no ready line; last: " + line));
    QCOMPARE(match.captured(1), QString("tiny-random"));

    QProcess node;
    node.setWorkingDirectory(QString::fromStdString(kNodeDir.string()));
    auto environment = QProcessEnvironment::systemEnvironment();
    environment.insert("ASTRO_SERVE_URL", match.captured(2));
    environment.insert("ASTRO_SERVE_MODEL", match.captured(1));
    environment.insert("ASTRO_SERVE_API_KEY", "node-test-key");
    node.setProcessEnvironment(environment);
    node.setProcessChannelMode(QProcess::MergedChannels);
    node.start("node", {"openai_client_test.mjs"});
    QVERIFY(node.waitForStarted(10000));
    QVERIFY(node.waitForFinished(240000));
    QString output = QString::fromUtf8(node.readAll());
    std::cout << output.toStdString();
    QVERIFY2(node.exitCode() == 0 && output.contains("all checks passed"), qPrintable(output));

    ::kill(pid_t(server.processId()), SIGTERM);
    QVERIFY(server.waitForFinished(30000));
    QCOMPARE(server.exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.exitCode(), 0);
  }
};

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  if (QStandardPaths::findExecutable("node").isEmpty() ||
      !std::filesystem::exists(kNodeDir / "node_modules/openai/package.json")) {
    std::cout << "SKIP: needs node and " << (kNodeDir / "node_modules").string()
              << " (the openai package): run scripts/install-deps.sh\n";
    return kSkipExitCode;
  }
  ServeOpenAiNodeTest test;
  return QTest::qExec(&test, argc, argv);
}

#include "serve_openai_node_test.moc"
