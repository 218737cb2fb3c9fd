// Retries with backoff (endpoint_retry.h).
#include "core/endpoint/endpoint_retry.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

#include "core/base/error.h"

namespace astro::endpoint {

namespace {

// Sleeps in short slices so that an abandoned request stops waiting at once.
bool sleepUnlessAbandoned(double seconds, const std::atomic<bool>* abandon) {
  using Clock = std::chrono::steady_clock;
  auto until = Clock::now() +
               std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  while (Clock::now() < until) {
    if (abandon != nullptr && abandon->load()) return false;
    auto slice = std::min<Clock::duration>(until - Clock::now(), std::chrono::milliseconds(20));
    std::this_thread::sleep_for(slice);
  }
  return abandon == nullptr || !abandon->load();
}

}  // namespace

bool isRetryableStatus(int status) {
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

double backoffSeconds(const RetryOptions& options, int failedAttempts,
                      std::optional<double> retryAfterSeconds, std::mt19937_64& random) {
  if (retryAfterSeconds) return std::min(*retryAfterSeconds, options.maxRetryAfterSeconds);
  double full = options.firstBackoffSeconds * std::pow(2.0, std::max(0, failedAttempts - 1));
  full = std::min(full, options.maxBackoffSeconds);
  // Jitter keeps many workers that failed together from retrying together.
  return std::uniform_real_distribution<double>(full / 2, full)(random);
}

void runWithRetries(const std::string& what, const RetryOptions& options,
                    const std::function<std::optional<AttemptFailure>()>& attempt,
                    const RetryCallbacks& callbacks) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  int attempts = 0;
  while (true) {
    if (callbacks.abandon != nullptr && callbacks.abandon->load()) {
      throw Error(what + " abandoned");
    }
    if (attempts > 0 && callbacks.onRetry) callbacks.onRetry();
    ++attempts;
    std::optional<AttemptFailure> failure = attempt();
    if (!failure) return;
    if (!failure->retryable || attempts >= options.maxAttempts) {
      throw Error(what + " failed after " + std::to_string(attempts) +
                  (attempts == 1 ? " attempt: " : " attempts: ") + failure->cause);
    }
    double wait = backoffSeconds(options, attempts, failure->retryAfterSeconds, random);
    if (!sleepUnlessAbandoned(wait, callbacks.abandon)) throw Error(what + " abandoned");
  }
}

}  // namespace astro::endpoint
