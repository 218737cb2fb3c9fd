// The event stream as text: one JSON object per line, {"run", "seq", "time", "kind", "payload"},
// exactly as `astro run` prints events on stdout and `astro events RUN --since N` replays them
// from the store. A client that holds events up to seq N of a run (the studio, or one reading a
// remote worker's stdout over ssh) asks for seq > N and applies each line once: seqs are gap-free
// per run, so a missing or repeated number is visible.
#pragma once

#include <string>
#include <string_view>

#include "core/store/event_log.h"

namespace astro::pipeline {

std::string eventLine(const store::Event& event);  // no trailing newline
// Throws ParseError naming `source` when the line is not such an object.
store::Event parseEventLine(std::string_view line, const std::string& source = "event");

}  // namespace astro::pipeline
