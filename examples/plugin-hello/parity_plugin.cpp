// A toy problem domain, "parity": it claims the problems whose source is "parity" and grades an
// output by its last "even" or "odd" against the gold answer. Uses astro_plugin.h only.
#include <astro_plugin.h>

#include <cstdio>
#include <cstring>
#include <string_view>

namespace {

int claims(void*, const AstroProblem* problem) {
  return problem->source && std::strcmp(problem->source, "parity") == 0;
}

int grade(void*, const AstroProblem* problem, const char* output, size_t output_size,
          AstroVerdict* verdict) {
  std::string_view text(output, output_size);
  size_t even = text.rfind("even"), odd = text.rfind("odd");
  if (even == text.npos && odd == text.npos) return 0;  // answer_found stays 0
  bool isEven = odd == text.npos || (even != text.npos && even > odd);
  const char* answer = isEven ? "even" : "odd";
  verdict->answer_found = 1;
  verdict->answer_offset = isEven ? even : odd;
  verdict->correct = problem->answer && std::strcmp(problem->answer, answer) == 0;
  std::snprintf(verdict->extracted, verdict->extracted_size, "%s", answer);
  std::snprintf(verdict->rule, verdict->rule_size, "%s", "last even/odd");
  return 0;
}

// Everything the host keeps a pointer to is static: it lives as long as the process.
const AstroPluginManifest kManifest = {.api_version = ASTRO_PLUGIN_API_VERSION,
                                       .name = "parity",
                                       .version = "1.0.0",
                                       .description = "Toy domain: is the number even or odd?",
                                       .provides = "domain:parity"};
const AstroDomainV1 kDomain = {.struct_size = sizeof(AstroDomainV1),
                               .name = "parity",
                               .description = "even or odd, the last one named wins",
                               .context = nullptr,
                               .claims = claims,
                               .grade = grade,
                               .accepts_step = nullptr};  // steps are free text

}  // namespace

extern "C" ASTRO_PLUGIN_EXPORT const AstroPluginManifest* astro_plugin_manifest(void) {
  return &kManifest;
}

extern "C" ASTRO_PLUGIN_EXPORT int astro_plugin_register(const AstroPluginHost* host) {
  if (host->add_domain(host, &kDomain) != 0) return 1;  // the host recorded why
  return 0;
}
