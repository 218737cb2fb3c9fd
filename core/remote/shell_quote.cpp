// Quoting for a remote POSIX shell (shell_quote.h).
#include "core/remote/shell_quote.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace astro::remote {

namespace {
bool isPlain(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("_./:=@%+,-").find(c) != std::string_view::npos;
}
// Where a shell reads the program word as something else: an assignment (NAME=value) or a
// reserved word.
bool isSpecialAsProgram(const std::string& word) {
  static constexpr std::array<std::string_view, 18> kReserved = {
      "case", "coproc", "do", "done", "elif", "else", "esac", "fi", "for",
      "function", "if", "in", "select", "then", "time", "until", "while", "!"};
  return word.find('=') != std::string::npos ||
         std::find(kReserved.begin(), kReserved.end(), word) != kReserved.end();
}

}  // namespace

std::string shellQuote(const std::string& argument) {
  // A word that starts with '-' is still one literal argument to the shell; whether the program
  // takes it as an option is the caller's business (it puts "--" where that matters).
  if (!argument.empty() && std::all_of(argument.begin(), argument.end(), isPlain)) return argument;
  std::string quoted = "'";
  for (char c : argument) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  quoted += '\'';
  return quoted;
}

std::string shellCommandLine(const std::vector<std::string>& arguments) {
  std::string line;
  for (const std::string& argument : arguments) {
    std::string quoted = shellQuote(argument);
    // A plain program word is quoted anyway where the shell would not take it as the program.
    if (line.empty() && quoted == argument && isSpecialAsProgram(argument)) {
      quoted = "'" + argument + "'";
    }
    if (!line.empty()) line += ' ';
    line += quoted;
  }
  return line;
}

}  // namespace astro::remote
