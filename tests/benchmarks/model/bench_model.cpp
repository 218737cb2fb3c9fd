// Speed of the model engine beside the same model in PyTorch eager (peer_llama.py): prefill,
// KV-cached decode at batch 1 and 16, a training step (forward, backward, AdamW), for a ~5M and
// a ~100M parameter Llama; and KV-cached decoding of 512 tokens against recomputing the prefix.
// run_model_bench.sh runs both sides in alternating rounds; medians of several runs per round and
// of the rounds per metric.
#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "core/base/blas_kernels.h"
#include "core/model/detail/fused_adamw.h"
#include "core/model/detail/language_model_impl.h"
#include "core/model/runtime.h"

using namespace astro::model;
using astro::model::detail::ForwardInput;
using astro::model::detail::KvCache;

namespace {

const char* kSmallConfig = R"({"architectures": ["LlamaForCausalLM"], "vocab_size": 8192,
  "hidden_size": 256, "intermediate_size": 688, "num_hidden_layers": 4, "num_attention_heads": 8,
  "num_key_value_heads": 4, "max_position_embeddings": 1024, "tie_word_embeddings": true})";
const char* kBaseConfig = R"({"architectures": ["LlamaForCausalLM"], "vocab_size": 32000,
  "hidden_size": 768, "intermediate_size": 2048, "num_hidden_layers": 12,
  "num_attention_heads": 12, "num_key_value_heads": 4, "max_position_embeddings": 2048,
  "tie_word_embeddings": true})";

// Workload sizes shared with peer_llama.py through protocol.json.
const nlohmann::json kProtocol = {
    {"small",
     {{"prefill_tokens", 128},
      {"decode_prompt", 16},
      {"decode_steps", 64},
      {"train_batch", 4},
      {"train_tokens", 64},
      {"repeats", 5}}},
    {"base",
     {{"prefill_tokens", 64},
      {"decode_prompt", 8},
      {"decode_steps", 16},
      {"train_batch", 2},
      {"train_tokens", 32},
      {"repeats", 3}}},
};

