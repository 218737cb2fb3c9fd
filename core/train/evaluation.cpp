// evaluatePolicy (evaluation.h): k sampled rows and one greedy row per problem, each sampled
// from its own seed; in a sharded job each rank generates its problems' rows and the completions
// are all-gathered in row order; then every row is graded and summarised.
#include "core/train/evaluation.h"

#include <algorithm>

#include "core/analysis/backtrack_behaviour.h"
#include "core/analysis/exact_detector.h"
#include "core/analysis/trace_stats.h"
#include "core/base/error.h"
#include "core/dist/detail/job_communicator.h"
#include "core/model/detail/language_model_impl.h"
#include "core/model/language_model.h"
#include "core/search/phrase_set.h"
#include "core/tokenizer/chat_format.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/detail/gather_generations.h"
#include "core/train/pass_at_k.h"

namespace astro::train {

std::vector<std::int32_t> problemPrompt(const math::Problem& problem,
                                        const tokenizer::Tokenizer& tokenizer) {
  std::vector<tokenizer::ChatMessage> messages = {{"user", problem.question}};
  return tokenizer.encode(tokenizer::renderChat(tokenizer.chatFormat(), messages, true));
}

namespace {

// One completion to generate: sample `sample` of problem `problem` (-1: the greedy answer).
struct Row {
  std::size_t problem = 0;
  int sample = 0;
};

// Generates `prompts` in chunks of `chunk`, so progress can be reported; row i samples from
// seeds[i] whatever chunk it falls in.
std::vector<model::Generation> generateChunked(
    const model::Sampler& model, const std::vector<std::vector<std::int32_t>>& prompts,
    const std::vector<std::uint64_t>& seeds, model::GenerationOptions generation, int chunk,
    EvaluationProgress& progress, const std::function<void(const EvaluationProgress&)>& report) {
  std::vector<model::Generation> results;
  for (std::size_t first = 0; first < prompts.size(); first += std::size_t(chunk)) {
    std::size_t last = std::min(prompts.size(), first + std::size_t(chunk));
    std::vector<std::vector<std::int32_t>> batch(prompts.begin() + std::ptrdiff_t(first),
                                                 prompts.begin() + std::ptrdiff_t(last));
    generation.rowSeeds.assign(seeds.begin() + std::ptrdiff_t(first),
                               seeds.begin() + std::ptrdiff_t(last));
    auto generated = model.generate(batch, generation);
    for (auto& g : generated) results.push_back(std::move(g));
    progress.done += std::int64_t(last - first);
    if (report) report(progress);
  }
  return results;
}

// Every row's completion, in row order: this rank generates the rows of its problems (all of
// them in a job of one), the rest come from the other ranks.
std::vector<model::Generation> generateRows(
    const model::Sampler& model, const tokenizer::Tokenizer& tokenizer,
    const std::vector<math::Problem>& problems, const std::vector<Row>& rows,
    const EvaluationOptions& options,
    const std::function<void(const EvaluationProgress&)>& report) {
  // The built-in engine's ranks talk over its device (NCCL on GPUs); a server's clients over Gloo.
  const auto* engine = dynamic_cast<const model::LanguageModel*>(&model);
  std::shared_ptr<dist::detail::Communicator> communicator =
      options.shardAcrossRanks
          ? dist::detail::jobCommunicator(engine ? engine->impl().device : torch::Device(torch::kCPU))
          : dist::detail::Communicator::single();
  const auto rank = std::size_t(communicator->rank());
  const auto world = std::size_t(communicator->worldSize());

  std::vector<std::vector<std::int32_t>> problemPrompts(problems.size());
  for (std::size_t p = rank; p < problems.size(); p += world) {
    problemPrompts[p] = problemPrompt(problems[p], tokenizer);
  }
  // This rank's rows, sampled first and greedy second (two temperatures, two calls).
  std::vector<std::size_t> mine[2];
  std::vector<std::vector<std::int32_t>> prompts[2];
  std::vector<std::uint64_t> seeds[2];
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (rows[r].problem % world != rank) continue;
    const int greedy = rows[r].sample < 0 ? 1 : 0;
    mine[greedy].push_back(r);
    prompts[greedy].push_back(problemPrompts[rows[r].problem]);
    // A problem's samples are copies of one prompt (model::copySeed): a server gets them as one
    // request with n = samples.
    seeds[greedy].push_back(model::copySeed(model::rowSeed(options.seed, rows[r].problem),
                                            std::uint64_t(rows[r].sample)));
  }
  model::GenerationOptions generation;
  generation.maxNewTokens = options.maxNewTokens;
  generation.temperature = options.temperature;
  generation.topP = options.topP;
  generation.seed = options.seed;
  generation.stopIds = tokenizer.stopIds();
  generation.maxBatchSize = options.batchSize;
  const int chunk = std::max(1, options.batchSize);
  EvaluationProgress counter{0, std::int64_t(mine[0].size() + mine[1].size())};
  auto generated = generateChunked(model, prompts[0], seeds[0], generation, chunk, counter, report);
  generation.temperature = 0;
  auto greedy = generateChunked(model, prompts[1], seeds[1], generation, chunk, counter, report);
  for (auto& g : greedy) generated.push_back(std::move(g));
  mine[0].insert(mine[0].end(), mine[1].begin(), mine[1].end());

