// The torch module trainers use: the KV-cached path against full recomputation, packed sequences
// against separate ones, left padding, and gradients reaching every parameter.
#include "core/model/detail/llama_module.h"

#include <QtTest>

#include "core/model/detail/decode_attention.h"
#include "core/model/detail/inference_kernels.h"
#include "core/model/runtime.h"
#include "tests/model/reference_attention.h"

using namespace astro::model;
using astro::model::detail::ForwardInput;
using astro::model::detail::KvCache;
using astro::model::detail::LlamaModel;
using astro::test::maxDifference;

namespace {

LlamaModel smallModel(const char* extra = "") {
  std::string text = std::string(R"({"architectures": ["LlamaForCausalLM"], "vocab_size": 50,
    "hidden_size": 24, "intermediate_size": 40, "num_hidden_layers": 2, "num_attention_heads": 6,
    "num_key_value_heads": 2, "initializer_range": 0.3, "rope_scaling": {"rope_type": "llama3",
    "factor": 4.0, "low_freq_factor": 1.0, "high_freq_factor": 2.0,
    "original_max_position_embeddings": 8})") +
                     extra + "}";
  LlamaModel model(parseModelConfig(text, "test"));
  model->initializeWeights(1);
  return model;
}

torch::Tensor ids(std::vector<int64_t> values) { return torch::tensor(values).unsqueeze(0); }

torch::Tensor positions(int64_t start, int64_t count) {
  return torch::arange(start, start + count).unsqueeze(0);
}

}  // namespace

class LlamaModuleTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { initTorchRuntime(); }

  void cachedDecoding_equalsFullRecompute() {
    auto model = smallModel();
    torch::NoGradGuard noGrad;
    std::vector<int64_t> tokens = {3, 14, 15, 9, 2, 6, 5, 35, 8, 9, 7, 49};
    auto full = model->forward(ForwardInput::of(ids(tokens), positions(0, 12)));  // [1, 12, V]
    auto cache = KvCache::allocate(model->config(), 1, 12, torch::kFloat32);
    std::vector<int64_t> prefix(tokens.begin(), tokens.begin() + 5);
    auto first = model->forward(ForwardInput::of(ids(prefix), positions(0, 5)), &cache);
    QVERIFY(maxDifference(first, full.narrow(1, 0, 5)) < 1e-5);
    for (int64_t t = 5; t < 12; ++t) {
      auto step =
          model->forward(ForwardInput::of(ids({tokens[std::size_t(t)]}), positions(t, 1)), &cache);
      QVERIFY2(maxDifference(step, full.narrow(1, t, 1)) < 1e-5, qPrintable(QString::number(t)));
    }
    QCOMPARE(cache.length, int64_t(12));
  }

  void fusedInferenceProducts_equalTheLinearsOneByOne() {
    // Without autograd the q/k/v and gate/up products run as one matrix each
    // (InferenceWeight::applyFused); with it, the Linears run one by one. Biases included
    // (Qwen2-style attention_bias), and an in-place weight update must reach the fused copy.
    auto model = smallModel(R"(, "attention_bias": true, "mlp_bias": true)");
    {
      torch::NoGradGuard noGrad;
      for (auto& parameter : model->parameters()) parameter.normal_(0.0, 0.3);
    }
    auto input = ForwardInput::of(ids({3, 14, 15, 9, 2, 6}), positions(0, 6));
    for (int round = 0; round < 2; ++round) {
      auto separate = model->forward(input).detach();  // grad mode: Linear by Linear
      torch::Tensor fused;
      {
        torch::NoGradGuard noGrad;
        fused = model->forward(input);
      }
      QVERIFY2(maxDifference(fused, separate) < 1e-4,
               qPrintable(QString::number(maxDifference(fused, separate))));
      torch::NoGradGuard noGrad;  // an optimizer-like update between the rounds
      for (auto& parameter : model->parameters()) parameter.mul_(0.9).add_(0.01);
    }
  }

  void decodeAttention_equalsSoftmaxAttentionOverCacheViews() {
    torch::NoGradGuard noGrad;
    torch::manual_seed(3);
    // dim 12: the scalar tails; dim 32 with 21 slots: eight-slot chunks (one fully masked) + tail.
    for (auto [dim, slots] : {std::pair<int64_t, int64_t>{12, 9}, {32, 21}}) {
      int64_t batch = 3, heads = 6, kvHeads = 2, capacity = slots + 3;
      auto keys = torch::randn({batch, kvHeads, capacity, dim}).narrow(2, 0, slots);
      auto values = torch::randn({batch, kvHeads, capacity, dim}).narrow(2, 0, slots);
      auto bias = torch::zeros({batch, capacity}).narrow(1, 0, slots);
      bias[1]
          .narrow(0, 0, std::min<int64_t>(slots - 1, 11))
          .fill_(std::numeric_limits<float>::lowest());  // left padding
      auto queries = torch::randn({batch, 1, heads, dim}).transpose(1, 2).select(2, 0);  // strided
      float scale = 0.3f;
      auto context = astro::model::detail::decodeAttention(queries, keys, values, bias, scale);
      // Reference: keys and values repeated per query head, plain softmax attention.
      auto expected = astro::test::referenceDecodeAttention(queries, keys, values, bias, scale);
      QVERIFY2(maxDifference(context, expected) < 1e-5, qPrintable(QString::number(dim)));
    }
  }

  void inferenceKernels_equalTheTensorExpressions() {
    using namespace astro::model::detail;
    torch::NoGradGuard noGrad;
    torch::manual_seed(7);
    auto x = torch::randn({3, 5, 40}).narrow(2, 4, 32);  // rows with a stride
    auto weight = torch::randn({32});
    auto expectedNorm = weight * (x * torch::rsqrt(x.pow(2).mean(-1, true) + 1e-5));
    QVERIFY(maxDifference(rmsNorm(x, weight, 1e-5), expectedNorm) < 1e-5);
    auto gateUp = torch::randn({3, 2, 48});
    auto expectedGate = torch::silu(gateUp.narrow(-1, 0, 24)) * gateUp.narrow(-1, 24, 24);
    QVERIFY(maxDifference(siluGate(gateUp), expectedGate) < 1e-6);
    // x [B, T, heads, D] as a view of a wider projection; out a view of cache slots.
    auto projected = torch::randn({2, 3, 4 * 16 + 8});
    auto heads = projected.narrow(-1, 8, 4 * 16).view({2, 3, 4, 16});
    auto angles = torch::randn({2, 1, 3, 8});
    auto doubled = torch::cat({angles, angles}, -1);
    auto cos = doubled.cos(), sin = doubled.sin();
    auto cache = torch::zeros({2, 4, 7, 16});
    rotaryInto(heads, cos, sin, cache.narrow(2, 2, 3));
    auto transposed = heads.transpose(1, 2);  // [B, heads, T, D]
    auto halves = transposed.chunk(2, -1);
    auto expected = transposed * cos + torch::cat({-halves[1], halves[0]}, -1) * sin;
    QVERIFY(maxDifference(cache.narrow(2, 2, 3), expected) < 1e-6);
    QCOMPARE(cache.narrow(2, 0, 2).abs().sum().item<float>(), 0.0f);  // other slots untouched
  }

  void leftPadding_doesNotChangeLogitsOfRealTokens() {
    auto model = smallModel();
    torch::NoGradGuard noGrad;
    auto alone = model->forward(ForwardInput::of(ids({7, 8, 9}), positions(0, 3)));
    ForwardInput padded = ForwardInput::of(ids({0, 0, 7, 8, 9}), ids({0, 0, 0, 1, 2}));
    padded.tokenValid = torch::tensor({false, false, true, true, true}).unsqueeze(0);
    auto logits = model->forward(padded);
    QVERIFY(maxDifference(logits.narrow(1, 2, 3), alone) < 1e-5);
  }

  void packedSequences_equalSeparateSequences() {
    auto model = smallModel();
    torch::NoGradGuard noGrad;
    auto a = model->forward(ForwardInput::of(ids({1, 2, 3}), positions(0, 3)));
    auto b = model->forward(ForwardInput::of(ids({4, 5}), positions(0, 2)));
    ForwardInput packed = ForwardInput::of(ids({1, 2, 3, 4, 5}), ids({0, 1, 2, 0, 1}));
    packed.sequenceIds = ids({0, 0, 0, 1, 1});
    auto logits = model->forward(packed);
    QVERIFY(maxDifference(logits.narrow(1, 0, 3), a) < 1e-5);
    QVERIFY(maxDifference(logits.narrow(1, 3, 2), b) < 1e-5);
  }

  void groupedQueryAttention_equalsRepeatedKeyValueHeads() {
    // A GQA model equals a full multi-head model whose k/v heads are the GQA heads repeated.
    auto grouped = smallModel();
    auto config = grouped->config();
    config.numKeyValueHeads = config.numAttentionHeads;
    LlamaModel full(config);
    torch::NoGradGuard noGrad;
    auto fullParameters = full->named_parameters();
    int64_t groups = grouped->config().numAttentionHeads / grouped->config().numKeyValueHeads;
    for (const auto& item : grouped->named_parameters()) {
      torch::Tensor value = item.value();
      if (item.key().find("k_proj") != std::string::npos ||
          item.key().find("v_proj") != std::string::npos) {
        auto perHead = value.view({grouped->config().numKeyValueHeads, 1, config.headDim, -1});
        value = perHead.expand({-1, groups, -1, -1}).reshape({-1, value.size(1)});
      }
      fullParameters[item.key()].copy_(value);
    }
    auto input = ForwardInput::of(ids({5, 10, 15, 20, 25, 30}), positions(0, 6));
    QVERIFY(maxDifference(grouped->forward(input), full->forward(input)) < 1e-5);
  }

  void backward_reachesEveryParameter() {
    auto model = smallModel(R"(, "tie_word_embeddings": true)");
    model->train();
    auto logits = model->forward(ForwardInput::of(ids({1, 2, 3, 4}), positions(0, 4)));
    auto loss =
        torch::nn::functional::cross_entropy(logits.view({-1, 50}), torch::tensor({2, 3, 4, 5}));
    loss.backward();
    for (const auto& item : model->named_parameters()) {
      QVERIFY2(item.value().grad().defined(), item.key().c_str());
      QVERIFY2(item.value().grad().abs().sum().item<double>() > 0, item.key().c_str());
    }
    QCOMPARE(int64_t(model->named_parameters().size()), int64_t(1 + 2 * 9 + 1));
  }
};

QTEST_GUILESS_MAIN(LlamaModuleTest)
#include "llama_module_test.moc"
