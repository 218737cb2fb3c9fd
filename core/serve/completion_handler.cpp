// Completions requests from body to answer (detail/completion_handler.h): a non-streamed
// request waits for all its choices; a streamed one writes events as tokens come and cancels
// its engine requests when the client stops reading.
#include "core/serve/detail/completion_handler.h"

#include <httplib.h>

#include <chrono>

#include "core/serve/api_error.h"
#include "core/serve/completion_job.h"
#include "core/serve/completion_response.h"
#include "core/serve/completion_stream.h"

namespace astro::serve::detail {

namespace {

// How often a waiting connection looks at the server's stop flag and its client.
constexpr std::chrono::milliseconds kPollInterval{100};

void answerWhole(const CompletionHandlerContext& context, CompletionJob& job,
                 const ResponseContext& responseContext, int64_t promptTokens,
                 httplib::Response& response) {
  while (!job.waitUntilFinished(kPollInterval)) {
    if (context.stopping) {
      job.cancel();
      throw ApiError(503, "the server is shutting down", {}, {}, "server_error");
    }
  }
  std::vector<FinishedChoice> choices;
  Usage usage{.promptTokens = promptTokens};
  auto progress = job.snapshot();
  for (std::size_t index = 0; index < progress.size(); ++index) {
    ChoiceProgress& choice = progress[index];
    if (!choice.error.empty()) {
      throw ApiError(500, "choice " + std::to_string(index) + ": " + choice.error, {}, {},
                     "server_error");
    }
    usage.completionTokens += int64_t(choice.ids.size());
    choices.push_back({std::move(choice.ids), std::move(choice.logprobs), choice.reason});
  }
  response.set_content(responseBody(responseContext, choices, usage), "application/json");
}

// One call of the stream's content provider: writes what is new, then waits briefly for more.
// Returns false to end the connection (client gone, server stopping).
bool streamStep(CompletionJob& job, CompletionStream& stream, httplib::DataSink& sink,
                const std::atomic<bool>& stopping) {
  if (stopping) return false;
  uint64_t version = 0;
  std::string events;
  try {
    events = stream.update(job.snapshot(&version));
    if (stream.finished()) events += stream.end();
  } catch (const std::exception& error) {  // never into httplib's writer: it would end the process
    events = errorEvent(error.what()) + kDoneEvent;
    sink.write(events.data(), events.size());
    return false;
  }
  // A failed write is a client that hung up: its rows are cancelled, the connection ends.
  if (!events.empty() && !sink.write(events.data(), events.size())) return false;
  if (stream.finished()) {
    sink.done();
    return true;
  }
  job.waitForChange(version, kPollInterval);
  return sink.is_writable();
}

void answerStream(const CompletionHandlerContext& context, std::shared_ptr<CompletionJob> job,
                  ResponseContext responseContext, int64_t promptTokens,
                  httplib::Response& response) {
  std::size_t choiceCount = job->snapshot().size();
  auto stream =
      std::make_shared<CompletionStream>(std::move(responseContext), choiceCount, promptTokens);
  const std::atomic<bool>* stopping = &context.stopping;
  response.set_header("Cache-Control", "no-cache");
  response.set_chunked_content_provider(
      "text/event-stream",
      [job, stream, stopping](std::size_t, httplib::DataSink& sink) {
        bool goOn = streamStep(*job, *stream, sink, *stopping);
        if (!goOn) job->cancel();
        return goOn;
      },
      [job](bool success) {
        if (!success) job->cancel();
      });
}

}  // namespace

void handleCompletion(const CompletionHandlerContext& context, Endpoint endpoint,
                      const httplib::Request& request, httplib::Response& response) {
  try {
    CompletionRequest parsed = parseCompletionRequest(request.body, endpoint);
    if (!parsed.model.empty() && parsed.model != context.modelName) {
      throw ApiError(404,
                     "the model '" + parsed.model + "' is not served here; this server serves '" +
                         context.modelName + "'",
                     "model", "model_not_found");
    }
    uint64_t seed = parsed.seed ? *parsed.seed : randomSeed();  // random_device only when needed
    CompletionPlan plan = planCompletion(parsed, context.tokenizer, context.limits, seed);
    int64_t promptTokens = plan.promptTokens;
    auto responseContext =
        ResponseContext::forRequest(parsed, context.tokenizer, context.modelName);
    auto job = std::make_shared<CompletionJob>(context.engine, std::move(plan));
    if (parsed.stream) {
      answerStream(context, std::move(job), std::move(responseContext), promptTokens, response);
    } else {
      answerWhole(context, *job, responseContext, promptTokens, response);
    }
  } catch (const ApiError& error) {
    response.status = error.status();
    response.set_content(error.body(), "application/json");
  }
}

}  // namespace astro::serve::detail
