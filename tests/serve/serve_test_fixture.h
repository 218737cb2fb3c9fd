// What the serve tests and bench_serve share: a random-init Llama saved with the world tokenizer
// (resources/world) as `astro serve --model` reads it, an in-process server (DecodeEngine +
// CompletionServer on a loopback port), and small HTTP calls. Qt-free, so the benchmark links it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "core/model/decode_engine.h"
#include "core/model/language_model.h"
#include "core/serve/completion_server.h"
#include "core/tokenizer/tokenizer.h"

namespace astro::test {

// resources/world/models/tiny.json cut down to 2 layers of width 32, with init range 0.2 so the
// random model's logits are peaked (near-ties would make token equality between batch
// compositions fragile; core/model/decode_engine.h).
model::ModelConfig smallServeConfig();

// config.json + model.safetensors + the world tokenizer's tokenizer.json and
// tokenizer_config.json, in `dir`.
void writeServeModel(const std::filesystem::path& dir, const model::ModelConfig& config,
                     uint64_t seed = 11);

// `astro serve` in this process: the model from `dir`, its engine, and a server on
// 127.0.0.1:<free port> serving on its own thread until destroyed.
class InProcessServer {
 public:
  explicit InProcessServer(const std::filesystem::path& dir,
                           serve::CompletionServerOptions options = {}, int64_t maxBatch = 64);
  ~InProcessServer();
  int port() const { return port_; }
  const model::LanguageModel& model() const { return model_; }
  const tokenizer::Tokenizer& tokenizer() const { return tokenizer_; }
  model::DecodeEngineStats engineStats() const { return engine_->stats(); }
  model::DecodeEngine& engine() const { return *engine_; }

 private:
  model::LanguageModel model_;
  tokenizer::Tokenizer tokenizer_;
  std::unique_ptr<model::DecodeEngine> engine_;
  std::unique_ptr<serve::CompletionServer> server_;
  int port_ = 0;
  std::unique_ptr<std::thread> thread_;
};

struct HttpReply {
  int status = 0;  // 0: no answer (the connection failed)
  std::string body;
};
using Headers = std::vector<std::pair<std::string, std::string>>;
HttpReply httpGet(int port, const std::string& path, const Headers& headers = {});
HttpReply httpPost(int port, const std::string& path, const std::string& body,
                   const Headers& headers = {});
// Hands each piece of the body to `onData` as it arrives; onData returning false hangs up.
HttpReply httpPostStreaming(int port, const std::string& path, const std::string& body,
                            const std::function<bool(std::string_view)>& onData);

// The JSON objects of a server-sent event stream, in order ("[DONE]" as the string "[DONE]").
std::vector<std::string> sseData(const std::string& stream);

}  // namespace astro::test
