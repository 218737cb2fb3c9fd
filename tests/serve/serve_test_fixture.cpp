// Shared set-up of the serve tests and bench_serve (serve_test_fixture.h).
#include "tests/serve/serve_test_fixture.h"

#include <httplib.h>

#include <fstream>
#include <thread>

#include "core/base/error.h"

namespace astro::test {

namespace {
const std::filesystem::path kWorld = std::filesystem::path(ASTRO_SOURCE_DIR) / "resources/world";
}

model::ModelConfig smallServeConfig() {
  model::ModelConfig config = model::readModelConfig(kWorld / "models/tiny.json");
  config.hiddenSize = 32;
  config.intermediateSize = 64;
  config.numHiddenLayers = 2;
  config.numAttentionHeads = 4;
  config.numKeyValueHeads = 2;
  config.headDim = 8;
  config.maxPositionEmbeddings = 256;
  config.initializerRange = 0.2;
  return config;
}

void writeServeModel(const std::filesystem::path& dir, const model::ModelConfig& config,
                     uint64_t seed) {
  std::filesystem::create_directories(dir);
  model::LanguageModel::randomInit(config, seed).save(dir);
  for (const char* file : {"tokenizer.json", "tokenizer_config.json"}) {
    std::filesystem::copy_file(kWorld / file, dir / file,
                               std::filesystem::copy_options::overwrite_existing);
  }
}

InProcessServer::InProcessServer(const std::filesystem::path& dir,
                                 serve::CompletionServerOptions options, int64_t maxBatch)
    : model_(model::LanguageModel::load(dir)),
      tokenizer_(tokenizer::Tokenizer::fromDirectory(dir)) {
  engine_ = std::make_unique<model::DecodeEngine>(
      model_, model::DecodeEngineOptions{.maxBatchRows = maxBatch});
  if (options.modelName.empty()) options.modelName = "tiny";
  server_ = std::make_unique<serve::CompletionServer>(*engine_, tokenizer_, options);
  port_ = server_->bind("127.0.0.1", 0);
  thread_ = std::make_unique<std::thread>([this] { server_->serve(); });
}

InProcessServer::~InProcessServer() {
  server_->stop();
  thread_->join();
  server_.reset();
  engine_.reset();
}

namespace {

httplib::Client client(int port) {
  httplib::Client http("127.0.0.1", port);
  http.set_read_timeout(120, 0);
  http.set_write_timeout(30, 0);
  return http;
}

httplib::Headers toHeaders(const Headers& headers) {
  httplib::Headers result;
  for (const auto& [name, value] : headers) result.emplace(name, value);
  return result;
}

HttpReply reply(const httplib::Result& result) {
  if (!result) return {};
  return {result->status, result->body};
}

}  // namespace

HttpReply httpGet(int port, const std::string& path, const Headers& headers) {
  auto http = client(port);
  return reply(http.Get(path, toHeaders(headers)));
}

HttpReply httpPost(int port, const std::string& path, const std::string& body,
                   const Headers& headers) {
  auto http = client(port);
  return reply(http.Post(path, toHeaders(headers), body, "application/json"));
}

HttpReply httpPostStreaming(int port, const std::string& path, const std::string& body,
                            const std::function<bool(std::string_view)>& onData) {
  auto http = client(port);
  httplib::Request request;
  request.method = "POST";
  request.path = path;
  request.body = body;
  request.set_header("Content-Type", "application/json");
  HttpReply answer;
  request.content_receiver = [&](const char* data, std::size_t length, uint64_t, uint64_t) {
    answer.body.append(data, length);
    return onData(std::string_view(data, length));
  };
  auto result = http.send(request);
  if (result) answer.status = result->status;
  return answer;
}

std::vector<std::string> sseData(const std::string& stream) {
  std::vector<std::string> events;
  std::size_t start = 0;
  while (start < stream.size()) {
    std::size_t end = stream.find("\n\n", start);
    if (end == std::string::npos) break;
    std::string event = stream.substr(start, end - start);
    if (event.rfind("data: ", 0) == 0) events.push_back(event.substr(6));
    start = end + 2;
  }
  return events;
}

}  // namespace astro::test
