// A fake OpenAI-compatible server for the endpoint tests: a real httplib::Server on a loopback
// port in its own thread, answering /v1/completions with token ids it computes from the request
// (fakeCompletionIds), or with the failures a test scripts: status codes, stalls, garbage.
#pragma once

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace astro::test {

// The tiny tokenizer's <|end_of_text|>, which the fake ends "eos" rows with.
constexpr std::int32_t kFakeEosId = 557;

// What the fake generates for a request: prompts starting with 1 end at EOS after 3 tokens
// ("stop"), with 2 end in a stop string after 2 tokens ("stop"), others run to max_tokens.
struct FakeCompletion {
  std::vector<std::int32_t> ids;
  std::vector<float> logprobs;
  std::string finishReason;
};
FakeCompletion fakeCompletion(const std::vector<std::int32_t>& prompt, std::int64_t seed,
                              std::int64_t maxTokens);

class FakeOpenAiServer {
 public:
  // The answer to the request numbered `index` (from 0, counted per route: a client's GET
  // /models does not shift its completions' numbers); return false to give the default answer
  // instead.
  using Script = std::function<bool(int index, const httplib::Request&, httplib::Response&)>;

  // `keepAliveSeconds`: how long an idle client connection stays open (uvicorn's default is 5).
  explicit FakeOpenAiServer(int keepAliveSeconds = 5);
  ~FakeOpenAiServer();

  std::string url() const;  // "http://127.0.0.1:PORT/v1"
  void setScript(Script script);
  void setDelayMs(int milliseconds) { delayMs_ = milliseconds; }
  void setRequiredKey(std::string key) { requiredKey_ = std::move(key); }
  void setTokenIdsSupported(bool supported) { tokenIds_ = supported; }
  // Blocks the calling handler until `seconds` pass or the server stops.
  void stall(double seconds);

  // Every route (the server answers only /v1/completions and /v1/models).
  int requestCount() const { return completionRequests_.load() + modelRequests_.load(); }
  int completionRequestCount() const { return completionRequests_.load(); }
  // Makes GET /v1/models list the models as `astro serve` does (owned_by "astro"), so clients
  // send it their prompts as arrays with the `seeds` extension, which the fake then honours.
  void setOwnedByAstro(bool astro) { ownedByAstro_ = astro; }
  int maxConcurrent() const { return maxConcurrent_.load(); }
  std::vector<nlohmann::json> completionBodies() const;
  std::vector<std::string> authorizationHeaders() const;

 private:
  void answerCompletion(const httplib::Request& request, httplib::Response& response);
  void handle(const httplib::Request& request, httplib::Response& response);

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  Script script_;
  std::atomic<int> delayMs_{0};
  std::string requiredKey_;
  bool tokenIds_ = true;
  std::atomic<bool> ownedByAstro_{false};
  std::atomic<int> completionRequests_{0};
  std::atomic<int> modelRequests_{0};
  std::atomic<int> inFlight_{0};
  std::atomic<int> maxConcurrent_{0};
  mutable std::mutex mutex_;
  std::condition_variable stopped_;
  bool stopping_ = false;
  std::vector<nlohmann::json> bodies_;
  std::vector<std::string> authorization_;
};

}  // namespace astro::test
