#include "tests/train/tiny_training_fixture.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/model/language_model.h"

namespace astro::test {

namespace {
// GPT-2's byte -> printable character mapping used by byte-level BPE.
std::string byteSymbol(int byte) {
  auto printable = [](int b) {
    return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
  };
  int codepoint = byte;
  if (!printable(byte)) {
    int shifted = 0;
    for (int b = 0; b < byte; ++b) shifted += printable(b) ? 0 : 1;
    codepoint = 256 + shifted;
  }
  std::string utf8;
  if (codepoint < 0x80) {
    utf8 += char(codepoint);
  } else {
    utf8 += char(0xC0 | (codepoint >> 6));
    utf8 += char(0x80 | (codepoint & 0x3F));
  }
  return utf8;
}
}  // namespace

void writeTinyTokenizer(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  nlohmann::json vocab = nlohmann::json::object();
  for (int byte = 0; byte < 256; ++byte) vocab[byteSymbol(byte)] = byte;
  nlohmann::json added = nlohmann::json::array();
  const char* specials[] = {"<|endoftext|>", "<|im_start|>", "<|im_end|>"};
  for (int i = 0; i < 3; ++i) {
    added.push_back({{"id", 256 + i}, {"content", specials[i]}, {"single_word", false},
                     {"lstrip", false}, {"rstrip", false}, {"normalized", false},
                     {"special", true}});
  }
  nlohmann::json tokenizer = {
      {"version", "1.0"},
      {"added_tokens", added},
      {"normalizer", nullptr},
      {"pre_tokenizer",
       {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true},
        {"use_regex", true}}},
      {"post_processor", nullptr},
      {"decoder", {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true},
                   {"use_regex", true}}},
      {"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", nlohmann::json::array()}}}};
  nlohmann::json config = {{"bos_token", nullptr},
                           {"eos_token", "<|im_end|>"},
                           {"pad_token", "<|endoftext|>"},
                           {"chat_template", "{% for m in messages %}<|im_start|>{{ m.role }}\n"
                                             "{{ m.content }}<|im_end|>\n{% endfor %}"}};
  std::ofstream(dir / "tokenizer.json") << tokenizer.dump();
  std::ofstream(dir / "tokenizer_config.json") << config.dump();
}

void writeTinyModel(const std::filesystem::path& dir, unsigned long long seed) {
  writeTinyTokenizer(dir);
  model::ModelConfig config;
  config.vocabSize = 259;
  config.hiddenSize = 32;
  config.intermediateSize = 64;
  config.numHiddenLayers = 2;
  config.numAttentionHeads = 4;
  config.numKeyValueHeads = 2;
  config.headDim = 8;
  config.maxPositionEmbeddings = 256;
  config.eosTokenIds = {258};
  model::LanguageModel::randomInit(config, seed).save(dir);
}

void writeTinyCorpus(const std::filesystem::path& file, int count) {
  std::ofstream out(file);
  for (int i = 0; i < count; ++i) {
    int a = i % 7, b = (i * 3) % 5;
    nlohmann::json line = {
        {"messages",
         {{{"role", "user"}, {"content", std::to_string(a) + "+" + std::to_string(b) + "?"}},
          {{"role", "assistant"}, {"content", "= " + std::to_string(a + b)}}}}};
    out << line.dump() << "\n";
  }
}

}  // namespace astro::test
