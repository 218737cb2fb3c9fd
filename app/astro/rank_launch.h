// `--nproc N` for the commands that train, search or sample (astro sft, rl, search, evaluate):
// with --nproc N > 1 the command starts N ranks of itself on this machine (a local launcher, as
// torchrun is) and waits for them; each rank then reads RANK/WORLD_SIZE/... from its
// environment, as it would under torchrun or srun.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <optional>

namespace astro::cli {

struct RankFlags {
  int nproc = 1;
};

void addNprocFlag(CLI::App* command, RankFlags& flags);

// When flags.nproc > 1 and this process is not already a rank of a job: runs the N ranks (this
// program with the same arguments, --nproc removed), ranks > 0 logging into `logFolder`
// (rank-<r>.log), and returns the exit code to end with; on failure the message names the rank
// and quotes its log. nullopt: go on in this process.
std::optional<int> launchRanksIfAsked(const RankFlags& flags, const std::filesystem::path& logFolder);

}  // namespace astro::cli
