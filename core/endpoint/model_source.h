// Where a sampling stage's tokens come from: a checkpoint folder run by the built-in engine on this
// process's device, or an OpenAI-compatible completions server (EndpointConfig; docs/serving.md).
// Search, evaluation and prompt curation open their model through here and see only a
// model::Sampler.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/endpoint/endpoint_config.h"
#include "core/model/sampler.h"

namespace astro::endpoint {

struct ModelSource {
  std::filesystem::path folder;  // Hugging Face checkpoint (used when there is no endpoint)
  std::optional<EndpointConfig> endpoint;

  // The folder holding tokenizer.json: the endpoint's tokenizer, else `folder`.
  std::filesystem::path tokenizerFolder() const;
};

// Loads the checkpoint onto `device` ("cpu", "cuda[:N]") or connects to the endpoint (no request
// is sent until the first generate). Throws what LanguageModel::load or EndpointSampler throw.
std::unique_ptr<model::Sampler> openSampler(const ModelSource& source, const std::string& device);

}  // namespace astro::endpoint
