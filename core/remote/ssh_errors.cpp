// ssh failures in the user's words (ssh_errors.h). The patterns are OpenSSH's own messages.
#include "core/remote/ssh_errors.h"

#include <algorithm>
#include <array>
#include <utility>

namespace astro::remote {

namespace {

bool contains(const std::string& text, std::string_view what) {
  return text.find(what) != std::string::npos;
}

// The last few non-empty lines of stderr, for a message that shows what ssh said.
std::string lastLines(const std::string& text, int count = 3) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) lines.push_back(line);
    start = end + 1;
  }
  std::string result;
  for (std::size_t i = lines.size() > std::size_t(count) ? lines.size() - count : 0;
       i < lines.size(); ++i) {
    if (!result.empty()) result += " | ";
    result += lines[i];
  }
  return result;
}

}  // namespace

std::string remoteFailureName(RemoteFailure failure) {
  switch (failure) {
    case RemoteFailure::kRefused: return "refused";
    case RemoteFailure::kUnknownHost: return "unknown-host";
    case RemoteFailure::kAuthFailed: return "auth-failed";
    case RemoteFailure::kTimedOut: return "timed-out";
    case RemoteFailure::kHostKeyChanged: return "host-key-changed";
    case RemoteFailure::kDropped: return "dropped";
    case RemoteFailure::kMissingAstro: return "missing-astro";
    case RemoteFailure::kOther: return "other";
  }
  return "other";
}

bool isSshFailure(const ProcessResult& result) {
  return result.exitCode == 255 || result.timedOut || result.signal != 0;
}

RemoteError sshFailure(const std::string& where, const ProcessResult& result) {
  const std::string& err = result.err;
  std::string said = lastLines(err);
  std::string tail = said.empty() ? "" : " (ssh: " + said + ")";
  if (result.timedOut) {
    return {RemoteFailure::kTimedOut, where + ": no answer in time; the host may be down, asleep "
                                              "or behind a firewall" + tail};
  }
  if (contains(err, "Connection refused")) {
    return {RemoteFailure::kRefused,
            where + ": connection refused: no ssh server listens on that port" + tail};
  }
  if (contains(err, "Could not resolve hostname") || contains(err, "Name or service not known") ||
      contains(err, "Temporary failure in name resolution")) {
    return {RemoteFailure::kUnknownHost,
            where + ": unknown host: the name does not resolve (check the profile's --ssh "
                    "destination or ~/.ssh/config)" + tail};
  }
  if (contains(err, "REMOTE HOST IDENTIFICATION HAS CHANGED") ||
      contains(err, "Host key verification failed")) {
    return {RemoteFailure::kHostKeyChanged,
            where + ": the host key does not match known_hosts; if the host was reinstalled, "
                    "remove the old key with ssh-keygen -R, otherwise do not connect" + tail};
  }
  if (contains(err, "Permission denied") || contains(err, "Too many authentication failures")) {
    return {RemoteFailure::kAuthFailed,
            where + ": authentication failed: no key of yours (agent, ~/.ssh, the profile's -i) "
                    "is accepted there; ssh runs with BatchMode, so it never asks for a "
                    "password" + tail};
  }
  if (contains(err, "timed out") || contains(err, "Connection timed out") ||
      contains(err, "not responding") || contains(err, "No route to host") ||
      contains(err, "Network is unreachable")) {
    return {RemoteFailure::kTimedOut,
            where + ": timed out: the host does not answer" + tail};
  }
  if (contains(err, "closed by remote host") || contains(err, "Broken pipe") ||
      contains(err, "Connection reset") || contains(err, "Connection closed") ||
      contains(err, "client_loop") || result.signal != 0) {
    return {RemoteFailure::kDropped, where + ": the connection dropped" + tail};
  }
  // A session through a ControlMaster whose link died ends with 255 and not a word from ssh
  // (the master's "closed by remote host" goes to its own /dev/null).
  if (said.empty() || said.rfind("Warning: Permanently added", 0) == 0) {
    return {RemoteFailure::kDropped, where + ": the connection dropped"};
  }
  return {RemoteFailure::kOther,
          where + ": ssh failed with status " + std::to_string(result.exitCode) + tail};
}

RemoteError missingProgram(const std::string& where, const std::string& program,
                           const ProcessResult& result) {
  std::string said = lastLines(result.err, 2);
  return {RemoteFailure::kMissingAstro,
          where + ": cannot run " + program + " there (status " +
              std::to_string(result.exitCode) + (said.empty() ? "" : ": " + said) +
              "); install Astro Studio's headless worker on the host, or give its absolute path "
              "with `astro hosts add ... --astro PATH`"};
}

}  // namespace astro::remote
