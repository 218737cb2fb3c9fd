// The project's one exception hierarchy (STYLE.md): every error carries a message that names the
// file, line, key or tensor at fault, and is caught at a boundary (CLI main, worker stage, GUI).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace astro {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// The user asked for something malformed (bad flag, bad value); CLI exit code 2.
class UsageError : public Error {
 public:
  using Error::Error;
};

// Input data is malformed at a known place: "<file>:<line>: <field>: <what>".
class ParseError : public Error {
 public:
  ParseError(std::string file, std::int64_t line, std::string field, const std::string& what);
  const std::string& file() const { return file_; }
  std::int64_t line() const { return line_; }
  const std::string& field() const { return field_; }

 private:
  std::string file_;
  std::int64_t line_;
  std::string field_;
};

// An operating-system call failed on a path; the message includes strerror(errno).
class IoError : public Error {
 public:
  IoError(const std::string& path, const std::string& action, int errorNumber);
};

}  // namespace astro
