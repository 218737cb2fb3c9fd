// The threads a callback ran on, for tests that check work really spread over several threads
// (the sub-batches of LanguageModel::generate and of the DecodeEngine).
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <thread>

namespace astro::test {

class CallingThreads {
 public:
  // `decode`, recording the thread of every call.
  std::function<std::string(std::span<const int32_t>)> record(
      std::function<std::string(std::span<const int32_t>)> decode) {
    return [this, decode = std::move(decode)](std::span<const int32_t> ids) {
      {
        std::lock_guard lock(mutex_);
        threads_.insert(std::this_thread::get_id());
      }
      return decode(ids);
    };
  }
  std::size_t count() {
    std::lock_guard lock(mutex_);
    return threads_.size();
  }
  void clear() {
    std::lock_guard lock(mutex_);
    threads_.clear();
  }

 private:
  std::mutex mutex_;
  std::set<std::thread::id> threads_;
};

}  // namespace astro::test
