// Driver for fuzz targets in builds without libFuzzer: replays every corpus file, then a fixed
// number of seeded mutations of them (bit flips, byte insertions and deletions, truncations,
// splices), so CI exercises each parser deterministically. ASTRO_FUZZ_ITERATIONS sets the count.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {
std::vector<std::string> readCorpus(int argc, char** argv) {
  std::vector<std::string> inputs;
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path root(argv[i]);
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(root)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
    } else {
      files.push_back(root);
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      std::ifstream in(file, std::ios::binary);
      inputs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
  }
  if (inputs.empty()) inputs.emplace_back();
  return inputs;
}

std::string mutate(const std::string& input, const std::string& other, std::mt19937_64& random) {
  std::string out = input;
  int edits = 1 + int(random() % 4);
  for (int e = 0; e < edits; ++e) {
    switch (random() % 6) {
      case 0:
        if (!out.empty()) out[random() % out.size()] ^= char(1u << (random() % 8));
        break;
      case 1:
        out.insert(out.begin() + std::ptrdiff_t(out.empty() ? 0 : random() % (out.size() + 1)),
                   char(random() % 256));
        break;
      case 2:
        if (!out.empty()) out.erase(random() % out.size(), 1 + random() % 8);
        break;
      case 3:
        if (!out.empty()) out.resize(random() % out.size());
        break;
      case 4: {
        static const char* kTokens[] = {"{", "}", "\\frac", "\"", "\\", "[", "]", ",", "0",
                                        "-1", "1e308", "null", ":", "\xff", "\n\n", "\\boxed{"};
        out.insert(out.empty() ? 0 : random() % (out.size() + 1), kTokens[random() % 16]);
        break;
      }
      default:
        if (!other.empty()) {
          std::size_t from = random() % other.size();
          out.insert(out.empty() ? 0 : random() % (out.size() + 1), other.substr(from, 64));
        }
    }
  }
  return out;
}
}  // namespace

int main(int argc, char** argv) {
  auto corpus = readCorpus(argc, argv);
  const char* configured = std::getenv("ASTRO_FUZZ_ITERATIONS");
  long iterations = configured ? std::atol(configured) : 20000;
  for (const auto& input : corpus) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
  }
  std::mt19937_64 random(20250700417ULL);
  for (long i = 0; i < iterations; ++i) {
    const auto& base = corpus[random() % corpus.size()];
    const auto& other = corpus[random() % corpus.size()];
    std::string input = mutate(base, other, random);
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
  }
  std::cout << "replayed " << corpus.size() << " corpus inputs and " << iterations
            << " mutations without a crash\n";
  return 0;
}
