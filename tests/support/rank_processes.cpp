#include "tests/support/rank_processes.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace astro::test {

namespace fs = std::filesystem;

namespace {
std::string environmentOf(pid_t pid, const std::string& name) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
  std::string entry;
  while (std::getline(in, entry, '\0')) {
    if (entry.starts_with(name + "=")) return entry.substr(name.size() + 1);
  }
  return {};
}

pid_t parentOf(const fs::path& procEntry) {
  std::ifstream stat(procEntry / "stat");
  std::string line;
  std::getline(stat, line);
  auto close = line.rfind(')');  // the command name may hold spaces and parentheses
  if (close == std::string::npos) return 0;
  std::istringstream rest(line.substr(close + 2));
  std::string state;
  pid_t ppid = 0;
  rest >> state >> ppid;
  return ppid;
}
}  // namespace

pid_t rankChild(pid_t parent, int rank) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/proc", error)) {
    std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    pid_t pid = pid_t(std::stol(name));
    if (parentOf(entry.path()) == parent && environmentOf(pid, "RANK") == std::to_string(rank)) {
      return pid;
    }
  }
  return 0;
}

}  // namespace astro::test
