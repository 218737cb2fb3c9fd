// ShardedAdamW (sharded_adamw.h): the flat layout, the reduce-clip-update-gather step and the
// state file.
#include "core/train/detail/sharded_adamw.h"

#include <cmath>
#include <functional>

#include "core/base/error.h"
#include "core/model/detail/fused_adamw.h"

namespace astro::train::detail {

namespace fs = std::filesystem;

namespace {

// Written into the state file; a file without it (or with another value) is not ours.
constexpr std::int64_t kStateFormat = 2;

bool onCpuFloat(const torch::Tensor& tensor) {
  return tensor.device().is_cpu() && tensor.scalar_type() == torch::kFloat32 &&
         tensor.is_contiguous();
}

}  // namespace

ShardedAdamW::ShardedAdamW(std::vector<torch::Tensor> parameters, AdamWSettings settings,
                           std::shared_ptr<dist::detail::Communicator> communicator,
                           bool shardState)
    : parameters_(std::move(parameters)),
      settings_(settings),
      communicator_(std::move(communicator)) {
  if (parameters_.empty()) throw Error("optimizer: the model has no parameters");
  torch::NoGradGuard noGrad;
  const auto device = parameters_.front().device();
  const bool float32 = parameters_.front().scalar_type() == torch::kFloat32;
  for (const auto& parameter : parameters_) {
    offsets_.push_back(total_);
    total_ += parameter.numel();
  }
  const int ranks = communicator_->worldSize();
  shardState_ = shardState && ranks > 1;
  padded_ = (total_ + ranks - 1) / ranks * ranks;
  sliceSize_ = shardState_ ? padded_ / ranks : padded_;
  sliceBegin_ = shardState_ ? sliceSize_ * communicator_->rank() : 0;
  auto floats = torch::TensorOptions().dtype(torch::kFloat32).device(device);

  // The master starts as the weights themselves (their slice, in float32).
  torch::Tensor whole = torch::zeros({padded_}, floats);
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    whole.narrow(0, offsets_[i], parameters_[i].numel()).copy_(parameters_[i].reshape(-1));
  }
  master_ = shardState_ ? whole.narrow(0, sliceBegin_, sliceSize_).clone() : whole;
  expAvg_ = torch::zeros({sliceSize_}, floats);
  expAvgSq_ = torch::zeros({sliceSize_}, floats);
  // Gradients in the weights' own dtype: backward accumulates straight into this buffer.
  flatGrad_ = torch::zeros({padded_}, floats.dtype(parameters_.front().scalar_type()));

  // The weights become views of one flat buffer too: the master itself when they are float32
  // and whole here, else a buffer in their dtype that the updated master is copied (or, sharded,
  // all-gathered) into, with no whole-model temporary.
  aliased_ = float32 && !shardState_;
  flatWeights_ = aliased_ ? master_ : torch::empty({padded_}, flatGrad_.options());
  if (!aliased_) flatWeights_.copy_(whole);
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    auto& parameter = parameters_[i];
    if (parameter.scalar_type() != flatGrad_.scalar_type()) {
      throw Error("optimizer: parameters of mixed dtypes");
    }
    auto view = [&](const torch::Tensor& flat) {
      return flat.narrow(0, offsets_[i], parameter.numel()).view(parameter.sizes());
    };
    parameter.mutable_grad() = view(flatGrad_);
    parameter.set_data(view(flatWeights_));
  }
  // Buckets reduced during backward: several ranks, and a gradient dtype the backend sums.
  const bool widened = flatGrad_.scalar_type() != torch::kFloat32 && flatGrad_.device().is_cpu();
  if (communicator_->worldSize() > 1 && !widened) buildBuckets();
}

namespace {

// ~25 MiB per bucket, PyTorch DDP's default bucket_cap_mb.
constexpr std::int64_t kBucketBytes = std::int64_t(25) << 20;

// Tells the optimizer that backward has accumulated a parameter's gradient.
class ParameterReadyHook final : public torch::autograd::FunctionPostHook {
 public:
  ParameterReadyHook(std::function<void()> ready) : ready_(std::move(ready)) {}
  torch::autograd::variable_list operator()(const torch::autograd::variable_list& outputs,
                                            const torch::autograd::variable_list&) override {
    ready_();
    return outputs;
  }

 private:
  std::function<void()> ready_;
};

}  // namespace

void ShardedAdamW::buildBuckets() {
  const std::int64_t elementBytes = flatGrad_.element_size();
  bucketOf_.assign(parameters_.size(), 0);
  // Reverse parameter order: contiguous ranges of the flat buffer, the last one first.
  std::int64_t end = padded_;
  for (std::size_t i = parameters_.size(); i-- > 0;) {
    if (buckets_.empty() || (end - offsets_[i]) * elementBytes > kBucketBytes) {
      if (!buckets_.empty()) {
        buckets_.back().begin = offsets_[i + 1];
        buckets_.back().count = end - offsets_[i + 1];
        end = offsets_[i + 1];
      }
      buckets_.push_back({});
    }
    buckets_.back().parameters += 1;
    bucketOf_[i] = buckets_.size() - 1;
  }
  buckets_.back().begin = 0;
  buckets_.back().count = end;
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    auto accumulator = torch::autograd::impl::grad_accumulator(parameters_[i]);
    accumulator->add_post_hook(std::make_unique<ParameterReadyHook>([this, i, alive = alive_] {
      if (*alive) parameterReady(i);
    }));
    accumulators_.push_back(std::move(accumulator));
  }
}

