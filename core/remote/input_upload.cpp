// Content-addressed input upload (input_upload.h). A file or folder travels as a tar stream into
// a temporary folder beside its final place, which is renamed into place only when complete, so
// an upload cut short leaves nothing that looks like a finished copy.
#include "core/remote/input_upload.h"

#include <unistd.h>

#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "core/base/error.h"
#include "core/pipeline/content_hash.h"
#include "core/pipeline/stage_inputs.h"

namespace astro::remote {

namespace fs = std::filesystem;

std::vector<fs::path> externalInputs(const pipeline::PipelineConfig& config) {
  std::vector<fs::path> inputs;
  std::set<fs::path> seen;
  for (const pipeline::StageConfig& stage : config.stages) {
    for (const auto& [name, input] : pipeline::stageInputs(stage)) {
      if (!input.external()) continue;
      fs::path path = fs::absolute(input.path).lexically_normal();
      if (!fs::exists(path)) {
        throw Error(config.source + ":" + std::to_string(stage.line) + ": input '" + name +
                    "': " + path.string() + " does not exist");
      }
      if (seen.insert(path).second) inputs.push_back(path);
    }
  }
  return inputs;
}

namespace {

// Fixed scripts: user data reaches them only as positional parameters ("$1", ...).
// For each (folder, name): "here" when folder/name exists, "alias" when the folder (the content)
// exists under another name, "missing" when it does not.
constexpr const char* kLookupScript =
    "while [ $# -gt 1 ]; do d=$1; n=$2; shift 2; "
    "if [ -e \"$d/$n\" ]; then echo here; elif [ -d \"$d\" ]; then echo alias; "
    "else echo missing; fi; done";
// The same content under a second name: hard links (cp -al), nothing sent.
constexpr const char* kAliasScript =
    "set -e; d=$1; n=$2; if [ -e \"$d/$n\" ]; then exit 0; fi; for e in \"$d\"/*; do "
    "cp -al \"$e\" \"$d/.alias.partial-$$\"; mv \"$d/.alias.partial-$$\" \"$d/$n\"; break; done; "
    "test -e \"$d/$n\"";
constexpr const char* kUnpackScript =
    "set -e; final=$1; partial=$1.partial-$$; mkdir -p \"$partial\"; "
    "tar -xf - -C \"$partial\"; "
    "if [ -e \"$final\" ]; then rm -rf \"$partial\"; else mv \"$partial\" \"$final\"; fi";
constexpr const char* kWriteScript =
    "set -e; mkdir -p \"$(dirname \"$1\")\"; cat > \"$1.partial-$$\"; mv \"$1.partial-$$\" \"$1\"";

std::string parentOf(const std::string& path) { return fs::path(path).parent_path().string(); }

void requireOk(const RemoteShell& shell, const ProcessResult& result, const std::string& what) {
  if (!result.ok()) {
    throw Error(shell.where() + ": " + what + " failed (status " +
                std::to_string(result.exitCode) + "): " + result.err.substr(0, 400));
  }
}

}  // namespace

std::vector<UploadedInput> uploadInputs(RemoteShell& shell, const std::string& remoteWorkspace,
                                        const std::vector<fs::path>& inputs,
                                        const UploadProgress& progress) {
  std::vector<UploadedInput> uploaded;
  for (const fs::path& input : inputs) {
    pipeline::ContentHash hash = pipeline::hashPath(input);
    std::string folder = remoteWorkspace + "/inputs/" + hash.sha256;
    uploaded.push_back({.local = input,
                        .remote = folder + "/" + input.filename().string(),
                        .sha256 = hash.sha256,
                        .bytes = hash.sizeBytes});
  }
  if (uploaded.empty()) return uploaded;
  std::vector<std::string> lookup = {"sh", "-c", kLookupScript, "sh"};
  for (const auto& item : uploaded) {
    lookup.push_back(parentOf(item.remote));
    lookup.push_back(item.local.filename().string());
  }
  ProcessResult looked = shell.run(lookup);
  requireOk(shell, looked, "looking for cached inputs");
  std::vector<std::string> states;
  std::istringstream lines(looked.out);
  for (std::string line; std::getline(lines, line);) states.push_back(line);
  if (states.size() != uploaded.size()) {
    throw Error(shell.where() + ": unexpected answer looking for cached inputs: " + looked.out);
  }
  std::set<std::string> sentFolders;
  for (std::size_t i = 0; i < uploaded.size(); ++i) {
    UploadedInput& item = uploaded[i];
    std::string folder = parentOf(item.remote);
    std::string name = item.local.filename().string();
    bool sentNow = sentFolders.count(folder) > 0;
    if (states[i] == "here" && !sentNow) {
      if (progress) progress(item.local.string() + ": already on the host");
      continue;
    }
    if (states[i] == "alias" || sentNow) {
      requireOk(shell, shell.run({"sh", "-c", kAliasScript, "sh", folder, name}),
                "linking the cached copy of " + item.local.string());
      if (progress) progress(item.local.string() + ": already on the host (same content)");
      continue;
    }
    sentFolders.insert(folder);
    if (progress) {
      progress("sending " + item.local.string() + " (" + std::to_string(item.bytes) + " bytes)");
    }
    // tar to a temporary file here, then one ssh with it as stdin: no local shell pipeline.
    TemporaryFile temp("astro-upload");
    ProcessResult packed =
        runProcess({"tar", "-cf", temp.path().string(), "-C", item.local.parent_path().string(),
                    "--", item.local.filename().string()});
    if (!packed.ok()) {
      throw Error("tar of " + item.local.string() + " failed: " + packed.err.substr(0, 400));
    }
    ProcessResult unpacked =
        shell.run({"sh", "-c", kUnpackScript, "sh", folder}, {.inputFile = temp.path()});
    requireOk(shell, unpacked, "unpacking " + item.local.string());
    item.sent = true;
  }
  return uploaded;
}

void uploadText(RemoteShell& shell, const std::string& remotePath, const std::string& text) {
  ProcessResult result = shell.run({"sh", "-c", kWriteScript, "sh", remotePath}, {.input = text});
  requireOk(shell, result, "writing " + remotePath);
}

namespace {

void rewriteStrings(toml::node& node, const pipeline::PipelineConfig& config,
                    const std::map<fs::path, std::string>& remote) {
  if (auto* table = node.as_table()) {
    for (auto&& [key, value] : *table) rewriteStrings(value, config, remote);
  } else if (auto* array = node.as_array()) {
    for (auto& value : *array) rewriteStrings(value, config, remote);
  } else if (auto* text = node.as_string()) {
    fs::path path(text->get());
    if (text->get().empty()) return;
    fs::path resolved = (path.is_absolute() ? path : config.baseDir / path).lexically_normal();
    auto found = remote.find(resolved);
    if (found != remote.end()) *text = found->second;
  }
}

}  // namespace

std::string rewriteConfigPaths(const pipeline::PipelineConfig& config,
                               const std::vector<UploadedInput>& uploaded) {
  std::map<fs::path, std::string> remote;
  for (const auto& item : uploaded) remote[item.local.lexically_normal()] = item.remote;
  toml::table table;
  try {
    table = toml::parse(config.text, config.source);
  } catch (const toml::parse_error& error) {
    throw ParseError(config.source, error.source().begin.line, "", std::string(error.description()));
  }
  rewriteStrings(table, config, remote);
  std::ostringstream out;
  out << "# " << config.source << ", its input paths rewritten to the host's copies\n"
      << table << "\n";
  return out.str();
}

}  // namespace astro::remote
