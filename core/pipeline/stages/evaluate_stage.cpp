// The evaluate stage: every model on every dataset (core/train/evaluation.h), one unit at a time.
// A finished unit leaves units/<m>-<d>.json and .jsonl, so a resume skips it; samples.jsonl
// collects every graded sample with its trace statistics (plain generation format: what the
// analyze stage imports), and the run store's samples table holds them too (sample_records.h).
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/domain/dataset_reading.h"
#include "core/domain/domain_registry.h"
#include "core/endpoint/model_source.h"
#include "core/math/dataset_loader.h"
#include "core/pipeline/run_layout.h"
#include "core/pipeline/stages/pass_rates.h"
#include "core/pipeline/stages/sample_records.h"
#include "core/pipeline/stages/stage_phrases.h"
#include "core/pipeline/stages/stages.h"
#include "core/tokenizer/tokenizer.h"

namespace astro::pipeline {

namespace fs = std::filesystem;

namespace {

struct LoadedDataset {
  const EvaluateDataset* config = nullptr;
  std::vector<math::Problem> problems;
  std::unique_ptr<math::Verifier> verifier;
  std::shared_ptr<const analysis::ExactDetector> detector;  // the samples' backtracks
  // Judges the steps a return abandons (EvaluationOptions::stepValidator); null: answers only.
  std::shared_ptr<const domain::StepValidator> stepValidator;
};

// File names from positions only: labels come from the config and never name files.
fs::path unitFile(const fs::path& folder, std::size_t model, std::size_t dataset,
                  const char* extension) {
  return folder / "units" /
         ("model" + std::to_string(model) + "-dataset" + std::to_string(dataset) + extension);
}

std::string samplesJsonl(const train::EvaluationResult& result, const LoadedDataset& dataset,
                         const std::string& modelLabel) {
  std::string lines;
  for (const train::EvaluationSample& sample : result.samples) {
    const math::Problem& problem = dataset.problems[sample.problemIndex];
    nlohmann::ordered_json line = {{"id", problem.id},
                                   {"prompt", problem.question},
                                   {"completion", sample.completion},
                                   {"answer", problem.answer},
                                   {"checkpoint", modelLabel},
                                   {"benchmark", dataset.config->label},
                                   {"sample", sample.sampleIndex},
                                   {"correct", sample.correct},
                                   {"extracted", sample.extracted},
                                   {"tokens", sample.tokens},
                                   {"steps", sample.steps},
                                   {"backtracks", sample.backtracks},
                                   {"restarts", sample.restarts},
                                   {"reflections", sample.reflections}};
    lines += line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  return lines;
}

}  // namespace

void runEvaluateStage(const EvaluateStage& config, StageContext& context) {
  std::vector<LoadedDataset> datasets;
  std::int64_t completionsPerModel = 0;
  const int perProblem = config.options.samplesPerProblem + (config.options.greedy ? 1 : 0);
  for (const EvaluateDataset& dataset : config.datasets) {
    LoadedDataset loaded{.config = &dataset};
    loaded.problems = domain::loadDataset(context.input("dataset:" + dataset.label)).problems;
    if (config.limit > 0 && loaded.problems.size() > std::size_t(config.limit)) {
      loaded.problems.resize(config.limit);
    }
    const domain::Domain& gradingDomain = domain::resolveDomain(config.verifier, loaded.problems);
    context.log("domain " + std::string(gradingDomain.name()) + " grades " + dataset.label +
                    " (verifier = \"" + config.verifier + "\")",
                {{"domain", std::string(gradingDomain.name())}, {"dataset", dataset.label}});
    loaded.verifier = gradingDomain.makeVerifier();
    loaded.detector = stageDetector(gradingDomain, context);
    loaded.stepValidator = gradingDomain.makeStepValidator();
    completionsPerModel += std::int64_t(loaded.problems.size()) * perProblem;
    datasets.push_back(std::move(loaded));
  }
  const std::int64_t total = completionsPerModel * std::int64_t(config.models.size());
  fs::create_directories(context.folder / "units");

  std::int64_t done = 0;
  std::string allSamples;
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (std::size_t m = 0; m < config.models.size(); ++m) {
    const EvaluateModel& modelConfig = config.models[m];
    std::unique_ptr<model::Sampler> model;
    std::optional<tokenizer::Tokenizer> tokenizer;
    for (std::size_t d = 0; d < datasets.size(); ++d) {
      const LoadedDataset& dataset = datasets[d];
      const fs::path resultFile = unitFile(context.folder, m, d, ".json");
      const fs::path samplesFile = unitFile(context.folder, m, d, ".jsonl");
      const std::int64_t unitTotal = std::int64_t(dataset.problems.size()) * perProblem;
      if (!fs::exists(resultFile)) {
        if (!model) {
          endpoint::ModelSource source{.folder = {}, .endpoint = modelConfig.endpoint};
          if (!source.endpoint) source.folder = context.input("model:" + modelConfig.label);
          if (source.endpoint && context.rankZero) {
            context.log(modelConfig.label + ": " + endpoint::describeEndpointConfig(*source.endpoint));
          }
          model = endpoint::openSampler(source, context.device);
          tokenizer = tokenizer::Tokenizer::fromDirectory(
              source.endpoint ? context.input("tokenizer:" + modelConfig.label) : source.folder);
        }
        // Every rank of a data-parallel run samples its share; each gets the whole result.
        train::EvaluationOptions options = config.options;
        options.shardAcrossRanks = true;
        options.traceDetector = dataset.detector;
        options.stepValidator = dataset.stepValidator;
        auto result =
            train::evaluatePolicy(*model, *tokenizer, dataset.problems, *dataset.verifier,
                                  options, [&](const train::EvaluationProgress& progress) {
                                    context.throwIfStopped();
                                    context.progress(done + progress.done, total);
                                  });
        if (!context.rankZero) continue;  // rank 0 records and writes
        PassRates rates = passRates(result, int(dataset.problems.size()),
                                    config.options.samplesPerProblem, config.options.greedy);
        // Before the unit's marker file: a kill between the two redoes the unit, which
        // replaces its samples in the store.
        recordEvaluationSamples(context, modelConfig.label, dataset.config->label, dataset.problems,
                                result);
        writeFileAtomically(samplesFile, samplesJsonl(result, dataset, modelConfig.label));
        writeFileAtomically(resultFile, rates.toJson().dump(2) + "\n");  // last: marks it done
      }
      if (!context.rankZero) continue;
      done += unitTotal;
      context.progress(done, total);
      auto saved = nlohmann::ordered_json::parse(readFile(resultFile));
      PassRates rates = passRatesFromJson(saved);
      reportPassRates(context,
                      modelConfig.label + " on " + dataset.config->label + " (" +
                          std::to_string(rates.problems) + " problems)",
                      rates, dataset.config->label + "/" + modelConfig.label + "/");
      nlohmann::ordered_json row = {{"model", modelConfig.label},
                                    {"dataset", dataset.config->label}};
      row.update(saved);
      results.push_back(row);
      allSamples += readFile(samplesFile);
    }
  }
  if (!context.rankZero) return;
  const fs::path samplesFile = context.folder / stageOutput(StageKind::kEvaluate, "samples");
  writeFileAtomically(samplesFile, allSamples);
  writeFileAtomically(context.folder / "results.json", results.dump(2) + "\n");
  context.artifact("samples", samplesFile);
  context.artifact("table", context.folder / "results.json");
}

}  // namespace astro::pipeline
