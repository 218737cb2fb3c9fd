// CDomain (c_domain.h): the C callbacks behind domain::Domain, math::Verifier and StepValidator.
#include "core/plugin/c_domain.h"

#include <array>
#include <cstring>
#include <exception>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/base/error.h"
#include "core/plugin/plugin_descriptors.h"

namespace astro::plugin {

namespace {

// A math::Problem as an AstroProblem; owns the extra_json text the C struct points at.
class CProblem {
 public:
  explicit CProblem(const math::Problem& problem)
      : extraJson_(problem.extra.is_null() ? "{}" : problem.extra.dump()),
        problem_{problem.id.c_str(), problem.question.c_str(), problem.answer.c_str(),
                 problem.source.c_str(), extraJson_.c_str()} {}
  const AstroProblem* get() const { return &problem_; }

 private:
  std::string extraJson_;
  AstroProblem problem_;
};

// Calls `call` under the domain's lock; a C++ exception escaping the plugin (which the ABI
// forbids) becomes astro::Error naming the plugin, the domain and the function.
template <typename Call>
int callPlugin(CDomain::Shared& shared, const char* function, Call call) {
  std::lock_guard lock(shared.calls);
  try {
    return call();
  } catch (const std::exception& error) {
    throw Error("plugin " + shared.pluginName + ": domain '" + shared.descriptor.name + "' " +
                function + " threw: " + error.what());
  } catch (...) {
    throw Error("plugin " + shared.pluginName + ": domain '" + shared.descriptor.name + "' " +
                function + " threw an exception");
  }
}

class CVerifier : public math::Verifier {
 public:
  explicit CVerifier(std::shared_ptr<CDomain::Shared> shared) : shared_(std::move(shared)) {}

  std::string name() const override { return shared_->descriptor.name; }

  // A non-zero return leaves the sample ungraded: not correct, no answer found, and the rule
  // says why, so a run goes on and its samples show the plugin's failure.
  math::Verdict grade(const math::Problem& problem, std::string_view output) const override {
    const CProblem cProblem(problem);
    std::array<char, 4096> extracted{};
    std::array<char, 128> rule{};
    AstroVerdict verdict{};
    verdict.extracted = extracted.data();
    verdict.extracted_size = extracted.size();
    verdict.rule = rule.data();
    verdict.rule_size = rule.size();
    const int status = callPlugin(*shared_, "grade", [&] {
      return shared_->descriptor.grade(shared_->descriptor.context, cProblem.get(), output.data(),
                                       output.size(), &verdict);
    });
    math::Verdict result;
    if (status != 0) {
      result.rule = "plugin error: grade returned " + std::to_string(status);
      return result;
    }
    result.correct = verdict.correct != 0;
    result.answerFound = verdict.answer_found != 0;
    // The plugin may have written up to the last byte without a terminator.
    result.extracted.assign(extracted.data(), strnlen(extracted.data(), extracted.size()));
    result.rule.assign(rule.data(), strnlen(rule.data(), rule.size()));
    result.answerOffset = std::min(verdict.answer_offset, output.size());
    return result;
  }

 private:
  std::shared_ptr<CDomain::Shared> shared_;
};

class CStepValidator : public domain::StepValidator {
 public:
  explicit CStepValidator(std::shared_ptr<CDomain::Shared> shared) : shared_(std::move(shared)) {}

  bool accepts(const math::Problem& problem, std::span<const std::string_view> steps,
               std::string_view step) const override {
    const CProblem cProblem(problem);
    // Copies, so that each step is also NUL-terminated for a plugin that ignores the sizes.
    const std::vector<std::string> texts(steps.begin(), steps.end());
    std::vector<const char*> pointers;
    std::vector<std::size_t> sizes;
    for (const std::string& text : texts) {
      pointers.push_back(text.c_str());
      sizes.push_back(text.size());
    }
    const std::string proposed(step);
    return callPlugin(*shared_, "accepts_step", [&] {
             return shared_->descriptor.accepts_step(shared_->descriptor.context, cProblem.get(),
                                                     pointers.data(), sizes.data(), texts.size(),
                                                     proposed.c_str(), proposed.size());
           }) != 0;
  }