double medianSeconds(const std::function<void()>& run, int repeats) {
  run();  // warm-up
  std::vector<double> seconds;
  for (int i = 0; i < repeats; ++i) {
    auto start = std::chrono::steady_clock::now();
    run();
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(seconds.begin(), seconds.end());
  return seconds[seconds.size() / 2];
}

// The same ids peer_llama.py's token_ids() builds.
std::vector<std::vector<int32_t>> tokenIds(int64_t batch, int64_t length, int64_t vocab,
                                           int64_t salt = 0) {
  auto rows = std::vector<std::vector<int32_t>>(std::size_t(batch));
  for (int64_t row = 0; row < batch; ++row) {
    for (int64_t i = 0; i < length; ++i) {
      rows[std::size_t(row)].push_back(int32_t((7 * (i + 13 * row) + 3 + salt) % vocab));
    }
  }
  return rows;
}

torch::Tensor toTensor(const std::vector<std::vector<int32_t>>& rows) {
  std::vector<int64_t> flat;
  for (const auto& row : rows) flat.insert(flat.end(), row.begin(), row.end());
  return torch::tensor(flat).view({int64_t(rows.size()), -1});
}

void measure(const std::string& size, const LanguageModel& model, nlohmann::json& results) {
  const auto& spec = kProtocol[size];
  auto& module = model.impl().module;
  int64_t vocab = model.config().vocabSize;
  int repeats = spec["repeats"];
  {
    c10::InferenceMode inference;
    int64_t tokens = spec["prefill_tokens"];
    auto ids = toTensor(tokenIds(1, tokens, vocab));
    auto positions = torch::arange(tokens).unsqueeze(0);
    double seconds = medianSeconds(
        [&] {
          auto cache = KvCache::allocate(model.config(), 1, tokens, torch::kFloat32);
          auto input = ForwardInput::of(ids, positions);
          input.lastPositionOnly = true;
          module->forward(input, &cache);
        },
        repeats);
    results[size + ".prefill_tokens_per_s"] = double(tokens) / seconds;
  }
  for (int64_t batch : {1, 16}) {
    int64_t steps = spec["decode_steps"];
    auto prompts = tokenIds(batch, spec["decode_prompt"], vocab);
    GenerationOptions options{.maxNewTokens = steps, .stopAtEos = false};
    double seconds = medianSeconds([&] { model.generate(prompts, options); }, repeats);
    results[size + ".decode_b" + std::to_string(batch) + "_tokens_per_s"] =
        double(batch * steps) / seconds;
  }
  {
    int64_t batch = spec["train_batch"], tokens = spec["train_tokens"];
    auto ids = toTensor(tokenIds(batch, tokens, vocab, 1));
    auto positions = torch::arange(tokens).unsqueeze(0).expand({batch, tokens});
    module->train();
    astro::model::detail::FusedAdamW optimizer(module->parameters(),
                                               torch::optim::AdamWOptions(1e-4).weight_decay(0.0));
    double seconds = medianSeconds(
        [&] {
          auto logits = module->forward(ForwardInput::of(ids, positions));
          auto loss = torch::nn::functional::cross_entropy(
              logits.narrow(1, 0, tokens - 1).reshape({-1, vocab}),
              ids.narrow(1, 1, tokens - 1).reshape({-1}));
          optimizer.zero_grad();
          loss.backward();
          optimizer.step();
        },
        repeats);
    module->eval();
    results[size + ".train_tokens_per_s"] = double(batch * tokens) / seconds;
  }
}

// Decoding 512 tokens with the cache against recomputing the whole prefix for every token. The
// recompute side is timed at every 8th prefix length and multiplied by 8 (full run: minutes).
void measureCacheSpeedup(const LanguageModel& model, nlohmann::json& results) {
  constexpr int64_t kTokens = 512, kStride = 8;
  GenerationOptions options{.maxNewTokens = kTokens, .stopAtEos = false};
  double cached = medianSeconds([&] { model.generate({{1}}, options); }, 3);
  c10::InferenceMode inference;
  auto ids = toTensor(tokenIds(1, kTokens, model.config().vocabSize));
  double recompute = medianSeconds(
                         [&] {
                           for (int64_t length = kStride; length <= kTokens; length += kStride) {
                             auto input = ForwardInput::of(ids.narrow(1, 0, length),
                                                           torch::arange(length).unsqueeze(0));
                             input.lastPositionOnly = true;
                             model.impl().module->forward(input);
                           }
                         },
                         1) *
                     kStride;
  results["small.decode512_cached_s"] = cached;
  results["small.decode512_recompute_s"] = recompute;
}

// Per metric, the median over rounds (each round one pass of each side, alternating, so slow
// spells of a shared machine fall on both sides).
nlohmann::json medians(const std::vector<nlohmann::json>& rounds) {
  nlohmann::json result = nlohmann::json::object();
  if (rounds.empty()) return result;
  for (const auto& [metric, first] : rounds.front().items()) {
    std::vector<double> values;
    for (const auto& round : rounds) {
      if (round.contains(metric)) values.push_back(round[metric].get<double>());
    }
    std::sort(values.begin(), values.end());
    result[metric] = values[values.size() / 2];
  }
  return result;
}

// The smallest and largest per-round ratio of a metric (rounds paired in order).
std::pair<double, double> ratioRange(const std::string& metric,
                                     const std::vector<nlohmann::json>& ours,
                                     const std::vector<nlohmann::json>& peer) {
  double low = 1e300, high = 0;
  for (std::size_t i = 0; i < std::min(ours.size(), peer.size()); ++i) {
    if (!ours[i].contains(metric) || !peer[i].contains(metric)) continue;
    double ratio = ours[i][metric].get<double>() / peer[i][metric].get<double>();
    low = std::min(low, ratio);
    high = std::max(high, ratio);
  }
  return {low, high};
}

void printTable(const std::vector<nlohmann::json>& oursRounds,
                const std::vector<nlohmann::json>& peerRounds) {
  nlohmann::json ours = medians(oursRounds), peer = medians(peerRounds);
  std::cout << std::left << std::setw(34) << "metric" << std::right << std::setw(12) << "ours"
            << std::setw(12) << "peer" << std::setw(10) << "ratio";
  if (peerRounds.size() > 1) std::cout << "   per-round ratios";
  std::cout << "\n";
  for (const auto& [metric, value] : ours.items()) {
    if (metric.find("decode512") != std::string::npos) continue;
    std::cout << std::left << std::setw(34) << metric << std::right << std::fixed
              << std::setprecision(1) << std::setw(12) << value.get<double>();
    if (peer.contains(metric)) {
      double other = peer[metric].get<double>();
      std::cout << std::setw(12) << other << std::setw(9) << std::setprecision(2)
                << value.get<double>() / other << "x";
      if (peerRounds.size() > 1) {
        auto [low, high] = ratioRange(metric, oursRounds, peerRounds);
        std::cout << "   " << low << "-" << high << "x";
      }
    }
    std::cout << "\n";
  }
  if (ours.contains("small.decode512_cached_s")) {
    double cached = ours["small.decode512_cached_s"],
           recompute = ours["small.decode512_recompute_s"];
    std::cout << std::setprecision(2) << "small: decode 512 tokens: cached " << cached
              << " s, recompute-prefix " << recompute << " s, speed-up " << recompute / cached
              << "x\n";
  }
  if (oursRounds.size() > 1) std::cout << "medians of " << oursRounds.size() << " rounds\n";
}

// "a.json,b.json" -> the parsed files.
std::vector<nlohmann::json> readAll(const std::string& files) {
  std::vector<nlohmann::json> parsed;
  std::size_t begin = 0;
  while (begin < files.size()) {
    std::size_t comma = files.find(',', begin);
    if (comma == std::string::npos) comma = files.size();
    parsed.push_back(nlohmann::json::parse(std::ifstream(files.substr(begin, comma - begin))));
    begin = comma + 1;
  }
  return parsed;
}

}  // namespace

