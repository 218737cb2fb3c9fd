// The domain registry (core/domain): lookup by name and the error that lists the registered names,
// the one `auto` rule on all-countdown, mixed and empty sets, registration order, and which
// built-in domain gives a step validator.
#include "core/domain/domain_registry.h"

#include <QtTest>

#include "core/base/error.h"
#include "core/domain/math_domain.h"
#include "core/world/countdown_puzzle.h"

using astro::math::Problem;
using namespace astro::domain;

namespace {

Problem countdownProblem(std::string id) {
  return astro::world::puzzleToProblem({.numbers = {3, 5, 7, 8}, .target = 24}, std::move(id));
}

// A puzzle as a loader that keeps only question and answer yields it: no `extra`, and a source
// and id that say nothing of countdown.
Problem bareCountdownProblem(std::string id) {
  Problem problem = countdownProblem(std::move(id));
  problem.extra = {};
  problem.subject.clear();
  problem.source = "puzzles";
  return problem;
}

Problem mathProblem(std::string id) {
  return {.id = std::move(id), .question = "What is $1+1$?", .answer = "2", .source = "math500"};
}

std::string resolvedName(std::string_view name, const std::vector<Problem>& problems) {
  return std::string(resolveDomain(name, problems).name());
}

template <typename Call>
QString usageErrorOf(Call call) {
  try {
    call();
  } catch (const astro::UsageError& error) {
    return QString::fromUtf8(error.what());
  }
  return {};
}

// A domain for the registry's own rules: claims the problems whose id starts with `prefix`.
class PrefixDomain : public Domain {
 public:
  PrefixDomain(std::string name, std::string prefix)
      : name_(std::move(name)), prefix_(std::move(prefix)) {}
  std::string_view name() const override { return name_; }
  std::string_view description() const override { return "ids with a prefix"; }
  bool claims(const Problem& problem) const override { return problem.id.starts_with(prefix_); }
  std::unique_ptr<astro::math::Verifier> makeVerifier() const override { return nullptr; }

 private:
  std::string name_;
  std::string prefix_;
};

}  // namespace

class DomainRegistryTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void builtIns_areMathTheFallbackThenCountdown() {
    const DomainRegistry& domains = domainRegistry();
    QCOMPARE(domains.names(), std::vector<std::string>({"math", "countdown"}));
    QCOMPARE(domains.choices(), std::vector<std::string>({"auto", "math", "countdown"}));
    QCOMPARE(domains.fallback().name(), std::string_view("math"));
    QVERIFY(domains.isChoice("auto") && domains.isChoice("countdown") && !domains.isChoice(""));
  }

  void find_givesTheDomainAndItsVerifier() {
    QCOMPARE(domainRegistry().find("countdown").makeVerifier()->name(), std::string("countdown"));
    QCOMPARE(domainRegistry().find("math").makeVerifier()->name(), std::string("math"));
    QVERIFY(!domainRegistry().find("math").description().empty());
  }

  void find_unknownName_listsTheRegisteredOnes() {
    QCOMPARE(usageErrorOf([] { domainRegistry().find("gsm8k"); }),
             QString("verifier \"gsm8k\" is not a registered domain: one of \"auto\", \"math\", "
                     "\"countdown\""));
    QCOMPARE(usageErrorOf([] { resolveDomain("Countdown", {}); }),
             QString("verifier \"Countdown\" is not a registered domain: one of \"auto\", "
                     "\"math\", \"countdown\""));
  }

  void add_rejectsDuplicatesAutoAndASecondFallback() {
    DomainRegistry registry;
    registry.addFallback(std::make_unique<MathDomain>());
    QVERIFY(usageErrorOf([&] {
              registry.add(std::make_unique<MathDomain>());
            }).contains("'math' is already registered"));
    QVERIFY(usageErrorOf([&] {
              registry.add(std::make_unique<PrefixDomain>("auto", ""));
            }).contains("names the auto rule"));
    QVERIFY(usageErrorOf([&] {
              registry.addFallback(std::make_unique<PrefixDomain>("b", ""));
            }).contains("'math' is already the fallback"));
    QCOMPARE(registry.names(), std::vector<std::string>({"math"}));
  }

  void auto_allCountdown_isCountdown() {
    QCOMPARE(resolvedName("auto", {countdownProblem("c0"), countdownProblem("c1")}),
             std::string("countdown"));
    // Read from the question alone, whatever the file and ids are called.
    QCOMPARE(resolvedName("auto", {bareCountdownProblem("p0"), countdownProblem("c1")}),
             std::string("countdown"));
  }

  void auto_mixedSet_isMath() {
    // Every problem must be countdown's; the order does not matter (the search job once looked
    // at the first problem only and graded MATH problems as puzzles).
    QCOMPARE(resolvedName("auto", {countdownProblem("c0"), mathProblem("m0")}),
             std::string("math"));
    QCOMPARE(resolvedName("auto", {mathProblem("m0"), countdownProblem("c0")}),
             std::string("math"));
    QCOMPARE(resolvedName("auto", {mathProblem("m0")}), std::string("math"));
  }

  void auto_emptySet_isMath() { QCOMPARE(resolvedName("auto", {}), std::string("math")); }

  void auto_malformedPuzzleFields_areNotCountdown() {
    Problem broken = countdownProblem("c0");
    broken.extra["numbers"] = "3, 5";  // the verifier could not grade it
    QVERIFY(!domainRegistry().find("countdown").claims(broken));
    QCOMPARE(resolvedName("auto", {broken}), std::string("math"));
  }

  void explicitName_ignoresTheProblems() {
    QCOMPARE(resolvedName("countdown", {mathProblem("m0")}), std::string("countdown"));
    QCOMPARE(resolvedName("math", {countdownProblem("c0")}), std::string("math"));
  }

  void auto_takesTheFirstClaimingDomainInRegistrationOrder() {
    DomainRegistry registry;
    registry.add(std::make_unique<PrefixDomain>("a", "x"));
    registry.addFallback(std::make_unique<MathDomain>());  // claims all, but only as fallback
    registry.add(std::make_unique<PrefixDomain>("b", "x-"));
    registry.add(std::make_unique<PrefixDomain>("c", "y"));
    const std::vector<Problem> xs{mathProblem("x-1"), mathProblem("x-2")};
    QCOMPARE(registry.resolve("auto", xs).name(), std::string_view("a"));
    const std::vector<Problem> ys{mathProblem("y1")};
    QCOMPARE(registry.resolve("auto", ys).name(), std::string_view("c"));
    const std::vector<Problem> mixed{mathProblem("x-1"), mathProblem("y1")};
    QCOMPARE(registry.resolve("auto", mixed).name(), std::string_view("math"));
  }

  void auto_withoutFallback_isAnError() {
    DomainRegistry registry;
    registry.add(std::make_unique<PrefixDomain>("a", "x"));
    QVERIFY(usageErrorOf([&] { registry.resolve("auto", {}); }).contains("no fallback"));
  }

  void countdown_givesTheStepValidator_mathNone() {
    QVERIFY(domainRegistry().find("math").makeStepValidator() == nullptr);
    const auto validator = domainRegistry().find("countdown").makeStepValidator();
    QVERIFY(validator != nullptr);
    const Problem problem = countdownProblem("c0");  // 3, 5, 7, 8 -> 24
    QVERIFY(validator->accepts(problem, {}, "Step 1: 3 * 8 = 24. Remaining: 5, 7, 24"));
    QVERIFY(!validator->accepts(problem, {}, "Step 1: 3 * 8 = 25. Remaining: 5, 7, 25"));
    QVERIFY(validator->accepts(problem, {}, "\\boxed{3*8}"));
  }
};

QTEST_GUILESS_MAIN(DomainRegistryTest)
#include "domain_registry_test.moc"
