// Fuzz target for what a host or a user hands core/remote: the first byte picks a reader, the rest
// is its input. Host profile files (TOML), ssh destinations, the Slurm commands' outputs
// (sbatch --parsable, squeue, scontrol show job, sacct) and mirror records (the JSON lines
// `astro remote export` sends). A crash, sanitizer report or hang is a finding; astro::Error and
// JSON errors are the expected answers to malformed input.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/base/error.h"
#include "core/remote/host_profile.h"
#include "core/remote/mirror_records.h"
#include "core/remote/slurm_state.h"

namespace {

void readMirrorRecord(const std::string& text) {
  nlohmann::json record = nlohmann::json::parse(text);
  std::string type = record.value("type", "");
  if (type == "event") {
    (void)astro::remote::eventFromRecord(record, 1);
  } else if (type == "tree") {
    (void)astro::remote::treeFromRecord(record, 1);
  } else if (type == "samples") {
    for (const auto& row : record.at("rows")) (void)astro::remote::sampleRowFromRecord(row);
  } else if (type == "run") {
    for (const auto& stage : record.at("stages")) (void)astro::remote::stageFromRecord(stage);
    (void)astro::remote::recordText(record.at("config"));
  } else if (type == "commit") {
    (void)astro::remote::cursorFromJson(record.at("cursor"));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    switch (data[0] % 7) {
      case 0: (void)astro::remote::profileFromToml(input, "fuzz.toml"); break;
      case 1: (void)astro::remote::parseSshDestination(input); break;
      case 2: (void)astro::remote::parseSbatchJobId(input); break;
      case 3: (void)astro::remote::parseSqueue(input, "42"); break;
      case 4: (void)astro::remote::parseScontrolShowJob(input); break;
      case 5: (void)astro::remote::parseSacct(input, "42"); break;
      default: readMirrorRecord(input); break;
    }
  } catch (const astro::Error&) {
  } catch (const nlohmann::json::exception&) {
  }
  return 0;
}
