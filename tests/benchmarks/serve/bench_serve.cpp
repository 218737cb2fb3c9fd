// bench_serve: `astro serve` (core/serve + the DecodeEngine) in process on a loopback port with a
// random-init model. (a) The same N completions requests sent by N concurrent clients against
// one after another: generated tokens/s and the ratio (issue #20's goal: >= 5x at 16). (b) Time
// to the first streamed token, p50 and p99, with 1 client and with N at once. The same requests
// submitted to the DecodeEngine directly (no HTTP, no JSON) are the peer that shows the server's
// own cost. Median of --repeats runs. With --rounds R each client sends R requests, each when its
// last reply came (a server's steady state: requests join a batch that is already decoding), and
// one by one sends all N x R. A third engine row submits the N requests --arrival-gap-us apart
// (200: about how far apart they reach the engine over HTTP here), which tells the cost of
// requests that join a running batch one by one from the cost of the HTTP path itself.
// Usage: bench_serve [--clients 16] [--max-tokens 64] [--prompt-tokens 24] [--repeats 3]
//                    [--rounds 1] [--threads 0] [--arrival-gap-us 200]
//                    [--config resources/world/models/tiny.json]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <future>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "core/base/blas_kernels.h"
#include "core/model/runtime.h"
#include "tests/serve/serve_test_fixture.h"

namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

struct BenchOptions {
  int clients = 16;
  int maxTokens = 64;
  int promptTokens = 24;
  int repeats = 3;
  int rounds = 1;  // requests each client sends one after another (1: one burst)
  int threads = 0;
  int arrivalGapUs = 200;
  std::string config = std::string(ASTRO_SOURCE_DIR) + "/resources/world/models/tiny.json";
};

BenchOptions parseArguments(int argc, char** argv) {
  BenchOptions options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--clients")
      options.clients = std::stoi(value);
    else if (flag == "--max-tokens")
      options.maxTokens = std::stoi(value);
    else if (flag == "--prompt-tokens")
      options.promptTokens = std::stoi(value);
    else if (flag == "--repeats")
      options.repeats = std::stoi(value);
    else if (flag == "--rounds")
      options.rounds = std::stoi(value);
    else if (flag == "--threads")
      options.threads = std::stoi(value);
    else if (flag == "--arrival-gap-us")
      options.arrivalGapUs = std::stoi(value);
    else if (flag == "--config")
      options.config = value;
    else
      throw std::runtime_error("unknown flag " + flag);
  }
  return options;
}

// Request i: its own prompt and seed; a fixed length (ignore_eos) so both modes do equal work.
std::string requestBody(const BenchOptions& bench, int64_t vocab, int i, bool stream) {
  std::vector<int32_t> prompt;
  for (int t = 0; t < bench.promptTokens; ++t)
    prompt.push_back(int32_t((97 * i + 13 * t + 7) % vocab));
  return Json{{"prompt", prompt},
              {"max_tokens", bench.maxTokens},
              {"seed", i},
              {"ignore_eos", true},
              {"stream", stream}}
      .dump();
}

double seconds(Clock::duration duration) { return std::chrono::duration<double>(duration).count(); }

int64_t completionTokens(const astro::test::HttpReply& reply) {
  if (reply.status != 200) throw std::runtime_error("request failed: " + reply.body);
  return Json::parse(reply.body)["usage"]["completion_tokens"].get<int64_t>();
}

// Generated tokens/s of all requests, sent concurrently or one after another.
double tokensPerSecond(const astro::test::InProcessServer& server, const BenchOptions& bench,
                       bool concurrent) {
  int64_t vocab = server.model().config().vocabSize;
  int64_t tokens = 0;
  auto start = Clock::now();
  if (concurrent) {
    // Client c sends requests c, c + clients, ... each when its last reply came.
    std::vector<std::future<int64_t>> clients;
    for (int c = 0; c < bench.clients; ++c) {
      clients.push_back(std::async(std::launch::async, [&, c] {
        int64_t sent = 0;
        for (int r = 0; r < bench.rounds; ++r) {
          sent += completionTokens(astro::test::httpPost(
              server.port(), "/v1/completions",
              requestBody(bench, vocab, c + r * bench.clients, false)));
        }
        return sent;
      }));
    }
    for (auto& client : clients) tokens += client.get();
  } else {
    for (int i = 0; i < bench.clients * bench.rounds; ++i) {
      tokens += completionTokens(astro::test::httpPost(server.port(), "/v1/completions",
                                                       requestBody(bench, vocab, i, false)));
    }
  }
  return double(tokens) / seconds(Clock::now() - start);
}