void ShardedAdamW::reduceDuringNextBackward() {
  if (buckets_.empty()) return;
  overlapArmed_ = true;
  waitingFor_.clear();
  for (const auto& bucket : buckets_) waitingFor_.push_back(bucket.parameters);
  nextToStart_ = 0;
  pending_.clear();
}

void ShardedAdamW::parameterReady(std::size_t parameter) {
  if (!overlapArmed_) return;
  --waitingFor_[bucketOf_[parameter]];
  startBucketsInOrder(false);
}

void ShardedAdamW::startBucketsInOrder(bool evenIfIncomplete) {
  while (nextToStart_ < buckets_.size() && (evenIfIncomplete || waitingFor_[nextToStart_] <= 0)) {
    const Bucket& bucket = buckets_[nextToStart_++];
    pending_.push_back(communicator_->startAllReduceSum(flatGrad_.narrow(0, bucket.begin, bucket.count)));
  }
}

ShardedAdamW::~ShardedAdamW() { *alive_ = false; }

void ShardedAdamW::zeroGrad() { flatGrad_.zero_(); }

void ShardedAdamW::reduceGradients() {
  if (communicator_->worldSize() == 1) return;
  if (!buckets_.empty()) {
    if (!overlapArmed_) reduceDuringNextBackward();  // this rank had no micro-batch: all at once
    startBucketsInOrder(true);
    overlapArmed_ = false;
    for (auto& pending : pending_) pending->wait();
    pending_.clear();
    return;
  }
  // Gloo on the CPU sums float32; NCCL sums bfloat16 as it is (as PyTorch's DDP does).
  bool widen = flatGrad_.scalar_type() != torch::kFloat32 && flatGrad_.device().is_cpu();
  std::vector<torch::Tensor> bucket{widen ? flatGrad_.to(torch::kFloat32) : flatGrad_};
  communicator_->allReduceSum(bucket);
  if (widen) flatGrad_.copy_(bucket.front());
}

double ShardedAdamW::gradientNorm() const {
  // Sum of squares in float32, a chunk at a time (no float32 copy of a bfloat16 buffer).
  constexpr std::int64_t kChunk = std::int64_t(1) << 26;
  double squares = 0;
  for (std::int64_t first = 0; first < padded_; first += kChunk) {
    auto chunk = flatGrad_.narrow(0, first, std::min(kChunk, padded_ - first));
    double norm = chunk.to(torch::kFloat32).norm().item<double>();
    squares += norm * norm;
  }
  return std::sqrt(squares);
}

double ShardedAdamW::step(double learningRate, double maxNorm) {
  torch::NoGradGuard noGrad;
  reduceGradients();
  // clip_grad_norm_'s rule: scale by maxNorm / (norm + 1e-6) when that is below 1.
  double norm = gradientNorm();
  if (maxNorm > 0 && maxNorm / (norm + 1e-6) < 1) flatGrad_.mul_(maxNorm / (norm + 1e-6));

  ++steps_;
  const double correction1 = 1 - std::pow(settings_.beta1, double(steps_));
  const double correction2 = 1 - std::pow(settings_.beta2, double(steps_));
  // A chunk of the slice at a time, so the float32 copy of a bfloat16 gradient (and the GPU
  // path's denominator) stay small whatever the model's size.
  constexpr std::int64_t kChunk = std::int64_t(1) << 26;
  for (std::int64_t first = 0; first < sliceSize_; first += kChunk) {
    const std::int64_t count = std::min(kChunk, sliceSize_ - first);
    torch::Tensor grad = flatGrad_.narrow(0, sliceBegin_ + first, count).to(torch::kFloat32);
    torch::Tensor master = master_.narrow(0, first, count);
    torch::Tensor expAvg = expAvg_.narrow(0, first, count);
    torch::Tensor expAvgSq = expAvgSq_.narrow(0, first, count);
    if (onCpuFloat(master) && onCpuFloat(grad)) {
      model::detail::AdamWElementStep element{.learningRate = learningRate,
                                              .beta1 = settings_.beta1,
                                              .beta2 = settings_.beta2,
                                              .eps = settings_.eps,
                                              .weightDecay = settings_.weightDecay,
                                              .step = steps_};
      model::detail::adamwUpdateFloat(element, master.data_ptr<float>(), grad.data_ptr<float>(),
                                      expAvg.data_ptr<float>(), expAvgSq.data_ptr<float>(), count);
      continue;
    }
    // torch::optim::AdamW's ops, on the chunk (GPU).
    if (settings_.weightDecay != 0) master.mul_(1 - learningRate * settings_.weightDecay);
    expAvg.mul_(settings_.beta1).add_(grad, 1 - settings_.beta1);
    expAvgSq.mul_(settings_.beta2).addcmul_(grad, grad, 1 - settings_.beta2);
    auto denominator = (expAvgSq.sqrt() / std::sqrt(correction2)).add_(settings_.eps);
    master.addcdiv_(expAvg, denominator, -learningRate / correction1);
  }
  for (auto* tensor : {&master_, &expAvg_, &expAvgSq_}) tensor->unsafeGetTensorImpl()->bump_version();
  writeWeights();
  return norm;
}

