// `astro endpoint check URL` as a program against the fake server: models and a round-trip time
// with exit 0; a refused connection, a refused key and a garbage answer exit 1 naming the URL.
#include <QtTest>

#include "tests/endpoint/fake_openai_server.h"
#include "tests/support/test_support.h"

using astro::test::FakeOpenAiServer;
using astro::test::runProgram;

class EndpointCheckCliTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void check_printsModelsAndRoundTrip() {
    FakeOpenAiServer server;
    auto url = QString::fromStdString(server.url());
    auto result = runProgram(ASTRO_CLI_PATH, {"endpoint", "check", url});
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.out.contains("endpoint " + url), qPrintable(result.out));
    QVERIFY(result.out.contains("  fake-policy\n") && result.out.contains("  fake-other\n"));
    QVERIFY(result.out.contains(QRegularExpression("round trip: [0-9.]+ ms \\(median of 3")));
    QCOMPARE(server.requestCount(), 3);
  }

  void check_sendsKeyFromVariable() {
    FakeOpenAiServer server;
    server.setRequiredKey("k-42");
    qputenv("ASTRO_TEST_CHECK_KEY", "k-42");
    auto url = QString::fromStdString(server.url());
    auto ok = runProgram(ASTRO_CLI_PATH,
                         {"endpoint", "check", url, "--api-key-env", "ASTRO_TEST_CHECK_KEY"});
    QCOMPARE(ok.exitCode, 0);
    auto refused = runProgram(ASTRO_CLI_PATH, {"endpoint", "check", url});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains(url) && refused.err.contains("HTTP 401") &&
                 refused.err.contains("invalid API key"),
             qPrintable(refused.err));
    qunsetenv("ASTRO_TEST_CHECK_KEY");
  }

  void check_unreachableNamesUrl() {
    auto result = runProgram(ASTRO_CLI_PATH,
                             {"endpoint", "check", "http://127.0.0.1:1/v1", "--timeout", "2"});
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains("http://127.0.0.1:1/v1") && result.err.contains("cannot connect"),
             qPrintable(result.err));
  }

  void check_garbageNamesUrl() {
    FakeOpenAiServer server;
    server.setScript([](int, const httplib::Request&, httplib::Response& response) {
      response.set_content("hello", "text/plain");
      return true;
    });
    auto url = QString::fromStdString(server.url());
    auto result = runProgram(ASTRO_CLI_PATH, {"endpoint", "check", url});
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains(url) && result.err.contains("not an OpenAI model list"),
             qPrintable(result.err));
  }

  void check_malformedUrlIsUsageError() {
    auto result = runProgram(ASTRO_CLI_PATH, {"endpoint", "check", "gpu-node:8000"});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains("gpu-node:8000"));
  }
};

QTEST_GUILESS_MAIN(EndpointCheckCliTest)
#include "endpoint_check_cli_test.moc"
