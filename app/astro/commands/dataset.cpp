// `astro dataset check FILE [--format F] [--skip-bad]`: loads a JSONL dataset as training and
// evaluation would (a domain plugin's own format first, core/domain/dataset_reading.h), and prints
// what the run store registers (name, sha256, format, records) and which reader read it.
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/astro/command_registry.h"
#include "core/base/error.h"
#include "core/domain/dataset_reading.h"
#include "core/math/dataset_loader.h"

namespace {

struct CheckOptions {
  std::string file;
  std::string format = "auto";
  bool skipBad = false;
};

void runCheck(const CheckOptions& options) {
  auto format = astro::math::parseFormatName(options.format);
  if (!format) {
    throw astro::UsageError("--format: unknown format '" + options.format +
                            "' (auto, math, competition, gsm8k, generic)");
  }
  astro::math::LoadOptions load{.skipBad = options.skipBad, .format = *format};
  auto loaded = astro::domain::loadDataset(options.file, load);
  auto info = astro::math::describeDataset(options.file, loaded);
  nlohmann::ordered_json report = {{"name", info.name},       {"path", info.path},
                                   {"sha256", info.sha256},   {"format", info.format},
                                   {"records", info.records}, {"skipped", loaded.skipped.size()},
                                   {"reader", loaded.reader.empty() ? std::string("built-in")
                                                                    : "domain " + loaded.reader}};
  std::cout << report.dump() << "\n";
  for (const auto& skipped : loaded.skipped) std::cerr << "skipped: " << skipped.reason << "\n";
}

const astro::cli::CommandRegistration kDataset{"30-dataset", [](CLI::App& root) {
  CLI::App& group = astro::cli::commandGroup(root, "dataset", "Inspect JSONL datasets");
  auto options = std::make_shared<CheckOptions>();
  CLI::App* check = group.add_subcommand(
      "check", "Load a JSONL dataset (MATH, AMC/AIME, GSM8K, generic, or the format of a domain "
               "plugin, which auto tries first), report its sha256, format, record count and "
               "reader; stop at the first malformed line unless --skip-bad");
  check->add_option("file", options->file, "JSONL file")->required();
  check->add_option("--format", options->format,
                    "auto (default: a domain plugin's format, then the built-in ones), math, "
                    "competition, gsm8k or generic (built-in only)");
  check->add_flag("--skip-bad", options->skipBad, "Skip malformed lines and report them");
  check->callback([options] { runCheck(*options); });
}};

}  // namespace
