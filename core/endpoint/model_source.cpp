// Opening a stage's model (model_source.h): the built-in engine or an endpoint client.
#include "core/endpoint/model_source.h"

#include "core/endpoint/endpoint_sampler.h"
#include "core/model/language_model.h"

namespace astro::endpoint {

std::filesystem::path ModelSource::tokenizerFolder() const {
  return endpoint ? endpoint->tokenizer : folder;
}

std::unique_ptr<model::Sampler> openSampler(const ModelSource& source, const std::string& device) {
  if (source.endpoint) return std::make_unique<EndpointSampler>(*source.endpoint);
  return std::make_unique<model::LanguageModel>(model::LanguageModel::load(source.folder, device));
}

}  // namespace astro::endpoint
