// Stop requests by signal (stop_signals.h).
#include "core/pipeline/stop_signals.h"

#include <csignal>

namespace astro::pipeline {

namespace {

std::atomic<bool> stopRequested{false};
std::atomic<int> stopSignalNumber{0};
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free,
              "set from a signal handler");

void onStopSignal(int signalNumber) {
  stopSignalNumber.store(signalNumber);
  stopRequested.store(true);
}

}  // namespace

const std::atomic<bool>& installStopSignalHandlers() {
  static const bool installed = [] {
    struct sigaction action {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;  // the second signal gets the default action: exit now
    for (int signalNumber : {SIGTERM, SIGINT, SIGHUP}) sigaction(signalNumber, &action, nullptr);
    return true;
  }();
  (void)installed;
  return stopRequested;
}

int stopSignal() { return stopSignalNumber.load(); }

}  // namespace astro::pipeline
