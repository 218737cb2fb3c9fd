// `astro hosts add|list|remove`: the host profiles remote runs go to (core/remote/host_profile.h),
// plain TOML files in the user's config folder. docs/remote.md.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/astro/command_registry.h"
#include "core/base/error.h"
#include "core/remote/host_profile.h"

namespace {

using astro::remote::HostKind;
using astro::remote::HostProfile;

struct AddOptions {
  std::string name;
  std::string ssh;
  bool slurm = false;
  std::string login = "local";
  std::string workspace;
  std::string astro = "astro";
  std::vector<std::string> sshOptions;
  std::string partition, memory, time, account, qos;
  int nodes = 1, gpusPerNode = 0, cpusPerTask = 0;
  std::vector<std::string> sbatch;
  bool replace = false;
};

void addHost(const AddOptions& o) {
  if (o.slurm == !o.ssh.empty()) {
    throw astro::UsageError("give exactly one of --ssh [user@]host[:port] or --slurm");
  }
  HostProfile profile{.name = o.name,
                      .kind = o.slurm ? HostKind::kSlurm : HostKind::kSsh,
                      .sshOptions = o.sshOptions,
                      .workspace = o.workspace,
                      .astro = o.astro};
  if (!o.slurm) profile.ssh = astro::remote::parseSshDestination(o.ssh);
  profile.slurm = {.login = o.login,
                   .partition = o.partition,
                   .nodes = o.nodes,
                   .gpusPerNode = o.gpusPerNode,
                   .cpusPerTask = o.cpusPerTask,
                   .memory = o.memory,
                   .timeLimit = o.time,
                   .account = o.account,
                   .qos = o.qos,
                   .extraSbatch = o.sbatch};
  astro::remote::HostRegistry registry;
  if (o.slurm && o.login != "local") registry.get(o.login);  // the login must be a profile
  registry.save(profile, o.replace);
  std::cout << "host " << profile.name << " saved in " << registry.folder().string() << "/"
            << profile.name << ".toml\n"
            << "next: astro remote check " << profile.name << "\n";
}

void listHosts(bool json) {
  astro::remote::HostRegistry registry;
  auto profiles = registry.list();
  if (json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& p : profiles) {
      nlohmann::json item = {{"name", p.name},
                             {"kind", p.kind == HostKind::kSsh ? "ssh" : "slurm"},
                             {"workspace", p.workspace},
                             {"astro", p.astro}};
      if (p.kind == HostKind::kSsh) {
        item["ssh"] = p.ssh.text();
      } else {
        item["login"] = p.slurm.login;
        item["partition"] = p.slurm.partition;
        item["nodes"] = p.slurm.nodes;
        item["gpus_per_node"] = p.slurm.gpusPerNode;
      }
      list.push_back(item);
    }
    std::cout << list.dump(2) << "\n";
    return;
  }
  if (profiles.empty()) {
    std::cout << "no host profiles in " << registry.folder().string()
              << " (astro hosts add NAME --ssh [user@]host[:port] --workspace DIR)\n";
    return;
  }
  for (const auto& p : profiles) {
    std::cout << p.name << "\t"
              << (p.kind == HostKind::kSsh ? "ssh " + p.ssh.text()
                                           : "slurm via " + p.slurm.login +
                                                 (p.slurm.partition.empty()
                                                      ? std::string()
                                                      : ", partition " + p.slurm.partition))
              << "\tworkspace " << p.workspace << "\n";
  }
}

const astro::cli::CommandRegistration kHosts{
    "40-hosts", [](CLI::App& root) {
      CLI::App& group = astro::cli::commandGroup(
          root, "hosts",
          "Host profiles for remote runs: SSH hosts and Slurm clusters (files in "
          "$XDG_CONFIG_HOME/astro-studio/hosts)");
      auto add = std::make_shared<AddOptions>();
      CLI::App* addCommand = group.add_subcommand(
          "add",
          "Add a host profile. SSH: --ssh [user@]host[:port] (aliases of ~/.ssh/config work; the\n"
          "system ssh is used, with its keys, agent and ProxyJump). Slurm: --slurm [--login\n"
          "local|SSH-PROFILE] and the job settings.");
      addCommand->add_option("NAME", add->name, "Profile name ([A-Za-z0-9._-])")->required();
      addCommand->add_option("--ssh", add->ssh, "SSH destination [user@]host[:port]");
      addCommand->add_flag("--slurm", add->slurm, "A Slurm cluster (jobs through sbatch)");
      addCommand->add_option("--login", add->login,
                             "Slurm: where sbatch runs: local, or an SSH profile's name")
          ->capture_default_str();
      addCommand->add_option("--workspace", add->workspace,
                             "The workspace folder on the host (absolute)")
          ->required();
      addCommand->add_option("--astro", add->astro, "The astro program on the host")
          ->capture_default_str();
      addCommand->add_option("--ssh-option", add->sshOptions,
                             "An extra ssh argument (repeat: --ssh-option=-i --ssh-option=KEY)")
          ->allow_extra_args(false);
      addCommand->add_option("--partition", add->partition, "Slurm partition");
      addCommand->add_option("--nodes", add->nodes, "Slurm nodes")->check(CLI::Range(1, 100000));
      addCommand->add_option("--gpus-per-node", add->gpusPerNode, "Slurm GPUs per node (gres)")
          ->check(CLI::Range(0, 1024));
      addCommand->add_option("--cpus-per-task", add->cpusPerTask, "Slurm CPUs per task")
          ->check(CLI::Range(0, 100000));
      addCommand->add_option("--mem", add->memory, "Slurm memory per node (64G)");
      addCommand->add_option("--time", add->time, "Slurm time limit (24:00:00)");
      addCommand->add_option("--account", add->account, "Slurm account");
      addCommand->add_option("--qos", add->qos, "Slurm QoS");
      addCommand->add_option("--sbatch", add->sbatch, "An extra '#SBATCH ...' line (repeatable)")
          ->allow_extra_args(false);
      addCommand->add_flag("--replace", add->replace, "Replace a profile of the same name");
      addCommand->callback([add] { addHost(*add); });

      auto json = std::make_shared<bool>(false);
      CLI::App* list = group.add_subcommand("list", "List the host profiles");
      list->add_flag("--json", *json, "As a JSON array");
      list->callback([json] { listHosts(*json); });

      auto name = std::make_shared<std::string>();
      CLI::App* remove = group.add_subcommand("remove", "Remove a host profile");
      remove->add_option("NAME", *name, "Profile name")->required();
      remove->callback([name] {
        if (!astro::remote::HostRegistry().remove(*name)) {
          throw astro::Error("no host profile '" + *name + "'");
        }
        std::cout << "host " << *name << " removed\n";
      });
      group.require_subcommand(1);
    }};

}  // namespace
