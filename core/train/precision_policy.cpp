#include "core/train/precision_policy.h"

#include "core/base/error.h"

namespace astro::train {

Precision parsePrecision(const std::string& name) {
  if (name == "auto") return Precision::Auto;
  if (name == "float32" || name == "fp32") return Precision::Float32;
  if (name == "bfloat16" || name == "bf16") return Precision::BFloat16;
  throw UsageError("unknown precision '" + name + "' (expected auto, float32 or bfloat16)");
}

std::string precisionName(Precision precision) {
  switch (precision) {
    case Precision::Auto:
      return "auto";
    case Precision::Float32:
      return "float32";
    case Precision::BFloat16:
      return "bfloat16";
  }
  return "auto";
}

PrecisionPolicy resolvePrecision(Precision precision, const std::string& device) {
  bool cuda = device.starts_with("cuda");
  bool bf16 = precision == Precision::BFloat16 || (precision == Precision::Auto && cuda);
  return PrecisionPolicy{.bf16Compute = bf16, .separateMaster = bf16};
}

}  // namespace astro::train
