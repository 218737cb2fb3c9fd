// `astro analyze --input FILE.jsonl [--save]` / `astro analyze --run ID`: import generations
// (plain JSONL, or a format a plugin adds: chat, verl) and grade them with the math verifier, or
// read a run of the workspace (an imported run, or a pipeline run's evaluation samples); detect
// reflections/backtracks/restarts in each trace, and print the per-checkpoint table and the
// correlations across checkpoints; --csv DIR writes one CSV per table. The logic lives in
// core/analysis (docs/analysis.md).
#include <iostream>
#include <memory>

#include "app/astro/command_registry.h"
#include "app/astro/run_samples.h"
#include "core/analysis/exact_detector.h"
#include "core/analysis/generation_import.h"
#include "core/analysis/heuristic_detector.h"
#include "core/analysis/imported_run.h"
#include "core/analysis/report_tables.h"
#include "core/base/error.h"
#include "core/domain/domain_registry.h"
#include "core/math/math_verifier.h"
#include "core/search/phrase_set.h"
#include "core/tokenizer/tokenizer.h"

namespace {

struct AnalyzeOptions {
  std::string input;
  std::int64_t run = 0;  // 0: none
  bool save = false;
  std::string format = "auto";
  std::string detector;    // "" : exact for a pipeline run's own traces, else heuristic
  std::string phrases;    // heuristic phrase lists (JSON)
  std::string phraseSet;  // the phrase set the exact detector parses with
  std::string benchmark;
  std::string checkpoint;
  std::string csv;
  std::string tokenizer;  // folder with tokenizer.json; empty: approximate token counts
  bool samples = false;
  bool noGrading = false;
  int resamples = 2000;
  std::uint64_t seed = 20250701;
  int threads = 0;
};

constexpr std::size_t kBadLinesShown = 20;

// The exact detector reads the samples' domain's traces: its step delimiter, and its phrase set
// unless --phrase-set (or the run's linearize stage) names one.
std::shared_ptr<const astro::analysis::TraceDetector> makeDetector(
    const AnalyzeOptions& options, const astro::analysis::ImportResult& imported) {
  if (options.detector == "exact") {
    if (!options.phrases.empty()) throw astro::UsageError("--phrases is for --detector heuristic");
    std::optional<astro::search::PhraseSet> named;
    if (!options.phraseSet.empty()) named = astro::search::loadPhraseSet(options.phraseSet);
    return astro::analysis::ExactDetector::forDomain(
        astro::domain::resolveDomain(astro::domain::kAutoDomain,
                                     astro::analysis::samplesProblems(imported)),
        named);
  }
  if (!options.phraseSet.empty()) throw astro::UsageError("--phrase-set is for --detector exact");
  return std::make_shared<astro::analysis::HeuristicDetector>(
      options.phrases.empty() ? astro::analysis::defaultHeuristicPhrases()
                              : astro::analysis::loadHeuristicPhrases(options.phrases));
}

void runAnalyze(AnalyzeOptions options) {
  if (options.input.empty() == (options.run == 0)) {
    throw astro::UsageError("give exactly one of --input and --run");
  }
  if (options.save && options.run != 0) throw astro::UsageError("--save is for --input");
  astro::math::MathVerifier verifier;
  astro::analysis::ImportResult imported;
  std::string source = options.input;
  if (options.run != 0) {
    auto workspace = astro::store::Workspace::open(astro::cli::globalOptions().resolvedWorkspace(),
                                                   {.readOnly = true});
    source = "run " + std::to_string(options.run);
    if (workspace.runs().get(options.run).kind == astro::store::RunKind::kImported) {
      imported = astro::analysis::loadImportedRun(workspace, options.run);
    } else {
      // A pipeline run: its evaluation samples, and the exact detector over the phrase set its
      // linearize stage rendered (the traces its policies learned to write).
      auto runSamples = astro::cli::loadRunSamples(workspace, options.run, !options.noGrading);
      imported = std::move(runSamples.imported);
      if (options.detector.empty()) {
        options.detector = "exact";
        if (options.phraseSet.empty() && runSamples.phraseSet) {
          options.phraseSet = runSamples.phraseSet->string();
        }
      }
    }
  } else {
    astro::analysis::ImportOptions importOptions;
    importOptions.format = options.format;  // checked against the registry when parsed
    importOptions.benchmark = options.benchmark;
    importOptions.checkpoint = options.checkpoint;
    imported = astro::analysis::importGenerations(
        options.input, options.noGrading ? nullptr : &verifier, importOptions);
  }
  if (options.detector.empty()) options.detector = "heuristic";
  auto detector = makeDetector(options, imported);
  for (std::size_t i = 0; i < imported.badLines.size() && i < kBadLinesShown; ++i) {
    std::cerr << source << ":" << imported.badLines[i].line << ": "
              << imported.badLines[i].message << "\n";
  }
  if (imported.badLines.size() > kBadLinesShown) {
    std::cerr << source << ": " << imported.badLines.size() - kBadLinesShown
              << " more bad lines\n";
  }
  if (imported.samples.empty()) {
    throw astro::Error(source + ": no usable samples (" + std::to_string(imported.badLines.size()) +
                       " bad lines)");
  }
  astro::analysis::TokenCounter countTokens;
  if (!options.tokenizer.empty()) {
    auto tokenizer = astro::tokenizer::Tokenizer::fromDirectory(options.tokenizer);
    countTokens = [tokenizer](std::string_view text) {
      return static_cast<std::int64_t>(tokenizer.encode(text).size());
    };
  }
  auto analyzed = astro::analysis::analyzeImport(imported, *detector, options.threads, countTokens);
  auto summary =
      astro::analysis::summarize(analyzed, {.resamples = options.resamples, .seed = options.seed});
  auto tables = astro::analysis::summaryTables(summary);
  if (options.samples || !options.csv.empty()) {
    tables.push_back(astro::analysis::samplesTable(analyzed));
  }

  std::cout << (options.run != 0 ? "read " : "imported ") << imported.samples.size()
            << " samples from " << imported.run.name << " (" << imported.badLines.size()
            << " bad lines); detector " << imported.run.detector << "; tokens "
            << (options.tokenizer.empty() ? "approximate" : options.tokenizer) << "; verifier "
            << (imported.run.verifier.empty() ? "none" : imported.run.verifier) << "; bootstrap "
            << options.resamples << " resamples, seed " << options.seed << "\n";
  for (const auto& table : tables) {
    if (table.name == "samples" && !options.samples) continue;
    std::cout << "\n" << table.name << "\n" << astro::analysis::formatTable(table);
  }
  if (options.save) {
    auto workspace = astro::store::Workspace::open(astro::cli::globalOptions().resolvedWorkspace());
    std::int64_t runId = astro::analysis::saveImportedRun(workspace, imported, summary);
    std::cout << "\nsaved as imported run " << runId << " in " << workspace.folder().string()
              << "\n";
  }
  if (!options.csv.empty()) {
    astro::analysis::writeCsvTables(tables, options.csv);
    std::cout << "\nwrote " << tables.size() << " CSV files to " << options.csv << "\n";
  }
}

const astro::cli::CommandRegistration kAnalyze{
    "40-analyze", [](CLI::App& root) {
      auto options = std::make_shared<AnalyzeOptions>();
      CLI::App* analyze = root.add_subcommand(
          "analyze",
          "Backtrack statistics of generations: accuracy, mean backtracks and length per "
          "checkpoint with bootstrap 95% intervals, and their correlations");
      analyze
          ->add_option("--input", options->input,
                       "Generations as JSONL: plain {prompt|problem, completion|response, answer, "
                       "checkpoint|step, benchmark}, or a plugin's format (chat {messages}, a verl "
                       "rollout dump)")
          ->check(CLI::ExistingFile);
      analyze
          ->add_option("--run", options->run,
                       "A run of the workspace instead of --input: an imported run (see --save), "
                       "or a pipeline run (the samples of its evaluate stages, graded again; "
                       "detector exact with its linearize stage's phrase set unless given)")
          ->check(CLI::PositiveNumber);
      analyze->add_flag(
          "--save", options->save,
          "Store the import as an imported run in the workspace (samples, statistics, "
          "per-checkpoint metrics)");
      // main() loads the plugins before the commands are added: the help lists their formats.
      std::string formats;
      for (const std::string& name : astro::analysis::generationReaderRegistry().names()) {
        formats += (formats.empty() ? "" : ", ") + name;
      }
      analyze
          ->add_option("--format", options->format,
                       "Line format: auto (detected per line) or one of " + formats +
                           " (plain is built in, the others come from loaded plugins: "
                           "`astro plugins`)")
          ->check(CLI::Validator(
              [](std::string& name) {
                try {
                  astro::analysis::checkGenerationFormat(name);
                  return std::string();
                } catch (const astro::UsageError& e) {
                  return std::string(e.what());
                }
              },
              "FORMAT"));
      analyze
          ->add_option("--detector", options->detector,
                       "heuristic (free-form outputs) or exact (traces rendered by astro); default: "
                       "exact for a pipeline run, else heuristic")
          ->check(CLI::IsMember({"heuristic", "exact"}));
      analyze
          ->add_option("--phrases", options->phrases,
                       "Heuristic phrase lists (default: resources/phrases/heuristic_en.json)")
          ->check(CLI::ExistingFile);
      analyze
          ->add_option("--phrase-set", options->phraseSet,
                       "Phrase set the traces were rendered with (exact detector; default: "
                       "astro-default-v1)")
          ->check(CLI::ExistingFile);
      analyze->add_option("--benchmark", options->benchmark,
                          "Benchmark of lines that name none (default: the file's stem)");
      analyze->add_option("--checkpoint", options->checkpoint,
                          "Checkpoint of lines that name none");
      analyze->add_option("--csv", options->csv, "Write checkpoints/correlations/samples CSV here");
      analyze
          ->add_option("--tokenizer", options->tokenizer,
                       "Count tokens with this tokenizer.json folder (default: a fast "
                       "approximate count, docs/analysis.md)")
          ->check(CLI::ExistingDirectory);
      analyze->add_flag("--samples", options->samples, "Also print the per-sample table");
      analyze->add_flag("--no-grading", options->noGrading,
                        "Do not grade with the math verifier (verl lines keep their score)");
      analyze->add_option("--bootstrap", options->resamples, "Bootstrap resamples")
          ->check(CLI::Range(1, 1000000));
      analyze->add_option("--seed", options->seed, "Bootstrap seed");
      analyze->add_option("--threads", options->threads, "Analysis threads (0: all cores)")
          ->check(CLI::Range(0, 1024));
      analyze->callback([options] { runAnalyze(*options); });
    }};

}  // namespace