int main(int argc, char** argv) {
  astro::restartWithFastBlasKernels(argv);
  std::vector<std::string> args(argv + 1, argv + argc);
  auto value = [&](const std::string& flag) -> std::string {
    for (std::size_t i = 0; i + 1 < args.size(); ++i) {
      if (args[i] == flag) return args[i + 1];
    }
    return {};
  };
  if (auto files = value("--table"); !files.empty()) {
    printTable(readAll(files), readAll(value("--peer")));
    return 0;
  }
  initTorchRuntime();
  if (auto dir = value("--write-checkpoints"); !dir.empty()) {
    LanguageModel::randomInit(parseModelConfig(kSmallConfig, "small"), 1).save(dir + "/small");
    LanguageModel::randomInit(parseModelConfig(kBaseConfig, "base"), 1).save(dir + "/base");
    std::ofstream(dir + "/protocol.json") << nlohmann::json{{"configs", kProtocol}}.dump(1);
    return 0;
  }
  std::string dir = value("--checkpoints");
  if (dir.empty()) {
    std::cerr << "usage: bench_model --write-checkpoints DIR\n"
                 "       bench_model --checkpoints DIR [--out OURS.json] [--peer PEER.json]\n"
                 "       bench_model --table OURS1.json,OURS2.json,... --peer PEER1.json,...\n";
    return 2;
  }
  nlohmann::json ours = nlohmann::json::object();
  for (const std::string size : {"small", "base"}) {
    auto model = LanguageModel::load(dir + "/" + size);
    std::cerr << size << ": " << model.config().parameterCount() << " parameters\n";
    measure(size, model, ours);
    if (size == "small") measureCacheSpeedup(model, ours);
  }
  if (auto file = value("--out"); !file.empty()) {
    std::ofstream(file) << ours.dump(1);
    return 0;
  }
  std::vector<nlohmann::json> peer;
  if (auto file = value("--peer"); !file.empty()) peer = readAll(file);
  printTable({ours}, peer);
  return 0;
}
