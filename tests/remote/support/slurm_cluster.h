// A real single-node Slurm for the remote tests: munged with a generated key, slurmctld and slurmd
// from Debian's packages with a generated slurm.conf, on free ports, all in a fresh temp folder,
// so a test submits real batch jobs to "a cluster" whose only node is this machine.
#pragma once

#include <sys/types.h>

#include <QString>
#include <filesystem>
#include <map>
#include <string>

namespace astro::test {

class SlurmCluster {
 public:
  SlurmCluster();
  ~SlurmCluster();  // stop()
  SlurmCluster(const SlurmCluster&) = delete;
  SlurmCluster& operator=(const SlurmCluster&) = delete;

  // Starts the cluster on the first call (munged, slurmctld, slurmd) and waits until sinfo shows
  // its node idle. False, with the exact reason in `whyNot` (a program missing, a daemon exiting,
  // the node not becoming idle, with the daemons' logs), for the test to QSKIP with.
  bool available(QString* whyNot);

  // What every Slurm command of this cluster needs (SLURM_CONF), for child processes; and the same
  // set in this process (qputenv), for the commands a RemoteShell runs from here.
  std::map<std::string, std::string> environment() const;
  void exportEnvironment() const;

  std::string partition() const { return "ci"; }
  std::string nodeName() const { return node_; }
  const std::filesystem::path& folder() const { return folder_; }
  std::filesystem::path configFile() const { return folder_ / "slurm.conf"; }

  // The last `lines` lines of each daemon's log, labelled, for failure messages.
  QString logs(int lines = 30) const;

  // Kills the jobs still in the queue, then stops slurmd, slurmctld and munged by their pid files.
  void stop();

 private:
  bool start(QString* whyNot);
  bool writeConfig(QString* whyNot);
  bool launch(const std::string& name, const std::vector<std::string>& argv, QString* whyNot);
  bool waitUntilIdle(QString* whyNot);
  void killQueuedJobs();

  std::filesystem::path folder_;
  std::string node_;
  std::map<std::string, pid_t> children_;  // daemon -> the process launch() started; 0: reaped
  bool tried_ = false;
  bool started_ = false;
  QString whyNot_;
};

}  // namespace astro::test
