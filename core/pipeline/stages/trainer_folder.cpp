// Trainer output folders (trainer_folder.h).
#include "core/pipeline/stages/trainer_folder.h"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/pipeline/content_hash.h"

namespace astro::pipeline {

namespace fs = std::filesystem;

bool hasFinalModel(const fs::path& folder) {
  return fs::exists(folder / "final" / "model.safetensors") ||
         fs::exists(folder / "final" / "model.safetensors.index.json");
}

bool publishFinishedTraining(const fs::path& folder, const Error& error, bool write) {
  // The trainers' wording (sft_trainer.cpp, grpo_trainer.cpp): "this run already finished".
  if (std::string(error.what()).find("already finished") == std::string::npos) return false;
  fs::path latest = folder / "latest.json";
  if (!fs::exists(latest)) return false;
  auto pointer = nlohmann::json::parse(readFile(latest));
  fs::path checkpoint = folder / pointer.value("checkpoint", "");
  if (pointer.value("checkpoint", "").empty() || !fs::is_directory(checkpoint)) return false;
  if (!write) return true;
  fs::path temp = folder / (".final.repair-" + std::to_string(::getpid()));
  fs::remove_all(temp);
  fs::create_directories(temp);
  for (const auto& entry : fs::directory_iterator(checkpoint)) {
    if (entry.path().filename() == "optimizer.pt") continue;
    fs::copy_file(entry.path(), temp / entry.path().filename());
  }
  fs::remove_all(folder / "final");
  fs::rename(temp, folder / "final");
  return true;
}

std::string checkpointText(const fs::path& checkpoint, const fs::path& workspace) {
  return storedPath(checkpoint, workspace);
}

}  // namespace astro::pipeline
