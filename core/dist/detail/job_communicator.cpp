#include "core/dist/detail/job_communicator.h"

#include <cstdlib>
#include <mutex>
#include <string>

#include "core/base/error.h"

namespace astro::dist::detail {

std::chrono::milliseconds jobTimeout() {
  const char* text = std::getenv("ASTRO_DIST_TIMEOUT");
  if (text == nullptr || *text == '\0') return std::chrono::seconds(1800);
  char* end = nullptr;
  double seconds = std::strtod(text, &end);
  if (end == text || *end != '\0' || !(seconds > 0)) {
    throw UsageError(std::string("ASTRO_DIST_TIMEOUT='") + text +
                     "' is not a positive number of seconds");
  }
  return std::chrono::milliseconds(std::int64_t(seconds * 1000));
}

std::shared_ptr<Communicator> jobCommunicator(const torch::Device& device) {
  static std::mutex mutex;
  static std::shared_ptr<Communicator> communicator;
  std::lock_guard lock(mutex);
  if (!communicator) {
    auto environment = distEnvironmentFromProcess();
    communicator = environment.distributed()
                       ? Communicator::connect(environment, device, jobTimeout())
                       : Communicator::single();
  }
  return communicator;
}

}  // namespace astro::dist::detail
