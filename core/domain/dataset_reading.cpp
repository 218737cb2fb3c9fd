// domain::loadDataset (dataset_reading.h).
#include "core/domain/dataset_reading.h"

#include "core/domain/domain_registry.h"

namespace astro::domain {

math::LoadedDataset loadDataset(const std::filesystem::path& path, math::LoadOptions options) {
  for (math::RecordReader& reader : domainRegistry().datasetReaders()) {
    options.readers.push_back(std::move(reader));
  }
  return math::loadDataset(path, options);
}

}  // namespace astro::domain
