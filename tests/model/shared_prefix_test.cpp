// Shared-prefix decoding (detail/kv_cache.h, SharedPrefix): rows that share a prompt read its keys
// and values from one group instead of their own copies. Attention, decode steps, dropped rows and
// stored sequences must equal the copied layout's.
#include <QtTest>
#include <limits>

#include "core/model/detail/decode_attention.h"
#include "core/model/detail/llama_module.h"
#include "core/model/detail/prefill.h"
#include "core/model/detail/prefix_store.h"
#include "core/model/runtime.h"
#include "tests/model/reference_attention.h"

using namespace astro::model;
using astro::model::detail::decodeAttention;
using astro::test::maxDifference;
using astro::model::detail::ForwardInput;
using astro::model::detail::KvCache;
using astro::model::detail::LlamaModel;
using astro::model::detail::SharedKeys;

namespace {

constexpr float kHidden = std::numeric_limits<float>::lowest();

LlamaModel smallModel() {
  LlamaModel model(parseModelConfig(R"({"architectures": ["LlamaForCausalLM"], "vocab_size": 50,
    "hidden_size": 32, "intermediate_size": 40, "num_hidden_layers": 2, "num_attention_heads": 4,
    "num_key_value_heads": 2, "initializer_range": 0.3})",
                                    "test"));
  model->initializeWeights(5);
  return model;
}

// One decode step: token `token + row` at each row's next position.
torch::Tensor decodeStep(LlamaModel& model, KvCache& cache, const std::vector<int64_t>& positions,
                         int64_t token) {
  auto rows = int64_t(positions.size());
  auto ids = torch::arange(token, token + rows, torch::kLong).remainder(50).view({rows, 1});
  auto input = ForwardInput::of(ids, torch::tensor(positions, torch::kLong).view({rows, 1}));
  input.lastPositionOnly = true;
  return model->forward(input, &cache).select(1, 0);
}

}  // namespace

class SharedPrefixTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { initTorchRuntime(); }

  void sharedPrefixAttention_equalsAttentionOverEachRowsCopy() {
    torch::NoGradGuard noGrad;
    torch::manual_seed(11);
    // dim 12: the scalar tails; dim 32: eight-slot chunks and tails. Group 3 has no rows.
    for (auto [dim, prefixSlots, ownSlots] :
         {std::tuple<int64_t, int64_t, int64_t>{12, 9, 3}, {32, 21, 5}, {32, 16, 0}}) {
      const std::vector<int64_t> rowGroup = {2, 0, 0, 2, 1, 2};
      int64_t batch = int64_t(rowGroup.size()), groups = 4, heads = 6, kvHeads = 2;
      auto prefixKeys = torch::randn({groups, kvHeads, prefixSlots, dim});
      auto prefixValues = torch::randn({groups, kvHeads, prefixSlots, dim});
      auto prefixBias = torch::zeros({groups, prefixSlots});
      prefixBias[0].narrow(0, 0, 4).fill_(kHidden);  // left padding
      prefixBias[2].narrow(0, 2, 3).fill_(kHidden);  // a gap before a prompt's rest
      auto ownKeys = torch::randn({batch, kvHeads, ownSlots + 2, dim}).narrow(2, 0, ownSlots);
      auto ownValues = torch::randn({batch, kvHeads, ownSlots + 2, dim}).narrow(2, 0, ownSlots);
      auto ownBias = torch::zeros({batch, ownSlots + 2}).narrow(1, 0, ownSlots);
      auto queries = torch::randn({batch, 1, heads, dim}).transpose(1, 2).select(2, 0);
      float scale = 0.25f;
      SharedKeys shared{prefixKeys, prefixValues, prefixBias, &rowGroup};
      auto context = decodeAttention(queries, ownKeys, ownValues, ownBias, scale, &shared);

      // Each row with its own copy of its group's slots.
      auto index = torch::tensor(rowGroup, torch::kLong);
      auto keys = torch::cat({prefixKeys.index_select(0, index), ownKeys}, 2);
      auto values = torch::cat({prefixValues.index_select(0, index), ownValues}, 2);
      auto bias = torch::cat({prefixBias.index_select(0, index), ownBias}, 1);
      auto copied = decodeAttention(queries, keys, values, bias, scale);
      QVERIFY2(maxDifference(context, copied) < 1e-6, qPrintable(QString::number(dim)));
      // And plain softmax attention.
      auto expected = astro::test::referenceDecodeAttention(queries, keys, values, bias, scale);
      QVERIFY2(maxDifference(context, expected) < 1e-5, qPrintable(QString::number(dim)));
    }
  }

  void sharedPrefixCache_decodesLikeRowsWithCopiedPrompts() {
    auto model = smallModel();
    c10::InferenceMode inference;
    std::vector<int32_t> a = {3, 14, 15, 9, 2, 6, 5}, b = {35, 8, 9, 7};
    std::vector<const std::vector<int32_t>*> prompts = {&a, &a, &b, &a, &b};
    auto copiedPrefill =
        astro::model::detail::prefillPrompts(model, torch::kCPU, prompts, {.newTokens = 6});
    auto sharedPrefill = astro::model::detail::prefillPrompts(
        model, torch::kCPU, prompts, {.newTokens = 6, .sharePrefix = true});
    KvCache& copied = copiedPrefill.cache;
    KvCache& shared = sharedPrefill.cache;
    QVERIFY(shared.prefix != nullptr);
    QCOMPARE(shared.prefix->groups(), int64_t(2));
    QCOMPARE(shared.length, copied.length);
    QCOMPARE(shared.capacity(), copied.capacity());
    QVERIFY(maxDifference(sharedPrefill.logits, copiedPrefill.logits) < 1e-6);

    std::vector<int64_t> positions = {7, 7, 4, 7, 4};
    const void* keysBefore = shared.keys[0].data_ptr();
    for (int64_t step = 0; step < 6; ++step) {
      if (step == 3) {  // rows 1 and 2 finish; row 3 is kept twice
        auto keep = torch::tensor(std::vector<int64_t>{0, 3, 3, 4}, torch::kLong);
        const auto& group = shared.prefixGroup;
        std::vector<int64_t> keptGroups = {group[0], group[3], group[3], group[4]};
        copied.keepRows(keep);
        shared.keepRows(keep);
        QCOMPARE(shared.prefixGroup, keptGroups);
        positions = {positions[0], positions[3], positions[3], positions[4]};
        keysBefore = shared.keys[0].data_ptr();
      }
      auto expected = decodeStep(model, copied, positions, 10 + step);
      auto logits = decodeStep(model, shared, positions, 10 + step);
      QVERIFY2(maxDifference(logits, expected) < 1e-5, qPrintable(QString::number(step)));
      QCOMPARE(shared.keys[0].data_ptr(), keysBefore);  // decode steps write into the cache
      for (auto& position : positions) ++position;
    }
  }

  void sharedPrefixCache_refusesAMultiTokenForward() {
    auto model = smallModel();
    c10::InferenceMode inference;
    std::vector<int32_t> a = {3, 14, 15};
    auto prefill = astro::model::detail::prefillPrompts(model, torch::kCPU, {&a, &a},
                                                        {.newTokens = 4, .sharePrefix = true});
    auto input = ForwardInput::of(torch::ones({2, 2}, torch::kLong),
                                  torch::tensor({3, 4}, torch::kLong).repeat({2, 1}));
    bool threw = false;
    try {
      model->forward(input, &prefill.cache);
    } catch (const std::exception&) {
      threw = true;
    }
    QVERIFY(threw);
  }

  void storedSequenceWithHead_copiesTheHeadsTokensThenItsOwn() {
    using astro::model::detail::StoredSequence;
    auto head = std::make_shared<StoredSequence>();
    head->tokens = {1, 2, 3};
    head->keys = {torch::arange(12, torch::kFloat).view({3, 1, 4})};
    head->values = {-torch::arange(12, torch::kFloat).view({3, 1, 4})};
    StoredSequence sequence;
    sequence.tokens = {1, 2, 3, 7, 8};
    sequence.keys = {100 + torch::arange(8, torch::kFloat).view({2, 1, 4})};
    sequence.values = {-100 - torch::arange(8, torch::kFloat).view({2, 1, 4})};
    sequence.head = head;
    sequence.headLength = 3;
    QCOMPARE(sequence.bytes(), head->bytes() + int64_t(5 * 4 + 2 * 8 * 4));  // tokens, keys, values
    auto keys = torch::zeros({4, 1, 4}), values = torch::zeros({4, 1, 4});
    sequence.copyTo(0, 4, keys, values);
    QVERIFY(torch::equal(keys.narrow(0, 0, 3), head->keys[0]));
    QVERIFY(torch::equal(keys[3], sequence.keys[0][0]));
    QVERIFY(torch::equal(values[3], sequence.values[0][0]));
    auto two = torch::zeros({2, 1, 4});
    sequence.copyTo(0, 2, two, torch::zeros({2, 1, 4}));  // within the head only
    QVERIFY(torch::equal(two, head->keys[0].narrow(0, 0, 2)));
  }
};

QTEST_GUILESS_MAIN(SharedPrefixTest)
#include "shared_prefix_test.moc"
