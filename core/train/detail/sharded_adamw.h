// AdamW over one flat float32 copy of a model's parameters, shared by every trainer (private to
// core/train). It carries the precision policy (precision_policy.h) and the data-parallel update:
//
// - The parameters' .grad are views of one flat buffer in the weights' dtype, so backward
//   accumulates there directly; it is summed over ranks in one all-reduce (trainers scale their
//   losses by the global normaliser, so the sum is the gradient of the whole batch; bfloat16 is
//   summed as bfloat16 by NCCL, as PyTorch's DDP does, and in float32 by Gloo), and clipped by the
//   global L2 norm as torch::nn::utils::clip_grad_norm_ does. Each rank's slice is widened to
//   float32 for the update.
// - The float32 master weights and the two moments are either whole on every rank or, with
//   `shardState` (ZeRO stage 1), split in equal slices: rank r updates elements
//   [r*S, (r+1)*S) of the padded flat vector, and the updated slices are all-gathered back into
//   every rank's weights.
// - The weights are views of one flat buffer: float32 weights on one rank (or unsharded) are
//   views of the master itself, so nothing is copied; bfloat16 weights get the master rounded to
//   bfloat16 after each step (sharded: each rank's rounded slice all-gathered straight into the
//   buffer). Memory per parameter: weights + gradients in their dtype, plus 12 bytes of float32
//   master and moments divided by the ranks when sharded.
//
// Unlike torch::optim::AdamW, every parameter takes a step every time (a parameter without a
// gradient counts as a zero gradient); the trainers' models use all their parameters.
#pragma once

#include <torch/torch.h>

#include <filesystem>
#include <memory>
#include <vector>

#include "core/dist/detail/communicator.h"

namespace astro::train::detail {

struct AdamWSettings {
  double beta1 = 0.9;
  double beta2 = 0.95;
  double eps = 1e-8;
  double weightDecay = 0.0;
};

class ShardedAdamW {
 public:
  ShardedAdamW(std::vector<torch::Tensor> parameters, AdamWSettings settings,
               std::shared_ptr<dist::detail::Communicator> communicator, bool shardState);
  ~ShardedAdamW();  // the gradient hooks it added go quiet (a graph may outlive it)
  ShardedAdamW(const ShardedAdamW&) = delete;
  ShardedAdamW& operator=(const ShardedAdamW&) = delete;

  void zeroGrad();
  // Overlap: called before the backward pass of this rank's last micro-batch of a step. Each
  // bucket of ~kBucketBytes of gradients (contiguous in the flat buffer, in the reverse order of
  // the parameters, which is roughly the order backward finishes them) starts its all-reduce as
  // soon as backward has accumulated all of its parameters, while backward goes on with earlier
  // layers; step() starts the rest and waits. Buckets start in the same fixed order on every rank
  // (a rank with no micro-batch starts them all in step()), as the collectives must match. No
  // effect in a job of one rank, or where the reduction needs a widened copy (bf16 over Gloo).
  void reduceDuringNextBackward();
  // Reduces, clips (maxNorm > 0) and applies one AdamW step at `learningRate`; returns the global
  // gradient norm before clipping. Collective: every rank calls it.
  double step(double learningRate, double maxNorm);

  // Collective: every rank calls it; rank 0 writes `file` (the whole state, whatever the number
  // of ranks, so a run resumes on another number of ranks).
  void save(const std::filesystem::path& file);
  // Every rank reads `file` and keeps its slice; throws astro::Error naming the file when it is
  // not this optimizer's state or does not match the model.
  void load(const std::filesystem::path& file);

  std::int64_t steps() const { return steps_; }

 private:
  void reduceGradients();
  void buildBuckets();
  void parameterReady(std::size_t parameter);  // a grad accumulator's post hook
  void startBucketsInOrder(bool evenIfIncomplete);
  double gradientNorm() const;
  void writeWeights();
  torch::Tensor gatherWhole(const torch::Tensor& slice);  // the whole padded vector, on the CPU

  std::vector<torch::Tensor> parameters_;
  std::vector<std::int64_t> offsets_;
  AdamWSettings settings_;
  std::shared_ptr<dist::detail::Communicator> communicator_;
  bool shardState_ = false;
  bool aliased_ = false;  // parameters are views of master_, gradients views of flatGrad_
  std::int64_t total_ = 0, padded_ = 0, sliceBegin_ = 0, sliceSize_ = 0;
  torch::Tensor master_, expAvg_, expAvgSq_;  // float32 [sliceSize_]
  torch::Tensor flatGrad_;                     // the weights' dtype, [padded_]
  torch::Tensor flatWeights_;                  // the weights' dtype, [padded_] (aliased: master_)
  std::int64_t steps_ = 0;

  struct Bucket {
    std::int64_t begin = 0, count = 0;  // range of flatGrad_
    int parameters = 0;
  };
  std::vector<Bucket> buckets_;                // in start order
  std::vector<std::size_t> bucketOf_;          // parameter -> bucket
  std::vector<std::shared_ptr<torch::autograd::Node>> accumulators_;  // kept alive for the hooks
  bool overlapArmed_ = false;
  std::vector<int> waitingFor_;                // per bucket: parameters not yet accumulated
  std::size_t nextToStart_ = 0;
  std::vector<std::unique_ptr<dist::detail::Communicator::Pending>> pending_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // read by the hooks
};

}  // namespace astro::train::detail
