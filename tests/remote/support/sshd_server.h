// A real OpenSSH server for the remote tests: /usr/sbin/sshd on a free loopback port with its own
// host key, one authorized client key and its own known_hosts, all in a fresh temp folder, so a
// test reaches "a remote host" as root@127.0.0.1:PORT without using or changing the real ~/.ssh.
#pragma once

#include <sys/types.h>

#include <QString>
#include <filesystem>
#include <string>
#include <vector>

#include "core/remote/host_profile.h"

namespace astro::test {

class SshdServer {
 public:
  SshdServer();
  ~SshdServer();  // stop()
  SshdServer(const SshdServer&) = delete;
  SshdServer& operator=(const SshdServer&) = delete;

  // Generates the keys and config (first call only) and starts sshd on a free port. False, with
  // the exact reason in `whyNot` (sshd or ssh-keygen missing, sshd exiting, the port not opening),
  // for the test to QSKIP with. sshd gets SIGTERM when the calling thread ends (PDEATHSIG), so
  // call start() and restart() from the test's main thread.
  bool start(QString* whyNot);
  bool running() const { return pid_ > 0; }
  int port() const { return port_; }

  // Ends the ControlMaster of this server's destination (`ssh -O exit`), sshd and every connection
  // it serves, then waits until the port refuses connections: the host is gone.
  void stop();
  // stop(), then sshd again on the same port with the same host key. Throws astro::Error with
  // sshd's log when it does not come up.
  void restart();
  // Kills the sshd processes of the open connections while the server keeps listening: the link
  // drops as when a laptop sleeps or a cable is pulled, and a ControlMaster on it exits. Remote
  // commands that were started detached keep running.
  void dropConnections();
  // `ssh -O exit` for this destination: the next command opens a new connection. Note that
  // ControlMaster sockets are per destination, so a master opened by profile() also serves
  // wrongKeyProfile() until it is closed.
  void closeMasters() const;
  // ssh -O OPERATION ("check", "exit", "stop") with the options and control path remote_shell
  // uses for profile().
  std::vector<std::string> controlArgv(const std::string& operation) const;

  // An SSH profile reaching this server as USER@127.0.0.1:PORT with its client key and known_hosts
  // (sshOptions -F none -i KEY -o IdentitiesOnly=yes -o UserKnownHostsFile=FILE).
  // `remoteWorkspace` empty: <folder>/remote-workspace (not created).
  astro::remote::HostProfile profile(const std::string& name = "loopback",
                                     const std::string& remoteWorkspace = {},
                                     const std::string& astroPath = "astro") const;
  // The same, with a generated key that is not authorized.
  astro::remote::HostProfile wrongKeyProfile(const std::string& name = "loopback-wrong-key",
                                             const std::string& remoteWorkspace = {},
                                             const std::string& astroPath = "astro") const;

  const std::filesystem::path& folder() const { return folder_; }
  std::filesystem::path knownHostsFile() const { return folder_ / "known_hosts"; }
  std::filesystem::path clientKey() const { return folder_ / "client_ed25519"; }
  std::string user() const;
  // sshd's log (-e) since the first start, and how many logins it accepted: commands sharing a
  // ControlMaster add one login between them.
  QString log() const;
  int acceptedLogins() const;

  // A loopback port nothing listens on (bound and released: connecting to it is refused).
  static int unusedPort();

 private:
  bool prepare(QString* whyNot);
  bool launch(QString* whyNot);
  astro::remote::HostProfile profileWithKey(const std::filesystem::path& key,
                                            const std::string& name,
                                            const std::string& remoteWorkspace,
                                            const std::string& astroPath) const;

  std::filesystem::path folder_;
  bool prepared_ = false;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace astro::test
