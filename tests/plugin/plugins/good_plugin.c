/* The well-behaved test plugin, in plain C (the ABI must not need C++): a toy domain,
 * "toy-parity", which claims problems whose source is "parity" and grades the text after the
 * last "ANSWER:" exactly against the gold answer, rejecting a step that reads "bad"; and a toy
 * generation format, "toy-lines": TOY|prompt|completion|answer. */
#include <stdio.h>
#include <string.h>

#include "astro_plugin.h"

static int claims(void* context, const AstroProblem* problem) {
  (void)context;
  return strcmp(problem->source, "parity") == 0;
}

static int grade(void* context, const AstroProblem* problem, const char* output, size_t output_size,
                 AstroVerdict* verdict) {
  static const char marker[] = "ANSWER:";
  size_t at = output_size;
  (void)context;
  for (size_t i = 0; i + sizeof marker - 1 <= output_size; ++i) {
    if (memcmp(output + i, marker, sizeof marker - 1) == 0) at = i;
  }
  snprintf(verdict->rule, verdict->rule_size, "exact");
  if (at == output_size) return 0;
  size_t start = at + sizeof marker - 1;
  while (start < output_size && output[start] == ' ') ++start;
  size_t length = output_size - start;
  snprintf(verdict->extracted, verdict->extracted_size, "%.*s", (int)length, output + start);
  verdict->answer_found = 1;
  verdict->answer_offset = start;
  verdict->correct =
      strlen(problem->answer) == length && memcmp(problem->answer, output + start, length) == 0;
  return 0;
}

static int accepts_step(void* context, const AstroProblem* problem, const char* const* steps,
                        const size_t* step_sizes, size_t step_count, const char* step,
                        size_t step_size) {
  (void)context, (void)problem, (void)steps, (void)step_sizes, (void)step_count;
  return !(step_size == 3 && memcmp(step, "bad", 3) == 0);
}

static int detects(void* context, const char* line, size_t line_size) {
  (void)context;
  return line_size >= 4 && memcmp(line, "TOY|", 4) == 0;
}

/* Splits TOY|prompt|completion|answer into `fields`, which the record points into. */
static char fields[4096];

static int read_line(void* context, const char* line, size_t line_size,
                     AstroGenerationRecord* record, char* error, size_t error_size) {
  (void)context;
  if (line_size >= sizeof fields) {
    snprintf(error, error_size, "line longer than %zu bytes", sizeof fields);
    return 1;
  }
  memcpy(fields, line, line_size);
  fields[line_size] = '\0';
  char* parts[4] = {0};
  char* cursor = fields;
  for (int i = 0; i < 4; ++i) {
    parts[i] = cursor;
    cursor = strchr(cursor, '|');
    if (cursor == NULL) {
      if (i < 3) {
        snprintf(error, error_size, "answer: missing (need TOY|prompt|completion|answer)");
        return 1;
      }
      break;
    }
    *cursor++ = '\0';
  }
  record->prompt = parts[1];
  record->completion = parts[2];
  record->answer = parts[3];
  return 0;
}

static const AstroPluginManifest manifest = {ASTRO_PLUGIN_API_VERSION, "test-good", "1.2.3",
                                             "toy domain and format for the plugin tests",
                                             "domain:toy-parity,format:toy-lines"};

ASTRO_PLUGIN_EXPORT const AstroPluginManifest* astro_plugin_manifest(void) { return &manifest; }

ASTRO_PLUGIN_EXPORT int astro_plugin_register(const AstroPluginHost* host) {
  /* Descriptors on the stack: the host copies them (only the strings must stay). */
  AstroDomainV1 domain = {
      sizeof(AstroDomainV1), "toy-parity", "toy parity domain", NULL, claims, grade, accepts_step};
  AstroGenerationFormatV1 format = {sizeof(AstroGenerationFormatV1),
                                    "toy-lines",
                                    "TOY|prompt|completion|answer",
                                    NULL,
                                    detects,
                                    read_line};
  if (host->add_domain(host, &domain) != 0) return 1;
  if (host->add_generation_format(host, &format) != 0) return 1;
  return 0;
}
