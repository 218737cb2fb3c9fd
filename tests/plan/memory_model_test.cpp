// The memory formulas (core/plan/memory_model.h) against numbers worked out by hand for
// Llama-3.1-8B (config.json of meta-llama/Llama-3.1-8B-Instruct) and byte sizes as typed.
#include "core/plan/memory_model.h"

#include <QtTest>

#include "core/base/error.h"
#include "core/plan/byte_size.h"
#include "core/plan/known_models.h"

using namespace astro;
using namespace astro::plan;

namespace {

// The hub's config.json of Llama-3.1-8B-Instruct, the keys the plan reads.
const char* kLlama8bJson = R"({
  "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_act": "silu",
  "hidden_size": 4096, "intermediate_size": 14336, "num_hidden_layers": 32,
  "num_attention_heads": 32, "num_key_value_heads": 8, "vocab_size": 128256,
  "tie_word_embeddings": false, "max_position_embeddings": 131072, "rms_norm_eps": 1e-05,
  "rope_theta": 500000.0, "torch_dtype": "bfloat16"})";

constexpr std::int64_t kLlama8bParameters = 8'030'261'248;

model::ModelConfig llama8b() { return model::parseModelConfig(kLlama8bJson, "config.json"); }

}  // namespace

class MemoryModelTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void parameterCount_llama31_8b_isTheHubsCount() {
    QCOMPARE(llama8b().parameterCount(), kLlama8bParameters);
    QCOMPARE(knownModelConfig("Llama-3.1-8B-Instruct")->parameterCount(), kLlama8bParameters);
    QCOMPARE(knownModelConfig("meta-llama-3.1-8b")->parameterCount(), kLlama8bParameters);
    QCOMPARE(knownModelConfig("Llama-3.1-70B-Instruct")->parameterCount(),
             std::int64_t(70'553'706'496));
    QVERIFY(!knownModelConfig("Llama-9-1T").has_value());
  }

  void trainingMemory_cudaOneGpu_is16BytesPerParameter() {
    auto m = trainingMemory(llama8b(), {.cuda = true, .ranks = 1, .zeroStage = 1},
                            {.rows = 1, .tokens = 1024});
    const std::int64_t p = kLlama8bParameters;
    QCOMPARE(m.weights, 2 * p);           // bf16
    QCOMPARE(m.gradients, 2 * p);         // bf16, reduced in place
    QCOMPARE(m.optimizerState, 12 * p);   // fp32 master + two moments
    QCOMPARE(m.persistent(), std::int64_t(128'484'179'968));
    QCOMPARE(m.stepBuffer, std::int64_t(8) << 26);  // fp32 chunk of gradients + denominator
    // The step's buffers come after the activations are freed: the larger one counts.
    QCOMPARE(m.total(), m.persistent() + std::max(m.activations, m.stepBuffer));
  }

  void trainingMemory_zero1_dividesMasterAndMomentsOnly() {
    auto one = trainingMemory(llama8b(), {.cuda = true, .ranks = 1}, {.rows = 1, .tokens = 512});
    auto eight = trainingMemory(llama8b(), {.cuda = true, .ranks = 8}, {.rows = 1, .tokens = 512});
    QCOMPARE(eight.optimizerState, std::int64_t(12'045'391'872));  // 12 p / 8
    QCOMPARE(eight.weights, one.weights);
    QCOMPARE(eight.gradients, one.gradients);
    QCOMPARE(eight.activations, one.activations);
    QCOMPARE(eight.persistent(), std::int64_t(44'166'436'864));  // 5.5 B/parameter: 41.1 GiB
    // + the bf16 slice all-gathered after the step: 2 p / 8.
    QCOMPARE(eight.stepBuffer, (std::int64_t(8) << 26) + 2'007'565'312);
    auto replicated =
        trainingMemory(llama8b(), {.cuda = true, .ranks = 8, .zeroStage = 0}, {.rows = 1, .tokens = 512});
    QCOMPARE(replicated.optimizerState, one.optimizerState);
  }

  void trainingMemory_cpu_is16BytesPerParameter() {
    auto m = trainingMemory(llama8b(), {.cuda = false, .ranks = 4}, {.rows = 1, .tokens = 8});
    QCOMPARE(m.persistent(), 16 * kLlama8bParameters);  // no ZeRO on CPU
    QCOMPARE(m.stepBuffer, std::int64_t(0));
  }

  void activationBytes_llama8b_1x1024_bf16_exact() {
    // Per layer: norms 16 BTH + q 8 BT(heads*D) + k/v 8 BT(kv*D) + scores 6 B*heads*T^2 +
    // MLP 8 BTI = 427,819,008; x 32 layers, + final norm 8 BTH, + mask 5 BT^2, + logits 12 BTV.
    std::int64_t bytes = activationBytes(llama8b(), {.cuda = true}, {.rows = 1, .tokens = 1024});
    QCOMPARE(bytes, std::int64_t(15'305'015'296));
    // Twice the rows: every term doubles.
    QCOMPARE(activationBytes(llama8b(), {.cuda = true}, {.rows = 2, .tokens = 1024}), 2 * bytes);
  }

  void kvCache_isTwoLayersHeadsDimBytesTokens() {
    // 2 x 32 layers x 8 kv heads x 128 x 2 bytes = 128 KiB per token.
    QCOMPARE(kvCacheBytes(llama8b(), {.cuda = true}, 1, 1), std::int64_t(131'072));
    QCOMPARE(kvCacheBytes(llama8b(), {.cuda = true}, 64, 8704), std::int64_t(73'014'444'032));
    QCOMPARE(kvCacheBytes(llama8b(), {.cuda = false}, 1, 1), std::int64_t(262'144));
  }

  void generationMemory_holdsNoGradients() {
    GenerationShape shape{.rows = 64, .promptTokens = 512, .newTokens = 512};
    auto gpu = generationMemory(llama8b(), {.cuda = true}, shape);
    QCOMPARE(gpu.weights, 2 * kLlama8bParameters);
    QCOMPARE(gpu.gradients + gpu.optimizerState + gpu.activations, std::int64_t(0));
    QCOMPARE(gpu.kvCache, std::int64_t(64) * 1024 * 131'072);
    QVERIFY(gpu.workspace > 0);
    QCOMPARE(gpu.total(), gpu.weights + gpu.kvCache + gpu.workspace);
    // The CPU decode path keeps a transposed copy of every Linear weight.
    auto cpu = generationMemory(llama8b(), {.cuda = false}, shape);
    QCOMPARE(cpu.weights, 4 * kLlama8bParameters + 4 * linearParameterCount(llama8b()));
  }

  void grpoMemory_countsTheLargerPhase_andTheReference() {
    TrainingShape training{.rows = 4, .tokens = 1024};
    GenerationShape rollouts{.rows = 64, .promptTokens = 512, .newTokens = 512};
    auto without = grpoMemory(llama8b(), {.cuda = true, .ranks = 8}, training, rollouts, false);
    auto with = grpoMemory(llama8b(), {.cuda = true, .ranks = 8}, training, rollouts, true);
    QCOMPARE(with.weights - without.weights, 2 * kLlama8bParameters);
    QVERIFY(without.phased);
    QCOMPARE(without.total(), without.persistent() + std::max(without.activations,
                                                               without.kvCache + without.workspace));
  }

  void parseByteSize_acceptsTheUsualSpellings() {
    QCOMPARE(parseByteSize("80GiB"), std::int64_t(85'899'345'920));
    QCOMPARE(parseByteSize("80GB"), std::int64_t(85'899'345'920));
    QCOMPARE(parseByteSize("81920MiB"), std::int64_t(85'899'345'920));
    QCOMPARE(parseByteSize("1.5 TiB"), std::int64_t(1'649'267'441'664));
    QCOMPARE(parseByteSize("4096"), std::int64_t(4096));
    QVERIFY_THROWS_EXCEPTION(UsageError, parseByteSize("80 parsecs"));
    QVERIFY_THROWS_EXCEPTION(UsageError, parseByteSize("GiB"));
    QVERIFY_THROWS_EXCEPTION(UsageError, parseByteSize("0GiB"));
    QCOMPARE(QString::fromStdString(formatBytes(76'287'481'856)), QString("71.0 GiB"));
    QCOMPARE(QString::fromStdString(formatBytes(512)), QString("512 B"));
  }
};

QTEST_GUILESS_MAIN(MemoryModelTest)
#include "memory_model_test.moc"
