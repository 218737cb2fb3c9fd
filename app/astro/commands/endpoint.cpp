// `astro endpoint check URL [--api-key-env VAR] [--timeout S]`: reaches an OpenAI-compatible
// server (vLLM, SGLang, llama.cpp server, `astro serve`) and prints the models it serves and the
// round-trip time of GET /models; a clear message naming the URL and exit 1 when it cannot.
#include <cstdio>
#include <memory>

#include "app/astro/command_registry.h"
#include "core/endpoint/endpoint_check.h"

namespace {

struct CheckOptions {
  std::string url;
  astro::endpoint::EndpointCheckOptions check;
};

void runCheck(const CheckOptions& options) {
  astro::endpoint::EndpointCheck result =
      astro::endpoint::checkEndpoint(options.url, options.check);
  std::printf("endpoint %s\n", result.url.c_str());
  std::printf("models (%zu):\n", result.models.size());
  for (const std::string& model : result.models) std::printf("  %s\n", model.c_str());
  std::printf("round trip: %.1f ms (median of %d GET /models)\n", result.roundTripMs,
              options.check.probes);
}

const astro::cli::CommandRegistration kEndpoint{
    "41-endpoint", [](CLI::App& root) {
      CLI::App& group = astro::cli::commandGroup(
          root, "endpoint",
          "OpenAI-compatible inference servers that stages can sample from (docs/serving.md)");
      auto options = std::make_shared<CheckOptions>();
      CLI::App* check = group.add_subcommand(
          "check",
          "GET URL/models: print the served model ids and the round-trip time (median of 3).\n"
          "Exits 1 with a message naming the URL when the server is unreachable, refuses the\n"
          "key or answers something that is not a model list.");
      check->add_option("URL", options->url, "Base URL, e.g. http://gpu-node:8000/v1")->required();
      check->add_option("--api-key-env", options->check.apiKeyEnv,
                        "Environment variable holding the API key (sent as a Bearer token)");
      check
          ->add_option("--timeout", options->check.timeoutSeconds,
                       "Seconds to wait for the connection and for each answer")
          ->check(CLI::Range(0.001, 3600.0))
          ->capture_default_str();
      check->callback([options] { runCheck(*options); });
    }};

}  // namespace
