// Moves weights between Hugging Face safetensors checkpoints and LlamaModel parameters.
#include <cstring>

#include "core/base/error.h"
#include "core/model/checkpoint_files.h"
#include "core/model/detail/llama_module.h"

namespace astro::model::detail {

namespace {

torch::ScalarType scalarTypeOf(DType dtype) {
  switch (dtype) {
    case DType::kF16:
      return torch::kFloat16;
    case DType::kBF16:
      return torch::kBFloat16;
    default:
      return torch::kFloat32;
  }
}

DType storageTypeOf(torch::ScalarType type) {
  if (type == torch::kFloat16) return DType::kF16;
  if (type == torch::kBFloat16) return DType::kBF16;
  return DType::kF32;
}

std::string torchDtypeName(torch::ScalarType type) {
  if (type == torch::kFloat16) return "float16";
  if (type == torch::kBFloat16) return "bfloat16";
  return "float32";
}

}  // namespace

LlamaModel loadLlamaModel(const std::filesystem::path& folder, const torch::Device& device,
                          torch::ScalarType dtype) {
  CheckpointFiles files(folder);
  LlamaModel model(files.config());
  torch::NoGradGuard noGrad;
  for (auto& item : model->named_parameters()) {
    const std::string& name = item.key();
    torch::Tensor& parameter = item.value();
    CheckpointTensor stored = files.tensor(name);
    auto bytes = stored.file->data(*stored.info);
    // A copy, not a view of the map: offsets need not be aligned for the element type.
    auto value = torch::empty(stored.info->shape, scalarTypeOf(stored.info->dtype));
    std::memcpy(value.data_ptr(), bytes.data(), bytes.size());
    parameter.copy_(value);
  }
  model->to(device, dtype);
  return model;
}

void saveLlamaModel(LlamaModel& model, const std::filesystem::path& folder) {
  ModelConfig config = model->config();
  auto parameters = model->named_parameters();
  std::vector<torch::Tensor> hostTensors;  // keeps the bytes alive until written
  std::vector<TensorToWrite> tensors;
  for (const auto& expected : expectedTensors(config)) {
    const torch::Tensor* parameter = parameters.find(expected.name);
    if (!parameter) throw Error("model has no parameter " + expected.name);
    hostTensors.push_back(parameter->detach().to(torch::kCPU).contiguous());
    const auto& host = hostTensors.back();
    config.torchDtype = torchDtypeName(host.scalar_type());
    tensors.push_back({expected.name,
                       storageTypeOf(host.scalar_type()),
                       expected.shape,
                       {static_cast<const std::byte*>(host.data_ptr()), host.nbytes()}});
  }
  writeCheckpointFiles(folder, config, tensors);
}

}  // namespace astro::model::detail
