// The deliberately broken test plugins, one per build (BAD_PLUGIN_KIND picks): each fails in
// one way the host must refuse without going down or keeping anything it registered.
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "astro_plugin.h"

#define KIND_WRONG_API 1
#define KIND_NO_REGISTER 2
#define KIND_FAILS 3
#define KIND_THROWS 4
#define KIND_CRASHES 5
#define KIND_HANGS 6
#define KIND_DUPLICATE_DOMAIN 7
#define KIND_NO_NAME 8
#define KIND_ABORTS 9
#define KIND_FAILS_IN_PROCESS 10
#define KIND_BAD_PHRASES 11

namespace {

int claims(void*, const AstroProblem*) { return 1; }
int grade(void*, const AstroProblem*, const char*, size_t, AstroVerdict*) { return 0; }

// A valid domain registered before failing, to show that nothing of a refused plugin stays.
[[maybe_unused]] int addDomain(const AstroPluginHost* host, const char* name) {
  AstroDomainV1 domain = {
      sizeof(AstroDomainV1), name, "left behind?", nullptr, claims, grade, nullptr};
  return host->add_domain(host, &domain);
}

#if BAD_PLUGIN_KIND == KIND_WRONG_API
const AstroPluginManifest kManifest = {2, "test-wrong-api", "1.0", "built for API 2", ""};
#elif BAD_PLUGIN_KIND == KIND_NO_NAME
const AstroPluginManifest kManifest = {ASTRO_PLUGIN_API_VERSION, nullptr, "1.0", "", ""};
#else
const AstroPluginManifest kManifest = {ASTRO_PLUGIN_API_VERSION, BAD_PLUGIN_NAME, "1.0",
                                       "a broken test plugin", ""};
#endif

}  // namespace

extern "C" ASTRO_PLUGIN_EXPORT const AstroPluginManifest* astro_plugin_manifest(void) {
  return &kManifest;
}

#if BAD_PLUGIN_KIND != KIND_NO_REGISTER
extern "C" ASTRO_PLUGIN_EXPORT int astro_plugin_register(const AstroPluginHost* host) {
#if BAD_PLUGIN_KIND == KIND_FAILS
  addDomain(host, "toy-failed");
  host->fail(host, "toy reason: the data file is missing");
  return 1;
#elif BAD_PLUGIN_KIND == KIND_THROWS
  addDomain(host, "toy-thrown");
  throw std::runtime_error("toy exception");
#elif BAD_PLUGIN_KIND == KIND_CRASHES
  addDomain(host, "toy-crashed");
  volatile int* nowhere = nullptr;
  *nowhere = 1;  // a real segmentation fault, not a raise()
  return 0;
#elif BAD_PLUGIN_KIND == KIND_ABORTS
  addDomain(host, "toy-aborted");
  std::abort();
#elif BAD_PLUGIN_KIND == KIND_HANGS
  addDomain(host, "toy-hung");
  for (;;) pause();
#elif BAD_PLUGIN_KIND == KIND_FAILS_IN_PROCESS
  // Passes the probe, fails in the host: the in-process safety net must drop what it added.
  char executable[4096] = {};
  readlink("/proc/self/exe", executable, sizeof executable - 1);
  if (std::strstr(executable, "astro-plugin-probe") != nullptr) return 0;
  addDomain(host, "toy-in-process");
  host->fail(host, "fails only outside the probe");
  return 1;
#elif BAD_PLUGIN_KIND == KIND_BAD_PHRASES
  // Steps one per line, but a reflection written over two lines: it would read as two steps.
  AstroDomainV1 domain = {
      sizeof(AstroDomainV1), "toy-split-reflection", "", nullptr, claims, grade, nullptr};
  domain.step_delimiter = "\n";
  domain.phrase_set_json =
      "{\"id\": \"split\", \"reflections\": [\"Wait.\\nIs this right?\"], "
      "\"backtracks\": [\"Back to \\\"{step}\\\".\"], \"restarts\": [\"Over.\"], "
      "\"answer_checks\": [\"Fine.\"], \"final_answers\": [\"\\\\boxed{{answer}}\"]}";
  return host->add_domain(host, &domain);
#elif BAD_PLUGIN_KIND == KIND_DUPLICATE_DOMAIN
  addDomain(host, "toy-beside-math");
  return addDomain(host, "math");
#else
  return addDomain(host, "toy-unreachable");
#endif
}
#endif
