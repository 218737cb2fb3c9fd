// The Communicator on one c10d process group (private to core/dist): Gloo and NCCL groups share
// the collective calls, so one template serves both; gloo_communicator.cpp and
// nccl_communicator.cpp only build the group. Each collective waits for its work and turns any
// failure into astro::Error naming the operation, this rank and the timeout.
#pragma once

#include <torch/torch.h>

#include <chrono>
#include <map>
#include <string>
#include <torch/csrc/distributed/c10d/Store.hpp>
#include <torch/csrc/distributed/c10d/Types.hpp>
#include <utility>
#include <vector>

#include "core/base/error.h"
#include "core/dist/detail/communicator.h"

namespace astro::dist::detail {

// What rendezvous and every collective share: where this process sits and how long it waits.
struct GroupPlace {
  int rank = 0;
  int worldSize = 1;
  std::chrono::milliseconds timeout{0};
};

// Call inside a catch block: rethrows the exception in flight as astro::Error with the words
// "rank R of W: <operation> failed: <detail> (a rank may have died or not joined within Ns)".
[[noreturn]] void rethrowCollectiveError(const GroupPlace& place, const std::string& operation);

// "joining the job at 127.0.0.1:29500 (MASTER_ADDR:MASTER_PORT)": the operation a failed
// rendezvous or group set-up is reported as.
std::string joinOperation(const DistEnvironment& environment);

// The rendezvous point: a TCPStore at masterAddress:masterPort, served by rank 0.
c10::intrusive_ptr<c10d::Store> connectStore(const DistEnvironment& environment,
                                             const GroupPlace& place);

// A job of one process: every collective returns at once (they are identities for one rank).
std::shared_ptr<Communicator> makeSingleCommunicator();
std::shared_ptr<Communicator> connectGloo(const DistEnvironment& environment,
                                          std::chrono::milliseconds timeout);
#ifdef ASTRO_WITH_CUDA
std::shared_ptr<Communicator> connectNccl(const DistEnvironment& environment,
                                          const torch::Device& device,
                                          std::chrono::milliseconds timeout);
#endif

template <typename Group>
class ProcessGroupCommunicator final : public Communicator {
 public:
  ProcessGroupCommunicator(c10::intrusive_ptr<c10d::Store> store, c10::intrusive_ptr<Group> group,
                           GroupPlace place, torch::Device device)
      : store_(std::move(store)), group_(std::move(group)), place_(place), device_(device) {}

  int rank() const override { return place_.rank; }
  int worldSize() const override { return place_.worldSize; }

  void allReduceSum(std::vector<torch::Tensor>& tensors) override {
    // One flattened buffer per dtype: Gloo reads a vector of tensors as one tensor per device.
    std::map<c10::ScalarType, std::vector<std::size_t>> byType;
    for (std::size_t i = 0; i < tensors.size(); ++i) {
      byType[tensors[i].scalar_type()].push_back(i);
    }
    for (const auto& [type, indices] : byType) {
      if (indices.size() == 1 && tensors[indices[0]].is_contiguous()) {
        std::vector<torch::Tensor> one{tensors[indices[0]]};
        run("all-reduce", [&] { return group_->allreduce(one); });
        continue;
      }
      std::vector<torch::Tensor> flattened;
      for (std::size_t i : indices) flattened.push_back(tensors[i].reshape({-1}));
      std::vector<torch::Tensor> bucket{torch::cat(flattened)};  // [sum of numels]
      run("all-reduce", [&] { return group_->allreduce(bucket); });
      std::int64_t offset = 0;
      for (std::size_t i : indices) {
        std::int64_t count = tensors[i].numel();
        tensors[i].copy_(bucket[0].narrow(0, offset, count).view_as(tensors[i]));
        offset += count;
      }
    }
  }

  std::unique_ptr<Pending> startAllReduceSum(torch::Tensor tensor) override {
    if (!tensor.is_contiguous()) throw Error("all-reduce: a bucket must be one contiguous tensor");
    auto started = std::make_unique<Started>(*this);
    started->tensors.push_back(std::move(tensor));
    try {
      started->work = group_->allreduce(started->tensors);
    } catch (...) {
      rethrowCollectiveError(place_, "all-reduce");
    }
    return started;
  }

