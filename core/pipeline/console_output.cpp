// Events on a console (console_output.h).
#include "core/pipeline/console_output.h"

#include <algorithm>
#include <cmath>

#include "core/pipeline/event_line.h"

namespace astro::pipeline {

using store::EventKind;

namespace {

constexpr int kBarWidth = 30;

std::string text(const nlohmann::json& payload, const char* key) {
  auto found = payload.find(key);
  if (found == payload.end()) return {};
  return found->is_string() ? found->get<std::string>() : found->dump();
}

std::string stagePrefix(const nlohmann::json& payload) {
  std::string stage = text(payload, "stage");
  return stage.empty() ? std::string() : "[" + stage + "] ";
}

std::string progressBar(const nlohmann::json& payload) {
  std::int64_t done = payload.value("done", std::int64_t(0));
  std::int64_t total = payload.value("total", std::int64_t(0));
  double fraction = total > 0 ? std::clamp(double(done) / double(total), 0.0, 1.0) : 0.0;
  int filled = static_cast<int>(std::lround(fraction * kBarWidth));
  std::string label = text(payload, "stage");
  if (payload.contains("phase")) label += " " + text(payload, "phase");
  std::string line = label + " [" + std::string(filled, '#') +
                     std::string(kBarWidth - filled, '.') + "] " + std::to_string(done) + "/" +
                     std::to_string(total) + " " +
                     std::to_string(static_cast<int>(std::lround(fraction * 100))) + "%";
  auto eta = payload.find("eta_seconds");
  if (eta != payload.end() && eta->is_number())
    line += " ETA " + formatDuration(eta->get<double>());
  return line;
}

}  // namespace

std::string formatDuration(double seconds) {
  long long total = std::max(0LL, static_cast<long long>(std::llround(seconds)));
  char buffer[32];
  if (total >= 3600) {
    std::snprintf(buffer, sizeof(buffer), "%lldh%02lldm", total / 3600, total % 3600 / 60);
  } else if (total >= 60) {
    std::snprintf(buffer, sizeof(buffer), "%lldm%02llds", total / 60, total % 60);
  } else {
    std::snprintf(buffer, sizeof(buffer), "%llds", total);
  }
  return buffer;
}

std::optional<std::string> eventText(const store::Event& event) {
  const nlohmann::json& payload = event.payload;
  switch (event.kind) {
    case EventKind::kStageStarted:
      return "[" + text(payload, "position") + "/" + text(payload, "stages") + " " +
             text(payload, "stage") + "] " +
             (payload.value("resumed", false) ? "resumed" : "started");
    case EventKind::kStageFinished:
      return "[" + text(payload, "position") + " " + text(payload, "stage") + "] finished in " +
             formatDuration(payload.value("seconds", 0.0));
    case EventKind::kLog:
      return stagePrefix(payload) + text(payload, "message");
    case EventKind::kError:
      return "error: " + stagePrefix(payload) + text(payload, "message");
    case EventKind::kArtifact:
      return stagePrefix(payload) + text(payload, "kind") + ": " + text(payload, "path");
    case EventKind::kProgress:
    case EventKind::kMetric:
      return std::nullopt;
  }
  return std::nullopt;
}

ConsoleOutput::ConsoleOutput(std::FILE* out, std::FILE* err, ConsoleFormat format, bool progressBar)
    : out_(out), err_(err), format_(format), progressBar_(progressBar) {}

ConsoleOutput::~ConsoleOutput() { clearBar(); }

void ConsoleOutput::clearBar() {
  if (bar_.empty()) return;
  std::fputs("\r\033[K", err_);
  std::fflush(err_);
  bar_.clear();
}

void ConsoleOutput::printLine(const std::string& line) {
  std::string bar = bar_;
  clearBar();
  std::fputs(line.c_str(), out_);
  std::fputc('\n', out_);
  std::fflush(out_);
  if (!bar.empty()) {
    bar_ = bar;
    drawBar();
  }
}

void ConsoleOutput::drawBar() {
  std::fputs(("\r\033[K" + bar_).c_str(), err_);
  std::fflush(err_);
}

void ConsoleOutput::print(const store::Event& event) {
  if (event.kind == EventKind::kProgress && progressBar_) {
    bar_ = progressBar(event.payload);
    drawBar();
  } else if (event.kind == EventKind::kStageFinished) {
    clearBar();
  }
  if (format_ == ConsoleFormat::kJson) {
    printLine(eventLine(event));
  } else if (auto line = eventText(event)) {
    printLine(*line);
  }
}

}  // namespace astro::pipeline
