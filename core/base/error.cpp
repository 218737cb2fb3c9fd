#include "core/base/error.h"

#include <cstring>

namespace astro {

namespace {
std::string parseMessage(const std::string& file, std::int64_t line, const std::string& field,
                         const std::string& what) {
  std::string message = file;
  if (line > 0) message += ":" + std::to_string(line);
  message += ": ";
  if (!field.empty()) message += "field '" + field + "': ";
  return message + what;
}
}  // namespace

ParseError::ParseError(std::string file, std::int64_t line, std::string field,
                       const std::string& what)
    : Error(parseMessage(file, line, field, what)),
      file_(std::move(file)),
      line_(line),
      field_(std::move(field)) {}

IoError::IoError(const std::string& path, const std::string& action, int errorNumber)
    : Error("cannot " + action + " '" + path + "': " + std::strerror(errorNumber)) {}

}  // namespace astro
