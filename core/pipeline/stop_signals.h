// SIGTERM, SIGINT and SIGHUP ask a headless worker to stop: the handler only sets a flag, which
// the stages poll (the trainers' shouldStop, MCTS's stop, evaluation's progress callback); each
// then writes a checkpoint and returns. A second signal of the same kind kills at once.
#pragma once

#include <atomic>

namespace astro::pipeline {

// Installs the handlers (once per process) and returns the flag they set.
const std::atomic<bool>& installStopSignalHandlers();
// Which signal set the flag (0: none yet).
int stopSignal();

}  // namespace astro::pipeline
