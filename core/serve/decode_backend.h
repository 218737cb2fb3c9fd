// What the server needs of an engine: submit a request whose tokens come back through its
// callbacks, and cancel it. The DecodeEngine (continuous batching) is the one `astro serve` uses;
// tests can put a simpler one behind the same HTTP code.
#pragma once

#include <cstdint>

#include "core/model/decode_engine.h"

namespace astro::serve {

class DecodeBackend {
 public:
  virtual ~DecodeBackend() = default;
  // As DecodeEngine::submit: throws UsageError for a request it cannot run; callbacks may run
  // on another thread, and none after cancel(id) returns.
  virtual uint64_t submit(model::DecodeRequest request) = 0;
  virtual void cancel(uint64_t id) = 0;
};

// The DecodeEngine behind the interface (borrowed; it must outlive this).
class DecodeEngineBackend final : public DecodeBackend {
 public:
  explicit DecodeEngineBackend(model::DecodeEngine& engine) : engine_(engine) {}
  uint64_t submit(model::DecodeRequest request) override {
    return engine_.submit(std::move(request));
  }
  void cancel(uint64_t id) override { engine_.cancel(id); }

 private:
  model::DecodeEngine& engine_;
};

}  // namespace astro::serve
