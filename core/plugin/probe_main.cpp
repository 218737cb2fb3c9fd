// astro-plugin-probe PATH: tries one plugin in a process of its own, so that the host can refuse
// a plugin that crashes, aborts or hangs while loading or registering without going down itself
// (plugin_probe.h starts it). It opens the plugin, reads its manifest and calls
// astro_plugin_register against a host that only records and checks what is registered.
//
// Protocol on stdout, one JSON object a line: {"stage": "..."} before each step, so a crash is
// reported with the step it happened in, then {"result": {...}} with the manifest, what was
// registered and the refusal ("" when the plugin may be loaded). The plugin's own writes to
// stdout go to stderr, so they cannot garble the protocol. Exit status 0 whenever a result was
// written, refused or not; 2 on bad usage.
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/plugin/astro_plugin.h"
#include "core/plugin/plugin_descriptors.h"
#include "core/plugin/plugin_library.h"

namespace {

// What the plugin registered, checked as the real host checks it except against the names
// already taken in the application (the host does that, knowing its registries).
struct Recording {
  std::vector<std::string> registered;
  std::set<std::string> names;  // "domain:x", to refuse a name registered twice
  std::string refusal;          // first refused registration
  std::string failure;          // host->fail's reason
};

Recording& recordingOf(const AstroPluginHost* host) {
  return *static_cast<Recording*>(host->host_context);
}

int record(const AstroPluginHost* host, const std::string& problem, const std::string& kind,
           const char* name) {
  Recording& recording = recordingOf(host);
  std::string refusal = problem;
  const std::string key = refusal.empty() ? kind + ":" + name : "";
  if (refusal.empty() && !recording.names.insert(key).second) {
    refusal = kind + " '" + name + "' is registered twice";
  }
  if (!refusal.empty()) {
    if (recording.refusal.empty()) recording.refusal = refusal;
    return 1;
  }
  recording.registered.push_back(key);
  return 0;
}

int addDomain(const AstroPluginHost* host, const AstroDomainV1* domain) {
  std::string problem = astro::plugin::checkDomain(domain);
  return record(host, problem, "domain", problem.empty() ? domain->name : "");
}

int addFormat(const AstroPluginHost* host, const AstroGenerationFormatV1* format) {
  std::string problem = astro::plugin::checkFormat(format);
  return record(host, problem, "format", problem.empty() ? format->name : "");
}

void fail(const AstroPluginHost* host, const char* reason) {
  Recording& recording = recordingOf(host);
  if (recording.failure.empty()) recording.failure = reason != nullptr ? reason : "";
}

FILE* protocol = nullptr;

void send(const nlohmann::json& message) {
  const std::string line =
      message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::fputs(line.c_str(), protocol);
  std::fflush(protocol);  // the host must see each stage before a crash in the next
}

void stage(const char* name) { send({{"stage", name}}); }

// Worded as the real host words it (plugin_host.cpp, StagingHost::registerPlugin).
std::string registrationRefusal(int status, const Recording& recording) {
  if (!recording.failure.empty()) return "registration failed: " + recording.failure;
  if (!recording.refusal.empty()) return recording.refusal;
  if (status != 0) {
    return "registration failed: astro_plugin_register returned " + std::to_string(status) +
           " without calling fail()";
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: astro-plugin-probe PLUGIN.so\n");
    return 2;
  }
  // A plugin that crashes here is refused, not debugged: no core file in the user's folder.
  const rlimit noCore{0, 0};
  setrlimit(RLIMIT_CORE, &noCore);
  // The protocol keeps the real stdout; fd 1 becomes stderr for whatever the plugin prints.
  const int protocolFd = dup(STDOUT_FILENO);
  if (protocolFd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) return 3;
  protocol = fdopen(protocolFd, "w");
  if (protocol == nullptr) return 3;

  astro::plugin::Manifest manifest;
  Recording recording;
  std::string refusal;
  const char* step = "loading";
  try {
    void* handle = nullptr;
    stage(step);
    refusal = astro::plugin::openLibrary(argv[1], handle);
    if (refusal.empty()) {
      step = "reading its manifest";
      stage(step);
      refusal = astro::plugin::readManifest(argv[1], handle, manifest);
    }
    AstroPluginRegisterFunction registerFunction = nullptr;
    if (refusal.empty()) {
      refusal = astro::plugin::findRegisterFunction(argv[1], handle, registerFunction);
    }
    if (refusal.empty()) {
      step = "registering";
      stage(step);
      AstroPluginHost host{sizeof(AstroPluginHost),
                           ASTRO_PLUGIN_API_VERSION,
                           ASTRO_VERSION,
                           &recording,
                           addDomain,
                           addFormat,
                           fail};
      const int status = registerFunction(&host);
      refusal = registrationRefusal(status, recording);
    }
  } catch (const std::exception& error) {
    refusal = std::string("threw a C++ exception while ") + step + ": " + error.what();
  } catch (...) {
    refusal = std::string("threw a C++ exception while ") + step + " (not a std::exception)";
  }
  send({{"result",
         {{"api_version", manifest.apiVersion},
          {"name", manifest.name},
          {"version", manifest.version},
          {"description", manifest.description},
          {"provides", manifest.provides},
          {"registered", recording.registered},
          {"refusal", refusal}}}});
  // Skip static destructors and exit handlers the plugin registered: they are not under test and
  // might crash after the verdict.
  std::fflush(nullptr);
  _exit(0);
}
