// Generation through an OpenAI-compatible server (endpoint_sampler.h): the rows are cut into
// requests (requestUnits: the k copies of one prompt with consecutive seeds go together as n = k;
// requestGroups: for `astro serve`, every unit of a call with the same n in one request, each
// prompt with its own seed), and workers that each hold a keep-alive connection take the requests in order and send them with
// retries (endpoint_retry.h).
#include "core/endpoint/endpoint_sampler.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <span>
#include <thread>

#include "core/base/error.h"
#include "core/endpoint/completion_request.h"
#include "core/endpoint/completion_response.h"
#include "core/endpoint/endpoint_connection.h"
#include "core/endpoint/endpoint_retry.h"
#include "core/endpoint/endpoint_url.h"

namespace astro::endpoint {

namespace {

tokenizer::Tokenizer loadTokenizer(const EndpointConfig& config) {
  try {
    if (std::filesystem::is_directory(config.tokenizer)) {
      return tokenizer::Tokenizer::fromDirectory(config.tokenizer);
    }
    return tokenizer::Tokenizer::fromFile(config.tokenizer);
  } catch (const Error& error) {
    throw Error("endpoint " + config.url + ": tokenizer: " + error.what());
  }
}

// The engine's checks (LanguageModel::generate), so that a bad request fails before it is sent.
void validate(const std::vector<std::vector<std::int32_t>>& prompts,
              const model::GenerationOptions& options) {
  model::checkGenerationRequest(prompts, options);
  for (std::size_t i = 0; i < prompts.size(); ++i) {
    for (std::int32_t id : prompts[i]) {
      if (id < 0) throw UsageError("prompt " + std::to_string(i) + " holds a negative token id");
    }
  }
}

// Consecutive rows [first, first + count) sent as one request with n = count.
struct RequestUnit {
  std::size_t first = 0;
  std::size_t count = 1;
};

// Row r + 1 joins row r's request when it repeats its prompt and token limit with the next seed
// (model::copySeed), which is what n = count with the first row's seed draws on a server that
// gives choice j the seed s + j; at most maxChoices rows a request.
std::vector<RequestUnit> requestUnits(const std::vector<std::vector<std::int32_t>>& prompts,
                                      const model::GenerationOptions& options, int maxChoices) {
  std::vector<RequestUnit> units;
  for (std::size_t row = 0; row < prompts.size(); ++row) {
    if (!units.empty()) {
      RequestUnit& last = units.back();
      const std::size_t previous = row - 1;
      if (static_cast<int>(last.count) < maxChoices && prompts[row] == prompts[previous] &&
          requestSeed(options, row) == requestSeed(options, previous) + 1 &&
          requestMaxTokens(options, row) == requestMaxTokens(options, previous)) {
        ++last.count;
        continue;
      }
    }
    units.push_back({.first = row, .count = 1});
  }
  return units;
}

// Consecutive units sent as one request: [firstUnit, firstUnit + unitCount).
struct RequestGroup {
  std::size_t firstUnit = 0;
  std::size_t unitCount = 1;
};

// `astro serve`'s cap on prompts x n per request (serve::kMaxChoices; the client links no server).
constexpr std::size_t kAstroServeMaxChoices = 256;

// Unit u + 1 joins unit u's request when it has the same n and token limit (both travel once per
// request), up to maxPrompts prompts and maxChoices choices a request.
std::vector<RequestGroup> requestGroups(const std::vector<RequestUnit>& units,
                                        const model::GenerationOptions& options,
                                        std::size_t maxPrompts, std::size_t maxChoices) {
  std::vector<RequestGroup> groups;
  for (std::size_t u = 0; u < units.size(); ++u) {
    if (!groups.empty()) {
      RequestGroup& last = groups.back();
      const RequestUnit& head = units[last.firstUnit];
      if (last.unitCount < maxPrompts && units[u].count == head.count &&
          (last.unitCount + 1) * head.count <= maxChoices &&
          requestMaxTokens(options, units[u].first) == requestMaxTokens(options, head.first)) {
        ++last.unitCount;
        continue;
      }
    }
    groups.push_back({.firstUnit = u, .unitCount = 1});
  }
  return groups;
}

// Whether GET {url}/models lists `modelName` as owned by "astro" (`astro serve`). Any failure
// reads as no: the completions requests then report what is wrong with the endpoint.
bool servedByAstro(const EndpointUrl& url, ConnectionOptions options,
                   const std::string& modelName) {
  options.requestTimeoutSeconds = std::min(options.requestTimeoutSeconds, 30.0);
  try {
    EndpointConnection connection(url, options);
    const HttpExchange exchange = connection.get("/models");
    if (exchange.status != 200) return false;
    const nlohmann::json models = nlohmann::json::parse(exchange.body);
    if (!models.is_object() || !models.contains("data") || !models["data"].is_array()) {
      return false;
    }
    for (const nlohmann::json& model : models["data"]) {
      if (model.is_object() && model.value("id", nlohmann::json()) == modelName &&
          model.value("owned_by", nlohmann::json()) == "astro") {
        return true;
      }
    }
  } catch (const std::exception&) {
  }
  return false;
}

}  // namespace

struct EndpointSampler::Impl {
  EndpointConfig config;
  EndpointUrl url;
  tokenizer::Tokenizer tokenizer;
  ConnectionOptions connection;
  RetryOptions retry;

