// Continuous batching (DecodeEngine, issue #20) beside its peers on the same requests: 16
// requests sent one after another, the same 16 from 16 threads at once, and the batched decode
// itself (LanguageModel::generate with all 16 prompts). Tokens/s and the ratio to one at a time;
// the engine at 16 should approach generate's batch speed. Medians of 5 rounds.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <thread>

#include "core/model/decode_engine.h"
#include "core/model/language_model.h"
#include "core/model/runtime.h"

using namespace astro::model;

namespace {

const char* kSmallConfig = R"({"architectures": ["LlamaForCausalLM"], "vocab_size": 8192,
  "hidden_size": 256, "intermediate_size": 688, "num_hidden_layers": 4, "num_attention_heads": 8,
  "num_key_value_heads": 4, "max_position_embeddings": 1024, "tie_word_embeddings": true})";
constexpr int kRequests = 16;
constexpr int64_t kNewTokens = 64;
constexpr int kRounds = 5;

std::vector<int32_t> promptFor(int index) {
  std::vector<int32_t> ids;
  for (int i = 0; i < 16 + 2 * index; ++i) ids.push_back((index * 131 + i * 17) % 8000);
  return ids;
}

GenerationOptions optionsFor(int index) {
  return {.maxNewTokens = kNewTokens,
          .temperature = 1.0,
          .rowSeeds = {uint64_t(index)},
          .stopAtEos = false};
}

// Submits request `index` and blocks until it ends; returns its token count.
int64_t runOne(DecodeEngine& engine, int index) {
  std::mutex mutex;
  std::condition_variable done;
  bool ended = false;
  int64_t tokens = 0;
  DecodeRequest request{.prompt = promptFor(index), .options = optionsFor(index)};
  request.onToken = [&](int32_t, float) { ++tokens; };
  auto end = [&] {
    std::lock_guard lock(mutex);
    ended = true;
    done.notify_all();
  };
  request.onFinish = [&](const Generation&) { end(); };
  request.onError = [&](const std::string& message) {
    std::cerr << "request " << index << ": " << message << "\n";
    end();
  };
  engine.submit(std::move(request));
  std::unique_lock lock(mutex);
  done.wait(lock, [&] { return ended; });
  return tokens;
}

// Median wall time of `run` over kRounds (the host is shared: single runs vary by 2x).
double seconds(const std::function<int64_t()>& run, int64_t& tokens) {
  std::vector<double> times;
  for (int round = 0; round < kRounds; ++round) {
    auto start = std::chrono::steady_clock::now();
    tokens = run();
    times.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main() {
  initTorchRuntime();
  auto model = LanguageModel::randomInit(parseModelConfig(kSmallConfig, "small"), 1);
  DecodeEngine engine(model);
  runOne(engine, 0);  // warm-up

  struct Row {
    std::string mode;
    double seconds;
    int64_t tokens;
  };
  std::vector<Row> rows;
  int64_t tokens = 0;
  double elapsed = seconds(
      [&] {
        int64_t total = 0;
        for (int i = 0; i < kRequests; ++i) total += runOne(engine, i);
        return total;
      },
      tokens);
  rows.push_back({"engine, one at a time", elapsed, tokens});
  elapsed = seconds(
      [&] {
        std::vector<int64_t> counts(kRequests);
        std::vector<std::thread> clients;
        for (int i = 0; i < kRequests; ++i) {
          clients.emplace_back([&, i] { counts[std::size_t(i)] = runOne(engine, i); });
        }
        for (auto& client : clients) client.join();
        int64_t total = 0;
        for (int64_t count : counts) total += count;
        return total;
      },
      tokens);
  rows.push_back({"engine, 16 clients at once", elapsed, tokens});
  DecodeEngineStats stats = engine.stats();
  elapsed = seconds(
      [&] {
        std::vector<std::vector<int32_t>> prompts;
        for (int i = 0; i < kRequests; ++i) prompts.push_back(promptFor(i));
        GenerationOptions options = optionsFor(0);
        options.rowSeeds.clear();
        for (int i = 0; i < kRequests; ++i) options.rowSeeds.push_back(uint64_t(i));
        int64_t total = 0;
        for (const Generation& generation : model.generate(prompts, options)) {
          total += int64_t(generation.ids.size());
        }
        return total;
      },
      tokens);
  rows.push_back({"generate, one batch of 16 (peer)", elapsed, tokens});

  std::cout << "threads " << runtimeInfo().threads << ", BLAS " << runtimeInfo().blasLibrary
            << ", largest engine batch " << stats.largestBatch << "\n";
  std::cout << std::left << std::setw(36) << "mode" << std::right << std::setw(10) << "seconds"
            << std::setw(10) << "tokens" << std::setw(12) << "tokens/s" << std::setw(8) << "ratio"
            << "\n";
  double baseline = double(rows[0].tokens) / rows[0].seconds;
  for (const Row& row : rows) {
    double rate = double(row.tokens) / row.seconds;
    std::cout << std::left << std::setw(36) << row.mode << std::right << std::fixed
              << std::setprecision(3) << std::setw(10) << row.seconds << std::setw(10) << row.tokens
              << std::setprecision(1) << std::setw(12) << rate << std::setprecision(2)
              << std::setw(8) << rate / baseline << "\n";
  }
}
