#include "core/experiment/miniature_report.h"

#include <cmath>

#include "core/analysis/report_tables.h"
#include "core/base/error.h"
#include "core/experiment/miniature_comparisons.h"

namespace astro::experiment {

namespace {

using Json = nlohmann::ordered_json;

// JSON has no NaN: an undefined value is null.
Json number(double value) { return std::isfinite(value) ? Json(value) : Json(); }

Json correlationJson(const analysis::Correlation& c) {
  return {{"n", c.n},
          {"r", number(c.r)},
          {"ci_low", number(c.ciLow)},
          {"ci_high", number(c.ciHigh)},
          {"p_value", number(c.pValue)}};
}

Json evaluationJson(const train::EvaluationResult& e) {
  Json json = {{"pass@1", e.passAt1}, {"greedy", e.greedyAccuracy}};
  for (auto [k, value] : e.passAtK) {
    if (k != 1) json["pass@" + std::to_string(k)] = value;
  }
  json["mean_tokens"] = e.meanCompletionTokens;
  json["mean_backtracks"] = e.meanBacktracks;
  json["mean_restarts"] = e.meanRestarts;
  json["behaviour"] = behaviourJson(e.behaviour);
  json["failures"] = failuresJson(e.failures);
  return json;
}

Json armDetails(const ArmResults& arm, const train::EvaluationResult& base) {
  Json steps = Json::array();
  for (const auto& s : arm.rlSteps) {
    steps.push_back({{"step", s.step},
                     {"reward", s.reward},
                     {"response_length", s.responseLength},
                     {"backtracks", s.backtracks},
                     {"zero_variance_groups", s.zeroVarianceGroups},
                     {"kl", s.kl},
                     {"entropy", s.entropy},
                     {"clip_fraction", s.clipFraction},
                     {"seconds", s.seconds}});
  }
  Json checkpoints = Json::array();
  for (const auto& point : arm.checkpoints) {
    Json row = {{"checkpoint", point.checkpoint.label}, {"step", point.checkpoint.step}};
    row.update(evaluationJson(point.evaluation));
    checkpoints.push_back(row);
  }
  return {{"base", evaluationJson(base)},
          {"sft", evaluationJson(arm.sft())},
          {"rl", evaluationJson(arm.rl())},
          {"sft_examples", arm.sftExamples},
          {"sft_skipped", arm.sftSkipped},
          {"sft_steps", arm.sftSteps},
          {"sft_final_loss", arm.sftFinalLoss},
          {"rl_prompts_offered", arm.offeredPrompts},
          {"rl_prompts_kept", arm.keptPrompts},
          {"curation_fell_back", arm.curationFellBack},
          {"rl_steps", steps},
          {"checkpoints", checkpoints},
          {"pearson",
           {{"backtracks", correlationJson(arm.correlations.backtracks)},
            {"length", correlationJson(arm.correlations.length)}}},
          {"pearson_step_trend_removed",
           {{"backtracks", correlationJson(arm.correlations.backtracksDetrended)},
            {"length", correlationJson(arm.correlations.lengthDetrended)}}}};
}

std::string fixed(double value, int digits = 3) { return analysis::formatNumber(value, digits); }

// "0.237 (0.267; pass@8 0.520)": pass@1, greedy and the largest pass@k measured (k > 1).
std::string accuracyCell(const train::EvaluationResult& e) {
  std::string cell = fixed(e.passAt1) + " (" + fixed(e.greedyAccuracy);
  if (!e.passAtK.empty() && e.passAtK.back().first > 1) {
    cell +=
        "; pass@" + std::to_string(e.passAtK.back().first) + " " + fixed(e.passAtK.back().second);
  }
  return cell + ")";
}

// "n | r | [low, high] | p"; r "undefined" when NaN (a constant variable, too few points).
std::string correlationCells(const analysis::Correlation& c) {
  std::string cells = "| " + std::to_string(c.n) + " | ";
  if (!std::isfinite(c.r)) return cells + "undefined | | |";
  cells += fixed(c.r) + " | ";
  cells += std::isfinite(c.ciLow) && std::isfinite(c.ciHigh)
               ? "[" + fixed(c.ciLow) + ", " + fixed(c.ciHigh) + "]"
               : "-";  // n < 4, or |r| = 1
  cells += " | " + (std::isfinite(c.pValue) ? analysis::formatNumber(c.pValue, 4) : "") + " |";
  return cells;
}

std::string yesNo(bool value) { return value ? "yes" : "no"; }

// "0.667 (2 of 3)", or "n/a" when there is nothing to divide by.
std::string rateCell(int count, int total) {
  if (total <= 0) return "n/a";
  return fixed(double(count) / total) + " (" + std::to_string(count) + " of " +
         std::to_string(total) + ")";
}

std::string behaviourTable(const MiniatureResults& r) {
  std::string md =
      "\n## Backtrack behaviour on the held-out split\n\n"
      "A return (backtrack or restart) follows a wrong branch when the steps it abandons hold a "
      "\\boxed{} answer the verifier grades wrong or a step the world's step validator rejects; "
      "the recovery rate is the share of answers with a return whose final answer is correct "
      "(docs/experiment.md). A wrong answer's final path holds an invalid step (one the step "
      "validator rejects: the rules broken, not a search gone wrong), or only valid steps.\n\n" +
      behaviourTableHeader();
  for (const auto& [name, arm] : {std::pair{"ASTRO", &r.astro}, std::pair{"Direct", &r.direct}}) {
    const std::pair<const char*, const train::EvaluationResult*> stages[] = {
        {"base", &r.base}, {"SFT", &arm->sft()}, {"RL", &arm->rl()}};
    for (const auto& [stage, e] : stages) {
      md += std::string("| ") + name + " | " + stage + " " + behaviourCells(e->behaviour) +
            failureCells(e->failures) + "\n";
    }
  }
  return md;
}

}  // namespace

Json behaviourJson(const std::optional<analysis::BacktrackBehaviour>& behaviour) {
  if (!behaviour) return Json();
  return {{"returns_per_answer", number(behaviour->returnsPerAnswer())},
          {"wrong_branch_share", number(behaviour->wrongBranchShare())},
          {"recovery_rate", number(behaviour->recoveryRate())},
          {"returns", behaviour->returns},
          {"returns_after_wrong_branch", behaviour->returnsAfterWrongBranch},
          {"answers_with_return", behaviour->answersWithReturn},
          {"recovered_answers", behaviour->recoveredAnswers}};
}

std::string behaviourTableHeader() {
  return "| arm | stage | returns / answer | after a wrong branch | recovery rate | wrong: invalid "
         "step | wrong: valid steps |\n|---|---|---|---|---|---|---|\n";
}

nlohmann::ordered_json failuresJson(const std::optional<analysis::AnswerFailures>& failures) {
  if (!failures) return Json();
  const int wrong = failures->wrong();
  return {{"answers", failures->answers},
          {"wrong", wrong},
          {"invalid_step", failures->invalidStep},
          {"wrong_answer", failures->wrongAnswer},
          {"no_answer", failures->noAnswer},
          {"invalid_step_share", wrong > 0 ? Json(double(failures->invalidStep) / wrong) : Json()}};
}

std::string failureCells(const std::optional<analysis::AnswerFailures>& failures) {
  if (!failures) return " n/a | n/a |";
  return " " + rateCell(failures->invalidStep, failures->wrong()) + " | " +
         rateCell(failures->wrongAnswer, failures->wrong()) + " |";
}

std::string behaviourCells(const std::optional<analysis::BacktrackBehaviour>& behaviour) {
  if (!behaviour) return "| n/a | n/a | n/a |";
  const double perAnswer = behaviour->returnsPerAnswer();
  return "| " + (std::isfinite(perAnswer) ? fixed(perAnswer) : std::string("n/a")) + " | " +
         rateCell(behaviour->returnsAfterWrongBranch, behaviour->returns) + " | " +
         rateCell(behaviour->recoveredAnswers, behaviour->answersWithReturn) + " |";
}

const train::EvaluationResult& ArmResults::sft() const {
  if (checkpoints.empty()) throw Error("miniature report: an arm without evaluated checkpoints");
  return checkpoints.front().evaluation;
}

const train::EvaluationResult& ArmResults::rl() const {
  if (checkpoints.empty()) throw Error("miniature report: an arm without evaluated checkpoints");
  return checkpoints.back().evaluation;
}

Json miniatureReportJson(const MiniatureResults& r) {
  Json arms;
  for (const auto& [name, arm] : {std::pair{"astro", &r.astro}, std::pair{"direct", &r.direct}}) {
    arms[name] = {{"base", r.base.passAt1}, {"sft", arm->sft().passAt1}, {"rl", arm->rl().passAt1}};
  }
  Json seconds = Json::object();
  double total = 0;
  for (const auto& [stage, value] : r.stageSeconds) {
    seconds[stage] = value;
    total += value;
  }
  seconds["total"] = total;
  double backtrackR = r.astro.correlations.backtracks.r;
  Json comparisons = Json::object();
  Json hypothesis = Json::object();
  for (const Comparison& c : miniatureComparisons({&r})) {
    comparisons[c.key] = comparisonJson(c);
    hypothesis[c.hypothesisKey()] = c.holds();
  }
  hypothesis["pearson_backtracks_above_0.8"] = std::isfinite(backtrackR) && backtrackR > 0.8;
  hypothesis["rule"] =
      "a claim holds when the 95% paired bootstrap interval of its pass@1 difference on the "
      "held-out puzzles lies above 0";
  return {
      {"arms", arms},
      {"pearson",
       {{"backtracks", correlationJson(r.astro.correlations.backtracks)},
        {"length", correlationJson(r.astro.correlations.length)},
        {"checkpoints", "astro: the SFT model and every RL checkpoint"}}},
      {"pearson_step_trend_removed",
       {{"backtracks", correlationJson(r.astro.correlations.backtracksDetrended)},
        {"length", correlationJson(r.astro.correlations.lengthDetrended)}}},
      {"pearson_by_arm",
       {{"astro",
         {{"backtracks", correlationJson(r.astro.correlations.backtracks)},
          {"length", correlationJson(r.astro.correlations.length)}}},
        {"direct",
         {{"backtracks", correlationJson(r.direct.correlations.backtracks)},
          {"length", correlationJson(r.direct.correlations.length)}}},
        {"pooled",
         {{"backtracks", correlationJson(r.pooled.backtracks)},
          {"length", correlationJson(r.pooled.length)}}}}},
      {"hypothesis", hypothesis},
      {"comparisons", comparisons},
      {"backtracks_count",
       "backtracks + restarts per response (returns to a step or to the problem)"},
      {"held_out_problems", r.heldOutProblems},
      {"search",
       {{"problems", r.searchedProblems},
        {"solved_trees", r.solvedTrees},
        {"solve_rate", r.searchedProblems > 0 ? double(r.solvedTrees) / r.searchedProblems : 0.0}}},
      {"dataset", r.dataset},
      {"details",
       {{"astro", armDetails(r.astro, r.base)}, {"direct", armDetails(r.direct, r.base)}}},
      {"options", r.options},
      {"seconds", seconds},
  };
}

std::string miniatureReportMarkdown(const MiniatureResults& r) {
  const ArmResults* arms[] = {&r.astro, &r.direct};
  const char* names[] = {"ASTRO", "Direct"};
  int samples = r.options.contains("evaluation")
                    ? r.options["evaluation"].value("samples_per_problem", 0)
                    : 0;
  std::string md = "# The paper's tables in miniature\n\n";
  md += "Countdown world, " + std::to_string(r.heldOutProblems) + " held-out puzzles; pass@1 " +
        "averaged over " + std::to_string(samples) + " samples at temperature 1 (in " +
        "parentheses: greedy, and pass@k from the same samples). Search solved " +
        std::to_string(r.solvedTrees) + " of " + std::to_string(r.searchedProblems) +
        " training puzzles; both arms are fine-tuned on traces of the same trees (" +
        std::to_string(r.astro.sftExamples) + " ASTRO and " + std::to_string(r.direct.sftExamples) +
        " Direct examples).";
  if (r.astro.sftExamples != r.direct.sftExamples) {
    md += " SFT steps: " + std::to_string(r.astro.sftSteps) + " ASTRO, " +
          std::to_string(r.direct.sftSteps) + " Direct (one step budget for both arms, so the " +
          "arm with fewer examples runs more epochs).";
  }
  md += "\n\n";
  for (int a = 0; a < 2; ++a) {
    if (arms[a]->sftSkipped) {
      md += std::string("**") + names[a] + ": no SFT data, so SFT was skipped; its SFT column " +
            "is the base policy.**\n\n";
    }
    if (arms[a]->curationFellBack) {
      md += std::string("**") + names[a] + ": curation kept no prompt; GRPO used all " +
            std::to_string(arms[a]->offeredPrompts) + ".**\n\n";
    }
  }

  md += "## Accuracy per arm and stage\n\n| arm | base | SFT | RL |\n|---|---|---|---|\n";
  for (int a = 0; a < 2; ++a) {
    md += std::string("| ") + names[a];
    for (const auto* e : {&r.base, &arms[a]->sft(), &arms[a]->rl()}) {
      md += " | " + accuracyCell(*e);
    }
    md += " |\n";
  }

  md +=
      "\n## Length and backtracks on the held-out split\n\n"
      "| arm | stage | mean tokens | backtracks / response | restarts / response |\n"
      "|---|---|---|---|---|\n";
  for (int a = 0; a < 2; ++a) {
    const char* stages[] = {"base", "SFT", "RL"};
    const train::EvaluationResult* results[] = {&r.base, &arms[a]->sft(), &arms[a]->rl()};
    for (int s = 0; s < 3; ++s) {
      md += std::string("| ") + names[a] + " | " + stages[s] + " | " +
            fixed(results[s]->meanCompletionTokens, 1) + " | " + fixed(results[s]->meanBacktracks) +
            " | " + fixed(results[s]->meanRestarts) + " |\n";
    }
  }

  md += behaviourTable(r);

  md +=
      "\n## During RL (training rollouts)\n\n"
      "| arm | step | reward | response length | returns / response | zero-variance groups |\n"
      "|---|---|---|---|---|---|\n";
  for (int a = 0; a < 2; ++a) {
    for (const auto& s : arms[a]->rlSteps) {
      md += std::string("| ") + names[a] + " | " + std::to_string(s.step) + " | " +
            fixed(s.reward) + " | " + fixed(s.responseLength, 1) + " | " + fixed(s.backtracks) +
            " | " + fixed(s.zeroVarianceGroups) + " |\n";
    }
  }

  md +=
      "\n## Checkpoints on the held-out split\n\n"
      "| arm | checkpoint | step | pass@1 | greedy | mean tokens | returns / response |\n"
      "|---|---|---|---|---|---|---|\n";
  for (int a = 0; a < 2; ++a) {
    for (const auto& p : arms[a]->checkpoints) {
      md += std::string("| ") + names[a] + " | " + p.checkpoint.label + " | " +
            std::to_string(p.checkpoint.step) + " | " + fixed(p.evaluation.passAt1) + " | " +
            fixed(p.evaluation.greedyAccuracy) + " | " +
            fixed(p.evaluation.meanCompletionTokens, 1) + " | " +
            fixed(p.evaluation.meanBacktracks + p.evaluation.meanRestarts) + " |\n";
    }
  }

  md +=
      "\n## Pearson correlation with pass@1 across checkpoints\n\n"
      "Backtracks here, and returns in the tables above, count backtracks and restarts (a "
      "restart returns to the problem; in two-step countdown trees most returns do).\n\n"
      "| checkpoints | variable | n | r | 95% CI (Fisher z) | p |\n|---|---|---|---|---|---|\n";
  const std::pair<const char*, const train::SweepCorrelations*> sets[] = {
      {"ASTRO", &r.astro.correlations}, {"Direct", &r.direct.correlations}, {"both", &r.pooled}};
  for (const auto& [label, set] : sets) {
    md += std::string("| ") + label + " | backtracks " + correlationCells(set->backtracks) + "\n";
    md += std::string("| ") + label + " | length " + correlationCells(set->length) + "\n";
  }
  md +=
      "\nThe same with each variable's linear trend in the training step removed (both can rise "
      "with training alone; t test with n - 3 df, Fisher interval with 1 / sqrt(n - 4)):\n\n"
      "| checkpoints | variable | n | r | 95% CI (Fisher z) | p |\n|---|---|---|---|---|---|\n";
  for (const auto& [label, set] : sets) {
    md += std::string("| ") + label + " | backtracks " +
          correlationCells(set->backtracksDetrended) + "\n";
    md += std::string("| ") + label + " | length " + correlationCells(set->lengthDetrended) + "\n";
  }

  double backtrackR = r.astro.correlations.backtracks.r;
  md +=
      "\n## Hypothesis\n\n"
      "A claim holds (yes) when the 95% paired bootstrap interval of its pass@1 difference on "
      "the same held-out puzzles lies above 0.\n\n";
  for (const Comparison& c : miniatureComparisons({&r})) md += comparisonLine(c);
  md += "- Pearson r of backtracks with accuracy (ASTRO checkpoints) above 0.8: " +
        yesNo(std::isfinite(backtrackR) && backtrackR > 0.8) + " (r = " + fixed(backtrackR) +
        ", n = " + std::to_string(r.astro.correlations.backtracks.n) + ")\n";

  double total = 0;
  md += "\n## Time\n\n| stage | seconds |\n|---|---|\n";
  for (const auto& [stage, value] : r.stageSeconds) {
    md += "| " + stage + " | " + fixed(value, 0) + " |\n";
    total += value;
  }
  md += "| total | " + fixed(total, 0) + " |\n";
  return md;
}

}  // namespace astro::experiment
