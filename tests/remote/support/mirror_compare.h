// A run's mirrored content as comparable text lines: its status and progress, stages (status,
// times, checkpoint), every event (seq, time, kind, payload), metric points, artifacts (path
// without the mirror's remote/<profile>/ prefix), trees with their nodes, and samples in id order
// (ids themselves left out). A mirror equals its source exactly when the two lists are equal.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace astro::test {

std::vector<std::string> mirroredContent(const std::filesystem::path& workspace,
                                         std::int64_t runId,
                                         const std::string& artifactPrefix = {});
// "" when equal, else the first differing line of each, for the failure message.
std::string contentDifference(const std::vector<std::string>& expected,
                              const std::vector<std::string>& actual);

}  // namespace astro::test
