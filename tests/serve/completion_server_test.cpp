// `astro serve`'s server over a real loopback socket, with the DecodeEngine on a random-init
// model: completions equal LanguageModel::generate token for token, n choices are seeded s + j,
// stop strings cut the text, streams assemble to the whole response, errors have the documented
// status and shape, a client hanging up mid-stream disturbs nobody, and 16 concurrent requests
// are all answered correctly.
//
// Equality rule: choice j of a request with seed s equals generate({prompt}, options with
// rowSeeds = {s + j} and the tokenizer's stop ids) in tokens and finish reason; logprobs within
// 1e-3. The engine batches rows that generate runs alone; their logits differ in the last bits
// only, which never flips a token for this peaked random model (core/model/decode_engine.h).
#include <QtTest>
#include <cmath>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/model/runtime.h"
#include "tests/serve/serve_test_fixture.h"
#include "tests/support/test_support.h"

using namespace astro;
using Json = nlohmann::json;

namespace {

std::vector<int32_t> promptIds(int variant) {
  std::vector<int32_t> ids{352};  // BOS
  for (int i = 0; i < 4 + variant % 5; ++i) ids.push_back((37 * variant + 11 * i + 5) % 1300);
  return ids;
}

// "token_id:N" labels of a choice's logprobs back to ids.
std::vector<int32_t> idsOf(const Json& choice) {
  std::vector<int32_t> ids;
  for (const auto& token : choice["logprobs"]["tokens"]) {
    ids.push_back(std::stoi(token.get<std::string>().substr(std::string("token_id:").size())));
  }
  return ids;
}

// Text as a JSON body carries it: bytes that are not UTF-8 (a random model ends characters
// anywhere) become U+FFFD.
std::string asJsonText(const std::string& text) {
  return Json::parse(Json(text).dump(-1, ' ', false, Json::error_handler_t::replace));
}

std::string reasonText(model::FinishReason reason) {
  return reason == model::FinishReason::kLength ? "length" : "stop";
}

}  // namespace

class CompletionServerTest : public QObject {
  Q_OBJECT

  std::filesystem::path modelDir_;
  std::unique_ptr<test::InProcessServer> server_;

  model::Generation generated(const std::vector<int32_t>& prompt, uint64_t seed, int64_t maxTokens,
                              double temperature = 1.0) const {
    model::GenerationOptions options{.maxNewTokens = maxTokens, .temperature = temperature};
    options.rowSeeds = {seed};
    options.stopIds = server_->tokenizer().stopIds();
    options.returnLogprobs = true;
    return server_->model().generate({prompt}, options).front();
  }

  Json post(const std::string& path, const Json& body, int expectedStatus = 200) const {
    auto reply = test::httpPost(server_->port(), path, body.dump());
    if (reply.status != expectedStatus) {
      qWarning("%s -> %d %s", body.dump().c_str(), reply.status, reply.body.c_str());
    }
    [&] { QCOMPARE(reply.status, expectedStatus); }();
    return Json::parse(reply.body);
  }

  // Checks a choice of a response made with logprobs and token ids against generate.
  void compareChoice(const Json& choice, const model::Generation& expected) const {
    QCOMPARE(idsOf(choice), expected.ids);
    QCOMPARE(choice["finish_reason"].get<std::string>(), reasonText(expected.finishReason));
    QCOMPARE(choice["text"].get<std::string>(),
             asJsonText(server_->tokenizer().decode(expected.ids, /*skipSpecialTokens=*/true)));
    const auto& logprobs = choice["logprobs"]["token_logprobs"];
    for (std::size_t t = 0; t < expected.logprobs.size(); ++t) {
      QVERIFY(std::abs(logprobs[t].get<float>() - expected.logprobs[t]) < 1e-3f);
    }
  }

 private Q_SLOTS:
  void initTestCase() {
    model::initTorchRuntime();
    modelDir_ = test::freshTempDir("serve_model") / "tiny";
    test::writeServeModel(modelDir_, test::smallServeConfig());
    server_ = std::make_unique<test::InProcessServer>(modelDir_);
  }
  void cleanupTestCase() { server_.reset(); }

  void completion_equalsGenerateWithTheRequestSeed() {
    auto prompt = promptIds(1);
    Json body = post("/v1/completions", {{"model", "tiny"},
                                         {"prompt", prompt},
                                         {"max_tokens", 24},
                                         {"seed", 1234},
                                         {"logprobs", 1},
                                         {"return_tokens_as_token_ids", true}});
    auto expected = generated(prompt, 1234, 24);
    compareChoice(body["choices"][0], expected);
    QCOMPARE(body["usage"]["prompt_tokens"].get<int64_t>(), int64_t(prompt.size()));
    QCOMPARE(body["usage"]["completion_tokens"].get<int64_t>(), int64_t(expected.ids.size()));
    QCOMPARE(body["object"].get<std::string>(), std::string("text_completion"));
    QCOMPARE(body["model"].get<std::string>(), std::string("tiny"));
  }

