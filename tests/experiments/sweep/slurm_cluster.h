// A real one-node Slurm cluster for tests (no mock): writes slurm.conf for localhost into a fresh
// directory under /tmp (short enough for munge's socket path), starts munged with its own key,
// socket, pid and log there, then slurmctld and slurmd in the foreground on two free ports, and
// waits for the node to be idle. Sets SLURM_CONF in this process, so every Slurm client this
// process or its children run talks to this cluster. Needs root and Debian's slurm-wlm + munge.
// Teardown (the destructor): cancels every job, stops the daemons, removes the directory. The
// daemons are children of the test (process.h), so they die with it even on SIGKILL.
// Not here: anything about sweeps.
#ifndef DATAWALL_TESTS_EXPERIMENTS_SWEEP_SLURM_CLUSTER_H_
#define DATAWALL_TESTS_EXPERIMENTS_SWEEP_SLURM_CLUSTER_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace datawall::testing {

class SlurmCluster {
 public:
  // Starts the cluster with `cpus` CPUs on its node. Errors carry the daemons' own log lines.
  static absl::StatusOr<std::unique_ptr<SlurmCluster>> Start(int cpus);
  ~SlurmCluster();

  const std::string& dir() const { return dir_; }
  std::string partition() const { return "debug"; }
  // The last lines of munged's, slurmctld's and slurmd's logs (for failure messages).
  std::string Logs() const;
  // Runs a Slurm command (argv[0] a name in $PATH); its exit code, output in *output.
  int Command(const std::vector<std::string>& argv, std::string* output = nullptr) const;

 private:
  SlurmCluster() = default;
  std::string dir_;
  std::vector<pid_t> daemons_;  // munged, slurmctld, slurmd
};

}  // namespace datawall::testing

#endif  // DATAWALL_TESTS_EXPERIMENTS_SWEEP_SLURM_CLUSTER_H_