  void allGather(const torch::Tensor& shard, torch::Tensor& flat) override {
    std::int64_t count = shard.numel();
    if (shard.dim() != 1 || flat.dim() != 1 || flat.numel() != count * worldSize()) {
      throw Error("all-gather: a 1-D shard of " + std::to_string(count) +
                  " elements needs a 1-D flat tensor of " + std::to_string(count * worldSize()) +
                  " for " + std::to_string(worldSize()) + " ranks, got " +
                  std::to_string(flat.numel()) + " elements in " + std::to_string(flat.dim()) +
                  " dimensions");
    }
    // Views of `flat` as the outputs: the group writes each rank's shard straight into place.
    std::vector<std::vector<torch::Tensor>> outputs(1);
    for (int r = 0; r < worldSize(); ++r) outputs[0].push_back(flat.narrow(0, r * count, count));
    std::vector<torch::Tensor> inputs{shard.contiguous()};
    run("all-gather", [&] { return group_->allgather(outputs, inputs); });
  }

  void broadcast(torch::Tensor& tensor, int root) override {
    c10d::BroadcastOptions options;
    options.rootRank = root;
    std::vector<torch::Tensor> one{tensor.is_contiguous() ? tensor : tensor.contiguous()};
    run("broadcast", [&] { return group_->broadcast(one, options); });
    if (!tensor.is_same(one[0])) tensor.copy_(one[0]);
  }

  std::string broadcastBytes(const std::string& bytes) override {
    torch::Tensor length = bytesTensor(1, torch::kInt64);
    if (isRankZero()) length.fill_(static_cast<std::int64_t>(bytes.size()));
    broadcast(length, 0);
    std::int64_t size = length.cpu().item<std::int64_t>();
    if (size == 0) return {};
    torch::Tensor data = bytesTensor(size, torch::kUInt8);  // [size]
    if (isRankZero()) data.copy_(fromBytes(bytes, size));
    broadcast(data, 0);
    return toBytes(data.cpu(), 0, size);
  }

  std::vector<std::string> allGatherBytes(const std::string& bytes) override {
    torch::Tensor myLength = bytesTensor(1, torch::kInt64);
    myLength.fill_(static_cast<std::int64_t>(bytes.size()));
    torch::Tensor lengths = bytesTensor(worldSize(), torch::kInt64);  // [world]
    allGather(myLength, lengths);
    torch::Tensor lengthsCpu = lengths.cpu();
    std::int64_t longest = lengthsCpu.max().template item<std::int64_t>();
    std::vector<std::string> result(static_cast<std::size_t>(worldSize()));
    if (longest == 0) return result;
    torch::Tensor padded = bytesTensor(longest, torch::kUInt8);  // [longest]
    padded.zero_();
    padded.narrow(0, 0, static_cast<std::int64_t>(bytes.size()))
        .copy_(fromBytes(bytes, static_cast<std::int64_t>(bytes.size())));
    torch::Tensor gathered = bytesTensor(longest * worldSize(), torch::kUInt8);  // [world*longest]
    allGather(padded, gathered);
    torch::Tensor gatheredCpu = gathered.cpu();
    for (int r = 0; r < worldSize(); ++r) {
      result[r] = toBytes(gatheredCpu, r * longest, lengthsCpu[r].template item<std::int64_t>());
    }
    return result;
  }

  void barrier() override {
    run("barrier", [&] { return group_->barrier(); });
  }

 private:
  // A started all-reduce: keeps its tensor and the backend's work alive until wait().
  struct Started final : Pending {
    explicit Started(ProcessGroupCommunicator& owner) : owner(owner) {}
    void wait() override {
      if (!work) return;
      auto pending = std::move(work);
      owner.run("all-reduce", [&] { return pending; });
    }
    ProcessGroupCommunicator& owner;
    std::vector<torch::Tensor> tensors;
    // ProcessGroup::Work in libtorch 1.13, c10d::Work in 2.x: whatever allreduce returns.
    decltype(std::declval<Group&>().allreduce(std::declval<std::vector<at::Tensor>&>())) work;
  };

  template <typename Call>
  void run(const char* operation, Call&& call) {
    try {
      call()->wait();
    } catch (...) {
      rethrowCollectiveError(place_, operation);
    }
  }

  torch::Tensor bytesTensor(std::int64_t count, c10::ScalarType type) const {
    return torch::empty({count}, torch::TensorOptions().dtype(type).device(device_));
  }
  torch::Tensor fromBytes(const std::string& bytes, std::int64_t count) const {
    auto view = torch::from_blob(const_cast<char*>(bytes.data()), {count}, torch::kUInt8);
    return view.to(device_);
  }
  static std::string toBytes(const torch::Tensor& cpu, std::int64_t offset, std::int64_t count) {
    const auto* begin = reinterpret_cast<const char*>(cpu.data_ptr<std::uint8_t>()) + offset;
    return std::string(begin, static_cast<std::size_t>(count));
  }

  c10::intrusive_ptr<c10d::Store> store_;  // rank 0 serves the rendezvous for the group's life
  c10::intrusive_ptr<Group> group_;
  GroupPlace place_;
  torch::Device device_;
};

}  // namespace astro::dist::detail
