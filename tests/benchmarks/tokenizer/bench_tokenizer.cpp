// Encoding speed of the llama3 and qwen3 tokenizers on ~5 MB of MATH and GSM8K text (problems,
// solutions, questions, answers), one encode() call per field as the pipeline makes them, on one
// thread. Prints MB/s (median of 5 passes, and the first pass with a cold word cache) beside the
// 1 MB/s target. Python's `tokenizers` is used as the peer when it is installed.
// Usage: bench_tokenizer [SHARED_DATA_DIR]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/tokenizer/tokenizer.h"

namespace {

constexpr std::size_t kTargetBytes = 5 * 1000 * 1000;
constexpr double kTargetMegabytesPerSecond = 1.0;
constexpr int kPasses = 5;

// Text fields of the MATH training set and GSM8K, alternating files, until kTargetBytes.
std::vector<std::string> loadTexts(const std::filesystem::path& data) {
  struct Source {
    const char* file;
    std::vector<const char*> fields;
  };
  const Source sources[] = {{"math_train.jsonl", {"problem", "solution"}},
                            {"gsm8k_train.jsonl", {"question", "answer"}}};
  std::vector<std::string> texts;
  std::size_t bytes = 0;
  for (const auto& source : sources) {
    std::ifstream in(data / source.file);
    if (!in) throw std::runtime_error("missing " + (data / source.file).string());
    std::string line;
    while (bytes < kTargetBytes && std::getline(in, line)) {
      auto record = nlohmann::json::parse(line);
      for (const char* field : source.fields) {
        texts.push_back(record.at(field).get<std::string>());
        bytes += texts.back().size();
      }
      if (bytes >= kTargetBytes * (&source - sources + 1) / 2) break;
    }
  }
  return texts;
}

struct Measurement {
  double coldMegabytesPerSecond = 0;
  double medianMegabytesPerSecond = 0;
  std::size_t tokens = 0;
};

Measurement measure(const astro::tokenizer::Tokenizer& tokenizer,
                    const std::vector<std::string>& texts, std::size_t bytes) {
  Measurement result;
  std::vector<double> speeds;
  for (int pass = 0; pass < kPasses; ++pass) {
    std::size_t tokens = 0;
    auto start = std::chrono::steady_clock::now();
    for (const auto& text : texts) tokens += tokenizer.encode(text).size();
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    speeds.push_back(double(bytes) / 1e6 / seconds);
    result.tokens = tokens;
  }
  result.coldMegabytesPerSecond = speeds.front();
  std::sort(speeds.begin(), speeds.end());
  result.medianMegabytesPerSecond = speeds[speeds.size() / 2];
  return result;
}

// Median MB/s of Python's `tokenizers` on the same texts, or a negative value when absent.
double measurePeer(const std::filesystem::path& tokenizerJson, const std::filesystem::path& texts) {
  std::string command =
      "python3 -c \"import json,sys,time\n"
      "from tokenizers import Tokenizer\n"
      "t=Tokenizer.from_file(sys.argv[1]); x=json.load(open(sys.argv[2]))\n"
      "n=sum(len(s.encode()) for s in x); r=[]\n"
      "for _ in range(5):\n"
      "  s=time.perf_counter(); [t.encode(v, add_special_tokens=False) for v in x]\n"
      "  r.append(n/1e6/(time.perf_counter()-s))\n"
      "print(sorted(r)[2])\" '" +
      tokenizerJson.string() + "' '" + texts.string() + "' 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return -1;
  char buffer[64] = {};
  bool read = std::fgets(buffer, sizeof(buffer), pipe) != nullptr;
  int status = pclose(pipe);
  if (!read || status != 0) return -1;
  return std::atof(buffer);
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path data = argc > 1 ? argv[1] : ASTRO_SHARED_DATA;
  auto texts = loadTexts(data);
  std::size_t bytes = 0;
  for (const auto& text : texts) bytes += text.size();
  auto textsFile = std::filesystem::temp_directory_path() / "bench_tokenizer_texts.json";
  std::ofstream(textsFile) << nlohmann::json(texts).dump();

  std::printf("bench_tokenizer: %zu texts, %.2f MB of MATH/GSM8K text, one thread\n", texts.size(),
              double(bytes) / 1e6);
  std::printf("%-8s %-34s %10s %14s %8s\n", "tokenizer", "metric", "ours", "peer/target", "ratio");
  for (const char* name : {"llama3", "qwen3"}) {
    auto folder = data / "tokenizers" / name;
    auto loadStart = std::chrono::steady_clock::now();
    auto tokenizer = astro::tokenizer::Tokenizer::fromDirectory(folder);
    double loadSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - loadStart).count();
    auto result = measure(tokenizer, texts, bytes);
    double peer = measurePeer(folder / "tokenizer.json", textsFile);
    double baseline = peer > 0 ? peer : kTargetMegabytesPerSecond;
    const char* baselineName = peer > 0 ? "(tokenizers)" : "(target)";
    std::printf("%-8s %-34s %10.2f %7.2f %-6s %7.2fx\n", name, "encode MB/s, median of 5",
                result.medianMegabytesPerSecond, baseline, baselineName,
                result.medianMegabytesPerSecond / baseline);
    std::printf("%-8s %-34s %10.2f %7.2f %-6s %7.2fx\n", name, "encode MB/s, first pass (cold)",
                result.coldMegabytesPerSecond, kTargetMegabytesPerSecond, "(target)",
                result.coldMegabytesPerSecond / kTargetMegabytesPerSecond);
    std::printf("%-8s %-34s %10.2f\n", name, "load tokenizer.json, s", loadSeconds);
    std::printf("%-8s %-34s %10.2f\n", name, "bytes per token", double(bytes) / result.tokens);
  }
  std::filesystem::remove(textsFile);
  return 0;
}
