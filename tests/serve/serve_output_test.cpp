// What `astro serve` makes of a parsed request and of the engine's tokens, without a model:
// stop-string cuts and streaming hold-back, choice planning (tokenizing, seeds s + j, context
// checks), and that a stream's pieces add up to the whole response.
#include <QtTest>
#include <nlohmann/json.hpp>

#include "core/serve/api_error.h"
#include "core/serve/completion_plan.h"
#include "core/serve/completion_response.h"
#include "core/serve/completion_stream.h"
#include "core/serve/stop_text.h"

using namespace astro::serve;
using astro::tokenizer::Tokenizer;

namespace {

Tokenizer worldTokenizer() {
  return Tokenizer::fromDirectory(std::filesystem::path(ASTRO_SOURCE_DIR) / "resources/world");
}

const ServeLimits kLimits{.contextTokens = 64, .vocabSize = 1364};

// The text a stream hands out for `text` arriving in pieces that end at `cuts`.
std::string streamed(const std::string& text, const std::vector<std::string>& stops,
                     bool includeStop, std::size_t step) {
  StreamedText stream(stops, includeStop);
  std::string out;
  for (std::size_t end = step; end < text.size() + step; end += step) {
    bool final = end >= text.size();
    out += stream.advance(std::string_view(text).substr(0, std::min(end, text.size())), final);
    if (stream.stopped()) break;
  }
  return out;
}

// The data lines of server-sent events.
std::vector<std::string> eventData(const std::string& events) {
  std::vector<std::string> data;
  std::size_t start = 0;
  for (std::size_t end; (end = events.find("\n\n", start)) != std::string::npos; start = end + 2) {
    std::string event = events.substr(start, end - start);
    if (event.starts_with("data: ")) data.push_back(event.substr(6));
  }
  return data;
}

ApiError planRefusal(const std::string& body, Endpoint endpoint = Endpoint::kCompletions) {
  try {
    (void)planCompletion(parseCompletionRequest(body, endpoint), worldTokenizer(), kLimits, 1);
  } catch (const ApiError& error) {
    return error;
  }
  return ApiError(0, "planned: " + body);
}

}  // namespace

class ServeOutputTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void cutAtStop_endsBeforeTheEarliestStop() {
    std::vector<std::string> stops = {"cd", "b"};
    QCOMPARE(cutAtStop("abcde", stops, false).end, std::size_t(1));
    QCOMPARE(cutAtStop("abcde", stops, true).end, std::size_t(2));
    QVERIFY(!cutAtStop("xyz", stops, false).found);
    QCOMPARE(cutAtStop("xyz", stops, false).end, std::size_t(3));
    // At one start the longer stop wins.
    QCOMPARE(cutAtStop("a<end>", {"<e", "<end>"}, true).end, std::size_t(6));
  }

  void heldBackTail_keepsStopPrefixesAndUnfinishedCharacters() {
    QCOMPARE(heldBackTail("hello <en", {"<end>"}), std::size_t(3));
    QCOMPARE(heldBackTail("hello", {"<end>"}), std::size_t(0));
    QCOMPARE(heldBackTail("caf\xc3", {}), std::size_t(1));      // first byte of é
    QCOMPARE(heldBackTail("\xe2\x82", {}), std::size_t(2));     // two bytes of €
    QCOMPARE(heldBackTail("caf\xc3\xa9", {}), std::size_t(0));  // é complete
  }

  void streamedText_equalsTheWholeCutForEveryPieceSize() {
    const std::string text = "The answer is 42.\n\nQuestion: what next?";
    for (bool include : {false, true}) {
      for (const std::vector<std::string>& stops : std::vector<std::vector<std::string>>{
               {}, {"\n\nQuestion"}, {"answer", "42"}, {"nothing"}, {"?"}}) {
        std::string whole = text.substr(0, cutAtStop(text, stops, include).end);
        for (std::size_t step = 1; step <= text.size(); ++step) {
          QCOMPARE(streamed(text, stops, include, step), whole);
        }
      }
    }
  }

  void plan_seedsChoiceJWithSeedPlusJ() {
    auto request = parseCompletionRequest(R"({"prompt": [[5, 6], [7]], "n": 3, "max_tokens": 4,
                                              "temperature": 0.7, "top_k": 9})",
                                          Endpoint::kCompletions);
    CompletionPlan plan = planCompletion(request, worldTokenizer(), kLimits, 100);
    QCOMPARE(plan.choices.size(), std::size_t(6));
    for (std::size_t i = 0; i < 6; ++i) {
      QCOMPARE(plan.choices[i].options.rowSeeds, std::vector<uint64_t>{100 + i});
      QCOMPARE(plan.choices[i].promptIndex, i / 3);
      QCOMPARE(plan.choices[i].options.maxNewTokens, int64_t(4));
      QCOMPARE(plan.choices[i].options.temperature, 0.7);
      QCOMPARE(plan.choices[i].options.topK, int64_t(9));
    }
    QCOMPARE(plan.choices[4].prompt, std::vector<int32_t>{7});
    QCOMPARE(plan.promptTokens, int64_t(3));
  }

  // `seeds` (this server's extension): choice j of prompt p draws from seeds[p] + j, whatever
  // `seed` says, so one request carries rows whose seeds are unrelated.
  void plan_seedsExtensionSeedsEachPrompt() {
    auto request = parseCompletionRequest(R"({"prompt": [[5, 6], [7], [8]], "n": 2,
                                              "seed": 3, "seeds": [40, -1, 7]})",
                                          Endpoint::kCompletions);
    CompletionPlan plan = planCompletion(request, worldTokenizer(), kLimits, 3);
    const std::vector<uint64_t> expected = {40, 41, ~uint64_t(0), 0, 7, 8};
    QCOMPARE(plan.choices.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      QCOMPARE(plan.choices[i].options.rowSeeds, std::vector<uint64_t>{expected[i]});
      QCOMPARE(plan.choices[i].promptIndex, i / 2);
    }
  }

  void plan_textPromptsGetBosAndStopIds() {
    Tokenizer tokenizer = worldTokenizer();
    auto request = parseCompletionRequest(R"({"prompt": "1+1=", "stop_token_ids": [9]})",
                                          Endpoint::kCompletions);
    CompletionPlan plan = planCompletion(request, tokenizer, kLimits, 1);
    std::vector<int32_t> expected{*tokenizer.bosId()};
    for (int32_t id : tokenizer.encode("1+1=")) expected.push_back(id);
    QCOMPARE(plan.choices[0].prompt, expected);
    QCOMPARE(plan.choices[0].options.maxNewTokens, int64_t(16));  // OpenAI's default
    auto stopIds = tokenizer.stopIds();
    stopIds.push_back(9);
    QCOMPARE(plan.choices[0].options.stopIds, stopIds);
    QVERIFY(plan.choices[0].options.stopAtEos);

    auto ignoring = parseCompletionRequest(R"({"prompt": [1], "ignore_eos": true,
                                               "stop_token_ids": [9]})",
                                           Endpoint::kCompletions);
    auto options = planCompletion(ignoring, tokenizer, kLimits, 1).choices[0].options;
    QVERIFY(!options.stopAtEos);
    QCOMPARE(options.stopIds, std::vector<int32_t>{9});
  }

  void plan_chatRendersTheChatFormat() {
    Tokenizer tokenizer = worldTokenizer();
    auto request = parseCompletionRequest(R"({"messages": [{"role": "user", "content": "hi"}]})",
                                          Endpoint::kChatCompletions);
    CompletionPlan plan = planCompletion(request, tokenizer, kLimits, 1);
    QCOMPARE(tokenizer.decode(plan.choices[0].prompt),
             std::string("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n"));
    // Chat without max_tokens may fill the context.
    QCOMPARE(plan.choices[0].options.maxNewTokens,
             kLimits.contextTokens - int64_t(plan.choices[0].prompt.size()));
  }

  void plan_refusesWhatTheModelCannotRun() {
    QCOMPARE(planRefusal(R"({"prompt": [1, 1364]})").param(), std::string("prompt"));
    QCOMPARE(planRefusal(R"({"prompt": [[1], [2, 5000]]})").param(), std::string("prompt[1]"));
    QCOMPARE(planRefusal(R"({"prompt": [1, 2], "max_tokens": 63})").param(),
             std::string("max_tokens"));
    QCOMPARE(planRefusal(R"({"prompt": [1, 2], "stop_token_ids": [0, 99999]})").param(),
             std::string("stop_token_ids"));
    std::vector<int32_t> ids(64, 1);
    QCOMPARE(planRefusal(nlohmann::json{{"prompt", ids}}.dump()).param(), std::string("prompt"));
    QCOMPARE(planRefusal(R"({"prompt": [1, 2], "max_tokens": 62})").status(), 0);  // fits
  }

  void stream_piecesAddUpToTheWholeResponse() {
    Tokenizer tokenizer = worldTokenizer();
    std::vector<int32_t> ids = tokenizer.encode("x = 3 + 4\nso x is 7. Done");
    for (Endpoint endpoint : {Endpoint::kCompletions, Endpoint::kChatCompletions}) {
      CompletionRequest request;
      request.endpoint = endpoint;
      request.stop = {"is 7"};
      request.logprobs = true;
      request.includeUsage = true;
      request.stream = true;
      auto context = ResponseContext::forRequest(request, tokenizer, "tiny");
      CompletionStream stream(context, 1, 5);
      std::string events;
      ChoiceProgress progress;
      events += stream.update({progress});
      // As the engine does, stop at the token whose text completes the stop string.
      for (std::size_t t = 0; t < ids.size() && !stream.finished(); ++t) {
        progress.ids.push_back(ids[t]);
        progress.logprobs.push_back(-1.0f);
        events += stream.update({progress});
      }
      QVERIFY(stream.finished());
      QVERIFY(progress.ids.size() < ids.size());
      progress.finished = true;
      progress.reason = astro::model::FinishReason::kStopString;
      QCOMPARE(stream.update({progress}), std::string());
      events += stream.end();

      std::string text, role, finish;
      std::size_t logprobCount = 0;
      auto data = eventData(events);
      QCOMPARE(data.back(), std::string("[DONE]"));
      auto usage = nlohmann::json::parse(data[data.size() - 2]);
      QCOMPARE(usage["usage"]["completion_tokens"].get<int64_t>(), int64_t(progress.ids.size()));
      QVERIFY(usage["choices"].empty());
      for (std::size_t i = 0; i + 2 < data.size(); ++i) {
        auto chunk = nlohmann::json::parse(data[i]);
        QVERIFY(chunk.contains("usage") && chunk["usage"].is_null());
        const auto& choice = chunk["choices"][0];
        if (endpoint == Endpoint::kChatCompletions) {
          QCOMPARE(chunk["object"].get<std::string>(), std::string("chat.completion.chunk"));
          if (i == 0) role = choice["delta"]["role"].get<std::string>();
          text += choice["delta"].value("content", "");
          if (!choice["logprobs"].is_null()) logprobCount += choice["logprobs"]["content"].size();
        } else {
          QCOMPARE(chunk["object"].get<std::string>(), std::string("text_completion"));
          text += choice["text"].get<std::string>();
          if (!choice["logprobs"].is_null()) logprobCount += choice["logprobs"]["tokens"].size();
        }
        if (!choice["finish_reason"].is_null()) finish = choice["finish_reason"];
      }
      QCOMPARE(text, choiceText(context, ids));
      QCOMPARE(text, std::string("x = 3 + 4\nso x "));
      QCOMPARE(finish, std::string("stop"));
      QVERIFY(logprobCount > 0);
      if (endpoint == Endpoint::kChatCompletions) QCOMPARE(role, std::string("assistant"));
    }
  }

  void unknownIds_addNoText() {
    // A model's vocabulary can be padded past its tokenizer's (Qwen's is); such ids can be drawn.
    Tokenizer tokenizer = worldTokenizer();
    std::vector<int32_t> ids = tokenizer.encode("ab");
    ids.insert(ids.begin() + 1, 5000);
    QCOMPARE(decodeGenerated(tokenizer, ids, true), std::string("ab"));
    CompletionRequest request;
    request.logprobs = true;
    auto context = ResponseContext::forRequest(request, tokenizer, "tiny");
    auto body = nlohmann::json::parse(responseBody(
        context, {{.ids = ids, .logprobs = std::vector<float>(ids.size(), -1.0f)}}, {}));
    QCOMPARE(body["choices"][0]["text"].get<std::string>(), std::string("ab"));
    QCOMPARE(body["choices"][0]["logprobs"]["tokens"][1].get<std::string>(), std::string());
  }

  void responseBody_hasOpenAiShape() {
    Tokenizer tokenizer = worldTokenizer();
    CompletionRequest request;
    request.logprobs = true;
    request.returnTokensAsTokenIds = true;
    auto context = ResponseContext::forRequest(request, tokenizer, "tiny");
    std::vector<int32_t> ids = tokenizer.encode("ab");
    auto body = nlohmann::json::parse(
        responseBody(context, {{.ids = ids, .logprobs = std::vector<float>(ids.size(), -0.5f)}},
                     {.promptTokens = 3, .completionTokens = int64_t(ids.size())}));
    QCOMPARE(body["object"].get<std::string>(), std::string("text_completion"));
    QVERIFY(body["id"].get<std::string>().starts_with("cmpl-"));
    QCOMPARE(body["choices"][0]["text"].get<std::string>(), std::string("ab"));
    QCOMPARE(body["choices"][0]["finish_reason"].get<std::string>(), std::string("length"));
    QCOMPARE(body["choices"][0]["logprobs"]["tokens"][0].get<std::string>(),
             "token_id:" + std::to_string(ids[0]));
    QCOMPARE(body["choices"][0]["logprobs"]["text_offset"][0].get<int64_t>(), int64_t(0));
    QCOMPARE(body["usage"]["total_tokens"].get<int64_t>(), int64_t(3 + ids.size()));
  }
};

QTEST_APPLESS_MAIN(ServeOutputTest)
#include "serve_output_test.moc"