// The same requests straight to the engine: all submitted at once (`gap` apart when given), or
// each after the last ends.
double engineTokensPerSecond(const astro::test::InProcessServer& server, const BenchOptions& bench,
                             bool concurrent,
                             std::chrono::microseconds gap = std::chrono::microseconds(0)) {
  int64_t vocab = server.model().config().vocabSize;
  const int total = bench.clients * bench.rounds;
  std::vector<std::promise<int64_t>> done(static_cast<std::size_t>(total));
  // Concurrently, request i's end submits request i + clients at once (its client's next round).
  std::function<void(int)> submit = [&](int i) {
    astro::model::DecodeRequest request;
    for (int t = 0; t < bench.promptTokens; ++t) {
      request.prompt.push_back(int32_t((97 * i + 13 * t + 7) % vocab));
    }
    request.options.maxNewTokens = bench.maxTokens;
    request.options.temperature = 1.0;
    request.options.stopAtEos = false;
    request.options.rowSeeds = {uint64_t(i)};
    request.onToken = [](int32_t, float) {};
    request.onFinish = [&, i](const astro::model::Generation& generation) {
      if (concurrent && i + bench.clients < total) submit(i + bench.clients);
      done[std::size_t(i)].set_value(int64_t(generation.ids.size()));
    };
    request.onError = [&done, i](const std::string& message) {
      done[std::size_t(i)].set_exception(std::make_exception_ptr(std::runtime_error(message)));
    };
    server.engine().submit(std::move(request));
  };
  int64_t tokens = 0;
  auto start = Clock::now();
  for (int i = 0; i < (concurrent ? bench.clients : total); ++i) {
    if (concurrent && i > 0 && gap.count() > 0) std::this_thread::sleep_until(start + i * gap);
    submit(i);
    if (!concurrent) tokens += done[std::size_t(i)].get_future().get();
  }
  if (concurrent) {
    for (auto& finished : done) tokens += finished.get_future().get();
  }
  return double(tokens) / seconds(Clock::now() - start);
}

// Milliseconds from sending a streamed request to its first event.
double firstTokenMs(const astro::test::InProcessServer& server, const std::string& body) {
  auto start = Clock::now();
  double ms = -1;
  astro::test::httpPostStreaming(server.port(), "/v1/completions", body,
                                 [&](std::string_view data) {
                                   if (ms < 0 && data.find("data: ") != std::string_view::npos) {
                                     ms = 1000 * seconds(Clock::now() - start);
                                   }
                                   return true;
                                 });
  return ms;
}

// First-token times of `clients` streams started together (1: one stream at a time, each
// request once).
std::vector<double> firstTokenTimes(const astro::test::InProcessServer& server,
                                    const BenchOptions& bench, int clients) {
  int64_t vocab = server.model().config().vocabSize;
  std::vector<double> times;
  if (clients == 1) {
    for (int i = 0; i < bench.clients; ++i) {
      times.push_back(firstTokenMs(server, requestBody(bench, vocab, i, true)));
    }
    return times;
  }
  std::vector<std::future<double>> waits;
  for (int i = 0; i < clients; ++i) {
    waits.push_back(std::async(std::launch::async, [&, i] {
      return firstTokenMs(server, requestBody(bench, vocab, i, true));
    }));
  }
  for (auto& wait : waits) times.push_back(wait.get());
  return times;
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  auto index =
      std::size_t(std::min<double>(double(values.size()) - 1, p * double(values.size() - 1) + 0.5));
  return values[index];
}

double median(std::vector<double> values) { return percentile(std::move(values), 0.5); }

}  // namespace

