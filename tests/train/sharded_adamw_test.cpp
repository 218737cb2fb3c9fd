// ShardedAdamW (core/train/detail/sharded_adamw.h) in one process against torch::optim::AdamW
// with clip_grad_norm_: the same weights after several steps; its state file resumes the same
// trajectory; a state file of another model or format is refused naming the file.
#include <QtTest>
#include <fstream>

#include "core/base/error.h"
#include "core/train/detail/sharded_adamw.h"
#include "tests/support/test_support.h"

using astro::train::detail::AdamWSettings;
using astro::train::detail::ShardedAdamW;

namespace {

std::vector<torch::Tensor> parameters(std::uint64_t seed) {
  torch::manual_seed(int64_t(seed));
  return {torch::randn({37, 19}).requires_grad_(), torch::randn({1000}).requires_grad_(),
          torch::randn({3, 5, 7}).requires_grad_()};
}

torch::Tensor gradientFor(const torch::Tensor& parameter, int step, std::size_t index) {
  auto generator = at::detail::createCPUGenerator(std::uint64_t(100 * step + int(index)));
  return at::randn(parameter.sizes(), generator);
}

// Writes step `step`'s gradients into .grad in place (ShardedAdamW's .grad are views).
void fillGradients(std::vector<torch::Tensor>& params, int step) {
  torch::NoGradGuard noGrad;
  for (std::size_t i = 0; i < params.size(); ++i) params[i].grad().copy_(gradientFor(params[i], step, i));
}

double maxDifference(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    worst = std::max(worst, (a[i] - b[i]).abs().max().item<double>());
  }
  return worst;
}

constexpr double kLearningRate = 1e-2;
constexpr double kClip = 5.0;  // below the gradients' norm (~36): clipping is exercised
const AdamWSettings kSettings{.beta1 = 0.9, .beta2 = 0.95, .eps = 1e-8, .weightDecay = 0.1};

}  // namespace

class ShardedAdamWTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void oneRank_matchesTorchAdamWWithClipping() {
    auto ours = parameters(3);
    auto theirs = parameters(3);
    ShardedAdamW optimizer(ours, kSettings, astro::dist::detail::Communicator::single(), false);
    torch::optim::AdamW reference(theirs, torch::optim::AdamWOptions(kLearningRate)
                                              .betas({kSettings.beta1, kSettings.beta2})
                                              .eps(kSettings.eps)
                                              .weight_decay(kSettings.weightDecay));
    for (int step = 0; step < 6; ++step) {
      optimizer.zeroGrad();
      fillGradients(ours, step);
      double norm = optimizer.step(kLearningRate, kClip);
      for (std::size_t i = 0; i < theirs.size(); ++i) {
        theirs[i].mutable_grad() = gradientFor(theirs[i], step, i);
      }
      double theirNorm = torch::nn::utils::clip_grad_norm_(theirs, kClip);
      reference.step();
      QVERIFY(std::abs(norm - theirNorm) <= 1e-4 * theirNorm);
    }
    // Float32 arithmetic in another order (fused loop vs six tensor ops): ~1 ulp per step.
    QVERIFY2(maxDifference(ours, theirs) < 1e-6, qPrintable(QString::number(maxDifference(ours, theirs))));
  }

  void stateFile_resumesTheSameTrajectory() {
    auto dir = astro::test::freshTempDir("sharded-adamw");
    auto straight = parameters(5);
    ShardedAdamW uninterrupted(straight, kSettings, astro::dist::detail::Communicator::single(), false);
    for (int step = 0; step < 6; ++step) {
      uninterrupted.zeroGrad();
      fillGradients(straight, step);
      uninterrupted.step(kLearningRate, 0);
    }

    auto first = parameters(5);
    ShardedAdamW before(first, kSettings, astro::dist::detail::Communicator::single(), false);
    for (int step = 0; step < 3; ++step) {
      before.zeroGrad();
      fillGradients(first, step);
      before.step(kLearningRate, 0);
    }
    before.save(dir / "state.pt");
    auto resumed = parameters(99);  // other starting weights: the state file must overwrite them
    ShardedAdamW after(resumed, kSettings, astro::dist::detail::Communicator::single(), false);
    after.load(dir / "state.pt");
    QCOMPARE(after.steps(), std::int64_t(3));
    for (int step = 3; step < 6; ++step) {
      after.zeroGrad();
      fillGradients(resumed, step);
      after.step(kLearningRate, 0);
    }
    QCOMPARE(maxDifference(resumed, straight), 0.0);
  }

  void stateFile_ofAnotherModelIsRefusedNamingTheFile() {
    auto dir = astro::test::freshTempDir("sharded-adamw-other");
    auto params = parameters(1);
    ShardedAdamW optimizer(params, kSettings, astro::dist::detail::Communicator::single(), false);
    optimizer.save(dir / "state.pt");
    std::vector<torch::Tensor> other{torch::zeros({10}).requires_grad_()};
    ShardedAdamW otherOptimizer(other, kSettings, astro::dist::detail::Communicator::single(), false);
    try {
      otherOptimizer.load(dir / "state.pt");
      QFAIL("a state file of another model loaded");
    } catch (const astro::Error& error) {
      QVERIFY2(QString(error.what()).contains("state.pt") &&
                   QString(error.what()).contains("parameters"),
               error.what());
    }
    std::ofstream(dir / "garbage.pt") << "not a torch archive";
    QVERIFY_THROWS_EXCEPTION(astro::Error, optimizer.load(dir / "garbage.pt"));
  }
};

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  ShardedAdamWTest test;
  return QTest::qExec(&test, argc, argv);
}
#include "sharded_adamw_test.moc"
