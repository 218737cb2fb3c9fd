// The request parser of `astro serve`: every accepted field and prompt form is read, and unknown
// fields, wrong types and values out of range are refused with 400 and the OpenAI error shape
// naming the field.
#include "core/serve/completion_request.h"

#include <QtTest>
#include <nlohmann/json.hpp>

#include "core/serve/api_error.h"

using namespace astro::serve;

namespace {

// The ApiError a body gets, or a failure when it parses.
ApiError refusal(const std::string& body, Endpoint endpoint = Endpoint::kCompletions) {
  try {
    (void)parseCompletionRequest(body, endpoint);
  } catch (const ApiError& error) {
    return error;
  }
  return ApiError(0, "parsed: " + body);
}

}  // namespace

class CompletionRequestTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void completions_readsEveryField() {
    auto request = parseCompletionRequest(R"({"model": "m", "prompt": "hi", "max_tokens": 7,
      "temperature": 0.5, "top_p": 0.9, "n": 3, "stop": ["a", "b"], "seed": 42, "logprobs": 1,
      "stream": true, "stream_options": {"include_usage": true}, "user": "u", "top_k": 5,
      "stop_token_ids": [1, 2], "ignore_eos": true, "include_stop_str_in_output": true,
      "return_tokens_as_token_ids": true})",
                                          Endpoint::kCompletions);
    QCOMPARE(request.model, std::string("m"));
    QCOMPARE(request.prompts.size(), std::size_t(1));
    QCOMPARE(request.prompts[0].text, std::string("hi"));
    QCOMPARE(*request.maxTokens, int64_t(7));
    QCOMPARE(request.temperature, 0.5);
    QCOMPARE(request.topP, 0.9);
    QCOMPARE(request.n, int64_t(3));
    QCOMPARE(request.stop, (std::vector<std::string>{"a", "b"}));
    QCOMPARE(*request.seed, uint64_t(42));
    QVERIFY(request.logprobs && request.stream && request.includeUsage);
    QCOMPARE(request.topK, int64_t(5));
    QCOMPARE(request.stopTokenIds, (std::vector<int32_t>{1, 2}));
    QVERIFY(request.ignoreEos && request.includeStopStrInOutput && request.returnTokensAsTokenIds);
    QCOMPARE(request.choiceCount(), int64_t(3));
  }

  void completions_defaultsFollowOpenAi() {
    auto request = parseCompletionRequest(R"({"prompt": [5, 6]})", Endpoint::kCompletions);
    QVERIFY(!request.maxTokens && !request.seed && !request.stream && !request.logprobs);
    QCOMPARE(request.temperature, 1.0);
    QCOMPARE(request.n, int64_t(1));
  }

  void completions_promptForms() {
    auto ids = parseCompletionRequest(R"({"prompt": [5, 6, 7]})", Endpoint::kCompletions);
    QVERIFY(ids.prompts[0].isTokenIds);
    QCOMPARE(ids.prompts[0].ids, (std::vector<int32_t>{5, 6, 7}));
    auto texts =
        parseCompletionRequest(R"({"prompt": ["a", "b"], "n": 2})", Endpoint::kCompletions);
    QCOMPARE(texts.prompts.size(), std::size_t(2));
    QCOMPARE(texts.choiceCount(), int64_t(4));
    auto idLists = parseCompletionRequest(R"({"prompt": [[1], [2, 3]]})", Endpoint::kCompletions);
    QCOMPARE(idLists.prompts[1].ids, (std::vector<int32_t>{2, 3}));
    QCOMPARE(refusal(R"({"prompt": [1, "a"]})").param(), std::string("prompt[1]"));
    QCOMPARE(refusal(R"({"prompt": {"a": 1}})").param(), std::string("prompt"));
    QCOMPARE(refusal(R"({"prompt": []})").param(), std::string("prompt"));
    QCOMPARE(refusal(R"({"prompt": [-1]})").param(), std::string("prompt[0]"));
    QCOMPARE(refusal(R"({"max_tokens": 3})").param(), std::string("prompt"));  // required
  }

  void chat_readsMessagesAndItsFields() {
    auto request = parseCompletionRequest(R"({"messages": [
        {"role": "developer", "content": "be brief"},
        {"role": "user", "content": [{"type": "text", "text": "2+"}, {"type": "text", "text": "2?"}],
         "name": "ann"}],
      "max_completion_tokens": 9, "logprobs": true, "top_logprobs": 0})",
                                          Endpoint::kChatCompletions);
    QCOMPARE(request.messages.size(), std::size_t(2));
    QCOMPARE(request.messages[0].role, std::string("system"));
    QCOMPARE(request.messages[1].content, std::string("2+2?"));
    QCOMPARE(*request.maxTokens, int64_t(9));
    QVERIFY(request.logprobs);
    QCOMPARE(request.choiceCount(), int64_t(1));
  }

  void chat_refusesBadMessages() {
    auto chat = Endpoint::kChatCompletions;
    QCOMPARE(refusal(R"({"messages": []})", chat).param(), std::string("messages"));
    QCOMPARE(
        refusal(R"({"messages": [{"role": "user", "content": "x", "tool": 1}]})", chat).param(),
        std::string("messages[0].tool"));
    QCOMPARE(refusal(R"({"messages": [{"role": "robot", "content": "x"}]})", chat).param(),
             std::string("messages[0].role"));
    QCOMPARE(refusal(R"({"messages": [{"content": "x"}]})", chat).param(),
             std::string("messages[0].role"));
    QCOMPARE(
        refusal(R"({"messages": [{"role": "user", "content": [{"type": "image_url"}]}]})", chat)
            .param(),
        std::string("messages[0].content[0]"));
    // Completions' fields are unknown to chat and the other way round.
    QCOMPARE(
        refusal(R"({"messages": [{"role": "user", "content": "x"}], "prompt": "p"})", chat).param(),
        std::string("prompt"));
    QCOMPARE(refusal(R"({"prompt": "p", "messages": []})").param(), std::string("messages"));
    QCOMPARE(refusal(R"({"messages": [{"role": "user", "content": "x"}], "top_logprobs": 2,
                         "logprobs": true})",
                     chat)
                 .param(),
             std::string("top_logprobs"));
    QCOMPARE(refusal(R"({"messages": [{"role": "user", "content": "x"}], "top_logprobs": 0})", chat)
                 .param(),
             std::string("top_logprobs"));  // without logprobs
  }

  void unknownField_isRefusedByName() {
    ApiError error = refusal(R"({"prompt": "p", "temprature": 1})");
    QCOMPARE(error.status(), 400);
    QCOMPARE(error.param(), std::string("temprature"));
    QVERIFY(std::string(error.what()).find("unknown field 'temprature'") != std::string::npos);
    auto body = nlohmann::json::parse(error.body());
    QCOMPARE(body["error"]["type"].get<std::string>(), std::string("invalid_request_error"));
    QCOMPARE(body["error"]["param"].get<std::string>(), std::string("temprature"));
    QVERIFY(body["error"]["code"].is_null());
    QVERIFY(body["error"]["message"].is_string());
    QCOMPARE(refusal(R"({"prompt": "p", "stream": true, "stream_options": {"x": 1}})").param(),
             std::string("stream_options.x"));
  }

  void wrongTypesAndRanges_nameTheField() {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {R"({"prompt": "p", "max_tokens": "16"})", "max_tokens"},
        {R"({"prompt": "p", "max_tokens": 0})", "max_tokens"},
        {R"({"prompt": "p", "max_tokens": 1.5})", "max_tokens"},
        {R"({"prompt": "p", "temperature": -0.1})", "temperature"},
        {R"({"prompt": "p", "top_p": 0})", "top_p"},
        {R"({"prompt": "p", "top_k": -2})", "top_k"},
        {R"({"prompt": "p", "n": 0})", "n"},
        {R"({"prompt": "p", "n": 65})", "n"},
        {R"({"prompt": ["a", "b", "c", "d", "e"], "n": 64})", "n"},
        {R"({"prompt": "p", "stop": ["a", "b", "c", "d", "e"]})", "stop"},
        {R"({"prompt": "p", "stop": ""})", "stop"},
        {R"({"prompt": "p", "stop": [1]})", "stop[0]"},
        {R"({"prompt": "p", "seed": 1.5})", "seed"},
        {R"({"prompt": "p", "seed": "7"})", "seed"},
        {R"({"prompt": "p", "logprobs": 2})", "logprobs"},
        {R"({"prompt": "p", "logprobs": 6})", "logprobs"},
        {R"({"prompt": "p", "logprobs": true})", "logprobs"},
        {R"({"prompt": "p", "stream": "yes"})", "stream"},
        {R"({"prompt": "p", "stream_options": {"include_usage": true}})", "stream_options"},
        {R"({"prompt": "p", "stop_token_ids": 3})", "stop_token_ids"},
        {R"({"prompt": "p", "model": 3})", "model"},
        {R"({"prompt": "p", "presence_penalty": 0.5})", "presence_penalty"},
        {R"({"prompt": "p", "echo": true})", "echo"},
        {R"({"prompt": "p", "best_of": 2})", "best_of"},
        {R"({"prompt": "p", "logit_bias": {"5": 100}})", "logit_bias"},
        {R"({"prompt": ["a", "b"], "seeds": [1]})", "seeds"},
        {R"({"prompt": "p", "seeds": []})", "seeds"},
        {R"({"prompt": "p", "seeds": 4})", "seeds"},
        {R"({"prompt": ["a", "b"], "seeds": [1, "2"]})", "seeds[1]"},
        {R"({"prompt": ["a", "b"], "seeds": [1, 2.5]})", "seeds[1]"},
    };
    for (const auto& [body, param] : cases) {
      ApiError error = refusal(body);
      QVERIFY2(error.status() == 400 && error.param() == param,
               qPrintable(QString::fromStdString(body + " -> " + std::to_string(error.status()) +
                                                 " " + error.param() + ": " + error.what())));
    }
  }

  void neutralValuesAndNull_areAccepted() {
    auto request = parseCompletionRequest(R"({"prompt": "p", "presence_penalty": 0,
      "frequency_penalty": 0.0, "repetition_penalty": 1, "echo": false, "best_of": 1,
      "logit_bias": {}, "seed": null, "stop": null, "max_tokens": null, "top_k": -1})",
                                          Endpoint::kCompletions);
    QVERIFY(!request.seed && request.stop.empty() && !request.maxTokens);
    QCOMPARE(request.topK, int64_t(0));
  }

  void seed_takesAny64BitIntegerAsItsBits() {
    auto seedOf = [](const std::string& value) {
      return *parseCompletionRequest(R"({"prompt": "p", "seed": )" + value + "}",
                                     Endpoint::kCompletions)
                  .seed;
    };
    QCOMPARE(seedOf("0"), uint64_t(0));
    QCOMPARE(seedOf("18446744073709551615"), ~uint64_t(0));
    QCOMPARE(seedOf("-1"), ~uint64_t(0));  // the same 64 bits as a signed number
    QCOMPARE(seedOf("-9223372036854775808"), uint64_t(1) << 63);
  }

  void seeds_onePerPromptAsTheirBitsAndCompletionsOnly() {
    auto request = parseCompletionRequest(
        R"({"prompt": [[1, 2], [3]], "seeds": [5, -1], "n": 2})", Endpoint::kCompletions);
    QCOMPARE(request.seeds, (std::vector<uint64_t>{5, ~uint64_t(0)}));
    QVERIFY(!request.seed);
    ApiError chat = refusal(R"({"messages": [{"role": "user", "content": "hi"}], "seeds": [1]})",
                            Endpoint::kChatCompletions);
    QVERIFY(chat.status() == 400 && chat.param() == "seeds");
  }

  void malformedBodies_get400() {
    for (const std::string body :
         {"", "{", "[1]", "\"prompt\"", "{\"prompt\": \"p\",}", "{\"prompt\": \"\xff\"}"}) {
      ApiError error = refusal(body);
      QVERIFY2(error.status() == 400, qPrintable(QString::fromStdString(body)));
      QVERIFY(error.param().empty());
    }
  }
};

QTEST_APPLESS_MAIN(CompletionRequestTest)
#include "completion_request_test.moc"
