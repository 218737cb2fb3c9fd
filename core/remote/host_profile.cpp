// Host profiles as TOML files (host_profile.h).
#include "core/remote/host_profile.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <toml++/toml.h>

#include "core/base/atomic_file.h"
#include "core/base/error.h"

namespace astro::remote {

namespace fs = std::filesystem;

namespace {

bool hasControl(const std::string& text) {
  return std::any_of(text.begin(), text.end(),
                     [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

void requireClean(const std::string& what, const std::string& value) {
  if (hasControl(value)) {
    throw UsageError(what + " must not contain control characters or newlines");
  }
}

int lineOf(const toml::node* node) {
  return node ? static_cast<int>(node->source().begin.line) : 0;
}

}  // namespace

std::string SshDestination::text() const {
  std::string result = user.empty() ? "" : user + "@";
  bool ipv6 = host.find(':') != std::string::npos;
  result += ipv6 ? "[" + host + "]" : host;
  if (port > 0) result += ":" + std::to_string(port);
  return result;
}

SshDestination parseSshDestination(const std::string& text) {
  requireClean("ssh destination '" + text + "'", text);
  SshDestination destination;
  std::string rest = text;
  if (auto at = rest.rfind('@'); at != std::string::npos) {
    destination.user = rest.substr(0, at);
    rest = rest.substr(at + 1);
    if (destination.user.empty()) throw UsageError("ssh destination '" + text + "': empty user");
  }
  std::string portText;
  bool hasPort = false;
  if (!rest.empty() && rest.front() == '[') {
    auto close = rest.find(']');
    if (close == std::string::npos) {
      throw UsageError("ssh destination '" + text + "': missing ']' after the IPv6 address");
    }
    destination.host = rest.substr(1, close - 1);
    std::string after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') throw UsageError("ssh destination '" + text + "': junk after ']'");
      portText = after.substr(1);
      hasPort = true;
    }
  } else if (auto colon = rest.find(':'); colon != std::string::npos) {
    destination.host = rest.substr(0, colon);
    portText = rest.substr(colon + 1);
    hasPort = true;
  } else {
    destination.host = rest;
  }
  if (destination.host.empty()) throw UsageError("ssh destination '" + text + "': empty host");
  for (const std::string* part : {&destination.host, &destination.user}) {
    if (!part->empty() && part->front() == '-') {
      throw UsageError("ssh destination '" + text + "': a host or user may not start with '-'");
    }
    if (part->find_first_of(" \t'\"\\;`$&|<>") != std::string::npos) {
      throw UsageError("ssh destination '" + text +
                       "': a host or user may not contain spaces, quotes or shell characters");
    }
  }
  if (hasPort) {
    if (portText.empty() || portText.size() > 5 ||
        !std::all_of(portText.begin(), portText.end(), ::isdigit)) {
      throw UsageError("ssh destination '" + text + "': the port must be a number 1-65535");
    }
    int port = std::stoi(portText);
    if (port < 1 || port > 65535) {
      throw UsageError("ssh destination '" + text + "': the port must be a number 1-65535");
    }
    destination.port = port;
  }
  return destination;
}

void validateProfileName(const std::string& name) {
  if (name.empty() || name.size() > 64) {
    throw UsageError("host profile name '" + name + "': 1-64 characters");
  }
  if (name.front() == '-' || name.front() == '.') {
    throw UsageError("host profile name '" + name + "' may not start with '-' or '.'");
  }
  if (!std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '.' || c == '_' || c == '-';
      })) {
    throw UsageError("host profile name '" + name + "': only letters, digits, '.', '_' and '-'");
  }
  if (name == "local") {
    throw UsageError("host profile name 'local' is reserved for this machine");
  }
}

void validateProfile(const HostProfile& profile) {
  validateProfileName(profile.name);
  std::string where = "host profile '" + profile.name + "': ";
  requireClean(where + "workspace", profile.workspace);
  requireClean(where + "astro", profile.astro);
  if (profile.workspace.empty() || profile.workspace.front() != '/') {
    throw UsageError(where + "workspace '" + profile.workspace +
                     "' must be an absolute path on the host");
  }
  if (profile.astro.empty() || profile.astro.front() == '-' || profile.astro.front() == '%') {
    // '%' would be a job to bash even quoted; '-' an option to whatever runs it.
    throw UsageError(where + "astro must name the remote program (a path or a name on PATH)");
  }
  for (const auto& option : profile.sshOptions) requireClean(where + "ssh option", option);
  if (profile.kind == HostKind::kSsh) {
    if (profile.ssh.host.empty()) throw UsageError(where + "no ssh destination");
    parseSshDestination(profile.ssh.text());
    return;
  }
  const SlurmSettings& slurm = profile.slurm;
  if (slurm.login != "local") validateProfileName(slurm.login);
  for (const std::string* value : {&slurm.partition, &slurm.memory, &slurm.timeLimit,
                                   &slurm.account, &slurm.qos}) {
    requireClean(where + "slurm setting", *value);
  }
  if (slurm.nodes < 1) throw UsageError(where + "nodes must be at least 1");
  if (slurm.gpusPerNode < 0 || slurm.cpusPerTask < 0) {
    throw UsageError(where + "gpus_per_node and cpus_per_task must not be negative");
  }
  for (const auto& line : slurm.extraSbatch) {
    requireClean(where + "sbatch line", line);
    if (line.rfind("#SBATCH ", 0) != 0) {
      throw UsageError(where + "sbatch line '" + line + "' must start with \"#SBATCH \"");
    }
  }
}

