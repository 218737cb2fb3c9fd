// `astro serve`: a checkpoint behind an OpenAI-compatible HTTP API (/v1/models, /v1/completions,
// /v1/chat/completions, streamed or not), decoded with continuous batching so concurrent requests
// share decode steps (core/serve, core/model/decode_engine.h, docs/serving.md). Binds loopback
// unless told otherwise; prints one "serving NAME on http://HOST:PORT/v1" line when ready;
// SIGINT or SIGTERM stops it.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <thread>

#include "app/astro/command_registry.h"
#include "core/base/error.h"
#include "core/model/decode_engine.h"
#include "core/model/language_model.h"
#include "core/model/runtime.h"
#include "core/serve/completion_server.h"
#include "core/tokenizer/tokenizer.h"

namespace {

struct ServeOptions {
  std::string model;
  std::string tokenizer;  // "": the model folder
  std::string host = "127.0.0.1";
  int port = 8000;
  std::string apiKey;
  std::string servedModelName;
  int64_t maxBatch = 64;
  std::size_t maxBodyBytes = std::size_t(8) << 20;
  std::string device = "cpu";
  int threads = 0;
  int httpThreads = 64;
};

std::string folderName(const std::filesystem::path& folder) {
  auto normal = folder.lexically_normal();
  if (normal.filename().empty()) normal = normal.parent_path();
  return std::filesystem::absolute(normal).filename().string();
}

std::string urlHost(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

// SIGINT and SIGTERM stop the server. A handler only writes a byte to a pipe (async-signal-safe)
// and one waiting thread reads it and stops the server (a handler may not take locks). A handler
// rather than sigwait with the signals blocked: a thread started before this object (a library's
// pool) would not block them, and the kernel may deliver SIGTERM to it, which killed the process
// instead of stopping it (seen on a fresh Debian 12: serve_openai_node_test, CrashExit).
class StopSignals {
 public:
  StopSignals() {
    if (::pipe2(pipe_, O_CLOEXEC) != 0) throw astro::IoError("astro serve", "pipe", errno);
    writeEnd.store(pipe_[1]);
    struct sigaction action {};
    action.sa_handler = &StopSignals::onStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, &previousInt_);
    ::sigaction(SIGTERM, &action, &previousTerm_);
  }
  void onSignal(std::function<void()> stop) {
    waiter_ = std::thread([this, stop = std::move(stop)] {
      char byte = 0;
      while (::read(pipe_[0], &byte, 1) < 0 && errno == EINTR) {
      }
      if (!ending_) stop();
    });
  }
  // Runs after the server is gone (it was made later): wakes the waiter without calling stop.
  ~StopSignals() {
    ::sigaction(SIGINT, &previousInt_, nullptr);
    ::sigaction(SIGTERM, &previousTerm_, nullptr);
    if (waiter_.joinable()) {
      ending_ = true;
      const char byte = 'e';
      [[maybe_unused]] ssize_t written = ::write(pipe_[1], &byte, 1);
      waiter_.join();
    }
    writeEnd.store(-1);
    ::close(pipe_[0]);
    ::close(pipe_[1]);
  }

 private:
  static void onStopSignal(int) {
    const int saved = errno;
    const int fd = writeEnd.load();
    const char byte = 's';
    if (fd >= 0) {
      [[maybe_unused]] ssize_t written = ::write(fd, &byte, 1);
    }
    errno = saved;
  }
  static_assert(std::atomic<int>::is_always_lock_free, "read from a signal handler");
  static inline std::atomic<int> writeEnd{-1};
  int pipe_[2] = {-1, -1};
  struct sigaction previousInt_ {};
  struct sigaction previousTerm_ {};
  std::atomic<bool> ending_{false};
  std::thread waiter_;
};

void runServe(const ServeOptions& options) {
  std::filesystem::path folder = options.model;
  std::filesystem::path tokenizerDir =
      options.tokenizer.empty() ? folder : std::filesystem::path(options.tokenizer);
  if (!std::filesystem::exists(tokenizerDir / "tokenizer.json")) {
    throw astro::UsageError(
        (tokenizerDir / "tokenizer.json").string() +
        " is missing: astro serve needs the model's tokenizer (--tokenizer DIR)");
  }
  std::string apiKey = options.apiKey;
  if (const char* fromEnvironment = std::getenv("ASTRO_SERVE_API_KEY");
      apiKey.empty() && fromEnvironment) {
    apiKey = fromEnvironment;
  }
  std::signal(SIGPIPE, SIG_IGN);  // a client that hangs up is a failed write, not a dead server
  StopSignals stopSignals;

  auto tokenizer = astro::tokenizer::Tokenizer::fromDirectory(tokenizerDir);
  astro::model::initTorchRuntime(options.threads);
  auto model = astro::model::LanguageModel::load(folder, options.device);
  astro::model::DecodeEngine engine(model, {.maxBatchRows = options.maxBatch});
  std::string name = options.servedModelName.empty() ? folderName(folder) : options.servedModelName;
  astro::serve::CompletionServer server(
      engine, tokenizer,
      {.modelName = name,
       .apiKey = apiKey,
       .maxBodyBytes = options.maxBodyBytes,
       .httpThreads = options.httpThreads});
  int port = server.bind(options.host, options.port);
  stopSignals.onSignal([&server] { server.stop(); });
  std::cout << "serving " << name << " on http://" << urlHost(options.host) << ":" << port << "/v1"
            << std::endl;
  server.serve();
  std::cerr << "astro serve: stopped" << std::endl;
}

const astro::cli::CommandRegistration kServe{
    "31-serve", [](CLI::App& root) {
      auto options = std::make_shared<ServeOptions>();
      CLI::App* command = root.add_subcommand(
          "serve",
          "Serve a model over an OpenAI-compatible HTTP API (completions, chat, streaming)");
      command->footer(
          "Requests that arrive together are decoded together (continuous batching).\n"
          "Choice j of a request with seed s draws from the generator seeded s + j (one\n"
          "choice: what LanguageModel::generate draws with rowSeeds {s}). Prints 'serving NAME on "
          "http://HOST:PORT/v1' when ready; SIGINT or\n"
          "SIGTERM stops it. See docs/serving.md for the fields each route accepts.");
      command
          ->add_option("--model", options->model, "Checkpoint folder (config.json, *.safetensors)")
          ->required()
          ->check(CLI::ExistingDirectory);
      command
          ->add_option("--tokenizer", options->tokenizer,
                       "Folder with tokenizer.json (default: the model folder)")
          ->check(CLI::ExistingDirectory);
      command->add_option("--host", options->host,
                          "Address to bind (default 127.0.0.1; 0.0.0.0 exposes it to the network)");
      command->add_option("--port", options->port, "TCP port (0: a free one, printed when ready)")
          ->check(CLI::Range(0, 65535));
      command->add_option("--api-key", options->apiKey,
                          "Refuse requests without 'Authorization: Bearer KEY' "
                          "(default: $ASTRO_SERVE_API_KEY, else no key)");
      command->add_option("--served-model-name", options->servedModelName,
                          "Model name in /v1/models and requests (default: the folder's name)");
      command->add_option("--max-batch", options->maxBatch, "Rows decoded together at most")
          ->check(CLI::Range(int64_t(1), int64_t(4096)));
      command
          ->add_option("--max-body-bytes", options->maxBodyBytes,
                       "Largest request body accepted (413 above)")
          ->check(CLI::Range(std::size_t(1024), std::size_t(1) << 30));
      command
          ->add_option("--http-threads", options->httpThreads,
                       "Connections served at once (a streaming client holds one)")
          ->check(CLI::Range(1, 4096));
      command->add_option("--device", options->device, "cpu or cuda[:N]");
      command->add_option("--threads", options->threads, "Torch threads (0: all cores)")
          ->check(CLI::Range(0, 1024));
      command->callback([options] { runServe(*options); });
    }};

}  // namespace