  void nChoices_areSeededSeedPlusJ() {
    auto prompt = promptIds(2);
    Json body = post("/v1/completions", {{"prompt", prompt},
                                         {"max_tokens", 20},
                                         {"n", 3},
                                         {"seed", 500},
                                         {"logprobs", 0},
                                         {"return_tokens_as_token_ids", true}});
    QCOMPARE(body["choices"].size(), std::size_t(3));
    for (int j = 0; j < 3; ++j) {
      QCOMPARE(body["choices"][j]["index"].get<int>(), j);
      compareChoice(body["choices"][j], generated(prompt, 500 + j, 20));
    }
    QVERIFY(idsOf(body["choices"][0]) != idsOf(body["choices"][1]));
  }

  void stopString_cutsTheTextBeforeIt() {
    Json greedy = {
        {"prompt", promptIds(3)}, {"max_tokens", 40}, {"temperature", 0}, {"ignore_eos", true}};
    std::string whole = post("/v1/completions", greedy)["choices"][0]["text"];
    QVERIFY2(whole.size() >= 8, whole.c_str());
    std::string stop = whole.substr(whole.size() / 2, 2);
    std::size_t at = whole.find(stop);

    Json cut = greedy;
    cut["stop"] = stop;
    Json choice = post("/v1/completions", cut)["choices"][0];
    QCOMPARE(choice["text"].get<std::string>(), whole.substr(0, at));
    QCOMPARE(choice["finish_reason"].get<std::string>(), std::string("stop"));

    cut["include_stop_str_in_output"] = true;
    choice = post("/v1/completions", cut)["choices"][0];
    QCOMPARE(choice["text"].get<std::string>(), whole.substr(0, at + stop.size()));
  }

  void stream_assemblesToTheWholeResponse() {
    for (std::string path : {"/v1/completions", "/v1/chat/completions"}) {
      bool chat = path == "/v1/chat/completions";
      Json request = {
          {"max_tokens", 30}, {"n", 2}, {"seed", 77}, {"logprobs", !chat ? Json(1) : Json(true)}};
      if (chat) {
        request["messages"] = {{{"role", "user"}, {"content", "what is 3 + 4?"}}};
      } else {
        request["prompt"] = "x = 3 + 4";
      }
      request["stop"] = {" ", "\n"};
      Json whole = post(path, request);

      request["stream"] = true;
      request["stream_options"] = {{"include_usage", true}};
      auto reply = test::httpPostStreaming(server_->port(), path, request.dump(),
                                           [](std::string_view) { return true; });
      QCOMPARE(reply.status, 200);
      auto events = test::sseData(reply.body);
      QCOMPARE(events.back(), std::string("[DONE]"));
      std::vector<std::string> texts(2), finish(2);
      std::vector<std::string> roles(2);
      Json usage;
      for (std::size_t i = 0; i + 1 < events.size(); ++i) {
        Json chunk = Json::parse(events[i]);
        QCOMPARE(chunk["object"].get<std::string>(),
                 std::string(chat ? "chat.completion.chunk" : "text_completion"));
        if (!chunk["usage"].is_null()) usage = chunk["usage"];
        for (const auto& choice : chunk["choices"]) {
          int index = choice["index"];
          if (chat) {
            if (choice["delta"].contains("role")) roles[index] = choice["delta"]["role"];
            texts[index] += choice["delta"].value("content", "");
          } else {
            texts[index] += choice["text"].get<std::string>();
          }
          if (!choice["finish_reason"].is_null()) finish[index] = choice["finish_reason"];
        }
      }
      for (int index = 0; index < 2; ++index) {
        const Json& expected = whole["choices"][index];
        QCOMPARE(texts[index], chat ? expected["message"]["content"].get<std::string>()
                                    : expected["text"].get<std::string>());
        QCOMPARE(finish[index], expected["finish_reason"].get<std::string>());
        if (chat) QCOMPARE(roles[index], std::string("assistant"));
      }
      QCOMPARE(usage, whole["usage"]);
    }
  }

  void errors_haveTheDocumentedStatusAndShape() {
    auto expectError = [](const test::HttpReply& reply, int status, const Json& param) {
      QCOMPARE(reply.status, status);
      Json body = Json::parse(reply.body);
      QVERIFY(body["error"]["message"].is_string());
      QVERIFY(body["error"]["type"].is_string());
      QCOMPARE(body["error"]["param"], param);
      QVERIFY(body["error"].contains("code"));
    };
    int port = server_->port();
    expectError(test::httpPost(port, "/v1/completions", "{\"prompt\": "), 400, nullptr);
    expectError(test::httpPost(port, "/v1/completions", R"({"prompt": "a", "tempreture": 1})"), 400,
                "tempreture");
    expectError(test::httpPost(port, "/v1/completions", R"({"prompt": "a", "n": 100})"), 400, "n");
    expectError(
        test::httpPost(port, "/v1/completions", R"({"prompt": [352, 5], "max_tokens": 255})"), 400,
        "max_tokens");
    expectError(test::httpPost(port, "/v1/completions", R"({"prompt": [99999]})"), 400, "prompt");
    expectError(test::httpPost(port, "/v1/completions", R"({"prompt": "a", "model": "gpt-4"})"),
                404, "model");
    expectError(test::httpPost(port, "/v1/nothing", "{}"), 404, nullptr);
    expectError(test::httpGet(port, "/v2/models"), 404, nullptr);
    Json models = Json::parse(test::httpGet(port, "/v1/models").body);
    QCOMPARE(models["data"][0]["id"].get<std::string>(), std::string("tiny"));
    QCOMPARE(test::httpGet(port, "/health").status, 200);
  }