fs::path hostsFolder() {
  if (const char* home = std::getenv("ASTRO_CONFIG_HOME"); home && *home) {
    return fs::path(home) / "hosts";
  }
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
    return fs::path(xdg) / "astro-studio" / "hosts";
  }
  const char* home = std::getenv("HOME");
  return fs::path(home && *home ? home : "/") / ".config" / "astro-studio" / "hosts";
}

std::string profileToToml(const HostProfile& profile) {
  toml::table table;
  table.insert("kind", profile.kind == HostKind::kSsh ? "ssh" : "slurm");
  if (profile.kind == HostKind::kSsh) table.insert("ssh", profile.ssh.text());
  if (!profile.sshOptions.empty()) {
    toml::array options;
    for (const auto& option : profile.sshOptions) options.push_back(option);
    table.insert("ssh_options", options);
  }
  table.insert("workspace", profile.workspace);
  table.insert("astro", profile.astro);
  if (profile.kind == HostKind::kSlurm) {
    const SlurmSettings& s = profile.slurm;
    toml::table slurm;
    slurm.insert("login", s.login);
    if (!s.partition.empty()) slurm.insert("partition", s.partition);
    slurm.insert("nodes", s.nodes);
    if (s.gpusPerNode > 0) slurm.insert("gpus_per_node", s.gpusPerNode);
    if (s.cpusPerTask > 0) slurm.insert("cpus_per_task", s.cpusPerTask);
    if (!s.memory.empty()) slurm.insert("memory", s.memory);
    if (!s.timeLimit.empty()) slurm.insert("time", s.timeLimit);
    if (!s.account.empty()) slurm.insert("account", s.account);
    if (!s.qos.empty()) slurm.insert("qos", s.qos);
    if (!s.extraSbatch.empty()) {
      toml::array lines;
      for (const auto& line : s.extraSbatch) lines.push_back(line);
      slurm.insert("sbatch", lines);
    }
    table.insert("slurm", slurm);
  }
  std::ostringstream out;
  out << "# Astro Studio host profile '" << profile.name << "' (astro hosts; docs/remote.md)\n"
      << table << "\n";
  return out.str();
}

namespace {

class ProfileReader {
 public:
  ProfileReader(const toml::table& table, std::string source, std::string prefix)
      : table_(table), source_(std::move(source)), prefix_(std::move(prefix)) {}

  std::string text(const char* key, std::string fallback = {}) {
    seen_.push_back(key);
    const toml::node* node = table_.get(key);
    if (!node) return fallback;
    if (auto value = node->value<std::string>()) return *value;
    throw ParseError(source_, lineOf(node), prefix_ + key, "expected a string");
  }
  int integer(const char* key, int fallback, int min, int max) {
    seen_.push_back(key);
    const toml::node* node = table_.get(key);
    if (!node) return fallback;
    auto value = node->value<std::int64_t>();
    if (!value || *value < min || *value > max) {
      throw ParseError(source_, lineOf(node), prefix_ + key,
                       "expected an integer " + std::to_string(min) + "-" + std::to_string(max));
    }
    return static_cast<int>(*value);
  }
  std::vector<std::string> strings(const char* key) {
    seen_.push_back(key);
    std::vector<std::string> result;
    const toml::node* node = table_.get(key);
    if (!node) return result;
    const toml::array* array = node->as_array();
    if (!array) throw ParseError(source_, lineOf(node), prefix_ + key, "expected an array");
    for (const auto& item : *array) {
      auto value = item.value<std::string>();
      if (!value) throw ParseError(source_, lineOf(&item), prefix_ + key, "expected strings");
      result.push_back(*value);
    }
    return result;
  }
  void mark(const char* key) { seen_.push_back(key); }
  void finish() {
    for (const auto& [key, node] : table_) {
      if (std::find(seen_.begin(), seen_.end(), key.str()) == seen_.end()) {
        throw ParseError(source_, lineOf(&node), prefix_ + std::string(key.str()), "unknown key");
      }
    }
  }

