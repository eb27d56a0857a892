// A one-node Slurm cluster for tests (see slurm_cluster.h).
#include "tests/experiments/sweep/slurm_cluster.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "tools/io/atomic_file.h"
#include "tools/process/process.h"

namespace datawall::testing {
namespace {

namespace fs = std::filesystem;

std::string Tail(const std::string& path, size_t lines) {
  std::ifstream in(path);
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);) all.push_back(line);
  std::string out;
  for (size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) {
    absl::StrAppend(&out, all[i], "\n");
  }
  return out;
}

}  // namespace

int SlurmCluster::Command(const std::vector<std::string>& argv, std::string* output) const {
  const process::RunResult r = process::RunAndCapture(argv, {.timeout_seconds = 60});
  if (output) *output = r.output;
  return r.started ? r.exit_code : -1;
}

std::string SlurmCluster::Logs() const {
  std::string s;
  for (const char* f : {"munged.log", "slurmctld.log", "slurmd.log", "slurmctld.out", "slurmd.out"}) {
    absl::StrAppend(&s, "--- ", dir_, "/", f, ":\n", Tail(dir_ + "/" + f, 40));
  }
  return s;
}

absl::StatusOr<std::unique_ptr<SlurmCluster>> SlurmCluster::Start(int cpus) {
  std::unique_ptr<SlurmCluster> c(new SlurmCluster());
  char templ[] = "/tmp/dw-slurm-XXXXXX";
  if (mkdtemp(templ) == nullptr) return absl::InternalError("mkdtemp failed");
  c->dir_ = templ;
  const std::string& d = c->dir_;
  chmod(d.c_str(), 0755);  // munged wants its socket's directory reachable
  for (const char* sub : {"state", "spool"}) fs::create_directories(d + "/" + sub);
  // munge: a fresh 1 KiB key, owner-only.
  {
    std::random_device rd;
    std::string key(1024, '\0');
    for (char& ch : key) ch = static_cast<char>(rd());
    std::ofstream(d + "/munge.key", std::ios::binary) << key;
    chmod((d + "/munge.key").c_str(), 0400);
  }
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  const int ctld_port = process::FreeLocalPort();
  int d_port = process::FreeLocalPort();
  while (d_port == ctld_port) d_port = process::FreeLocalPort();
  const std::string conf = absl::StrCat(
      "ClusterName=datawalltest\n", "SlurmctldHost=", host, "(127.0.0.1)\n",
      "SlurmctldPort=", ctld_port, "\n", "SlurmdPort=", d_port, "\n",
      "SlurmUser=root\nSlurmdUser=root\nAuthType=auth/munge\nCredType=cred/munge\n",
      "AuthInfo=socket=", d, "/munge.socket\n",
      "StateSaveLocation=", d, "/state\nSlurmdSpoolDir=", d, "/spool\n",
      "SlurmctldPidFile=", d, "/slurmctld.pid\nSlurmdPidFile=", d, "/slurmd.pid\n",
      "SlurmctldLogFile=", d, "/slurmctld.log\nSlurmdLogFile=", d, "/slurmd.log\n",
      "ProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\n",
      "SelectType=select/cons_tres\nSelectTypeParameters=CR_Core\n",
      "AccountingStorageType=accounting_storage/none\nJobAcctGatherType=jobacct_gather/none\n",
      "JobCompType=jobcomp/none\nMpiDefault=none\nReturnToService=2\nSchedulerType=sched/backfill\n",
      "SchedulerParameters=sched_interval=1\nMinJobAge=300\nSlurmctldTimeout=30\nSlurmdTimeout=30\n",
      "NodeName=dwnode NodeAddr=127.0.0.1 NodeHostname=", host, " CPUs=", cpus, " State=UNKNOWN\n",
      "PartitionName=debug Nodes=dwnode Default=YES MaxTime=INFINITE State=UP\n");
  if (!io::WriteFileAtomically(d + "/slurm.conf", conf).ok()) {
    return absl::InternalError("cannot write " + d + "/slurm.conf");
  }
  setenv("SLURM_CONF", (d + "/slurm.conf").c_str(), 1);

  auto launch = [&](const std::string& binary, std::vector<std::string> args,
                    const std::string& log) -> absl::Status {
    process::LaunchOptions l;
    l.binary = binary;
    l.args = std::move(args);
    l.log_path = d + "/" + log;
    std::string error;
    const pid_t pid = process::Launch(l, &error);
    if (pid < 0) return absl::FailedPreconditionError(binary + ": " + error);
    c->daemons_.push_back(pid);
    return absl::OkStatus();
  };
  absl::Status s = launch("munged", {"--foreground", "--force", "--key-file=" + d + "/munge.key",
                                     "--socket=" + d + "/munge.socket", "--pid-file=" + d + "/munged.pid",
                                     "--log-file=" + d + "/munged.log", "--seed-file=" + d + "/munged.seed"},
                          "munged.out");
  for (int i = 0; s.ok() && i < 100 && !fs::exists(d + "/munge.socket"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (s.ok()) s = launch("slurmctld", {"-D", "-f", d + "/slurm.conf"}, "slurmctld.out");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  if (s.ok()) s = launch("slurmd", {"-D", "-N", "dwnode", "-f", d + "/slurm.conf"}, "slurmd.out");
  if (!s.ok()) return absl::FailedPreconditionError(absl::StrCat(s.message(), "\n", c->Logs()));
  std::string state;
  for (const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(40);
       std::chrono::steady_clock::now() < deadline;) {
    if (c->Command({"sinfo", "--noheader", "--nodes=dwnode", "--format=%T"}, &state) == 0 &&
        absl::StripAsciiWhitespace(state) == "idle") {
      return c;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return absl::FailedPreconditionError(absl::StrCat("the test Slurm did not reach idle (sinfo: '",
                                                    absl::StripAsciiWhitespace(state), "')\n", c->Logs()));
}

SlurmCluster::~SlurmCluster() {
  if (!daemons_.empty()) {
    Command({"scancel", "--user=root"});
    std::string out;
    for (int i = 0; i < 100; ++i) {
      if (Command({"squeue", "--noheader"}, &out) != 0 || absl::StripAsciiWhitespace(out).empty()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  for (auto it = daemons_.rbegin(); it != daemons_.rend(); ++it) {
    kill(*it, SIGTERM);
    process::Wait(*it);
  }
  std::error_code ec;
  if (!dir_.empty()) fs::remove_all(dir_, ec);
}

}  // namespace datawall::testing
