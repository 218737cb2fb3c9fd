// What `astro run --on`, `astro resume` of a mirrored run and `astro remote mirror` share: a
// console for a run's events (as the worker prints them) and following the run's mirror onto it.
// (Header-only, like worker_session.h.)
#pragma once

#include <iostream>
#include <string>

#include "app/astro/worker_session.h"
#include "core/base/error.h"
#include "core/pipeline/console_output.h"
#include "core/pipeline/stop_signals.h"
#include "core/remote/mirror_session.h"
#include "core/store/workspace.h"

namespace astro::cli {

// Follows the mirrored run (one round unless `follow`), printing each event once. Returns when
// the run finished, after one round, or when a signal stopped the following (the run goes on
// on its host); throws astro::Error naming the run's status otherwise.
inline void followMirrorOnConsole(store::Workspace& workspace, std::int64_t runId,
                                  pipeline::ConsoleOutput& console, bool follow = true) {
  remote::HostRegistry registry;
  remote::MirrorSessionOptions session{
      .follow = follow,
      .onEvent = [&](const store::Event& event) { console.print(event); },
      .onNotice = [](const std::string& notice) { std::cerr << notice << std::endl; },
      .stop = &pipeline::installStopSignalHandlers()};
  auto result = remote::followMirroredRun(workspace, runId, registry, session);
  std::string id = std::to_string(runId);
  if (pipeline::stopSignal() != 0) {
    std::cerr << "stopped following; run " << id << " goes on on its host (astro remote mirror "
              << id << " follows it again)" << std::endl;
    return;
  }
  if (!follow || result.status == "finished") return;
  throw Error("run " + id + " " + result.status + " on its host (`astro resume " + id +
              "` continues it there)");
}

}  // namespace astro::cli