 private:
  const toml::table& table_;
  std::string source_;
  std::string prefix_;
  std::vector<std::string> seen_;
};

}  // namespace

HostProfile profileFromToml(const std::string& text, const std::string& source) {
  toml::table table;
  try {
    table = toml::parse(text, source);
  } catch (const toml::parse_error& error) {
    throw ParseError(source, error.source().begin.line, "", std::string(error.description()));
  }
  HostProfile profile;
  profile.name = fs::path(source).stem().string();
  ProfileReader reader(table, source, "");
  std::string kind = reader.text("kind", "ssh");
  if (kind != "ssh" && kind != "slurm") {
    throw ParseError(source, lineOf(table.get("kind")), "kind", "expected \"ssh\" or \"slurm\"");
  }
  profile.kind = kind == "ssh" ? HostKind::kSsh : HostKind::kSlurm;
  std::string destination = reader.text("ssh");
  profile.sshOptions = reader.strings("ssh_options");
  profile.workspace = reader.text("workspace");
  profile.astro = reader.text("astro", "astro");
  try {
    if (profile.kind == HostKind::kSsh) profile.ssh = parseSshDestination(destination);
  } catch (const UsageError& error) {
    throw ParseError(source, lineOf(table.get("ssh")), "ssh", error.what());
  }
  reader.mark("slurm");  // read below as a table
  if (const toml::node* node = table.get("slurm")) {
    const toml::table* slurmTable = node->as_table();
    if (!slurmTable) throw ParseError(source, lineOf(node), "slurm", "expected a table");
    ProfileReader slurm(*slurmTable, source, "slurm.");
    SlurmSettings& s = profile.slurm;
    s.login = slurm.text("login", "local");
    s.partition = slurm.text("partition");
    s.nodes = slurm.integer("nodes", 1, 1, 100000);
    s.gpusPerNode = slurm.integer("gpus_per_node", 0, 0, 1024);
    s.cpusPerTask = slurm.integer("cpus_per_task", 0, 0, 100000);
    s.memory = slurm.text("memory");
    s.timeLimit = slurm.text("time");
    s.account = slurm.text("account");
    s.qos = slurm.text("qos");
    s.extraSbatch = slurm.strings("sbatch");
    slurm.finish();
  }
  reader.finish();
  try {
    validateProfile(profile);
  } catch (const UsageError& error) {
    throw ParseError(source, 1, "", error.what());
  }
  return profile;
}

HostRegistry::HostRegistry(fs::path folder) : folder_(std::move(folder)) {}

std::vector<HostProfile> HostRegistry::list() const {
  std::vector<HostProfile> profiles;
  std::error_code error;
  if (!fs::is_directory(folder_, error)) return profiles;
  for (const auto& entry : fs::directory_iterator(folder_)) {
    if (entry.path().extension() != ".toml") continue;
    std::string stem = entry.path().stem().string();
    if (stem.empty() || stem.front() == '.') continue;
    profiles.push_back(profileFromToml(readFile(entry.path()), entry.path().string()));
  }
  std::sort(profiles.begin(), profiles.end(),
            [](const HostProfile& a, const HostProfile& b) { return a.name < b.name; });
  return profiles;
}

std::optional<HostProfile> HostRegistry::find(const std::string& name) const {
  validateProfileName(name);
  fs::path file = folder_ / (name + ".toml");
  if (!fs::exists(file)) return std::nullopt;
  return profileFromToml(readFile(file), file.string());
}

HostProfile HostRegistry::get(const std::string& name) const {
  auto profile = find(name);
  if (!profile) {
    throw Error("no host profile '" + name + "' in " + folder_.string() +
                " (astro hosts list shows them; astro hosts add creates one)");
  }
  return *profile;
}

void HostRegistry::save(const HostProfile& profile, bool replace) const {
  validateProfile(profile);
  fs::create_directories(folder_);
  ::chmod(folder_.c_str(), 0700);
  fs::path file = folder_ / (profile.name + ".toml");
  if (!replace && fs::exists(file)) {
    throw UsageError("host profile '" + profile.name + "' exists (" + file.string() +
                     "); remove it first or pass --replace");
  }
  writeFileAtomically(file, profileToToml(profile));
  ::chmod(file.c_str(), 0600);
}

bool HostRegistry::remove(const std::string& name) const {
  validateProfileName(name);
  return fs::remove(folder_ / (name + ".toml"));
}

}  // namespace astro::remote
