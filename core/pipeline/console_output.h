// How the worker's events look on a console: JSON lines on stdout (the machine stream, the same
// lines `astro events` replays) or short text lines for a person, and a progress bar with ETA on
// stderr when stderr is a terminal, cleared before every stdout line and drawn again after it.
#pragma once

#include <cstdio>
#include <optional>
#include <string>

#include "core/store/event_log.h"

namespace astro::pipeline {

enum class ConsoleFormat { kJson, kText };

// "1h02m", "3m07s", "42s".
std::string formatDuration(double seconds);

// The text form of an event, or nullopt for events text mode does not print (progress, metric).
std::optional<std::string> eventText(const store::Event& event);

class ConsoleOutput {
 public:
  ConsoleOutput(std::FILE* out, std::FILE* err, ConsoleFormat format, bool progressBar);
  ~ConsoleOutput();  // clears the bar
  ConsoleOutput(const ConsoleOutput&) = delete;
  ConsoleOutput& operator=(const ConsoleOutput&) = delete;

  void print(const store::Event& event);
  // A line of the command's own (first line "run <ID>"), kept clear of the bar.
  void printLine(const std::string& line);

 private:
  void clearBar();
  void drawBar();

  std::FILE* out_;
  std::FILE* err_;
  ConsoleFormat format_;
  bool progressBar_;
  std::string bar_;  // the bar as last drawn, empty when none is shown
};

}  // namespace astro::pipeline
