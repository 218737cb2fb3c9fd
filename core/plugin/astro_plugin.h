/* The C ABI between Astro Studio and its plugins, version 1 (issue #22, DESIGN.md "Problem
 * domains"). A plugin is a shared library that exports two C functions:
 *
 *   const AstroPluginManifest* astro_plugin_manifest(void);
 *   int astro_plugin_register(const AstroPluginHost* host);
 *
 * The host reads the manifest first and refuses the plugin, without calling anything else, when
 * its api_version is not the host's ASTRO_PLUGIN_API_VERSION. astro_plugin_register then adds
 * what the plugin provides through the host's functions and returns 0, or returns non-zero after
 * host->fail(host, "why"): the host then drops everything it registered. Nothing may throw or
 * longjmp across this boundary; the host catches a C++ exception that escapes anyway, and a
 * plugin that crashes while registering is caught in a probe process and refused.
 *
 * Only C types cross: strings are NUL-terminated UTF-8, owned by the side that passes them and
 * valid for the call (the manifest and every descriptor's strings for the whole process: keep
 * them static). Version 1 lets a plugin add:
 *   - a problem domain: its name, which problems it claims (what `verifier = "auto"` picks), how
 *     it grades an output against a gold answer, and optionally a per-step check for search and
 *     a reader of its own dataset format;
 *   - a generation format for `astro analyze --import`: how one JSONL line of another system's
 *     dump reads as prompt, completion, gold answer, checkpoint, benchmark and id.
 * A new member is added only at the end of a struct, whose struct_size says how far a caller's
 * copy goes; a change that breaks an existing member bumps ASTRO_PLUGIN_API_VERSION. */
#ifndef ASTRO_PLUGIN_H
#define ASTRO_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ASTRO_PLUGIN_API_VERSION 1u

#if defined(__GNUC__)
#define ASTRO_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define ASTRO_PLUGIN_EXPORT
#endif

typedef struct AstroPluginManifest {
  uint32_t api_version;    /* ASTRO_PLUGIN_API_VERSION the plugin was built against */
  const char* name;        /* unique among plugins: "gsm8k" */
  const char* version;     /* the plugin's own version: "1.0.0" */
  const char* description; /* one line for `astro plugins` and Help > Plugins */
  const char* provides;    /* what it registers, comma-separated: "domain:gsm8k" */
} AstroPluginManifest;

/* One problem, as the host's dataset reader made it. extra_json is the problem's domain fields
 * as a JSON object ("{}" when none). */
typedef struct AstroProblem {
  const char* id;
  const char* question;
  const char* answer; /* the gold final answer */
  const char* source; /* dataset name: "gsm8k", "math500" */
  const char* extra_json;
} AstroProblem;

/* A grade, filled by the plugin. The host zeroes it and passes buffers for the two strings. */
typedef struct AstroVerdict {
  int correct;
  int answer_found;     /* 0: no final answer could be extracted */
  char* extracted;      /* the final answer as found (truncated to extracted_size - 1 bytes) */
  size_t extracted_size;
  char* rule;           /* which rule decided: "numeric", "exact" */
  size_t rule_size;
  size_t answer_offset; /* byte offset of the answer in the output */
} AstroVerdict;

/* One problem as a domain's dataset reader reads it from a JSONL record. The host zeroes it; the
 * plugin points each field at NUL-terminated text it owns until its next call on the domain. */
typedef struct AstroDatasetRecord {
  const char* id;         /* NULL or "": the host names it "<file stem>:<line>" */
  const char* question;   /* required, non-empty */
  const char* answer;     /* required: the gold final answer, as grade will compare it */
  const char* solution;   /* NULL: none; a worked solution, as SFT on gold solutions reads it */
  const char* extra_json; /* NULL or a JSON object: domain fields grade will see in extra_json */
} AstroDatasetRecord;

