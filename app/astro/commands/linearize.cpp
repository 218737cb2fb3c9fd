// `astro linearize`: one search tree (interchange JSON) -> one procedure-cloned node sequence
// and its chain-of-thought text (ASTRO, arXiv 2507.00417), or the Direct baseline with --direct.
#include "core/search/linearize.h"

#include <iostream>
#include <nlohmann/json.hpp>

#include "app/astro/command_registry.h"
#include "core/search/phrase_set.h"
#include "core/search/render_trace.h"
#include "core/search/tree_json.h"

namespace {

struct LinearizeCommandOptions {
  std::string tree;
  std::uint64_t seed = 0;
  std::string format = "text";
  std::string phrases;
  bool direct = false;
  bool markers = false;
  astro::search::LinearizeOptions linearize;
  bool noAnswerCheck = false;
};

void runLinearize(const LinearizeCommandOptions& options) {
  using namespace astro::search;
  const SearchTree tree = loadTree(options.tree);
  const PhraseSet phrases =
      options.phrases.empty() ? defaultPhraseSet() : loadPhraseSet(options.phrases);
  LinearizeOptions linearizeOptions = options.linearize;
  linearizeOptions.seed = options.seed;
  validateOptions(linearizeOptions);
  const NodeSequence sequence =
      options.direct ? directSequence(tree) : linearizeOnce(tree, linearizeOptions, 0);
  const RenderedTrace trace =
      renderTrace(tree, sequence, phrases,
                  RenderOptions{.seed = options.seed,
                                .answerCheck = !options.noAnswerCheck && !options.direct});
  if (options.format == "text") {
    std::cout << trace.text << "\n";
    return;
  }
  nlohmann::ordered_json moves = nlohmann::ordered_json::array();
  for (const SequenceStep& step : sequence.steps) {
    moves.push_back({{"node", step.node}, {"move", moveName(step.move)}});
  }
  nlohmann::ordered_json report = {{"sequence", std::move(moves)}, {"text", trace.text}};
  if (options.markers) {
    report["phrase_set"] = {{"id", phrases.id}, {"sha256", phrases.contentHash()}};
    const auto spans = renderedTraceToJson(trace);
    report["steps"] = spans["steps"];
    report["markers"] = spans["markers"];
  }
  std::cout << report.dump() << "\n";
}

const astro::cli::CommandRegistration kLinearize{
    "30-linearize", [](CLI::App& root) {
      auto options = std::make_shared<LinearizeCommandOptions>();
      CLI::App* command = root.add_subcommand(
          "linearize",
          "Procedure cloning: turn one search tree (interchange JSON) into a node sequence that "
          "visits incorrect answers, reflects and backtracks, ends at the best correct answer, and "
          "render it as chain-of-thought");
      command->add_option("--tree", options->tree, "Search tree in the interchange JSON format")
          ->required()
          ->check(CLI::ExistingFile);
      command->add_option("--seed", options->seed, "Seed for detours, return targets and phrases")
          ->capture_default_str();
      command->add_option("--format", options->format, "json: {sequence, text}; text: the trace")
          ->check(CLI::IsMember({"json", "text"}))
          ->capture_default_str();
      command
          ->add_option("--phrases", options->phrases,
                       "Phrase set JSON (default: the built-in astro-default-v1)")
          ->check(CLI::ExistingFile);
      command->add_flag("--direct", options->direct,
                        "The Direct baseline: the path to the best correct answer, no detours");
      command->add_flag(
          "--markers", options->markers,
          "With --format json: add the phrase set and the byte spans of steps and markers");
      command->add_flag(
          "--no-answer-check", options->noAnswerCheck,
          "Leave out the reflection and answer check after the final step (the Direct "
          "baseline never has them)");
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
      command->callback([options] { runLinearize(*options); });
    }};

}  // namespace
