// Events as JSON lines (event_line.h).
#include "core/pipeline/event_line.h"

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/base/error.h"

namespace astro::pipeline {

namespace {

// "2026-11-23T09:30:07.123Z" back to milliseconds (the inverse of store::formatTimestamp).
store::Timestamp parseTime(const std::string& text, const std::string& source) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millisecond = 0;
  char zone = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d.%d%c", &year, &month, &day, &hour, &minute,
                  &second, &millisecond, &zone) != 8 ||
      zone != 'Z') {
    throw ParseError(source, 0, "time", "not an ISO 8601 UTC time: " + text);
  }
  using namespace std::chrono;
  sys_days date{std::chrono::year{year} / month / day};
  return store::Timestamp(date) + hours(hour) + minutes(minute) + seconds(second) +
         milliseconds(millisecond);
}

}  // namespace

std::string eventLine(const store::Event& event) {
  nlohmann::ordered_json line = {{"run", event.runId},
                                 {"seq", event.seq},
                                 {"time", store::formatTimestamp(event.time)},
                                 {"kind", store::eventKindName(event.kind)},
                                 {"payload", event.payload}};
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

store::Event parseEventLine(std::string_view line, const std::string& source) {
  nlohmann::json object;
  try {
    object = nlohmann::json::parse(line);
  } catch (const nlohmann::json::exception& error) {
    throw ParseError(source, 0, "", std::string("not JSON: ") + error.what());
  }
  auto field = [&](const char* name) -> const nlohmann::json& {
    if (!object.is_object() || !object.contains(name)) {
      throw ParseError(source, 0, name, "missing");
    }
    return object[name];
  };
  try {
    store::Event event;
    event.runId = field("run").get<std::int64_t>();
    event.seq = field("seq").get<std::int64_t>();
    event.time = parseTime(field("time").get<std::string>(), source);
    event.kind = store::parseEventKind(field("kind").get<std::string>());
    event.payload = field("payload");
    return event;
  } catch (const nlohmann::json::exception& error) {
    throw ParseError(source, 0, "", std::string("wrong type: ") + error.what());
  }
}

}  // namespace astro::pipeline