  void apiKeyAndBodyLimit_areEnforced() {
    test::InProcessServer guarded(modelDir_, {.apiKey = "sesame", .maxBodyBytes = 4096});
    int port = guarded.port();
    std::string body = R"({"prompt": [352, 5], "max_tokens": 2})";
    QCOMPARE(test::httpPost(port, "/v1/completions", body).status, 401);
    auto wrong = test::httpPost(port, "/v1/completions", body, {{"Authorization", "Bearer open"}});
    QCOMPARE(wrong.status, 401);
    QCOMPARE(Json::parse(wrong.body)["error"]["code"].get<std::string>(),
             std::string("invalid_api_key"));
    QCOMPARE(test::httpGet(port, "/v1/models").status, 401);
    QCOMPARE(
        test::httpPost(port, "/v1/completions", body, {{"Authorization", "Bearer sesame"}}).status,
        200);
    QCOMPARE(test::httpGet(port, "/health").status, 200);  // no key needed

    std::string large = Json{{"prompt", std::string(8000, 'a')}}.dump();
    auto tooLarge =
        test::httpPost(port, "/v1/completions", large, {{"Authorization", "Bearer sesame"}});
    QCOMPARE(tooLarge.status, 413);
    QVERIFY(Json::parse(tooLarge.body)["error"]["message"].is_string());
  }

  void clientHangingUpMidStream_disturbsNobody() {
    int64_t tokensBefore = server_->engineStats().tokens;
    auto steadyPrompt = promptIds(4);
    auto steady = std::async(std::launch::async, [&] {
      return test::httpPost(server_->port(), "/v1/completions",
                            Json{{"prompt", steadyPrompt},
                                 {"max_tokens", 150},
                                 {"seed", 9},
                                 {"ignore_eos", true},
                                 {"logprobs", 1},
                                 {"return_tokens_as_token_ids", true}}
                                .dump());
    });
    // 16 rows of 240 tokens, abandoned after the first event.
    Json leaving = {{"prompt", promptIds(5)}, {"max_tokens", 240}, {"n", 16}, {"seed", 3},
                    {"ignore_eos", true},     {"stream", true}};
    auto gone = test::httpPostStreaming(
        server_->port(), "/v1/completions", leaving.dump(),
        [](std::string_view data) { return data.find("data: ") == std::string_view::npos; });
    QVERIFY(gone.body.find("[DONE]") == std::string::npos);

    auto reply = steady.get();
    QCOMPARE(reply.status, 200);
    model::GenerationOptions options{.maxNewTokens = 150, .temperature = 1.0, .stopAtEos = false};
    options.rowSeeds = {9};
    auto expected = server_->model().generate({steadyPrompt}, options).front();
    QCOMPARE(idsOf(Json::parse(reply.body)["choices"][0]), expected.ids);

    // The abandoned rows left the batch long before their 16 x 240 tokens.
    QTRY_VERIFY_WITH_TIMEOUT(server_->engineStats().live == 0, 20000);
    int64_t abandonedTokens = server_->engineStats().tokens - tokensBefore - 150;
    qInfo("tokens drawn for the abandoned stream: %lld of 3840", (long long)abandonedTokens);
    QVERIFY(abandonedTokens < 16 * 240 / 2);
  }

  void sixteenConcurrentRequests_areAllAnsweredCorrectly() {
    std::vector<std::future<test::HttpReply>> replies;
    for (int i = 0; i < 16; ++i) {
      replies.push_back(std::async(std::launch::async, [this, i] {
        return test::httpPost(server_->port(), "/v1/completions",
                              Json{{"prompt", promptIds(10 + i)},
                                   {"max_tokens", 32},
                                   {"seed", 1000 + i},
                                   {"logprobs", 1},
                                   {"return_tokens_as_token_ids", true}}
                                  .dump());
      }));
    }
    for (int i = 0; i < 16; ++i) {
      auto reply = replies[std::size_t(i)].get();
      QCOMPARE(reply.status, 200);
      compareChoice(Json::parse(reply.body)["choices"][0],
                    generated(promptIds(10 + i), 1000 + i, 32));
    }
    qInfo("largest batch: %lld rows", (long long)server_->engineStats().largestBatch);
    QVERIFY(server_->engineStats().largestBatch > 1);
  }
};

QTEST_GUILESS_MAIN(CompletionServerTest)
#include "completion_server_test.moc"