void ShardedAdamW::writeWeights() {
  if (shardState_) {
    communicator_->allGather(master_.to(flatWeights_.scalar_type()), flatWeights_);
  } else if (!aliased_) {
    flatWeights_.copy_(master_);
  }
  // The weights are views of flatWeights_ made by set_data, which keep their own version
  // counters, and written above without them: move them, so caches keyed on them (the inference
  // copy of the output weight, core/model/detail/inference_weight.h) see the change.
  for (auto& parameter : parameters_) parameter.unsafeGetTensorImpl()->bump_version();
}

torch::Tensor ShardedAdamW::gatherWhole(const torch::Tensor& slice) {
  if (!shardState_) return slice.narrow(0, 0, total_).to(torch::kCPU).clone();
  // One rank's slice at a time (a broadcast from its owner), so no device holds the whole state.
  torch::Tensor whole = torch::empty({padded_}, torch::kFloat32);
  torch::Tensor buffer = torch::empty_like(slice);
  for (int owner = 0; owner < communicator_->worldSize(); ++owner) {
    if (owner == communicator_->rank()) buffer.copy_(slice);
    communicator_->broadcast(buffer, owner);
    whole.narrow(0, sliceSize_ * owner, sliceSize_).copy_(buffer);
  }
  return whole.narrow(0, 0, total_).clone();
}

void ShardedAdamW::save(const fs::path& file) {
  torch::NoGradGuard noGrad;
  auto master = gatherWhole(master_);
  auto expAvg = gatherWhole(expAvg_);
  auto expAvgSq = gatherWhole(expAvgSq_);
  if (!communicator_->isRankZero()) return;
  std::vector<std::int64_t> sizes;
  for (const auto& parameter : parameters_) sizes.push_back(parameter.numel());
  torch::serialize::OutputArchive archive;
  archive.write("format", torch::tensor(kStateFormat));
  archive.write("steps", torch::tensor(steps_));
  archive.write("parameter_sizes", torch::tensor(sizes));
  archive.write("master", master);
  archive.write("exp_avg", expAvg);
  archive.write("exp_avg_sq", expAvgSq);
  archive.save_to(file.string());
}

void ShardedAdamW::load(const fs::path& file) {
  torch::NoGradGuard noGrad;
  torch::Tensor format, steps, sizes, master, expAvg, expAvgSq;
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(file.string());
    archive.read("format", format);
    archive.read("steps", steps);
    archive.read("parameter_sizes", sizes);
    archive.read("master", master);
    archive.read("exp_avg", expAvg);
    archive.read("exp_avg_sq", expAvgSq);
  } catch (const c10::Error& error) {
    throw Error(file.string() + ": not optimizer state this version of astro can resume from (" +
                std::string(error.what_without_backtrace()).substr(0, 200) +
                "); start again in a new output folder");
  }
  if (format.item<std::int64_t>() != kStateFormat) {
    throw Error(file.string() + ": optimizer state format " +
                std::to_string(format.item<std::int64_t>()) + ", expected " +
                std::to_string(kStateFormat));
  }
  if (sizes.numel() != std::int64_t(parameters_.size()) || master.numel() != total_ ||
      expAvg.numel() != total_ || expAvgSq.numel() != total_) {
    throw Error(file.string() + ": optimizer state for a model of " +
                std::to_string(master.numel()) + " parameters in " +
                std::to_string(sizes.numel()) + " tensors; this model has " +
                std::to_string(total_) + " in " + std::to_string(parameters_.size()));
  }
  auto sizesCpu = sizes.to(torch::kLong);
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    if (sizesCpu[std::int64_t(i)].item<std::int64_t>() != parameters_[i].numel()) {
      throw Error(file.string() + ": optimizer state tensor " + std::to_string(i) +
                  " does not match the model's parameter of that index");
    }
  }
  auto slice = [&](const torch::Tensor& whole, torch::Tensor& into) {
    auto padded = torch::zeros({padded_}, torch::kFloat32);
    padded.narrow(0, 0, total_).copy_(whole.to(torch::kFloat32).reshape(-1));
    into.copy_(padded.narrow(0, sliceBegin_, sliceSize_));
  };
  slice(master, master_);
  slice(expAvg, expAvg_);
  slice(expAvgSq, expAvgSq_);
  steps_ = steps.item<std::int64_t>();
  writeWeights();
}

}  // namespace astro::train::detail
