// Loading, saving, initialising and scoring for LanguageModel (generation is in generate.cpp).
#include "core/model/language_model.h"

#include "core/base/error.h"
#include "core/dist/dist_environment.h"
#include "core/model/detail/language_model_impl.h"

namespace astro::model {

namespace {

// "cuda" in a data-parallel job is this rank's GPU (dist::deviceForThisRank).
torch::Device parseDevice(const std::string& requested) {
  const std::string device =
      dist::deviceForThisRank(requested, dist::distEnvironmentFromProcess());
  torch::Device parsed(torch::kCPU);
  try {
    parsed = torch::Device(device);
  } catch (const std::exception&) {
    throw UsageError("unknown device '" + device + "' (expected cpu or cuda[:N])");
  }
  if (parsed.is_cuda() && !torch::cuda::is_available()) {
    throw Error("device '" + device + "' requested but this libtorch sees no CUDA device");
  }
  return parsed;
}

// CPU computes in float32; GPUs hold bfloat16 weights and activations (norms and softmax in
// float32 inside the module).
torch::ScalarType computeType(const torch::Device& device) {
  return device.is_cuda() ? torch::kBFloat16 : torch::kFloat32;
}

}  // namespace

namespace detail {
torch::Tensor idsToTensor(std::span<const int32_t> ids, int64_t vocabSize) {
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] < 0 || ids[i] >= vocabSize) {
      throw UsageError("token id " + std::to_string(ids[i]) + " at position " + std::to_string(i) +
                       " is outside the vocabulary (size " + std::to_string(vocabSize) + ")");
    }
  }
  std::vector<int64_t> wide(ids.begin(), ids.end());
  return torch::tensor(wide, torch::kLong);
}
}  // namespace detail

LanguageModel::LanguageModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LanguageModel LanguageModel::adopt(std::unique_ptr<Impl> impl) {
  if (!impl || impl->module.is_empty()) throw Error("LanguageModel::adopt: no module");
  return LanguageModel(std::move(impl));
}
LanguageModel::~LanguageModel() = default;
LanguageModel::LanguageModel(LanguageModel&&) noexcept = default;
LanguageModel& LanguageModel::operator=(LanguageModel&&) noexcept = default;

LanguageModel LanguageModel::load(const std::filesystem::path& folder, const std::string& device) {
  auto impl = std::make_unique<Impl>();
  impl->device = parseDevice(device);
  impl->module = detail::loadLlamaModel(folder, impl->device, computeType(impl->device));
  impl->module->eval();
  return LanguageModel(std::move(impl));
}

LanguageModel LanguageModel::randomInit(const ModelConfig& config, uint64_t seed,
                                        const std::string& device) {
  auto impl = std::make_unique<Impl>();
  impl->device = parseDevice(device);
  impl->module = detail::LlamaModel(config);
  impl->module->initializeWeights(seed);
  impl->module->to(impl->device, computeType(impl->device));
  impl->module->eval();
  return LanguageModel(std::move(impl));
}

void LanguageModel::save(const std::filesystem::path& folder) const {
  detail::saveLlamaModel(impl_->module, folder);
}

const ModelConfig& LanguageModel::config() const { return impl_->module->config(); }

std::vector<float> LanguageModel::logits(std::span<const int32_t> ids) const {
  if (ids.empty()) throw UsageError("logits: no token ids given");
  c10::InferenceMode inference;
  auto input = detail::idsToTensor(ids, config().vocabSize).unsqueeze(0).to(impl_->device);
  auto positions = torch::arange(int64_t(ids.size()), input.options()).unsqueeze(0);
  auto logits = impl_->module->forward(detail::ForwardInput::of(input, positions))
                    .squeeze(0)
                    .to(torch::kCPU)
                    .contiguous();  // [T, V]
  return {logits.data_ptr<float>(), logits.data_ptr<float>() + logits.numel()};
}

std::vector<float> LanguageModel::score(std::span<const int32_t> ids) const {
  if (ids.size() < 2) throw UsageError("score: need at least two token ids");
  c10::InferenceMode inference;
  auto input = detail::idsToTensor(ids, config().vocabSize).unsqueeze(0).to(impl_->device);
  auto positions = torch::arange(int64_t(ids.size()), input.options()).unsqueeze(0);
  auto logits = impl_->module->forward(detail::ForwardInput::of(input, positions));
  auto logprobs = torch::log_softmax(logits.squeeze(0).narrow(0, 0, logits.size(1) - 1), -1);
  auto targets = input.squeeze(0).narrow(0, 1, input.size(1) - 1).unsqueeze(1);
  auto chosen = logprobs.gather(1, targets).squeeze(1).to(torch::kCPU).contiguous();  // [T-1]
  return {chosen.data_ptr<float>(), chosen.data_ptr<float>() + chosen.numel()};
}

}  // namespace astro::model