int main(int argc, char** argv) {
  astro::restartWithFastBlasKernels(argv);
  try {
    const BenchOptions bench = parseArguments(argc, argv);
    astro::model::initTorchRuntime(bench.threads);
    auto dir = std::filesystem::path(ASTRO_BINARY_DIR) / "bench-tmp/bench_serve/model";
    astro::test::writeServeModel(dir, astro::model::readModelConfig(bench.config), 3);
    astro::test::InProcessServer server(dir, {}, std::max(64, bench.clients));
    auto runtime = astro::model::runtimeInfo();
    std::string core = astro::openBlasCoreName();
    std::printf("BLAS: %s%s, %d torch threads\n", runtime.blasLibrary.c_str(),
                core.empty() ? "" : (" (OpenBLAS kernels " + core + ")").c_str(), runtime.threads);
    std::printf(
        "model: %s (%lld parameters), %d clients x %d requests of %d prompt + %d generated "
        "tokens; median of %d\n",
        bench.config.c_str(), (long long)server.model().config().parameterCount(), bench.clients,
        bench.rounds, bench.promptTokens, bench.maxTokens, bench.repeats);

    (void)tokensPerSecond(server, bench, true);  // warm-up
    std::vector<double> engineTogether, engineSpread, engineAlone, together, alone, ttftOneP50, ttftOneP99,
        ttftManyP50, ttftManyP99;
    for (int repeat = 0; repeat < bench.repeats; ++repeat) {
      engineTogether.push_back(engineTokensPerSecond(server, bench, true));
      engineSpread.push_back(engineTokensPerSecond(
          server, bench, true, std::chrono::microseconds(bench.arrivalGapUs)));
      engineAlone.push_back(engineTokensPerSecond(server, bench, false));
      together.push_back(tokensPerSecond(server, bench, true));
      alone.push_back(tokensPerSecond(server, bench, false));
      auto one = firstTokenTimes(server, bench, 1);
      auto many = firstTokenTimes(server, bench, bench.clients);
      ttftOneP50.push_back(percentile(one, 0.5));
      ttftOneP99.push_back(percentile(one, 0.99));
      ttftManyP50.push_back(percentile(many, 0.5));
      ttftManyP99.push_back(percentile(many, 0.99));
      std::printf("run %d: %.1f vs %.1f tokens/s; first token p50 %.1f / %.1f ms\n", repeat + 1,
                  together.back(), alone.back(), ttftOneP50.back(), ttftManyP50.back());
    }
    std::string concurrentLabel = std::to_string(bench.clients) + " concurrent";
    std::printf("\n%-24s %14s %14s %8s\n", "metric", concurrentLabel.c_str(), "one by one",
                "ratio");
    std::printf("%-24s %14.1f %14.1f %7.2fx\n", "tokens/s over HTTP", median(together),
                median(alone), median(together) / median(alone));
    std::printf("%-24s %14.1f %14.1f %7.2fx\n", "tokens/s engine alone", median(engineTogether),
                median(engineAlone), median(engineTogether) / median(engineAlone));
    std::printf("%-24s %14.1f %14.1f %7.2fx\n", "engine, arrivals spread",
                median(engineSpread), median(engineAlone),
                median(engineSpread) / median(engineAlone));
    std::printf("%-24s %13.0f%% %13.0f%%\n", "HTTP / engine alone",
                100 * median(together) / median(engineTogether),
                100 * median(alone) / median(engineAlone));
    std::string clientsLabel = std::to_string(bench.clients) + " clients";
    std::printf("\n%-24s %14s %14s\n", "time to first token", "1 client", clientsLabel.c_str());
    std::printf("%-24s %14.1f %14.1f\n", "p50 ms", median(ttftOneP50), median(ttftManyP50));
    std::printf("%-24s %14.1f %14.1f\n", "p99 ms", median(ttftOneP99), median(ttftManyP99));
    std::printf("target: concurrent >= 5x one by one in tokens/s\n");
  } catch (const std::exception& error) {
    std::fprintf(stderr, "bench_serve: %s\n", error.what());
    return 1;
  }
  return 0;
}
