// The fake OpenAI-compatible server (fake_openai_server.h).
#include "tests/endpoint/fake_openai_server.h"

#include <chrono>
#include <stdexcept>

namespace astro::test {

FakeCompletion fakeCompletion(const std::vector<std::int32_t>& prompt, std::int64_t seed,
                              std::int64_t maxTokens) {
  std::int64_t sum = 0;
  for (std::int32_t id : prompt) sum += id;
  bool endsAtEos = prompt.front() == 1 && maxTokens >= 3;
  bool endsAtStopString = prompt.front() == 2 && maxTokens >= 2;
  std::int64_t length = endsAtEos ? 3 : endsAtStopString ? 2 : maxTokens;
  FakeCompletion completion;
  for (std::int64_t i = 0; i < length; ++i) {
    auto mixed = static_cast<std::uint64_t>(sum * 31 + seed + i * 7);
    completion.ids.push_back(static_cast<std::int32_t>(32 + mixed % 200));
    completion.logprobs.push_back(-0.25f * static_cast<float>(i + 1));
  }
  if (endsAtEos) completion.ids.back() = kFakeEosId;
  completion.finishReason = endsAtEos || endsAtStopString ? "stop" : "length";
  return completion;
}

FakeOpenAiServer::FakeOpenAiServer(int keepAliveSeconds) {
  server_.set_keep_alive_timeout(keepAliveSeconds);
  // Enough handler threads that the client's concurrency, not the fake's, is what is measured.
  server_.new_task_queue = [] { return new httplib::ThreadPool(64); };
  auto handler = [this](const httplib::Request& request, httplib::Response& response) {
    handle(request, response);
  };
  server_.Post("/v1/completions", handler);
  server_.Get("/v1/models", handler);
  port_ = server_.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("the fake server cannot bind a loopback port");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

FakeOpenAiServer::~FakeOpenAiServer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stopped_.notify_all();
  server_.stop();
  thread_.join();
}

std::string FakeOpenAiServer::url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/v1";
}

void FakeOpenAiServer::setScript(Script script) {
  std::lock_guard lock(mutex_);
  script_ = std::move(script);
}

void FakeOpenAiServer::stall(double seconds) {
  std::unique_lock lock(mutex_);
  stopped_.wait_for(lock, std::chrono::duration<double>(seconds), [this] { return stopping_; });
}

std::vector<nlohmann::json> FakeOpenAiServer::completionBodies() const {
  std::lock_guard lock(mutex_);
  return bodies_;
}

std::vector<std::string> FakeOpenAiServer::authorizationHeaders() const {
  std::lock_guard lock(mutex_);
  return authorization_;
}

void FakeOpenAiServer::handle(const httplib::Request& request, httplib::Response& response) {
  int concurrent = ++inFlight_;
  int seen = maxConcurrent_.load();
  while (concurrent > seen && !maxConcurrent_.compare_exchange_weak(seen, concurrent)) {
  }
  int index = request.path == "/v1/completions" ? completionRequests_++ : modelRequests_++;
  Script script;
  {
    std::lock_guard lock(mutex_);
    authorization_.push_back(request.get_header_value("Authorization"));
    if (request.path == "/v1/completions") {
      bodies_.push_back(nlohmann::json::parse(request.body, nullptr, false));
    }
    script = script_;
  }
  if (delayMs_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delayMs_.load()));
  if (script && script(index, request, response)) {
    --inFlight_;
    return;
  }
  if (!requiredKey_.empty() &&
      request.get_header_value("Authorization") != "Bearer " + requiredKey_) {
    response.status = 401;
    response.set_content(R"({"error": {"message": "invalid API key"}})", "application/json");
  } else if (request.path == "/v1/models") {
    nlohmann::json models = {{"object", "list"},
                             {"data",
                              {{{"id", "fake-policy"}, {"object", "model"}},
                               {{"id", "fake-other"}, {"object", "model"}}}}};
    if (ownedByAstro_) {
      for (nlohmann::json& model : models["data"]) model["owned_by"] = "astro";
    }
    response.set_content(models.dump(), "application/json");
  } else {
    answerCompletion(request, response);
  }
  --inFlight_;
}

void FakeOpenAiServer::answerCompletion(const httplib::Request& request,
                                        httplib::Response& response) {
  nlohmann::json body = nlohmann::json::parse(request.body);
  // One prompt (token ids) or a list of them; choice index = prompt index * n + j.
  std::vector<std::vector<std::int32_t>> prompts;
  if (!body.at("prompt").empty() && body.at("prompt").front().is_array()) {
    prompts = body.at("prompt").get<std::vector<std::vector<std::int32_t>>>();
  } else {
    prompts.push_back(body.at("prompt").get<std::vector<std::int32_t>>());
  }
  const std::int64_t n = body.value("n", 1);
  // Choice c samples with seed + c (vLLM's rule for n > 1), or with `astro serve`'s seeds[p] + j;
  // listed last first, as a server that lists choices in the order they finished may, so clients
  // must go by "index".
  nlohmann::json choices = nlohmann::json::array();
  for (std::int64_t c = std::int64_t(prompts.size()) * n - 1; c >= 0; --c) {
    const std::int64_t p = c / n;
    const std::int64_t j = c % n;
    const std::uint64_t first = ownedByAstro_ && body.contains("seeds")
                                    ? body.at("seeds").at(p).get<std::uint64_t>()
                                    : body.at("seed").get<std::uint64_t>() + std::uint64_t(p * n);
    auto seed = static_cast<std::int64_t>(first + std::uint64_t(j));
    FakeCompletion completion =
        fakeCompletion(prompts[std::size_t(p)], seed, body.at("max_tokens").get<std::int64_t>());
    nlohmann::json tokens = nlohmann::json::array();
    for (std::int32_t id : completion.ids) tokens.push_back("token_id:" + std::to_string(id));
    nlohmann::json choice = {
        {"index", c}, {"text", "fake text"}, {"finish_reason", completion.finishReason}};
    if (tokenIds_) {
      choice["logprobs"] = {{"tokens", tokens}, {"token_logprobs", completion.logprobs}};
    } else {
      choice["logprobs"] = {{"tokens", nlohmann::json::array({"fake", " text", "!"})},
                            {"token_logprobs", {-1.0, -2.0, -3.0}}};
    }
    choices.push_back(std::move(choice));
  }
  nlohmann::json answer = {{"id", "cmpl-fake"},
                           {"object", "text_completion"},
                           {"model", body.at("model")},
                           {"choices", choices}};
  response.set_content(answer.dump(), "application/json");
}

}  // namespace astro::test
