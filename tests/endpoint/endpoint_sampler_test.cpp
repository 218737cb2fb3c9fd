// EndpointSampler against a fake OpenAI-compatible server on a real loopback socket: ids,
// logprobs, finish reasons and order; requests in flight together; retries on 500, 429
// (Retry-After), stalls and garbage; no retry on 400; errors that name the endpoint; the API key.
#include "core/endpoint/endpoint_sampler.h"

#include <QtTest>
#include <chrono>
#include <cstdlib>

#include "core/base/error.h"
#include "tests/endpoint/fake_openai_server.h"
#include "tests/tokenizer/tiny_fixture.h"

using astro::endpoint::EndpointConfig;
using astro::endpoint::EndpointSampler;
using astro::model::FinishReason;
using astro::model::GenerationOptions;
using astro::test::FakeOpenAiServer;

namespace {

EndpointConfig configFor(const std::string& url) {
  return {.url = url,
          .modelName = "fake-policy",
          .tokenizer = astro::test::tinyTokenizerDir(),
          .requestTimeoutSeconds = 5,
          .connectTimeoutSeconds = 2,
          .maxInFlight = 8,
          .maxAttempts = 4,
          .firstBackoffSeconds = 0.01,
          .maxBackoffSeconds = 0.05};
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Runs `action`, which must throw astro::Error; returns its message.
template <typename Action>
std::string errorOf(Action action) {
  try {
    action();
  } catch (const astro::Error& error) {
    return error.what();
  }
  return "(no error)";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

bool statusScript(int index, httplib::Response& response, int failures, int status) {
  if (index >= failures) return false;
  response.status = status;
  response.set_content("{\"error\": {\"message\": \"busy, try later\"}}", "application/json");
  return true;
}

}  // namespace

class EndpointSamplerTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void generate_parsesIdsLogprobsAndFinishReasonsInOrder() {
    FakeOpenAiServer server;
    server.setDelayMs(20);
    EndpointSampler sampler(configFor(server.url()));
    std::vector<std::vector<std::int32_t>> prompts;
    for (int row = 0; row < 60; ++row) prompts.push_back({row % 3, 40 + row, 7});
    GenerationOptions options{
        .maxNewTokens = 5, .temperature = 0.7, .seed = 11, .returnLogprobs = true};
    auto results = sampler.generate(prompts, options);
    QCOMPARE(results.size(), prompts.size());
    for (std::size_t row = 0; row < prompts.size(); ++row) {
      auto seed = static_cast<std::int64_t>(astro::model::rowSeed(11, row));
      auto expected = astro::test::fakeCompletion(prompts[row], seed, 5);
      QCOMPARE(results[row].ids, expected.ids);
      QCOMPARE(results[row].logprobs, expected.logprobs);
      FinishReason reason = prompts[row][0] == 1   ? FinishReason::kStopToken
                            : prompts[row][0] == 2 ? FinishReason::kStopString
                                                   : FinishReason::kLength;
      QCOMPARE(results[row].finishReason, reason);
    }
    QVERIFY2(server.maxConcurrent() > 1, "requests were not sent concurrently");
    QVERIFY(server.maxConcurrent() <= 8);
    QCOMPARE(sampler.counters().requests, 60);
    QCOMPARE(sampler.counters().retries, 0);
    QVERIFY(sampler.counters().bytesSent > 0 && sampler.counters().bytesReceived > 0);
  }

  void generate_sendsOneRequestPerRowWithItsSeedAndOptions() {
    FakeOpenAiServer server;
    EndpointSampler sampler(configFor(server.url()));
    GenerationOptions options{.maxNewTokens = 9,
                              .rowMaxNewTokens = {4, 6},
                              .temperature = 0.5,
                              .topP = 0.9,
                              .topK = 20,
                              .rowSeeds = {5, ~std::uint64_t(0)},
                              .stopAtEos = false,
                              .stopIds = {13},
                              .stopStrings = {"\n\n"}};
    sampler.generate({{3, 4}, {5}}, options);
    auto bodies = server.completionBodies();
    QCOMPARE(bodies.size(), std::size_t(2));
    std::sort(bodies.begin(), bodies.end(),
              [](const auto& a, const auto& b) { return a["max_tokens"] < b["max_tokens"]; });
    const nlohmann::json& first = bodies[0];
    QCOMPARE(first["model"].get<std::string>(), std::string("fake-policy"));
    QCOMPARE(first["prompt"], nlohmann::json({3, 4}));
    QCOMPARE(first["n"].get<int>(), 1);
    QCOMPARE(first["max_tokens"].get<int>(), 4);
    QCOMPARE(first["seed"].get<std::int64_t>(), 5);
    QCOMPARE(first["top_k"].get<int>(), 20);
    QCOMPARE(first["top_p"].get<double>(), 0.9);
    QCOMPARE(first["temperature"].get<double>(), 0.5);
    QCOMPARE(first["stop"], nlohmann::json({"\n\n"}));
    QCOMPARE(first["stop_token_ids"], nlohmann::json({13}));
    QCOMPARE(first["ignore_eos"].get<bool>(), true);
    QCOMPARE(first["logprobs"].get<int>(), 0);
    QCOMPARE(first["stream"].get<bool>(), false);
    QCOMPARE(first["return_tokens_as_token_ids"].get<bool>(), true);
    QCOMPARE(first["include_stop_str_in_output"].get<bool>(), true);
    // Seeds above 2^63 - 1 travel as the int64 with the same bits (vLLM's range).
    QCOMPARE(bodies[1]["seed"].get<std::int64_t>(), std::int64_t(-1));
    QCOMPARE(bodies[1]["max_tokens"].get<int>(), 6);
  }

  // The k copies of one state (consecutive seeds, model::copySeed) go as one request with n = k
  // and the first copy's seed; the server's choice j (seed s + j, listed in any order) fills row
  // first + j, so every row gets what a request of its own would have drawn.
  void generate_sendsTheCopiesOfOnePromptAsOneRequest() {
    FakeOpenAiServer server;
    EndpointSampler sampler(configFor(server.url()));
    std::vector<std::vector<std::int32_t>> prompts;
    GenerationOptions options{.maxNewTokens = 5, .temperature = 1, .returnLogprobs = true};
    for (std::uint64_t copy = 0; copy < 4; ++copy) {
      prompts.push_back({3, 40, 7});
      options.rowSeeds.push_back(astro::model::copySeed(21, copy));
    }
    for (std::uint64_t copy = 0; copy < 3; ++copy) {
      prompts.push_back({1, 41});
      options.rowSeeds.push_back(astro::model::copySeed(22, copy));
    }
    prompts.push_back({1, 41});  // the same prompt, a seed that does not continue the run
    options.rowSeeds.push_back(astro::model::copySeed(23, 0));
    auto results = sampler.generate(prompts, options);
    for (std::size_t row = 0; row < prompts.size(); ++row) {
      auto expected = astro::test::fakeCompletion(
          prompts[row], static_cast<std::int64_t>(options.rowSeeds[row]), 5);
      QCOMPARE(results[row].ids, expected.ids);
      QCOMPARE(results[row].logprobs, expected.logprobs);
    }
    auto bodies = server.completionBodies();
    std::sort(bodies.begin(), bodies.end(),
              [](const auto& a, const auto& b) { return a["n"] > b["n"]; });
    QCOMPARE(bodies.size(), std::size_t(3));
    QCOMPARE(bodies[0]["n"].get<int>(), 4);
    QCOMPARE(bodies[0]["seed"].get<std::uint64_t>(), astro::model::copySeed(21, 0));
    QCOMPARE(bodies[1]["n"].get<int>(), 3);
    QCOMPARE(bodies[2]["n"].get<int>(), 1);
    QCOMPARE(sampler.counters().requests, 3);
  }

  void generate_maxChoicesPerRequestSplitsRuns() {
    FakeOpenAiServer server;
    EndpointConfig config = configFor(server.url());
    config.maxChoicesPerRequest = 3;
    EndpointSampler sampler(config);
    GenerationOptions options{.maxNewTokens = 3, .temperature = 1};
    std::vector<std::vector<std::int32_t>> prompts(7, {3, 9});
    for (std::uint64_t copy = 0; copy < 7; ++copy) {
      options.rowSeeds.push_back(astro::model::copySeed(5, copy));
    }
    auto results = sampler.generate(prompts, options);
    for (std::size_t row = 0; row < prompts.size(); ++row) {
      auto seed = static_cast<std::int64_t>(options.rowSeeds[row]);
      QCOMPARE(results[row].ids, astro::test::fakeCompletion(prompts[row], seed, 3).ids);
    }
    QCOMPARE(sampler.counters().requests, 3);  // 3 + 3 + 1
    config.maxChoicesPerRequest = 1;  // servers that refuse n > 1
    EndpointSampler oneByOne(config);
    QCOMPARE(oneByOne.generate(prompts, options)[6].ids, results[6].ids);
    QCOMPARE(oneByOne.counters().requests, 7);
  }

  // Against `astro serve` (GET /models says owned_by "astro") a whole call travels as one
  // request: the prompt array, n = the copies, each prompt's seed in `seeds`. A row whose token
  // limit differs cannot share the request's max_tokens and goes alone.
  void generate_astroServeGetsTheCallAsOneRequestWithSeedsPerPrompt() {
    FakeOpenAiServer server;
    server.setOwnedByAstro(true);
    EndpointSampler sampler(configFor(server.url()));
    std::vector<std::vector<std::int32_t>> prompts;
    GenerationOptions options{.maxNewTokens = 4, .temperature = 1};
    const std::vector<std::uint64_t> stateSeeds = {77, 1234567, ~std::uint64_t(0) - 5};
    for (std::size_t state = 0; state < stateSeeds.size(); ++state) {
      for (std::uint64_t copy = 0; copy < 4; ++copy) {
        prompts.push_back({3, std::int32_t(10 + state)});
        options.rowSeeds.push_back(astro::model::copySeed(stateSeeds[state], copy));
      }
    }
    auto results = sampler.generate(prompts, options);
    for (std::size_t row = 0; row < prompts.size(); ++row) {
      auto seed = static_cast<std::int64_t>(options.rowSeeds[row]);
      QCOMPARE(results[row].ids, astro::test::fakeCompletion(prompts[row], seed, 4).ids);
    }
    QCOMPARE(sampler.counters().requests, 1);
    const nlohmann::json body = server.completionBodies().at(0);
    QCOMPARE(body["prompt"], nlohmann::json({{3, 10}, {3, 11}, {3, 12}}));
    QCOMPARE(body["n"].get<int>(), 4);
    QVERIFY(!body.contains("seed"));
    QCOMPARE(body["seeds"].size(), std::size_t(3));
    QCOMPARE(body["seeds"][2].get<std::int64_t>(),
             static_cast<std::int64_t>(astro::model::copySeed(stateSeeds[2], 0)));

    options.rowMaxNewTokens.assign(prompts.size(), 4);
    for (std::size_t row = 4; row < 8; ++row) options.rowMaxNewTokens[row] = 2;
    results = sampler.generate(prompts, options);
    QCOMPARE(sampler.counters().requests, 1 + 3);  // {state 0}, {state 1}, {state 2}
    for (std::size_t row = 0; row < prompts.size(); ++row) {
      auto seed = static_cast<std::int64_t>(options.rowSeeds[row]);
      QCOMPARE(results[row].ids,
               astro::test::fakeCompletion(prompts[row], seed, options.rowMaxNewTokens[row]).ids);
    }
  }

  // A server that is not `astro serve` gets one prompt a request unless prompts_per_request says
  // otherwise; then the prompt array carries only the first prompt's seed (no `seeds`).
  void generate_otherServersGetPromptArraysOnlyWhenAsked() {
    FakeOpenAiServer server;
    EndpointConfig config = configFor(server.url());
    std::vector<std::vector<std::int32_t>> prompts = {{3, 1}, {3, 2}, {3, 3}, {3, 4}, {3, 5}};
    GenerationOptions options{.maxNewTokens = 2, .temperature = 1, .seed = 9};
    EndpointSampler automatic(config);
    automatic.generate(prompts, options);
    QCOMPARE(automatic.counters().requests, 5);
    config.promptsPerRequest = 2;
    EndpointSampler paired(config);
    paired.generate(prompts, options);
    QCOMPARE(paired.counters().requests, 3);  // 2 + 2 + 1
    bool sawArray = false;
    for (const nlohmann::json& body : server.completionBodies()) {
      QVERIFY(!body.contains("seeds"));
      QVERIFY(body.contains("seed"));
      sawArray = sawArray || body["prompt"].front().is_array();
    }
    QVERIFY(sawArray);
  }

  void wrongChoiceCount_retriedThenError() {
    FakeOpenAiServer server;
    server.setScript([](int, const httplib::Request&, httplib::Response& response) {
      response.set_content(R"({"choices": [{"index": 0, "text": "a", "finish_reason": "stop",
                              "token_ids": [5]}]})",
                           "application/json");
      return true;
    });
    EndpointConfig config = configFor(server.url());
    config.maxAttempts = 2;
    EndpointSampler sampler(config);
    GenerationOptions options{.maxNewTokens = 2,
                              .temperature = 1,
                              .rowSeeds = {astro::model::copySeed(1, 0),
                                           astro::model::copySeed(1, 1)}};
    std::string message = errorOf([&] { sampler.generate({{3}, {3}}, options); });
    QVERIFY2(contains(message, "failed after 2 attempts: HTTP 200 but the body has 1 choices for "
                               "n = 2"),
             message.c_str());
  }

  void generate_greedyDefaultsLeaveOptionalFieldsOut() {
    FakeOpenAiServer server;
    EndpointSampler sampler(configFor(server.url()));
    sampler.generate({{3}}, {.maxNewTokens = 2});
    auto body = server.completionBodies().at(0);
    QVERIFY(!body.contains("top_k") && !body.contains("stop") && !body.contains("ignore_eos") &&
            !body.contains("stop_token_ids"));
    QCOMPARE(body["seed"].get<std::int64_t>(),
             static_cast<std::int64_t>(astro::model::rowSeed(0, 0)));
  }

  void serverError_retriedThenSucceeds() {
    FakeOpenAiServer server;
    server.setScript([](int index, const httplib::Request&, httplib::Response& response) {
      return statusScript(index, response, 2, 500);
    });
    EndpointSampler sampler(configFor(server.url()));
    auto results = sampler.generate({{3, 9}}, {.maxNewTokens = 3});
    QCOMPARE(results.at(0).ids.size(), std::size_t(3));
    QCOMPARE(sampler.counters().requests, 3);
    QCOMPARE(sampler.counters().retries, 2);
  }

  void idleConnectionClosedByServer_reconnectsWithoutRetry() {
    FakeOpenAiServer server(/*keepAliveSeconds=*/1);
    EndpointSampler sampler(configFor(server.url()));
    sampler.generate({{3}, {4}}, {.maxNewTokens = 2});
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    auto results = sampler.generate({{3}, {4}}, {.maxNewTokens = 2});
    QCOMPARE(results.size(), std::size_t(2));
    QCOMPARE(sampler.counters().retries, 0);
    QCOMPARE(server.completionRequestCount(), 4);
  }

  void tooManyRequests_waitsForRetryAfter() {
    FakeOpenAiServer server;
    server.setScript([](int index, const httplib::Request&, httplib::Response& response) {
      if (index > 0) return false;
      response.set_header("Retry-After", "1");
      return statusScript(index, response, 1, 429);
    });
    EndpointSampler sampler(configFor(server.url()));
    auto start = std::chrono::steady_clock::now();
    auto results = sampler.generate({{3}}, {.maxNewTokens = 2});
    QVERIFY2(secondsSince(start) >= 0.95, "Retry-After: 1 was not honoured");
    QCOMPARE(results.at(0).ids.size(), std::size_t(2));
    QCOMPARE(sampler.counters().retries, 1);
  }

  void stall_retriedThenFailsNamingEndpoint() {
    FakeOpenAiServer server;
    server.setScript([&server](int, const httplib::Request&, httplib::Response& response) {
      server.stall(3);
      response.set_content("{}", "application/json");
      return true;
    });
    EndpointConfig config = configFor(server.url());
    config.requestTimeoutSeconds = 0.3;
    config.maxAttempts = 2;
    EndpointSampler sampler(config);
    auto start = std::chrono::steady_clock::now();
    std::string message = errorOf([&] { sampler.generate({{3}}, {.maxNewTokens = 2}); });
    double elapsed = secondsSince(start);
    QVERIFY2(elapsed >= 0.55 && elapsed < 2.0, qPrintable(QString::number(elapsed)));
    QVERIFY2(contains(message, "endpoint " + server.url() +
                                   ": POST /completions failed after 2 attempts: no complete "
                                   "response"),
             message.c_str());
    QCOMPARE(sampler.counters().requests, 2);
  }

  void garbageBody_retriedThenError() {
    FakeOpenAiServer server;
    server.setScript([](int, const httplib::Request&, httplib::Response& response) {
      response.set_content("<html>upstream hiccup</html>", "text/html");
      return true;
    });
    EndpointConfig config = configFor(server.url());
    config.maxAttempts = 3;
    EndpointSampler sampler(config);
    std::string message = errorOf([&] { sampler.generate({{3}}, {.maxNewTokens = 2}); });
    QVERIFY2(contains(message,
                      "failed after 3 attempts: HTTP 200 but the body is not JSON: "
                      "<html>upstream hiccup</html>"),
             message.c_str());
    QCOMPARE(server.completionRequestCount(), 3);
    QCOMPARE(sampler.counters().failedCalls, 1);
  }

  void connectionRefused_errorNamesUrl() {
    EndpointConfig config = configFor("http://127.0.0.1:1/v1");
    config.maxAttempts = 2;
    EndpointSampler sampler(config);
    std::string message = errorOf([&] { sampler.generate({{3}}, {.maxNewTokens = 2}); });
    QVERIFY2(contains(message,
                      "endpoint http://127.0.0.1:1/v1: POST /completions failed after 2 "
                      "attempts: cannot connect"),
             message.c_str());
  }

  void badRequest_notRetriedAndCarriesServerMessage() {
    FakeOpenAiServer server;
    server.setScript([](int, const httplib::Request&, httplib::Response& response) {
      response.status = 400;
      response.set_content(
          "{\"object\": \"error\", "
          "\"message\": \"This model's maximum context length is 4096\"}",
          "application/json");
      return true;
    });
    EndpointSampler sampler(configFor(server.url()));
    std::string message = errorOf([&] { sampler.generate({{3}, {4}, {5}}, {.maxNewTokens = 2}); });
    QVERIFY2(contains(message,
                      "failed after 1 attempt: HTTP 400: This model's maximum context "
                      "length is 4096"),
             message.c_str());
    QCOMPARE(sampler.counters().retries, 0);
    QVERIFY(server.completionRequestCount() <= 3);
  }

  void apiKey_sentAsBearerToken() {
    FakeOpenAiServer server;
    server.setRequiredKey("sekret-123");
    ::setenv("ASTRO_TEST_ENDPOINT_KEY", "sekret-123", 1);
    EndpointConfig config = configFor(server.url());
    config.apiKeyEnv = "ASTRO_TEST_ENDPOINT_KEY";
    EndpointSampler sampler(config);
    sampler.generate({{3}}, {.maxNewTokens = 1});
    QCOMPARE(server.authorizationHeaders().at(0), std::string("Bearer sekret-123"));
    ::unsetenv("ASTRO_TEST_ENDPOINT_KEY");
  }

  void apiKey_missingVariableNamedInError() {
    ::unsetenv("ASTRO_TEST_ENDPOINT_UNSET");
    EndpointConfig config = configFor("http://127.0.0.1:1/v1");
    config.apiKeyEnv = "ASTRO_TEST_ENDPOINT_UNSET";
    std::string message = errorOf([&] { EndpointSampler sampler(config); });
    QVERIFY2(contains(message, "$ASTRO_TEST_ENDPOINT_UNSET") &&
                 contains(message, "http://127.0.0.1:1/v1"),
             message.c_str());
  }

  void textOnlyServer_idsFromEncodingAndNoLogprobsError() {
    FakeOpenAiServer server;
    server.setTokenIdsSupported(false);
    EndpointSampler sampler(configFor(server.url()));
    auto results = sampler.generate({{3}}, {.maxNewTokens = 3});
    QCOMPARE(results.at(0).ids, sampler.tokenizer().encode("fake text"));
    if (sampler.tokenizer().encode("fake text").size() != 3) {
      std::string message =
          errorOf([&] { sampler.generate({{3}}, {.maxNewTokens = 3, .returnLogprobs = true}); });
      QVERIFY2(contains(message, "the server returned no token ids"), message.c_str());
    }
  }

  void describe_namesUrlAndModel() {
    EndpointSampler sampler(configFor("http://gpu-node:8000/v1/"));
    QCOMPARE(sampler.describe(), std::string("endpoint http://gpu-node:8000/v1 (fake-policy)"));
  }

  void badOptions_usageErrorBeforeSending() {
    EndpointSampler sampler(configFor("http://127.0.0.1:1/v1"));
    QVERIFY_THROWS_EXCEPTION(astro::UsageError, sampler.generate({{}}, {}));
    QVERIFY_THROWS_EXCEPTION(astro::UsageError, sampler.generate({{1}}, {.rowSeeds = {1, 2}}));
    QCOMPARE(sampler.counters().requests, 0);
  }
};

QTEST_GUILESS_MAIN(EndpointSamplerTest)
#include "endpoint_sampler_test.moc"
