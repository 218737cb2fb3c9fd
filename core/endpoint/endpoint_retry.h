// When to send a failed request again and how long to wait first: connection errors, timeouts,
// HTTP 429/500/502/503/504 and bodies that are not a response are retried with exponential
// backoff and jitter (or the server's Retry-After), up to a number of attempts; other 4xx are not.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>

namespace astro::endpoint {

struct RetryOptions {
  int maxAttempts = 6;
  double firstBackoffSeconds = 0.5;
  double maxBackoffSeconds = 30;
  double maxRetryAfterSeconds = 600;  // a longer Retry-After is cut to this
};

// Why one attempt did not give a result, in words for the final error.
struct AttemptFailure {
  std::string cause;  // "HTTP 503: model is loading", "cannot connect (...)"
  bool retryable = true;
  std::optional<double> retryAfterSeconds;
};

bool isRetryableStatus(int status);  // 429, 500, 502, 503, 504

// The wait before attempt `failedAttempts + 1`: Retry-After when the server sent one, else
// firstBackoff * 2^(failedAttempts - 1) capped at maxBackoff, drawn in [half, all] of it.
double backoffSeconds(const RetryOptions& options, int failedAttempts,
                      std::optional<double> retryAfterSeconds, std::mt19937_64& random);

struct RetryCallbacks {
  std::function<void()> onRetry;               // before each attempt after the first
  const std::atomic<bool>* abandon = nullptr;  // set by another thread: stop waiting and retrying
};

// Calls `attempt` until it returns nullopt (success) or fails for good; then throws astro::Error
// "<what> failed after N attempt(s): <last cause>". Abandoned: throws astro::Error
// "<what> abandoned".
void runWithRetries(const std::string& what, const RetryOptions& options,
                    const std::function<std::optional<AttemptFailure>()>& attempt,
                    const RetryCallbacks& callbacks = {});

}  // namespace astro::endpoint
