#include "core/train/evaluation.h"

#include <algorithm>

#include "core/analysis/exact_detector.h"
#include "core/analysis/trace_stats.h"
#include "core/base/error.h"
#include "core/model/language_model.h"
#include "core/search/phrase_set.h"
#include "core/tokenizer/chat_format.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/pass_at_k.h"

namespace astro::train {

std::vector<std::int32_t> problemPrompt(const math::Problem& problem,
                                        const tokenizer::Tokenizer& tokenizer) {
  std::vector<tokenizer::ChatMessage> messages = {{"user", problem.question}};
  return tokenizer.encode(tokenizer::renderChat(tokenizer.chatFormat(), messages, true));
}

namespace {

// Generates one completion per (problem, sample) job in chunks, so progress can be reported.
std::vector<model::Generation> generateJobs(const model::LanguageModel& model,
                                            const std::vector<std::vector<std::int32_t>>& prompts,
                                            model::GenerationOptions generation, int chunk,
                                            EvaluationProgress& progress,
                                            const std::function<void(const EvaluationProgress&)>& report) {
  std::vector<model::Generation> results;
  for (std::size_t first = 0; first < prompts.size(); first += std::size_t(chunk)) {
    std::size_t last = std::min(prompts.size(), first + std::size_t(chunk));
    std::vector<std::vector<std::int32_t>> batch(prompts.begin() + std::ptrdiff_t(first),
                                                 prompts.begin() + std::ptrdiff_t(last));
    generation.seed += 1;  // each chunk its own stream, reproducible for a seed
    auto generated = model.generate(batch, generation);
    for (auto& g : generated) results.push_back(std::move(g));
    progress.done += std::int64_t(last - first);
    if (report) report(progress);
  }
  return results;
}

}  // namespace

EvaluationResult evaluatePolicy(const model::LanguageModel& model,
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

  model::GenerationOptions generation;
  generation.maxNewTokens = options.maxNewTokens;
  generation.temperature = options.temperature;
  generation.topP = options.topP;
  generation.seed = options.seed;
  generation.stopIds = tokenizer.stopIds();
  generation.maxBatchSize = options.batchSize;

  std::vector<std::vector<std::int32_t>> prompts;
  std::vector<std::pair<std::size_t, int>> jobs;  // (problem, sample index)
  for (std::size_t p = 0; p < problems.size(); ++p) {
    auto prompt = problemPrompt(problems[p], tokenizer);
    for (int s = 0; s < options.samplesPerProblem; ++s) {
      prompts.push_back(prompt);
      jobs.emplace_back(p, s);
    }
  }
  std::size_t sampledJobs = jobs.size();
  EvaluationProgress counter{0, std::int64_t(jobs.size() + (options.greedy ? problems.size() : 0))};
  int chunk = std::max(1, options.batchSize);
  auto sampled = generateJobs(model, prompts, generation, chunk, counter, progress);
  std::vector<model::Generation> greedy;
  if (options.greedy) {
    std::vector<std::vector<std::int32_t>> greedyPrompts;
    for (std::size_t p = 0; p < problems.size(); ++p) {
      greedyPrompts.push_back(prompts[p * std::size_t(options.samplesPerProblem)]);
      jobs.emplace_back(p, -1);
    }
    auto greedyGeneration = generation;
    greedyGeneration.temperature = 0;
    greedy = generateJobs(model, greedyPrompts, greedyGeneration, chunk, counter,
                          progress);
  }

  std::shared_ptr<const analysis::TraceDetector> detector = options.traceDetector;
  if (!detector) detector = std::make_shared<analysis::ExactDetector>(search::defaultPhraseSet());
  std::vector<int> correctPerProblem(problems.size(), 0);
  int greedyCorrect = 0;
  double tokenSum = 0, backtrackSum = 0, restartSum = 0;
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    const auto& generated = j < sampledJobs ? sampled[j] : greedy[j - sampledJobs];
    EvaluationSample sample;
    sample.problemIndex = jobs[j].first;
    sample.sampleIndex = jobs[j].second;
    sample.completion = tokenizer.decode(generated.ids, true);
    sample.tokens = int(generated.ids.size());
    sample.finishReason = model::finishReasonName(generated.finishReason);
    auto verdict = verifier.grade(problems[sample.problemIndex], sample.completion);
    sample.correct = verdict.correct;
    sample.extracted = verdict.extracted;
    sample.rule = verdict.rule;
    auto stats = analysis::analyzeTrace(*detector, sample.completion);
    sample.steps = stats.steps;
    sample.backtracks = stats.backtracks;
    sample.restarts = stats.restarts;
    sample.reflections = stats.reflections;
    if (sample.sampleIndex >= 0) {
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
  for (int c : correctPerProblem) result.passAt1 += double(c) / options.samplesPerProblem / n;
  result.greedyAccuracy = options.greedy ? greedyCorrect / n : 0.0;
  result.meanCompletionTokens = tokenSum / double(sampledJobs);
  result.meanBacktracks = backtrackSum / double(sampledJobs);
  result.meanRestarts = restartSum / double(sampledJobs);
  for (int k : options.reportPassAtK) {
    double sum = 0;
    for (int c : correctPerProblem) sum += passAtK(options.samplesPerProblem, c, k);
    result.passAtK.emplace_back(k, sum / n);
  }
  return result;
}

}  // namespace astro::train
