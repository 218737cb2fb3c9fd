// The generation-formats plugin: registers the "chat" and "verl" formats of `astro analyze
// --import` through the C ABI (astro_plugin.h). Each format's context holds the text of the last
// record read, which the record's pointers refer to until the next call; nothing throws across
// the boundary (a LineError becomes the error text, anything else a generic message).
#include <algorithm>
#include <cstring>
#include <exception>
#include <string>

#include "astro_plugin.h"
#include "chat_format.h"
#include "verl_format.h"

namespace generation_formats {

namespace {

struct FormatContext {
  bool (*detects)(std::string_view line);
  Sample (*read)(std::string_view line);
  Sample last;  // what the record of the last read points into
};

FormatContext chatContext{detectsChat, readChat, {}};
FormatContext verlContext{detectsVerl, readVerl, {}};

void writeError(char* error, std::size_t errorSize, const char* message) {
  if (error == nullptr || errorSize == 0) return;
  std::size_t length = std::min(std::strlen(message), errorSize - 1);
  std::memcpy(error, message, length);
  error[length] = '\0';
}

const char* textOrNull(const std::string& text) { return text.empty() ? nullptr : text.c_str(); }

int detects(void* context, const char* line, size_t lineSize) {
  try {
    return static_cast<FormatContext*>(context)->detects(std::string_view(line, lineSize)) ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

int read(void* context, const char* line, size_t lineSize, AstroGenerationRecord* record,
         char* error, size_t errorSize) {
  auto* format = static_cast<FormatContext*>(context);
  try {
    format->last = format->read(std::string_view(line, lineSize));
  } catch (const LineError& e) {
    writeError(error, errorSize, e.what());
    return 1;
  } catch (const std::exception& e) {
    writeError(error, errorSize, (std::string("internal error: ") + e.what()).c_str());
    return 1;
  } catch (...) {
    writeError(error, errorSize, "internal error");
    return 1;
  }
  const Sample& sample = format->last;
  // prompt and completion are always there (the chat prompt may be empty); the rest may be absent.
  record->prompt = sample.prompt.c_str();
  record->completion = sample.completion.c_str();
  record->answer = textOrNull(sample.answer);
  record->checkpoint = textOrNull(sample.checkpoint);
  record->benchmark = textOrNull(sample.benchmark);
  record->id = textOrNull(sample.id);
  record->has_score = sample.score ? 1 : 0;
  record->score = sample.score.value_or(0.0);
  return 0;
}

const AstroGenerationFormatV1 kChat{
    .struct_size = sizeof(AstroGenerationFormatV1),
    .name = "chat",
    .description =
        "JSONL {messages: [{role, content}, ...], answer, ...}: the last assistant "
        "message and the last user message before it",
    .context = &chatContext,
    .detects = detects,
    .read = read};

const AstroGenerationFormatV1 kVerl{
    .struct_size = sizeof(AstroGenerationFormatV1),
    .name = "verl",
    .description = "verl rollout/validation dumps {input, output, score, step, gts, data_source}",
    .context = &verlContext,
    .detects = detects,
    .read = read};

const AstroPluginManifest kManifest{
    .api_version = ASTRO_PLUGIN_API_VERSION,
    .name = "generation-formats",
    .version = "1.0.0",
    .description = "Generation formats for astro analyze: chat (messages) and verl (rollout dumps)",
    .provides = "format:chat,format:verl"};

}  // namespace

}  // namespace generation_formats

extern "C" ASTRO_PLUGIN_EXPORT const AstroPluginManifest* astro_plugin_manifest(void) {
  return &generation_formats::kManifest;
}

extern "C" ASTRO_PLUGIN_EXPORT int astro_plugin_register(const AstroPluginHost* host) {
  if (host == nullptr || host->add_generation_format == nullptr) return 1;
  for (const AstroGenerationFormatV1* format :
       {&generation_formats::kChat, &generation_formats::kVerl}) {
    if (host->add_generation_format(host, format) != 0) {
      host->fail(host, (std::string("could not add format ") + format->name).c_str());
      return 1;
    }
  }
  return 0;
}