  // How requests are packed, settled by the first generate call (servedByAstro).
  std::once_flag packingOnce;
  bool astroServer = false;
  std::size_t maxPrompts = 1;
  std::size_t maxChoicesAll = 1;

  void settlePacking() {
    std::call_once(packingOnce, [this] {
      astroServer = servedByAstro(url, connection, config.modelName);
      const int configured = config.promptsPerRequest;
      maxPrompts = configured > 0 ? std::size_t(configured)
                   : astroServer  ? kAstroServeMaxChoices
                                  : 1;
      maxChoicesAll = astroServer ? kAstroServeMaxChoices : std::numeric_limits<std::size_t>::max();
    });
  }

  std::mutex poolMutex;
  std::vector<std::unique_ptr<EndpointConnection>> idle;  // kept alive between calls

  std::atomic<std::int64_t> requests{0};
  std::atomic<std::int64_t> retries{0};
  std::atomic<std::int64_t> failedCalls{0};
  std::atomic<std::int64_t> bytesSent{0};
  std::atomic<std::int64_t> bytesReceived{0};

  Impl(EndpointConfig endpointConfig, tokenizer::Tokenizer endpointTokenizer)
      : config(std::move(endpointConfig)),
        url(parseEndpointUrl(config.url)),
        tokenizer(std::move(endpointTokenizer)) {
    config.url = url.text;
    connection = {.connectTimeoutSeconds = config.connectTimeoutSeconds,
                  .requestTimeoutSeconds = config.requestTimeoutSeconds,
                  .apiKey = readApiKey(config)};
    retry = {.maxAttempts = config.maxAttempts,
             .firstBackoffSeconds = config.firstBackoffSeconds,
             .maxBackoffSeconds = config.maxBackoffSeconds,
             .maxRetryAfterSeconds = std::max(config.maxBackoffSeconds, 60.0)};
  }

  std::unique_ptr<EndpointConnection> borrow() {
    {
      std::lock_guard lock(poolMutex);
      if (!idle.empty()) {
        auto connection = std::move(idle.back());
        idle.pop_back();
        return connection;
      }
    }
    return std::make_unique<EndpointConnection>(url, connection);
  }

  void giveBack(std::unique_ptr<EndpointConnection> connection) {
    std::lock_guard lock(poolMutex);
    if (static_cast<int>(idle.size()) < config.maxInFlight) idle.push_back(std::move(connection));
  }

  std::optional<AttemptFailure> attempt(EndpointConnection& connection, const std::string& body,
                                        const ResponseContext& context, std::size_t choices,
                                        std::vector<model::Generation>& out) {
    ++requests;
    bytesSent += static_cast<std::int64_t>(body.size());
    HttpExchange exchange = connection.post("/completions", body);
    bytesReceived += static_cast<std::int64_t>(exchange.body.size());
    if (!exchange.answered()) return AttemptFailure{.cause = exchange.transportError};
    if (exchange.status < 200 || exchange.status > 299) {
      return AttemptFailure{.cause = "HTTP " + std::to_string(exchange.status) + ": " +
                                     serverErrorMessage(exchange.body),
                            .retryable = isRetryableStatus(exchange.status),
                            .retryAfterSeconds = exchange.retryAfterSeconds};
    }
    try {
      out = parseCompletionResponse(exchange.body, context, choices);
    } catch (const ResponseFormatError& error) {
      return AttemptFailure{.cause = std::string("HTTP 200 but ") + error.what()};
    } catch (const Error& error) {
      return AttemptFailure{.cause = error.what(), .retryable = false};
    }
    return std::nullopt;
  }