typedef struct AstroDomainV1 {
  size_t struct_size; /* sizeof(AstroDomainV1) as the plugin was compiled */
  const char* name;   /* the registry key and `verifier = "..."` value: "gsm8k" */
  const char* description;
  void* context;      /* passed back to every callback */
  /* 1 when this domain's verifier can grade the problem. */
  int (*claims)(void* context, const AstroProblem* problem);
  /* Grades output[0, output_size) against problem->answer; returns 0, or non-zero on an internal
   * error (the host counts the sample as ungraded and says why). */
  int (*grade)(void* context, const AstroProblem* problem, const char* output, size_t output_size,
               AstroVerdict* verdict);
  /* Optional (NULL: steps are free text): 1 when `step` may follow `steps[0..step_count)`. */
  int (*accepts_step)(void* context, const AstroProblem* problem, const char* const* steps,
                      const size_t* step_sizes, size_t step_count, const char* step,
                      size_t step_size);
  /* Added to version 1's first layout; struct_size tells the host whether a plugin has them. */
  /* Optional dataset reader, both or neither (NULL: the domain's datasets are in a format the host
   * reads: MATH, AMC/AIME, GSM8K or {"problem", "answer"} JSONL). When a dataset is loaded, each
   * domain's reads_record is asked, in registration order and before the host's own formats,
   * about the file's records until one answers 1; that domain's read_record then reads every
   * record of the file. `record` is one JSONL line that the host has checked to be a JSON
   * object. read_record returns 0, or non-zero after writing the faulty field's name into
   * field[0, field_size) ("" for the whole record) and why into error[0, error_size): the host
   * reports "<file>:<line>: field '<field>': <error>" or, when told to skip bad lines, skips it. */
  int (*reads_record)(void* context, const char* record, size_t record_size);
  int (*read_record)(void* context, const char* record, size_t record_size,
                     AstroDatasetRecord* problem, char* field, size_t field_size, char* error,
                     size_t error_size);
  /* Optional (NULL: "\n\n", a blank line): the text between two steps of a solution. Search cuts
   * each proposed step at it, procedure cloning joins a trace's steps with it and the detector
   * splits generated traces on it. Must not be empty. */
  const char* step_delimiter;
  /* Optional (NULL: the host's astro-default-v1): the domain's phrase set as the JSON of
   * resources/phrases/astro_default.json ({"id", "reflections", "backtracks", "restarts",
   * "answer_checks", "final_answers"}), used wherever a run names no phrase set. No phrase may
   * contain the step delimiter. The host checks both at registration and refuses the domain,
   * naming the field, when either is wrong. */
  const char* phrase_set_json;
} AstroDomainV1;

/* One line of another system's generation dump, as a generation format reads it. The host
 * zeroes it; the plugin points each field at NUL-terminated text it owns until its next call
 * (NULL: absent). */
typedef struct AstroGenerationRecord {
  const char* prompt;
  const char* completion;
  const char* answer;     /* gold answer */
  const char* checkpoint; /* or a step number as text */
  const char* benchmark;
  const char* id;
  int has_score;          /* 1: the dump graded it itself, `score` holds that grade */
  double score;
} AstroGenerationRecord;

typedef struct AstroGenerationFormatV1 {
  size_t struct_size;
  const char* name; /* `astro analyze --format NAME`: "verl" */
  const char* description;
  void* context;
  /* 1 when a line looks like this format (auto-detection, tried in registration order). */
  int (*detects)(void* context, const char* line, size_t line_size);
  /* Reads one line; returns 0, or non-zero after writing why (naming the field) into
   * error[0, error_size). Calls on one context never overlap. */
  int (*read)(void* context, const char* line, size_t line_size, AstroGenerationRecord* record,
              char* error, size_t error_size);
} AstroGenerationFormatV1;

typedef struct AstroPluginHost AstroPluginHost;
struct AstroPluginHost {
  size_t struct_size;
  uint32_t api_version;
  const char* host_version; /* Astro Studio's version: "0.1.0" */
  void* host_context;
  /* Each returns 0, or non-zero when refused (the reason is kept for `astro plugins`). */
  int (*add_domain)(const AstroPluginHost* host, const AstroDomainV1* domain);
  int (*add_generation_format)(const AstroPluginHost* host, const AstroGenerationFormatV1* format);
  /* Records why registration fails; call it, then return non-zero from astro_plugin_register. */
  void (*fail)(const AstroPluginHost* host, const char* reason);
};

typedef const AstroPluginManifest* (*AstroPluginManifestFunction)(void);
typedef int (*AstroPluginRegisterFunction)(const AstroPluginHost* host);

#define ASTRO_PLUGIN_MANIFEST_SYMBOL "astro_plugin_manifest"
#define ASTRO_PLUGIN_REGISTER_SYMBOL "astro_plugin_register"

#ifdef __cplusplus
}
#endif

#endif /* ASTRO_PLUGIN_H */
