// safetensors and checkpoint-folder I/O without libtorch: bit-exact round trips, sharded loads,
// and a corpus of corrupt files that must fail with an error naming the file and tensor.
#include "core/model/safetensors.h"

#include <QtTest>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/model/checkpoint_files.h"
#include "core/model/model_config.h"
#include "tests/support/test_support.h"

using namespace astro::model;

namespace {

const char* kTinyConfig = R"({"architectures": ["LlamaForCausalLM"], "vocab_size": 8,
  "hidden_size": 4, "intermediate_size": 6, "num_hidden_layers": 1, "num_attention_heads": 2,
  "num_key_value_heads": 1, "tie_word_embeddings": true})";

std::vector<std::byte> patternBytes(std::size_t count, int salt) {
  std::vector<std::byte> bytes(count);
  for (std::size_t i = 0; i < count; ++i) bytes[i] = std::byte((i * 37 + std::size_t(salt)) & 0xff);
  return bytes;
}

// A file of one header (given as JSON text) and `dataBytes` bytes of data.
std::string rawFile(const std::string& header, std::size_t dataBytes) {
  std::string file(8, '\0');
  for (int i = 0; i < 8; ++i) file[std::size_t(i)] = char((header.size() >> (8 * i)) & 0xff);
  return file + header + std::string(dataBytes, '\x01');
}

// Every tensor of `config` filled with pattern bytes, as F32.
struct TensorSet {
  std::vector<std::vector<std::byte>> storage;
  std::vector<TensorToWrite> tensors;
};
TensorSet tensorsFor(const ModelConfig& config) {
  TensorSet set;
  auto expected = expectedTensors(config);
  set.storage.reserve(expected.size());
  for (const auto& tensor : expected) {
    int64_t count = 1;
    for (int64_t dim : tensor.shape) count *= dim;
    set.storage.push_back(patternBytes(std::size_t(count) * 4, int(set.storage.size())));
    set.tensors.push_back({tensor.name, DType::kF32, tensor.shape, set.storage.back()});
  }
  return set;
}

QString errorOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const astro::Error& error) {
    return QString::fromUtf8(error.what());
  }
  return {};
}

}  // namespace

class SafetensorsTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void roundTrip_isBitExactForF32F16BF16() {
    auto dir = astro::test::freshTempDir("safetensors-roundtrip");
    auto f32 = patternBytes(4 * 6, 1), f16 = patternBytes(2 * 5, 2), bf16 = patternBytes(2 * 7, 3);
    writeSafetensors(dir / "t.safetensors",
                     {{"a.f32", DType::kF32, {2, 3}, f32},
                      {"b.f16", DType::kF16, {5}, f16},
                      {"c.bf16", DType::kBF16, {7, 1}, bf16}},
                     {{"format", "pt"}});
    SafetensorsFile file(dir / "t.safetensors");
    QCOMPARE(file.header().tensors.size(), std::size_t(3));
    QCOMPARE(file.header().metadata.at("format"), std::string("pt"));
    QCOMPARE(file.header().dataStart % 8, uint64_t(0));
    const std::pair<const char*, const std::vector<std::byte>*> cases[] = {
        {"a.f32", &f32}, {"b.f16", &f16}, {"c.bf16", &bf16}};
    for (const auto& [name, bytes] : cases) {
      const TensorInfo* info = file.find(name);
      QVERIFY(info);
      auto data = file.data(*info);
      QCOMPARE(data.size(), bytes->size());
      QVERIFY(std::memcmp(data.data(), bytes->data(), data.size()) == 0);
    }
    QCOMPARE(file.find("c.bf16")->dtype, DType::kBF16);
    QCOMPARE(file.find("c.bf16")->shape, (std::vector<int64_t>{7, 1}));
  }

  void rewrite_producesIdenticalFile() {
    auto dir = astro::test::freshTempDir("safetensors-rewrite");
    auto bytes = patternBytes(12, 4);
    writeSafetensors(dir / "one.safetensors", {{"x", DType::kF16, {2, 3}, bytes}});
    SafetensorsFile first(dir / "one.safetensors");
    writeSafetensors(dir / "two.safetensors",
                     {{"x", DType::kF16, {2, 3}, first.data(*first.find("x"))}});
    QCOMPARE(astro::readFile(dir / "one.safetensors"), astro::readFile(dir / "two.safetensors"));
  }

  void checkpoint_savesAndReopensHuggingFaceLayout() {
    auto dir = astro::test::freshTempDir("checkpoint-single");
    auto config = parseModelConfig(kTinyConfig, "tiny.json");
    auto set = tensorsFor(config);
    writeCheckpointFiles(dir, config, set.tensors);
    CheckpointFiles files(dir);
    QCOMPARE(files.config().numKeyValueHeads, int64_t(1));
    auto stored = files.tensor("model.layers.0.mlp.down_proj.weight");
    QCOMPARE(stored.info->shape, (std::vector<int64_t>{4, 6}));
    auto config2 = nlohmann::json::parse(astro::readFile(dir / "config.json"));
    QCOMPARE(config2["architectures"][0].get<std::string>(), std::string("LlamaForCausalLM"));
  }

  void shardedIndex_loadsEveryTensorFromItsShard() {
    auto dir = astro::test::freshTempDir("checkpoint-sharded");
    auto config = parseModelConfig(kTinyConfig, "tiny.json");
    auto set = tensorsFor(config);
    std::vector<TensorToWrite> first(set.tensors.begin(), set.tensors.begin() + 4);
    std::vector<TensorToWrite> second(set.tensors.begin() + 4, set.tensors.end());
    writeSafetensors(dir / "model-00001-of-00002.safetensors", first);
    writeSafetensors(dir / "model-00002-of-00002.safetensors", second);
    nlohmann::json index = {{"metadata", {{"total_size", 0}}},
                            {"weight_map", nlohmann::json::object()}};
    for (const auto& t : first) index["weight_map"][t.name] = "model-00001-of-00002.safetensors";
    for (const auto& t : second) index["weight_map"][t.name] = "model-00002-of-00002.safetensors";
    astro::writeFileAtomically(dir / "model.safetensors.index.json", index.dump());
    astro::writeFileAtomically(dir / "config.json", modelConfigToJson(config));
    CheckpointFiles files(dir);
    auto norm = files.tensor("model.norm.weight");
    QVERIFY(norm.file->path().filename() == "model-00002-of-00002.safetensors");
    auto embed = files.tensor("model.embed_tokens.weight");
    QVERIFY(std::memcmp(embed.file->data(*embed.info).data(), set.storage[0].data(),
                        set.storage[0].size()) == 0);
  }

  void corrupt_truncatedFile_namesFile() {
    QString message = errorOf([] { parseSafetensorsHeader({}, 3, "cut.safetensors"); });
    QVERIFY2(message.contains("cut.safetensors") && message.contains("too short"),
             qPrintable(message));
  }

  void corrupt_headerLengthPastEnd_isRefused() {
    std::string file = rawFile(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 4);
    file[0] = char(0xff);  // claims a 255+ byte header in a shorter file
    auto bytes = std::as_bytes(std::span(file));
    QString message =
        errorOf([&] { parseSafetensorsHeader(bytes, file.size(), "lie.safetensors"); });
    QVERIFY2(message.contains("lie.safetensors") && message.contains("past the end"),
             qPrintable(message));
  }

  void corrupt_hugeClaimedSizes_areRefusedWithoutAllocating() {
    std::string header =
        R"({"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}})";
    std::string file = rawFile(header, 4);
    QString message = errorOf([&] {
      parseSafetensorsHeader(std::as_bytes(std::span(file)), file.size(), "huge.safetensors");
    });
    QVERIFY2(message.contains("tensor w") && message.contains("impossibly large"),
             qPrintable(message));
    std::string lengthOnly("\x00\xc2\xeb\x0b\x00\x00\x00\x00", 8);  // 200,000,000
    message = errorOf([&] {
      parseSafetensorsHeader(std::as_bytes(std::span(lengthOnly)), uint64_t(1) << 62,
                             "h.safetensors");
    });
    QVERIFY2(message.contains("exceeds 100 MB"), qPrintable(message));
  }

  void corrupt_offsetsOutOfRange_namesTensor() {
    std::string file = rawFile(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", 4);
    QString message = errorOf([&] {
      parseSafetensorsHeader(std::as_bytes(std::span(file)), file.size(), "short.safetensors");
    });
    QVERIFY2(message.contains("tensor w") && message.contains("past the data section"),
             qPrintable(message));
  }

  void corrupt_overlappingOffsets_namesBothTensors() {
    std::string file = rawFile(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                               R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                               12);
    QString message = errorOf([&] {
      parseSafetensorsHeader(std::as_bytes(std::span(file)), file.size(), "over.safetensors");
    });
    QVERIFY2(message.contains("tensor b") && message.contains("overlap") && message.contains(" a"),
             qPrintable(message));
  }

  void corrupt_dtypeByteCountMismatch_namesTensor() {
    std::string file = rawFile(R"({"w":{"dtype":"BF16","shape":[3],"data_offsets":[0,12]}})", 12);
    QString message = errorOf([&] {
      parseSafetensorsHeader(std::as_bytes(std::span(file)), file.size(), "dt.safetensors");
    });
    QVERIFY2(message.contains("tensor w") && message.contains("needs 6"), qPrintable(message));
    file = rawFile(R"({"w":{"dtype":"Q4","shape":[3],"data_offsets":[0,12]}})", 12);
    message = errorOf([&] {
      parseSafetensorsHeader(std::as_bytes(std::span(file)), file.size(), "dt.safetensors");
    });
    QVERIFY2(message.contains("unknown dtype"), qPrintable(message));
  }

  void corrupt_headerNotJson_isRefused() {
    std::string file = rawFile("{not json", 0);
    QString message = errorOf([&] {
      parseSafetensorsHeader(std::as_bytes(std::span(file)), file.size(), "j.safetensors");
    });
    QVERIFY2(message.contains("j.safetensors") && message.contains("JSON"), qPrintable(message));
  }

  void checkpoint_missingTensor_namesIt() {
    auto dir = astro::test::freshTempDir("checkpoint-missing");
    auto config = parseModelConfig(kTinyConfig, "tiny.json");
    auto set = tensorsFor(config);
    set.tensors.pop_back();  // model.norm.weight
    writeCheckpointFiles(dir, config, set.tensors);
    QString message = errorOf([&] { CheckpointFiles files(dir); });
    QVERIFY2(message.contains("model.safetensors") && message.contains("model.norm.weight") &&
                 message.contains("missing"),
             qPrintable(message));
  }

  void checkpoint_extraTensor_namesIt() {
    auto dir = astro::test::freshTempDir("checkpoint-extra");
    auto config = parseModelConfig(kTinyConfig, "tiny.json");
    auto set = tensorsFor(config);
    auto extra = patternBytes(4, 9);
    set.tensors.push_back({"model.layers.7.mlp.up_proj.weight", DType::kF32, {1}, extra});
    writeCheckpointFiles(dir, config, set.tensors);
    QString message = errorOf([&] { CheckpointFiles files(dir); });
    QVERIFY2(message.contains("model.layers.7.mlp.up_proj.weight") && message.contains("extra"),
             qPrintable(message));
  }

  void checkpoint_wrongShape_namesTensorAndShapes() {
    auto dir = astro::test::freshTempDir("checkpoint-shape");
    auto config = parseModelConfig(kTinyConfig, "tiny.json");
    auto set = tensorsFor(config);
    set.tensors[0].shape = {4, 8};  // embed_tokens is [8, 4]
    writeCheckpointFiles(dir, config, set.tensors);
    QString message = errorOf([&] { CheckpointFiles files(dir); });
    QVERIFY2(message.contains("model.embed_tokens.weight") && message.contains("[4, 8]") &&
                 message.contains("[8, 4]"),
             qPrintable(message));
  }

  void config_unknownArchitecture_isRefusedNamingFileAndKey() {
    QString message = errorOf([] {
      parseModelConfig(R"({"architectures": ["GPT2LMHeadModel"], "vocab_size": 8})",
                       "dir/config.json");
    });
    QVERIFY2(message.contains("dir/config.json") && message.contains("architectures") &&
                 message.contains("GPT2LMHeadModel"),
             qPrintable(message));
  }

  void config_unknownRopeType_isRefusedNamingKey() {
    std::string text = R"({"architectures": ["LlamaForCausalLM"], "vocab_size": 8, "hidden_size": 4,
      "intermediate_size": 6, "num_hidden_layers": 1, "num_attention_heads": 2,
      "rope_scaling": {"rope_type": "yarn", "factor": 4.0}})";
    QString message = errorOf([&] { parseModelConfig(text, "c.json"); });
    QVERIFY2(message.contains("c.json") && message.contains("rope_scaling.rope_type") &&
                 message.contains("yarn"),
             qPrintable(message));
  }

  void config_roundTripsThroughJson() {
    std::string text = R"({"architectures": ["Qwen3ForCausalLM"], "vocab_size": 8, "hidden_size": 4,
      "intermediate_size": 6, "num_hidden_layers": 1, "num_attention_heads": 2, "head_dim": 6,
      "num_key_value_heads": 1, "eos_token_id": [3, 5], "rope_scaling": {"rope_type": "llama3",
      "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
      "original_max_position_embeddings": 16}})";
    auto config = parseModelConfig(text, "c.json");
    auto again = parseModelConfig(modelConfigToJson(config), "again.json");
    QCOMPARE(again.architecture, Architecture::kQwen3);
    QCOMPARE(again.headDim, int64_t(6));
    QCOMPARE(again.eosTokenIds, (std::vector<int64_t>{3, 5}));
    QCOMPARE(again.ropeScaling.type, RopeScaling::Type::kLlama3);
    QCOMPARE(again.ropeScaling.originalMaxPositionEmbeddings, int64_t(16));
  }
};

QTEST_GUILESS_MAIN(SafetensorsTest)
#include "safetensors_test.moc"