  // One request for the units [group.firstUnit, + unitCount), its generations in row order.
  std::vector<model::Generation> send(EndpointConnection& connection,
                                      const std::vector<std::vector<std::int32_t>>& prompts,
                                      const model::GenerationOptions& options,
                                      std::span<const RequestUnit> units,
                                      const ResponseContext& context,
                                      const std::atomic<bool>& abandon) {
    std::vector<RequestPrompt> requestPrompts;
    requestPrompts.reserve(units.size());
    for (const RequestUnit& unit : units) {
      requestPrompts.push_back({.ids = prompts[unit.first], .row = unit.first});
    }
    const std::size_t choices = units.front().count;
    const std::string body =
        completionRequestBody(config.modelName, requestPrompts, options, choices, astroServer);
    std::vector<model::Generation> generations;
    runWithRetries(
        "endpoint " + url.text + ": POST /completions", retry,
        [&] { return attempt(connection, body, context, choices * units.size(), generations); },
        {.onRetry = [this] { ++retries; }, .abandon = &abandon});
    return generations;
  }
};

EndpointSampler::EndpointSampler(EndpointConfig config) {
  tokenizer::Tokenizer loaded = loadTokenizer(config);
  impl_ = std::make_unique<Impl>(std::move(config), std::move(loaded));
}

EndpointSampler::EndpointSampler(EndpointConfig config, tokenizer::Tokenizer tokenizer)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(tokenizer))) {}

EndpointSampler::~EndpointSampler() = default;

std::vector<model::Generation> EndpointSampler::generate(
    const std::vector<std::vector<std::int32_t>>& prompts,
    const model::GenerationOptions& options) const {
  validate(prompts, options);
  std::vector<model::Generation> results(prompts.size());
  if (prompts.empty()) return results;

  ResponseContext context{.tokenizer = &impl_->tokenizer,
                          .stopIds = options.stopIds,
                          .wantLogprobs = options.returnLogprobs};
  if (options.stopAtEos) {
    for (std::int32_t id : impl_->tokenizer.stopIds()) context.stopIds.push_back(id);
  }

  impl_->settlePacking();
  const std::vector<RequestUnit> units =
      requestUnits(prompts, options, impl_->config.maxChoicesPerRequest);
  const std::vector<RequestGroup> groups =
      requestGroups(units, options, impl_->maxPrompts, impl_->maxChoicesAll);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex errorMutex;
  std::exception_ptr firstError;
  auto work = [&] {
    try {
      std::unique_ptr<EndpointConnection> connection = impl_->borrow();
      while (!failed.load()) {
        std::size_t index = next++;
        if (index >= groups.size()) break;
        const std::span<const RequestUnit> group(units.data() + groups[index].firstUnit,
                                                 groups[index].unitCount);
        std::vector<model::Generation> generations =
            impl_->send(*connection, prompts, options, group, context, failed);
        // Choice index = prompt index * n + j; the units' rows are consecutive, so the choices
        // land in row order from the group's first row.
        std::move(generations.begin(), generations.end(),
                  results.begin() + std::ptrdiff_t(group.front().first));
      }
      impl_->giveBack(std::move(connection));
    } catch (...) {
      std::lock_guard lock(errorMutex);
      if (!failed.exchange(true)) {
        firstError = std::current_exception();
        ++impl_->failedCalls;
      }
    }
  };
  std::size_t workers = std::min<std::size_t>(groups.size(), impl_->config.maxInFlight);
  std::vector<std::jthread> threads;
  for (std::size_t i = 1; i < workers; ++i) threads.emplace_back(work);
  work();           // the calling thread is one of the workers
  threads.clear();  // joins
  if (firstError) std::rethrow_exception(firstError);
  return results;
}

std::string EndpointSampler::describe() const {
  return "endpoint " + impl_->url.text + " (" + impl_->config.modelName + ")";
}

EndpointCounters EndpointSampler::counters() const {
  return {.requests = impl_->requests.load(),
          .retries = impl_->retries.load(),
          .failedCalls = impl_->failedCalls.load(),
          .bytesSent = impl_->bytesSent.load(),
          .bytesReceived = impl_->bytesReceived.load()};
}

const EndpointConfig& EndpointSampler::config() const { return impl_->config; }

const tokenizer::Tokenizer& EndpointSampler::tokenizer() const { return impl_->tokenizer; }

}  // namespace astro::endpoint
