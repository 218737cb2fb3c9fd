// Fuzz target for `astro analyze --import`'s parser of untrusted dumps: the input is a JSONL file
// read with format detection per line (plain, chat, verl), then once with each format forced.
// The generation-formats plugin is registered in-process through its C entry point. Any crash,
// sanitizer report or hang is a finding; bad lines themselves are expected.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/analysis/generation_import.h"
#include "core/base/error.h"
#include "core/plugin/astro_plugin.h"
#include "core/plugin/c_generation_reader.h"

extern "C" int astro_plugin_register(const AstroPluginHost* host);

namespace {

int addFormat(const AstroPluginHost*, const AstroGenerationFormatV1* format) {
  astro::analysis::generationReaderRegistry().add(
      astro::plugin::wrapGenerationFormat(*format, "generation-formats"));
  return 0;
}

void fail(const AstroPluginHost*, const char*) {}

bool registerFormats() {
  AstroPluginHost host{};
  host.struct_size = sizeof(host);
  host.api_version = ASTRO_PLUGIN_API_VERSION;
  host.host_version = "fuzz";
  host.add_generation_format = addFormat;
  host.fail = fail;
  return astro_plugin_register(&host) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool registered = registerFormats();
  (void)registered;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const char* format : {"auto", "plain", "chat", "verl"}) {
    astro::analysis::ImportOptions options;
    options.format = format;
    (void)astro::analysis::parseGenerations(text, "fuzz.jsonl", nullptr, options);
  }
  return 0;
}
