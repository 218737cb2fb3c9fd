// The world's shipped resources: tokenizer.json (byte-level BPE, ChatML specials) covers every
// character the world writes, tokenizer_config.json has the chat template, the model configs fit
// the tokenizer and their parameter budgets, and worldResourceDir() finds them.
#include "core/world/world_resources.h"

#include <QtTest>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/world/countdown_generator.h"
#include "tests/support/test_support.h"

namespace {

const std::filesystem::path kWorldDir = std::filesystem::path(ASTRO_SOURCE_DIR) / "resources/world";

nlohmann::json readJson(const std::filesystem::path& path) {
  return nlohmann::json::parse(astro::readFile(path));
}

// GPT-2's printable stand-in (UTF-8) for each byte, as byte-level BPE vocabularies spell them.
std::map<unsigned char, std::string> byteSymbols() {
  std::vector<int> bytes;
  for (int b = '!'; b <= '~'; ++b) bytes.push_back(b);
  for (int b = 0xA1; b <= 0xAC; ++b) bytes.push_back(b);
  for (int b = 0xAE; b <= 0xFF; ++b) bytes.push_back(b);
  std::vector<int> codepoints = bytes;
  int extra = 0;
  for (int b = 0; b < 256; ++b) {
    if (std::find(bytes.begin(), bytes.end(), b) == bytes.end()) {
      bytes.push_back(b);
      codepoints.push_back(256 + extra++);
    }
  }
  std::map<unsigned char, std::string> symbols;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    int cp = codepoints[i];
    std::string utf8 = cp < 0x80 ? std::string(1, static_cast<char>(cp))
                                 : std::string{static_cast<char>(0xC0 | (cp >> 6)),
                                               static_cast<char>(0x80 | (cp & 0x3F))};
    symbols[static_cast<unsigned char>(bytes[i])] = utf8;
  }
  return symbols;
}

// Llama-architecture parameter count: embeddings, per layer q/k/v/o + gated MLP + 2 norms,
// final norm, and an untied LM head.
std::int64_t parameterCount(const nlohmann::json& config) {
  std::int64_t hidden = config["hidden_size"], vocab = config["vocab_size"];
  std::int64_t heads = config["num_attention_heads"], kvHeads = config["num_key_value_heads"];
  std::int64_t headDim = config["head_dim"], inner = config["intermediate_size"];
  std::int64_t attention = hidden * heads * headDim * 2 + hidden * kvHeads * headDim * 2;
  std::int64_t perLayer = attention + 3 * hidden * inner + 2 * hidden;
  std::int64_t head = config["tie_word_embeddings"].get<bool>() ? 0 : vocab * hidden;
  return vocab * hidden + config["num_hidden_layers"].get<std::int64_t>() * perLayer + hidden +
         head;
}

}  // namespace

class WorldResourcesTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void tokenizerJson_isByteLevelBpeWithConsistentMerges() {
    auto tokenizer = readJson(kWorldDir / "tokenizer.json");
    const auto& model = tokenizer["model"];
    QCOMPARE(model["type"].get<std::string>(), std::string("BPE"));
    QCOMPARE(tokenizer["decoder"]["type"].get<std::string>(), std::string("ByteLevel"));
    QCOMPARE(tokenizer["pre_tokenizer"]["pretokenizers"][1]["type"].get<std::string>(),
             std::string("ByteLevel"));
    const auto& vocab = model["vocab"];
    // Every id of the vocabulary and the added specials, once each, with no gap.
    const std::size_t total = vocab.size() + tokenizer["added_tokens"].size();
    std::vector<bool> idSeen(total, false);
    auto see = [&](std::size_t id, const std::string& token) {
      QVERIFY2(id < total && !idSeen[id], token.c_str());
      idSeen[id] = true;
    };
    for (const auto& [token, id] : vocab.items()) see(id.get<std::size_t>(), token);
    for (const auto& added : tokenizer["added_tokens"]) see(added["id"], added["content"]);
    for (const auto& [byte, symbol] : byteSymbols()) QVERIFY(vocab.contains(symbol));
    for (const auto& merge : model["merges"]) {
      std::string left = merge[0], right = merge[1];
      QVERIFY2(vocab.contains(left) && vocab.contains(right) && vocab.contains(left + right),
               (left + " " + right).c_str());
    }
    // The specials follow the bytes and learned merges; the number tokens come after them.
    std::vector<std::string> specials;
    std::size_t nextId = 256 + 96;
    for (const auto& added : tokenizer["added_tokens"]) {
      QCOMPARE(added["id"].get<std::size_t>(), nextId++);
      QVERIFY(added["special"].get<bool>());
      specials.push_back(added["content"]);
    }
    QCOMPARE(specials, (std::vector<std::string>{"<|endoftext|>", "<|im_start|>", "<|im_end|>"}));
  }
  void tokenizerConfig_hasChatMLTemplateAndSpecialTokens() {
    auto config = readJson(kWorldDir / "tokenizer_config.json");
    QVERIFY(config["chat_template"].get<std::string>().find("<|im_start|>") != std::string::npos);
    QCOMPARE(config["eos_token"].get<std::string>(), std::string("<|im_end|>"));
    QCOMPARE(config["bos_token"].get<std::string>(), std::string("<|endoftext|>"));
    QCOMPARE(config["pad_token"].get<std::string>(), std::string("<|endoftext|>"));
  }
  void tokenizer_coversEveryCharacterOfGeneratedProblemsAndSolutions() {
    auto vocab = readJson(kWorldDir / "tokenizer.json")["model"]["vocab"];
    auto symbols = byteSymbols();
    std::set<unsigned char> used;
    for (bool fractions : {false, true}) {
      for (int count : {3, 4, 5}) {
        astro::world::GeneratorOptions options;
        options.numberCount = count;
        options.rules.allowNonInteger = fractions;
        options.rules.allowNegative = fractions;
        options.maxNumber = 50;
        options.maxTarget = 500;
        for (const auto& problem : astro::world::generateDataset(count, 20, 0, options).train) {
          for (char c : renderQuestion(problem.puzzle) + problem.solution) {
            used.insert(static_cast<unsigned char>(c));
          }
        }
      }
    }
    for (unsigned char byte : used) {
      QVERIFY2(vocab.contains(symbols[byte]), std::to_string(byte).c_str());
    }
    QVERIFY(used.contains('\\') && used.contains('{') && used.contains('\n'));
  }
  void modelConfigs_fitTokenizerAndParameterBudgets() {
    auto tokenizer = readJson(kWorldDir / "tokenizer.json");
    std::size_t vocabSize = tokenizer["model"]["vocab"].size() + tokenizer["added_tokens"].size();
    std::map<std::string, std::int64_t> expected = {{"tiny", 1281408}, {"small", 5143808}};
    auto specialId = [&](const std::string& content) {
      for (const auto& added : tokenizer["added_tokens"]) {
        if (added["content"] == content) return added["id"].get<std::size_t>();
      }
      return std::size_t(-1);
    };
    for (const auto& [name, parameters] : expected) {
      auto config = readJson(kWorldDir / "models" / (name + ".json"));
      QCOMPARE(config["model_type"].get<std::string>(), std::string("llama"));
      QCOMPARE(config["vocab_size"].get<std::size_t>(), vocabSize);
      QCOMPARE(config["max_position_embeddings"].get<int>(), 1024);
      QCOMPARE(config["num_attention_heads"].get<int>() * config["head_dim"].get<int>(),
               config["hidden_size"].get<int>());
      QCOMPARE(parameterCount(config), parameters);
      QCOMPARE(config["eos_token_id"].get<std::size_t>(), specialId("<|im_end|>"));
      QCOMPARE(config["bos_token_id"].get<std::size_t>(), specialId("<|endoftext|>"));
      QCOMPARE(config["pad_token_id"].get<std::size_t>(), specialId("<|endoftext|>"));
    }
  }
  void worldResourceDir_prefersEnvironmentThenFallsBackToSourceTree() {
    ::unsetenv("ASTRO_RESOURCES");
    QCOMPARE(std::filesystem::canonical(astro::world::worldResourceDir()),
             std::filesystem::canonical(kWorldDir));
    auto overrideDir = astro::test::freshTempDir("world-resources");
    std::filesystem::create_directories(overrideDir / "world");
    ::setenv("ASTRO_RESOURCES", overrideDir.c_str(), 1);
    QCOMPARE(std::filesystem::canonical(astro::world::worldResourceDir()),
             std::filesystem::canonical(kWorldDir));  // no tokenizer.json there: skipped
    astro::writeFileAtomically(overrideDir / "world" / "tokenizer.json", "{}");
    QCOMPARE(astro::world::worldResourceDir(), overrideDir / "world");
    ::unsetenv("ASTRO_RESOURCES");
  }
  void worldModelConfigPath_knowsTheShippedModels() {
    QCOMPARE(astro::world::worldModelNames(), (std::vector<std::string>{"small", "tiny"}));
    QVERIFY(std::filesystem::is_regular_file(astro::world::worldModelConfigPath("tiny")));
    QVERIFY_THROWS_EXCEPTION(astro::UsageError, astro::world::worldModelConfigPath("huge"));
  }
};

QTEST_GUILESS_MAIN(WorldResourcesTest)
#include "world_resources_test.moc"
