#include "core/train/detail/checkpoint_state.h"

#include <unistd.h>

#include <algorithm>
#include <regex>

#include "core/base/atomic_file.h"
#include "core/base/error.h"

namespace astro::train::detail {

namespace fs = std::filesystem;

namespace {
std::string checkpointName(int step) { return "checkpoint-" + std::to_string(step); }

std::vector<std::pair<int, fs::path>> listCheckpoints(const fs::path& outputDir) {
  std::vector<std::pair<int, fs::path>> found;
  static const std::regex kName("checkpoint-([0-9]+)");
  for (const auto& entry : fs::directory_iterator(outputDir)) {
    std::smatch match;
    std::string name = entry.path().filename().string();
    if (entry.is_directory() && std::regex_match(name, match, kName)) {
      found.emplace_back(std::stoi(match[1]), entry.path());
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}
}  // namespace

std::optional<CheckpointRef> readLatestCheckpoint(const fs::path& outputDir) {
  fs::path latest = outputDir / "latest.json";
  if (!fs::exists(latest)) return std::nullopt;
  nlohmann::json pointer;
  try {
    pointer = nlohmann::json::parse(readFile(latest));
  } catch (const nlohmann::json::exception& error) {
    throw Error(latest.string() + ": corrupt (" + error.what() + ")");
  }
  CheckpointRef ref;
  ref.folder = outputDir / pointer.value("checkpoint", "");
  fs::path statePath = ref.folder / "trainer_state.json";
  if (!fs::exists(statePath)) {
    throw Error(latest.string() + " names " + ref.folder.string() +
                ", which has no trainer_state.json");
  }
  try {
    auto state = nlohmann::json::parse(readFile(statePath));
    ref.step = state.at("step").get<int>();
    ref.fingerprint = state.at("fingerprint");
  } catch (const nlohmann::json::exception& error) {
    throw Error(statePath.string() + ": corrupt (" + error.what() + ")");
  }
  return ref;
}

fs::path writeCheckpoint(const fs::path& outputDir, int step, const nlohmann::json& fingerprint,
                         const std::function<void(const fs::path&)>& fill) {
  fs::path folder = outputDir / checkpointName(step);
  fs::path temp = outputDir / ("." + checkpointName(step) + ".partial-" + std::to_string(::getpid()));
  fs::remove_all(temp);
  fs::create_directories(temp);
  fill(temp);
  nlohmann::json state = {{"step", step}, {"fingerprint", fingerprint}};
  writeFileAtomically(temp / "trainer_state.json", state.dump(2));
  fs::remove_all(folder);
  fs::rename(temp, folder);
  nlohmann::json pointer = {{"checkpoint", checkpointName(step)}, {"step", step}};
  writeFileAtomically(outputDir / "latest.json", pointer.dump(2));
  return folder;
}

void pruneCheckpoints(const fs::path& outputDir, int keep) {
  auto latest = readLatestCheckpoint(outputDir);
  auto all = listCheckpoints(outputDir);
  int excess = int(all.size()) - std::max(1, keep);
  for (int i = 0; i < excess; ++i) {
    if (latest && all[std::size_t(i)].second == latest->folder) continue;
    fs::remove_all(all[std::size_t(i)].second);
  }
  for (const auto& entry : fs::directory_iterator(outputDir)) {
    std::string name = entry.path().filename().string();
    if (name.starts_with(".checkpoint-") && name.find(".partial-") != std::string::npos) {
      fs::remove_all(entry.path());  // left by a killed writer
    }
  }
}

fs::path publishFinalModel(const fs::path& outputDir, int step) {
  fs::path source = outputDir / checkpointName(step);
  fs::path final = outputDir / "final";
  fs::path temp = outputDir / (".final.partial-" + std::to_string(::getpid()));
  fs::remove_all(temp);
  fs::create_directories(temp);
  for (const auto& entry : fs::directory_iterator(source)) {
    std::string name = entry.path().filename().string();
    if (name == "optimizer.pt") continue;  // the final model is for inference and other tools
    fs::copy_file(entry.path(), temp / name);
  }
  fs::remove_all(final);
  fs::rename(temp, final);
  return final;
}

void copyTokenizerFiles(const fs::path& from, const fs::path& to) {
  for (const char* name : {"tokenizer.json", "tokenizer_config.json"}) {
    if (fs::exists(from / name)) fs::copy_file(from / name, to / name, fs::copy_options::overwrite_existing);
  }
}

void saveOptimizerState(torch::optim::Optimizer& optimizer, const fs::path& folder) {
  torch::serialize::OutputArchive archive;
  optimizer.save(archive);
  archive.save_to((folder / "optimizer.pt").string());
}

void loadOptimizerState(torch::optim::Optimizer& optimizer, const fs::path& folder) {
  fs::path path = folder / "optimizer.pt";
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(path.string());
    optimizer.load(archive);
  } catch (const c10::Error& error) {
    throw Error(path.string() + ": cannot load optimizer state (" +
                std::string(error.what_without_backtrace()) + ")");
  }
}

}  // namespace astro::train::detail
