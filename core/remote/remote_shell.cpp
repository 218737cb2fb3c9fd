// ssh and local command execution (remote_shell.h).
#include "core/remote/remote_shell.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "core/base/error.h"
#include "core/remote/shell_quote.h"
#include "core/remote/ssh_errors.h"

namespace astro::remote {

namespace fs = std::filesystem;

std::filesystem::path sshControlFolder() {
  fs::path folder;
  if (const char* runtime = std::getenv("XDG_RUNTIME_DIR"); runtime && *runtime) {
    folder = fs::path(runtime) / "astro-ssh";
  } else {
    folder = fs::path("/tmp") / ("astro-ssh-" + std::to_string(::getuid()));
  }
  if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST) {
    throw IoError(folder.string(), "create", errno);
  }
  struct stat info {};
  if (::lstat(folder.c_str(), &info) != 0) throw IoError(folder.string(), "stat", errno);
  if (!S_ISDIR(info.st_mode) || info.st_uid != ::getuid() || (info.st_mode & 0077) != 0) {
    throw Error(folder.string() +
                " must be a folder of yours with mode 0700 (it holds ssh's connection sockets); "
                "remove it and try again");
  }
  return folder;
}

std::vector<std::string> sshArgv(const SshDestination& destination,
                                 const std::vector<std::string>& extraOptions,
                                 const std::string& remoteCommand, const SshSettings& settings) {
  // ssh takes the first value it is given for an option: the profile's own options come first so
  // that they can override these defaults.
  std::vector<std::string> argv = {"ssh"};
  argv.insert(argv.end(), extraOptions.begin(), extraOptions.end());
  auto option = [&](const std::string& text) {
    argv.push_back("-o");
    argv.push_back(text);
  };
  option("BatchMode=yes");
  option("ConnectTimeout=" + std::to_string(settings.connectTimeout.count()));
  option("ServerAliveInterval=" + std::to_string(settings.serverAliveInterval));
  option("ServerAliveCountMax=3");
  option("StrictHostKeyChecking=accept-new");
  option("ControlMaster=auto");
  option("ControlPath=" + (sshControlFolder() / "%C").string());
  option("ControlPersist=" + std::to_string(settings.controlPersist.count()));
  if (destination.port > 0) {
    argv.push_back("-p");
    argv.push_back(std::to_string(destination.port));
  }
  if (!destination.user.empty()) {
    argv.push_back("-l");
    argv.push_back(destination.user);
  }
  argv.push_back("--");
  argv.push_back(destination.host);
  argv.push_back(remoteCommand);
  return argv;
}

namespace {

class SshShell : public RemoteShell {
 public:
  SshShell(HostProfile profile, SshSettings settings)
      : profile_(std::move(profile)), settings_(settings) {}

  std::string where() const override {
    return profile_.name + " (" + profile_.ssh.text() + ")";
  }

  std::vector<std::string> commandFor(const std::vector<std::string>& argv) const override {
    return sshArgv(profile_.ssh, profile_.sshOptions, shellCommandLine(argv), settings_);
  }

  ProcessResult run(const std::vector<std::string>& argv, const ProcessOptions& options) override {
    ProcessResult result = runProcess(commandFor(argv), options);
    if (isSshFailure(result)) throw sshFailure(where(), result);
    return result;
  }

  std::unique_ptr<ProcessStream> stream(const std::vector<std::string>& argv) override {
    return std::make_unique<ProcessStream>(commandFor(argv));
  }

 private:
  HostProfile profile_;
  SshSettings settings_;
};

class LocalShell : public RemoteShell {
 public:
  std::string where() const override { return "this machine"; }
  std::vector<std::string> commandFor(const std::vector<std::string>& argv) const override {
    return argv;
  }
  ProcessResult run(const std::vector<std::string>& argv, const ProcessOptions& options) override {
    try {
      return runProcess(argv, options);
    } catch (const Error& error) {
      // Not found here: the same shape as a remote shell's 127, so callers handle one case.
      ProcessResult result;
      result.exitCode = 127;
      result.err = error.what();
      return result;
    }
  }
  std::unique_ptr<ProcessStream> stream(const std::vector<std::string>& argv) override {
    return std::make_unique<ProcessStream>(argv);
  }
};

}  // namespace

std::unique_ptr<RemoteShell> makeSshShell(const HostProfile& profile, SshSettings settings) {
  return std::make_unique<SshShell>(profile, settings);
}

std::unique_ptr<RemoteShell> makeLocalShell() { return std::make_unique<LocalShell>(); }

std::unique_ptr<RemoteShell> shellFor(const HostProfile& profile, const HostRegistry& registry) {
  if (profile.kind == HostKind::kSsh) return makeSshShell(profile);
  if (profile.slurm.login == "local") return makeLocalShell();
  HostProfile login = registry.get(profile.slurm.login);
  if (login.kind != HostKind::kSsh) {
    throw UsageError("Slurm profile '" + profile.name + "': login '" + profile.slurm.login +
                     "' is not an SSH host profile");
  }
  return makeSshShell(login);
}

}  // namespace astro::remote
