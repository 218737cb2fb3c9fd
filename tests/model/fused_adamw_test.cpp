// FusedAdamW against torch::optim::AdamW: the same parameters and state after several steps
// (with and without weight decay), and checkpoints that load into either.
#include "core/model/detail/fused_adamw.h"

#include <QtTest>

using astro::model::detail::FusedAdamW;

namespace {

std::vector<torch::Tensor> parameters(uint64_t seed) {
  torch::manual_seed(int64_t(seed));
  return {torch::randn({37, 19}).requires_grad_(), torch::randn({1000}).requires_grad_(),
          torch::randn({3, 5, 7}).requires_grad_()};
}

// Deterministic gradients for step `step` (the same for both optimizers).
void setGradients(std::vector<torch::Tensor>& params, int step) {
  for (std::size_t i = 0; i < params.size(); ++i) {
    auto generator = at::detail::createCPUGenerator(uint64_t(100 * step + int(i)));
    params[i].mutable_grad() = at::randn(params[i].sizes(), generator);
  }
}

double maxDifference(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    worst = std::max(worst, (a[i] - b[i]).abs().max().item<double>());
  }
  return worst;
}

}  // namespace

class FusedAdamWTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void steps_equalTorchAdamW() {
    for (double weightDecay : {0.0, 0.1}) {
      auto fused = parameters(1), reference = parameters(1);
      auto options = torch::optim::AdamWOptions(3e-2).weight_decay(weightDecay);
      FusedAdamW fusedOptimizer(fused, options);
      torch::optim::AdamW referenceOptimizer(reference, options);
      for (int step = 0; step < 5; ++step) {
        setGradients(fused, step);
        setGradients(reference, step);
        fusedOptimizer.step();
        referenceOptimizer.step();
      }
      double difference = maxDifference(fused, reference);
      QVERIFY2(difference < 1e-6, qPrintable(QString::number(difference)));
      QVERIFY(maxDifference(fused, parameters(1)) > 1e-2);  // it did move
    }
  }

  void checkpoint_loadsIntoTorchAdamWAndContinuesTheSame() {
    auto fused = parameters(2), reference = parameters(2);
    auto options = torch::optim::AdamWOptions(1e-2).weight_decay(0.01);
    FusedAdamW fusedOptimizer(fused, options);
    for (int step = 0; step < 3; ++step) {
      setGradients(fused, step);
      fusedOptimizer.step();
    }
    std::stringstream stream;
    torch::save(fusedOptimizer, stream);
    {
      torch::NoGradGuard noGrad;
      for (std::size_t i = 0; i < fused.size(); ++i) reference[i].copy_(fused[i]);
    }
    torch::optim::AdamW referenceOptimizer(reference, options);
    torch::load(referenceOptimizer, stream);
    setGradients(fused, 3);
    setGradients(reference, 3);
    fusedOptimizer.step();
    referenceOptimizer.step();
    QVERIFY(maxDifference(fused, reference) < 1e-6);
  }
};

QTEST_GUILESS_MAIN(FusedAdamWTest)
#include "fused_adamw_test.moc"