  return detail::gatherGenerations(*communicator, rows.size(), mine[0], std::move(generated));
}

// One generated row: its text, the verifier's verdict, the trace statistics and the returns that
// abandon a wrong branch.
EvaluationSample gradeRow(std::size_t problemIndex, int sampleIndex,
                          const model::Generation& generated, const tokenizer::Tokenizer& tokenizer,
                          const math::Problem& problem, const math::Verifier& verifier,
                          const analysis::TraceDetector& detector,
                          const domain::StepValidator* stepValidator) {
  EvaluationSample sample;
  sample.problemIndex = problemIndex;
  sample.sampleIndex = sampleIndex;
  sample.completion = tokenizer.decode(generated.ids, true);
  sample.tokens = int(generated.ids.size());
  sample.finishReason = model::finishReasonName(generated.finishReason);
  auto verdict = verifier.grade(problem, sample.completion);
  sample.correct = verdict.correct;
  sample.extracted = verdict.extracted;
  sample.rule = verdict.rule;
  const analysis::StepGraph graph = detector.detect(sample.completion);
  auto stats = analysis::traceStats(graph, sample.completion);
  sample.steps = stats.steps;
  sample.backtracks = stats.backtracks;
  sample.restarts = stats.restarts;
  sample.reflections = stats.reflections;
  sample.returnsAfterWrongBranch =
      int(analysis::judgeReturns(graph, sample.completion, problem, verifier, stepValidator)
              .afterWrongBranch.size());
  sample.failure = analysis::judgeAnswer(graph, sample.completion, problem, verdict, stepValidator);
  return sample;
}

}  // namespace

EvaluationResult evaluatePolicy(const model::Sampler& model,
                                const tokenizer::Tokenizer& tokenizer,
                                const std::vector<math::Problem>& problems,
                                const math::Verifier& verifier, const EvaluationOptions& options,
                                const std::function<void(const EvaluationProgress&)>& progress) {
  if (options.samplesPerProblem < 1) throw UsageError("evaluation needs >= 1 sample per problem");
  for (int k : options.reportPassAtK) {
    if (k < 1 || k > options.samplesPerProblem) {
      throw UsageError("pass@" + std::to_string(k) + " needs at least " + std::to_string(k) +
                       " samples per problem");
    }
  }
  EvaluationResult result;
  if (problems.empty()) return result;

  std::vector<Row> rows;  // every problem's samples in order, then the greedy answers
  for (std::size_t p = 0; p < problems.size(); ++p) {
    for (int s = 0; s < options.samplesPerProblem; ++s) rows.push_back({p, s});
  }
  const std::size_t sampledRows = rows.size();
  if (options.greedy) {
    for (std::size_t p = 0; p < problems.size(); ++p) rows.push_back({p, -1});
  }
  const auto generations = generateRows(model, tokenizer, problems, rows, options, progress);

  std::shared_ptr<const analysis::TraceDetector> detector = options.traceDetector;
  if (!detector) detector = std::make_shared<analysis::ExactDetector>(search::defaultPhraseSet());
  std::vector<int> correctPerProblem(problems.size(), 0);
  int greedyCorrect = 0;
  double tokenSum = 0, backtrackSum = 0, restartSum = 0;
  analysis::BacktrackBehaviour behaviour;
  analysis::AnswerFailures failures;
  for (std::size_t j = 0; j < rows.size(); ++j) {
    EvaluationSample sample =
        gradeRow(rows[j].problem, rows[j].sample, generations[j], tokenizer,
                 problems[rows[j].problem], verifier, *detector, options.stepValidator.get());
    if (sample.sampleIndex >= 0) {
      behaviour.add(sample.backtracks + sample.restarts, sample.returnsAfterWrongBranch,
                    sample.correct);
      failures.add(sample.failure);
      correctPerProblem[sample.problemIndex] += sample.correct ? 1 : 0;
      tokenSum += sample.tokens;
      backtrackSum += sample.backtracks;
      restartSum += sample.restarts;
    } else {
      greedyCorrect += sample.correct ? 1 : 0;
    }
    result.samples.push_back(std::move(sample));
  }
  double n = double(problems.size());
  for (int c : correctPerProblem) {
    result.problemPassAt1.push_back(double(c) / options.samplesPerProblem);
    result.passAt1 += result.problemPassAt1.back() / n;
  }
  result.greedyAccuracy = options.greedy ? greedyCorrect / n : 0.0;
  result.meanCompletionTokens = tokenSum / double(sampledRows);
  result.meanBacktracks = backtrackSum / double(sampledRows);
  result.meanRestarts = restartSum / double(sampledRows);
  result.behaviour = behaviour;
  result.failures = failures;
  for (int k : options.reportPassAtK) {
    double sum = 0;
    for (int c : correctPerProblem) sum += passAtK(options.samplesPerProblem, c, k);
    result.passAtK.emplace_back(k, sum / n);
  }
  return result;
}

}  // namespace astro::train
