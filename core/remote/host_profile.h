// Host profiles: where remote runs go. An SSH host (destination, remote workspace, remote astro)
// or a Slurm cluster (how to reach its login node, plus the #SBATCH settings of its jobs), each a
// plain TOML file <config>/hosts/<NAME>.toml that `astro hosts` and the studio's Hosts dialog
// write. docs/remote.md describes the keys.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace astro::remote {

// "[user@]host[:port]" as typed; the host may also be an alias of ~/.ssh/config.
struct SshDestination {
  std::string user;  // empty: ssh's default (~/.ssh/config or the local user)
  std::string host;
  int port = 0;  // 0: ssh's default
  std::string text() const;  // back to "[user@]host[:port]"
};
// Throws UsageError naming what is wrong (empty host, a leading '-', whitespace or control
// characters, a port outside 1-65535).
SshDestination parseSshDestination(const std::string& text);

enum class HostKind { kSsh, kSlurm };

// What a Slurm job asks for (#SBATCH lines); empty / 0 leaves a setting to the cluster's default.
struct SlurmSettings {
  std::string login = "local";  // "local" (sbatch on this machine) or the name of an SSH profile
  std::string partition;
  int nodes = 1;
  int gpusPerNode = 0;
  int cpusPerTask = 0;
  std::string memory;     // "64G"
  std::string timeLimit;  // "24:00:00"
  std::string account;
  std::string qos;
  std::vector<std::string> extraSbatch;  // whole lines, each starting "#SBATCH "
};

struct HostProfile {
  std::string name;
  HostKind kind = HostKind::kSsh;
  SshDestination ssh;                  // kSsh only
  std::vector<std::string> sshOptions;  // extra ssh(1) arguments ("-i", "key", "-o", "X=Y")
  std::string workspace;               // the remote workspace folder (absolute)
  std::string astro = "astro";         // the remote astro program
  SlurmSettings slurm;                 // kSlurm only
};

// Profile names: 1-64 of [A-Za-z0-9._-], not starting with '-' or '.'; "local" is reserved.
// Throws UsageError otherwise.
void validateProfileName(const std::string& name);
// Throws UsageError when a field could break a command line or a batch script (control
// characters, a workspace that is not absolute, a malformed #SBATCH line, ...).
void validateProfile(const HostProfile& profile);

// $ASTRO_CONFIG_HOME, else $XDG_CONFIG_HOME/astro-studio, else ~/.config/astro-studio; /hosts.
std::filesystem::path hostsFolder();

std::string profileToToml(const HostProfile& profile);
// Throws ParseError naming the file, line and key.
HostProfile profileFromToml(const std::string& text, const std::string& source);

class HostRegistry {
 public:
  explicit HostRegistry(std::filesystem::path folder = hostsFolder());
  std::vector<HostProfile> list() const;  // by name; a file that does not parse throws
  std::optional<HostProfile> find(const std::string& name) const;
  HostProfile get(const std::string& name) const;  // throws Error "no host profile 'X' (...)"
  // Writes atomically (mode 0600 folder 0700); refuses to replace one unless `replace`.
  void save(const HostProfile& profile, bool replace = false) const;
  bool remove(const std::string& name) const;
  const std::filesystem::path& folder() const { return folder_; }

 private:
  std::filesystem::path folder_;
};

}  // namespace astro::remote
