// Endpoint tables in TOML configs: every field read, relative tokenizer paths, errors that name
// the file, line and key; the description and fingerprint never hold the API key.
#include "core/endpoint/endpoint_config_toml.h"

#include <QtTest>
#include <cstdlib>

#include "core/base/error.h"

using astro::endpoint::EndpointConfig;
using astro::endpoint::readEndpointConfig;

namespace {

EndpointConfig parse(const std::string& text) {
  toml::table document =
      toml::parse(std::string_view(text), std::string_view("conf/pipeline.toml"));
  return readEndpointConfig(*document["search"]["model"].as_table(), "conf/pipeline.toml",
                            "search.model", "/data/conf");
}

std::string parseError(const std::string& text) {
  try {
    parse(text);
  } catch (const astro::ParseError& error) {
    return error.what();
  }
  return "(no error)";
}

}  // namespace

class EndpointConfigTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void read_everyField() {
    EndpointConfig config = parse(
        "[search]\n"
        "model = { endpoint = \"http://gpu-node:8000/v1/\", name = \"Llama-3.1-70B\", "
        "tokenizer = \"tok/llama\", api_key_env = \"VLLM_KEY\", timeout = 120, "
        "connect_timeout = 3.5, max_in_flight = 64, max_attempts = 2, first_backoff = 1, "
        "max_backoff = 8, max_choices_per_request = 1 }\n");
    QCOMPARE(config.url, std::string("http://gpu-node:8000/v1"));
    QCOMPARE(config.modelName, std::string("Llama-3.1-70B"));
    QCOMPARE(config.tokenizer, std::filesystem::path("/data/conf/tok/llama"));
    QCOMPARE(config.apiKeyEnv, std::string("VLLM_KEY"));
    QCOMPARE(config.requestTimeoutSeconds, 120.0);
    QCOMPARE(config.connectTimeoutSeconds, 3.5);
    QCOMPARE(config.maxInFlight, 64);
    QCOMPARE(config.maxAttempts, 2);
    QCOMPARE(config.firstBackoffSeconds, 1.0);
    QCOMPARE(config.maxBackoffSeconds, 8.0);
    QCOMPARE(config.maxChoicesPerRequest, 1);
  }

  void read_defaultsAndAbsoluteTokenizer() {
    EndpointConfig config = parse(
        "[search]\nmodel = { endpoint = \"https://h/v1\", name = \"m\", tokenizer = \"/t\" }");
    QCOMPARE(config.tokenizer, std::filesystem::path("/t"));
    QCOMPARE(config.requestTimeoutSeconds, 600.0);
    QCOMPARE(config.maxInFlight, 32);
    QCOMPARE(config.maxAttempts, 6);
    QCOMPARE(config.maxChoicesPerRequest, 16);
    QVERIFY(config.apiKeyEnv.empty());
  }

  void unknownKey_namesLineAndKey() {
    std::string message = parseError(
        "[search]\n\n"
        "model = { endpoint = \"http://h/v1\", name = \"m\", tokenizer = \"t\", api_key = \"x\" }");
    QVERIFY2(message.starts_with("conf/pipeline.toml:3: field 'search.model.api_key': unknown key"),
             message.c_str());
  }

  void missingKey_namesKey() {
    std::string message =
        parseError("[search]\nmodel = { endpoint = \"http://h/v1\", tokenizer = \"t\" }");
    QVERIFY2(message.starts_with("conf/pipeline.toml:2: field 'search.model.name': missing"),
             message.c_str());
  }

  void wrongTypeAndRange_nameLineAndKey() {
    std::string type = parseError(
        "[search]\n\nmodel = { endpoint = \"http://h/v1\", name = \"m\", tokenizer = \"t\", "
        "timeout = \"long\" }");
    QVERIFY2(type.starts_with("conf/pipeline.toml:3: field 'search.model.timeout': expected a "
                              "number"),
             type.c_str());
    std::string range = parseError(
        "[search]\nmodel = { endpoint = \"http://h/v1\", name = \"m\", tokenizer = \"t\", "
        "max_in_flight = 0 }");
    QVERIFY2(range.starts_with("conf/pipeline.toml:2: field 'search.model.max_in_flight': 0 is "
                               "out of range"),
             range.c_str());
    std::string choices = parseError(
        "[search]\nmodel = { endpoint = \"http://h/v1\", name = \"m\", tokenizer = \"t\", "
        "max_choices_per_request = 65 }");
    QVERIFY2(choices.starts_with("conf/pipeline.toml:2: field "
                                 "'search.model.max_choices_per_request': 65 is out of range"),
             choices.c_str());
  }

  void badUrl_namesKey() {
    std::string message = parseError(
        "[search]\nmodel = { endpoint = \"gpu-node:8000\", name = \"m\", "
        "tokenizer = \"t\" }");
    QVERIFY2(message.starts_with("conf/pipeline.toml:2: field 'search.model.endpoint': endpoint "
                                 "URL 'gpu-node:8000': must start with http://"),
             message.c_str());
  }

  void keyInsteadOfVariable_rejected() {
    std::string message = parseError(
        "[search]\nmodel = { endpoint = \"http://h/v1\", name = \"m\", tokenizer = \"t\", "
        "api_key_env = \"sk-abc def\" }");
    QVERIFY2(contains(message, "search.model.api_key_env"), message.c_str());
  }

  void description_andKey_keepTheKeyOutOfTheText() {
    ::setenv("ASTRO_TEST_ENDPOINT_KEY", "sk-very-secret", 1);
    EndpointConfig withKey = parse(
        "[search]\nmodel = { endpoint = \"http://h:1/v1\", name = \"m\", tokenizer = \"t\", "
        "api_key_env = \"ASTRO_TEST_ENDPOINT_KEY\", timeout = 5 }");
    std::string description = astro::endpoint::describeEndpointConfig(withKey);
    QVERIFY(!contains(description, "sk-very-secret"));
    QVERIFY(contains(description, "$ASTRO_TEST_ENDPOINT_KEY"));
    QCOMPARE(*astro::endpoint::readApiKey(withKey), std::string("sk-very-secret"));
    ::unsetenv("ASTRO_TEST_ENDPOINT_KEY");
    QVERIFY_THROWS_EXCEPTION(astro::Error, astro::endpoint::readApiKey(withKey));
  }

 private:
  static bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  }
};

QTEST_GUILESS_MAIN(EndpointConfigTest)
#include "endpoint_config_test.moc"
