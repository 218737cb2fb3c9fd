// Collectives between the ranks of one data-parallel job (private to core: torch types), on
// libtorch's c10d process groups: Gloo for CPU tensors, NCCL for CUDA tensors when libtorch has
// it. Rendezvous goes through a c10d::TCPStore served by rank 0 at MASTER_ADDR:MASTER_PORT. A
// job of one process gets a Communicator whose collectives return at once, so trainers call the
// same code either way.
//
// Every collective waits at most the timeout given to connect(); a rank that died, never joined
// or stopped answering makes the others throw astro::Error (naming the operation, this rank and
// the timeout) instead of hanging.
#pragma once

#include <torch/torch.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/dist/dist_environment.h"

namespace astro::dist::detail {

class Communicator {
 public:
  // One process: rank 0 of 1.
  static std::shared_ptr<Communicator> single();
  // Joins the job described by `environment` (worldSize 1: same as single()). `device` picks the
  // backend: NCCL for cuda (when built with CUDA), Gloo otherwise.
  static std::shared_ptr<Communicator> connect(const DistEnvironment& environment,
                                               const torch::Device& device,
                                               std::chrono::milliseconds timeout);
  virtual ~Communicator() = default;

  virtual int rank() const = 0;
  virtual int worldSize() const = 0;
  bool isRankZero() const { return rank() == 0; }

  // In place, element-wise sum over ranks. Tensors of one call are reduced together (a bucket).
  virtual void allReduceSum(std::vector<torch::Tensor>& tensors) = 0;

  // An all-reduce under way (startAllReduceSum); wait() finishes it and throws as allReduceSum
  // does. Until then the tensor must not be read or written.
  class Pending {
   public:
    virtual ~Pending() = default;
    virtual void wait() = 0;
  };
  // Starts an in-place sum of one contiguous tensor and returns at once (the backend's threads do
  // the work), so a trainer can reduce one bucket of gradients while backward computes the next.
  virtual std::unique_ptr<Pending> startAllReduceSum(torch::Tensor tensor) = 0;
  // `shard` (1-D, the same numel on every rank) from every rank, concatenated in rank order into
  // `flat` (1-D, worldSize * shard.numel(), same dtype and device).
  virtual void allGather(const torch::Tensor& shard, torch::Tensor& flat) = 0;
  // Rank `root`'s tensor into everyone's (in place; same shape and dtype everywhere).
  virtual void broadcast(torch::Tensor& tensor, int root = 0) = 0;
  // Rank 0's bytes to every rank (any length).
  virtual std::string broadcastBytes(const std::string& bytes) = 0;
  // Every rank's bytes (any length each), in rank order, on every rank.
  virtual std::vector<std::string> allGatherBytes(const std::string& bytes) = 0;
  virtual void barrier() = 0;
};

}  // namespace astro::dist::detail
