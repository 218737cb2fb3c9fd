// What went wrong on the way to a host, in the user's words: ssh's exit status 255 and its stderr
// turned into one of a few kinds, each with its own message (refused, unknown host, auth failed,
// timed out, host key changed, link dropped), and a remote astro that is missing.
#pragma once

#include <string>

#include "core/base/error.h"
#include "core/remote/process.h"

namespace astro::remote {

enum class RemoteFailure {
  kRefused,
  kUnknownHost,
  kAuthFailed,
  kTimedOut,
  kHostKeyChanged,
  kDropped,
  kMissingAstro,
  kOther
};
std::string remoteFailureName(RemoteFailure failure);  // "refused", "unknown-host", ...

class RemoteError : public Error {
 public:
  RemoteError(RemoteFailure failure, const std::string& message)
      : Error(message), failure_(failure) {}
  RemoteFailure failure() const { return failure_; }

 private:
  RemoteFailure failure_;
};

// Whether `result` of an ssh command is a failure of ssh itself (exit 255) rather than of the
// remote command.
bool isSshFailure(const ProcessResult& result);
// The error for an ssh failure; `where` names the host ("gpu-1 (user@gpu-1.lab:22)").
RemoteError sshFailure(const std::string& where, const ProcessResult& result);
// The error for a remote program that could not be run (exit 126/127 from the remote shell).
RemoteError missingProgram(const std::string& where, const std::string& program,
                           const ProcessResult& result);

}  // namespace astro::remote
