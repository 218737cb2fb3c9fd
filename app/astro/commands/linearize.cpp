// `astro linearize`: procedure cloning from the command line (ASTRO, arXiv 2507.00417). With
// --tree, one search tree -> one node sequence and its chain-of-thought (or the Direct baseline);
// with --trees, JSONL files of trees -> ASTRO and Direct SFT JSONL plus the dataset table.
#include "core/search/linearize.h"

#include <iostream>
#include <nlohmann/json.hpp>

#include "app/astro/command_registry.h"
#include "app/astro/verifier_flag.h"
#include "core/base/error.h"
#include "core/domain/domain_registry.h"
#include "core/search/grounded_check.h"
#include "core/search/phrase_set.h"
#include "core/search/render_trace.h"
#include "core/search/sft_export.h"
#include "core/search/tree_json.h"

namespace {

using namespace astro::search;

struct LinearizeCommandOptions {
  std::string tree;
  std::vector<std::string> trees;
  std::string out;
  std::uint64_t seed = 0;
  std::string format = "text";
  std::string phrases;
  bool direct = false;
  bool markers = false;
  bool noAnswerCheck = false;
  bool maskWrongBranches = false;
  bool groundedChecks = false;
  std::optional<double> affirmStepsMinQ;
  std::string detourChoice{astro::search::detourChoiceName(astro::search::DetourChoice::kUniform)};
  std::string verifier{astro::domain::kAutoDomain};
  LinearizeOptions linearize;
  std::string stepDelimiter;  // the resolved domain's
  GroundedCheck groundedCheck;  // the resolved domain's, with --grounded-checks
};

// The domain of the trees' problems (`--verifier`, "auto": as search resolved it), which gives
// the step delimiter and, without --phrases, the phrase set.
const astro::domain::Domain& treesDomain(const LinearizeCommandOptions& options) {
  std::vector<astro::math::Problem> problems;
  auto add = [&](const SearchTree& tree) {
    problems.push_back(treeProblem(tree));
  };
  if (!options.tree.empty()) add(loadTree(options.tree));
  for (const std::string& file : options.trees) {
    forEachTreeJsonl(file, [&](SearchTree&& tree) { add(tree); });
  }
  return astro::domain::resolveDomain(options.verifier, problems);
}

void printSequence(const LinearizeCommandOptions& options, const PhraseSet& phrases) {
  const SearchTree tree = loadTree(options.tree);
  const NodeSequence sequence =
      options.direct ? directSequence(tree) : linearizeOnce(tree, options.linearize, 0);
  const RenderedTrace trace =
      renderTrace(tree, sequence, phrases,
                  RenderOptions{.seed = options.seed,
                                .stepDelimiter = options.stepDelimiter,
                                .answerCheck = !options.noAnswerCheck && !options.direct,
                                .affirmStepsWithQAtLeast = options.direct
                                                               ? std::nullopt
                                                               : options.affirmStepsMinQ,
                                .groundedCheck = options.groundedCheck});
  if (options.format == "text") {
    std::cout << trace.text << "\n";
    return;
  }
  nlohmann::ordered_json report = {{"sequence", sequenceToJson(sequence)}, {"text", trace.text}};
  if (options.markers) {
    report["phrase_set"] = {{"id", phrases.id}, {"sha256", phrases.contentHash()}};
    const auto spans = renderedTraceToJson(trace);
    report["steps"] = spans["steps"];
    report["markers"] = spans["markers"];
  }
  std::cout << report.dump() << "\n";
}

// Each input file is one source of the dataset table, named by its file stem.
void exportDataset(const LinearizeCommandOptions& options, const PhraseSet& phrases) {
  SftExportOptions exportOptions{
      .linearize = options.linearize,
      .render = {.seed = options.seed,
                 .stepDelimiter = options.stepDelimiter,
                 .answerCheck = !options.noAnswerCheck,
                 .affirmStepsWithQAtLeast = options.affirmStepsMinQ,
                 .groundedCheck = options.groundedCheck},
      .maskWrongBranches = options.maskWrongBranches};
  SftExporter exporter(phrases, exportOptions);
  for (const std::string& file : options.trees) {
    const std::string source = std::filesystem::path(file).stem().string();
    forEachTreeJsonl(file, [&](SearchTree&& tree) { exporter.add(tree, source); });
  }
  exporter.writeDataset(options.out);
  if (options.format == "json") {
    std::cout << exporter.report().dump() << "\n";
  } else {
    std::cout << exporter.astroTable().toMarkdown();
  }
}

void runLinearize(LinearizeCommandOptions options) {
  if (options.tree.empty() == options.trees.empty()) {
    throw astro::UsageError("linearize: give either --tree FILE or --trees FILE.jsonl");
  }
  if (!options.trees.empty() && options.out.empty()) {
    throw astro::UsageError("linearize: --trees needs --out FOLDER");
  }
  if (!options.trees.empty() && (options.direct || options.markers)) {
    throw astro::UsageError("linearize: --direct and --markers apply to --tree only");
  }
  if (options.trees.empty() && options.maskWrongBranches) {
    throw astro::UsageError("linearize: --mask-wrong-branches applies to --trees only");
  }
  options.linearize.seed = options.seed;
  options.linearize.detourChoice = *astro::search::parseDetourChoice(options.detourChoice);
  validateOptions(options.linearize);
  const astro::domain::Domain& domain = treesDomain(options);
  options.stepDelimiter = domain.stepDelimiter();
  if (options.groundedChecks) {
    options.groundedCheck = groundedCheckFor(domain);
    if (!options.groundedCheck) {
      throw astro::UsageError("linearize: --grounded-checks: the '" + std::string(domain.name()) +
                              "' domain states no checks (the countdown world does)");
    }
  }
  const PhraseSet phrases =
      options.phrases.empty() ? domain.phraseSet() : loadPhraseSet(options.phrases);
  if (options.trees.empty()) {
    printSequence(options, phrases);
  } else {
    exportDataset(options, phrases);
  }
}

const astro::cli::CommandRegistration kLinearize{
    "30-linearize", [](CLI::App& root) {
      auto options = std::make_shared<LinearizeCommandOptions>();
      CLI::App* command = root.add_subcommand(
          "linearize",
          "Procedure cloning: turn a search tree (interchange JSON) into a node sequence that "
          "visits "
          "wrong answers, reflects, backtracks and ends at the best correct answer, rendered as "
          "chain-of-thought; or turn JSONL files of trees into ASTRO and Direct SFT data");
      command->add_option("--tree", options->tree, "One search tree in the interchange JSON format")
          ->check(CLI::ExistingFile);
      command
          ->add_option(
              "--trees", options->trees,
              "JSONL files of trees (one source each, named by the file stem); needs --out")
          ->check(CLI::ExistingFile);
      command->add_option("--out", options->out,
                          "With --trees: folder for astro_sft.jsonl, direct_sft.jsonl, "
                          "dataset_table.json and dataset_table.md");
      command->add_option("--seed", options->seed, "Seed for detours, return targets and phrases")
          ->capture_default_str();
      command
          ->add_option("--format", options->format,
                       "json: {sequence, text} (with --trees: the dataset report); text: the trace "
                       "(with --trees: the markdown table)")
          ->check(CLI::IsMember({"json", "text"}))
          ->capture_default_str();
      command
          ->add_option("--phrases", options->phrases,
                       "Phrase set JSON (default: the domain's, e.g. astro-default-v1 for math)")
          ->check(CLI::ExistingFile);
      // The trees' domain: its step delimiter joins the steps, its phrase set is the default.
      astro::cli::addVerifierFlag(command, options->verifier);
      command->add_flag("--direct", options->direct,
                        "The Direct baseline: the path to the best correct answer, no detours");
      command->add_flag("--markers", options->markers,
                        "With --format json: add the phrase set and the byte spans of steps and "
                        "markers");
      command->add_flag(
          "--no-answer-check", options->noAnswerCheck,
          "Leave out the reflection and answer check after the final step (the Direct "
          "baseline never has them)");
      command->add_flag("--mask-wrong-branches", options->maskWrongBranches,
                        "With --trees: ASTRO records name their wrong-branch steps in the "
                        "assistant message's \"loss_mask\" (byte ranges SFT gives no loss)");
      command->add_flag("--grounded-checks", options->groundedChecks,
                        "Each reflection states the check it makes before its verdict (\"Wait, "
                        "is this\nright? 10+10-2 = 18. Yes, ...\"); only domains that check "
                        "steps (countdown)");
      command
          ->add_option("--min-detours", options->linearize.minIncorrectTerminals,
                       "Fewest incorrect terminal nodes visited")
          ->check(CLI::NonNegativeNumber)
          ->capture_default_str();
      command
          ->add_option("--max-detours", options->linearize.maxIncorrectTerminals,
                       "Most incorrect terminal nodes visited")
          ->check(CLI::NonNegativeNumber)
          ->capture_default_str();
      command
          ->add_option("--restart-probability", options->linearize.restartProbability,
                       "Chance that a return goes to the problem instead of the branch point")
          ->check(CLI::Range(0.0, 1.0))
          ->capture_default_str();
      command
          ->add_option("--affirm-steps-min-q", options->affirmStepsMinQ,
                       "Reflect after every intermediate step whose Q is at least this, answered\n"
                       "yes (ASTRO Sec. 2.4; -1: every step). Off unless given")
          ->check(CLI::Range(-1.0, 1.0));
      command
          ->add_option("--detour-choice", options->detourChoice,
                       "Which incorrect terminals a trace visits: uniform (Algorithm 1) or\n"
                       "near-final-path (deepest branch point first: backtracks, not restarts)")
          ->check(CLI::IsMember({"uniform", "near-final-path"}))
          ->capture_default_str();
      command
          ->add_option("--sequences", options->linearize.sequencesPerTree,
                       "With --trees: distinct ASTRO trajectories per tree")
          ->check(CLI::PositiveNumber)
          ->capture_default_str();
      command->callback([options] { runLinearize(*options); });
    }};

}  // namespace
