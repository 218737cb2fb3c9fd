// The linearize stage: procedure cloning of every search tree into ASTRO and Direct SFT data
// (core/search/sft_export.h). It takes seconds, so an interrupted one simply runs again.
#include "core/base/error.h"
#include "core/domain/domain_registry.h"
#include "core/pipeline/stages/stage_phrases.h"
#include "core/pipeline/stages/stages.h"
#include "core/search/grounded_check.h"
#include "core/search/sft_export.h"
#include "core/search/tree_json.h"

namespace astro::pipeline {

namespace fs = std::filesystem;

void runLinearizeStage(const LinearizeStage& config, StageContext& context) {
  const fs::path& treesFile = context.input("trees");
  std::vector<math::Problem> problems;  // what the domain is resolved from, as search did
  search::forEachTreeJsonl(treesFile, [&](search::SearchTree&& tree) {
    problems.push_back(search::treeProblem(tree));
  });
  const std::int64_t trees = static_cast<std::int64_t>(problems.size());
  const domain::Domain& treeDomain = domain::resolveDomain(config.verifier, problems);
  context.log("domain " + std::string(treeDomain.name()) +
                  " gives the step delimiter and phrases (verifier = \"" + config.verifier +
                  "\")",
              {{"domain", std::string(treeDomain.name())}});
  search::GroundedCheck groundedCheck;
  if (config.groundedChecks) {
    groundedCheck = search::groundedCheckFor(treeDomain);
    if (!groundedCheck) {
      throw Error("linearize: grounded_checks: the '" + std::string(treeDomain.name()) +
                  "' domain states no checks (the countdown world does)");
    }
  }
  search::SftExporter exporter(
      stagePhrases(treeDomain, context),
      {.linearize = config.linearize,
       .render = {.seed = config.linearize.seed,
                  .stepDelimiter = std::string(treeDomain.stepDelimiter()),
                  .answerCheck = config.answerCheck,
                  .affirmStepsWithQAtLeast = config.affirmStepsMinQ,
                  .groundedCheck = std::move(groundedCheck)},
       .maskWrongBranches = config.maskWrongBranches});
  std::int64_t done = 0;
  search::forEachTreeJsonl(treesFile, [&](search::SearchTree&& tree) {
    context.throwIfStopped();
    exporter.add(tree, "search");
    context.progress(++done, trees);
  });
  exporter.writeDataset(context.folder);

  search::SourceStatistics astro = exporter.astroTable().total();
  search::SourceStatistics direct = exporter.directTable().total();
  context.metric("astro_trajectories", 0, astro.trajectories);
  context.metric("direct_trajectories", 0, direct.trajectories);
  context.metric("backtracks", 0, astro.backtracks);
  context.metric("restarts", 0, astro.restarts);
  context.log(std::to_string(astro.trajectories) + " ASTRO trajectories (" +
                  std::to_string(astro.backtracks) + " backtracks, " +
                  std::to_string(astro.restarts) + " restarts) and " +
                  std::to_string(direct.trajectories) + " Direct ones from " +
                  std::to_string(astro.problems) + " of " + std::to_string(trees) +
                  " trees (the rest have no correct answer)",
              {{"dataset_table", exporter.report()}});
  if (astro.trajectories == 0) {
    // Not an error here: a stage that trains on this data refuses the empty file itself.
    context.log(
        "warning: no search tree holds a correct answer, so the SFT data is empty; search "
        "more (iterations, children) or with a stronger policy",
        {{"warning", true}});
  }
  context.artifact("traces", context.folder / "astro_sft.jsonl");
  context.artifact("traces", context.folder / "direct_sft.jsonl");
  context.artifact("table", context.folder / "dataset_table.json");
}

}  // namespace astro::pipeline
