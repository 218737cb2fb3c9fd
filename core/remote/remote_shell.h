// Where a host profile's commands run: over ssh (one multiplexed connection per host, BatchMode,
// keep-alives, a connect timeout, host keys accept-new) or, for a Slurm login node that is this
// machine, here. Commands are argument vectors; over ssh each is quoted for the remote shell.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/remote/host_profile.h"
#include "core/remote/process.h"

namespace astro::remote {

class RemoteShell {
 public:
  virtual ~RemoteShell() = default;
  virtual std::string where() const = 0;  // "ssh gpu-1 (user@host:22)" or "this machine"
  // Runs argv there; a failure of the link itself throws RemoteError (ssh_errors.h).
  virtual ProcessResult run(const std::vector<std::string>& argv,
                            const ProcessOptions& options = {}) = 0;
  virtual std::unique_ptr<ProcessStream> stream(const std::vector<std::string>& argv) = 0;
  // The argv of this machine's process that runs `argv` there (for tests and for detaching).
  virtual std::vector<std::string> commandFor(const std::vector<std::string>& argv) const = 0;
};

struct SshSettings {
  std::chrono::seconds connectTimeout{10};
  int serverAliveInterval = 15;  // seconds; ssh gives up after 3 unanswered
  std::chrono::seconds controlPersist{120};
};

// The private 0700 folder of ControlMaster sockets ($XDG_RUNTIME_DIR/astro-ssh or
// /tmp/astro-ssh-<uid>); created on demand, refused when another user owns it or it is not 0700.
std::filesystem::path sshControlFolder();

// ssh argv for `remoteCommand` (already a quoted command line) on the destination.
std::vector<std::string> sshArgv(const SshDestination& destination,
                                 const std::vector<std::string>& extraOptions,
                                 const std::string& remoteCommand, const SshSettings& settings = {});

std::unique_ptr<RemoteShell> makeSshShell(const HostProfile& profile, SshSettings settings = {});
std::unique_ptr<RemoteShell> makeLocalShell();
// The shell a profile's commands run in: its own ssh host; for Slurm, its login (this machine
// or the SSH profile it names, looked up in `registry`).
std::unique_ptr<RemoteShell> shellFor(const HostProfile& profile, const HostRegistry& registry);

}  // namespace astro::remote
