// Sending a run's inputs to a host, content-addressed: each file or folder a config names goes to
// <remote workspace>/inputs/<sha256>/<name> unless a copy is there already, and the config sent
// along names those copies. A model folder used by ten runs crosses the link once.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/pipeline/pipeline_config.h"
#include "core/remote/remote_shell.h"

namespace astro::remote {

// The files and folders the config names (datasets, model folders, tokenizers, phrase sets,
// trace files), absolute, each once.
std::vector<std::filesystem::path> externalInputs(const pipeline::PipelineConfig& config);

struct UploadedInput {
  std::filesystem::path local;
  std::string remote;  // its path on the host
  std::string sha256;
  std::int64_t bytes = 0;
  bool sent = false;  // false: the host had it already
};

using UploadProgress = std::function<void(const std::string& message)>;

std::vector<UploadedInput> uploadInputs(RemoteShell& shell, const std::string& remoteWorkspace,
                                        const std::vector<std::filesystem::path>& inputs,
                                        const UploadProgress& progress = {});

// Sends `text` to the host as the file `remotePath` (written beside it, then renamed).
void uploadText(RemoteShell& shell, const std::string& remotePath, const std::string& text);

// The config's TOML with every string value that names one of `uploaded` (relative values
// resolved against the config's base folder) replaced by the host's copy.
std::string rewriteConfigPaths(const pipeline::PipelineConfig& config,
                               const std::vector<UploadedInput>& uploaded);

}  // namespace astro::remote