 private:
  std::shared_ptr<CDomain::Shared> shared_;
};

// The text a C string field holds; "" for NULL.
std::string textOf(const char* text) { return text == nullptr ? std::string() : text; }

math::Problem readRecord(CDomain::Shared& shared, std::string_view line) {
  const std::string record(line);  // NUL-terminated for a plugin that ignores the size
  AstroDatasetRecord problem{};
  std::array<char, 128> field{};
  std::array<char, 1024> error{};
  const int status = callPlugin(shared, "read_record", [&] {
    return shared.descriptor.read_record(shared.descriptor.context, record.c_str(), record.size(),
                                         &problem, field.data(), field.size(), error.data(),
                                         error.size());
  });
  if (status != 0) {
    std::string why(error.data(), strnlen(error.data(), error.size()));
    if (why.empty()) why = "read_record returned " + std::to_string(status);
    throw math::RecordError{std::string(field.data(), strnlen(field.data(), field.size())),
                            "plugin " + shared.pluginName + ": " + why};
  }
  math::Problem read;
  read.id = textOf(problem.id);
  read.question = textOf(problem.question);
  read.answer = textOf(problem.answer);
  read.solution = textOf(problem.solution);
  if (read.question.empty()) {
    throw math::RecordError{"question", "plugin " + shared.pluginName + ": read_record gave none"};
  }
  if (read.answer.empty()) {
    throw math::RecordError{"answer", "plugin " + shared.pluginName + ": read_record gave none"};
  }
  const std::string extra = textOf(problem.extra_json);
  if (!extra.empty()) {
    read.extra = nlohmann::json::parse(extra, nullptr, false);
    if (!read.extra.is_object()) {
      throw math::RecordError{"", "plugin " + shared.pluginName +
                                      ": read_record's extra_json is not a JSON object"};
    }
  }
  return read;
}

}  // namespace

CDomain::CDomain(const AstroDomainV1& descriptor, std::string pluginName)
    : descriptor_(copyDomain(descriptor)), shared_(std::make_shared<Shared>()) {
  shared_->descriptor = descriptor_;
  shared_->pluginName = std::move(pluginName);
  if (descriptor_.step_delimiter != nullptr) stepDelimiter_ = descriptor_.step_delimiter;
  // checkDomain (plugin_descriptors.h) refused a descriptor whose set does not parse or holds
  // the delimiter; a host that skipped it still gets the error here, naming the plugin.
  if (descriptor_.phrase_set_json != nullptr) {
    const std::string source = "plugin " + shared_->pluginName + ": phrase_set_json";
    try {
      phrases_ = search::phraseSetFromJson(nlohmann::json::parse(descriptor_.phrase_set_json),
                                           source);
    } catch (const nlohmann::json::exception& error) {
      throw Error(source + ": " + error.what());
    }
    search::validatePhrasesForDelimiter(*phrases_, stepDelimiter_, source);
  }
}

std::string_view CDomain::description() const {
  return descriptor_.description != nullptr ? descriptor_.description : "";
}

bool CDomain::claims(const math::Problem& problem) const {
  const CProblem cProblem(problem);
  return callPlugin(*shared_, "claims",
                    [&] { return descriptor_.claims(descriptor_.context, cProblem.get()); }) != 0;
}

std::unique_ptr<math::Verifier> CDomain::makeVerifier() const {
  return std::make_unique<CVerifier>(shared_);
}

std::unique_ptr<domain::StepValidator> CDomain::makeStepValidator() const {
  if (descriptor_.accepts_step == nullptr) return nullptr;
  return std::make_unique<CStepValidator>(shared_);
}

std::string_view CDomain::stepDelimiter() const { return stepDelimiter_; }

const search::PhraseSet& CDomain::phraseSet() const {
  return phrases_ ? *phrases_ : domain::Domain::phraseSet();
}

std::optional<math::RecordReader> CDomain::datasetReader() const {
  if (descriptor_.reads_record == nullptr || descriptor_.read_record == nullptr) {
    return std::nullopt;
  }
  std::shared_ptr<Shared> shared = shared_;
  return math::RecordReader{
      .name = descriptor_.name,
      .detects =
          [shared](std::string_view line) {
            const std::string record(line);
            return callPlugin(*shared, "reads_record", [&] {
                     return shared->descriptor.reads_record(shared->descriptor.context,
                                                            record.c_str(), record.size());
                   }) != 0;
          },
      .read = [shared](std::string_view line) { return readRecord(*shared, line); },
  };
}

}  // namespace astro::plugin
