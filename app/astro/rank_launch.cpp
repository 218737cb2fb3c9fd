// --nproc (rank_launch.h): re-executes /proc/self/exe with /proc/self/cmdline minus --nproc.
#include "app/astro/rank_launch.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/dist/dist_environment.h"
#include "core/dist/local_launcher.h"

namespace astro::cli {

namespace {

std::vector<std::string> ownArguments() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> words;
  std::string word;
  for (char c : all) {
    if (c == '\0') {
      words.push_back(word);
      word.clear();
    } else {
      word += c;
    }
  }
  return words;
}

std::vector<std::string> withoutNproc(const std::vector<std::string>& words) {
  std::vector<std::string> kept;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i] == "--nproc") {
      ++i;  // and its value
      continue;
    }
    if (words[i].starts_with("--nproc=")) continue;
    kept.push_back(words[i]);
  }
  return kept;
}

}  // namespace

void addNprocFlag(CLI::App* command, RankFlags& flags) {
  command
      ->add_option("--nproc", flags.nproc,
                   "Data-parallel ranks to start on this machine (each gets cores / N threads;\n"
                   "under torchrun or srun leave it out: RANK/WORLD_SIZE or SLURM_* are read)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
}

std::optional<int> launchRanksIfAsked(const RankFlags& flags, const std::filesystem::path& logFolder) {
  if (flags.nproc <= 1) return std::nullopt;
  if (dist::distEnvironmentFromProcess().distributed()) {
    throw UsageError("--nproc " + std::to_string(flags.nproc) +
                     " inside a job that already has ranks (RANK/WORLD_SIZE or SLURM_NTASKS set)");
  }
  auto words = withoutNproc(ownArguments());
  if (words.empty()) throw Error("cannot read this process's arguments from /proc/self/cmdline");
  words[0] = std::filesystem::read_symlink("/proc/self/exe").string();
  std::filesystem::create_directories(logFolder);
  dist::LaunchOptions launch{.argv = words,
                             .processes = flags.nproc,
                             .logFolder = logFolder,
                             .splitThreads = std::getenv("ASTRO_THREADS") == nullptr};
  auto result = dist::launchLocal(launch);
  if (!result.ok()) std::cerr << "astro: error: " << result.failure << "\n";
  return result.exitCode();
}

}  // namespace astro::cli
