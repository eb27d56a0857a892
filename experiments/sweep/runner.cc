// The local sweep runner (see runner.h).
#include "experiments/sweep/runner.h"

#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <filesystem>
#include <ostream>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "experiments/plan/throughput.h"
#include "experiments/records/records.h"
#include "experiments/sweep/sweep_dir.h"
#include "tools/process/process.h"
#include "google/protobuf/text_format.h"
#include "tools/io/atomic_file.h"
#include "tools/result/status.h"

namespace datawall::sweep {
namespace {

namespace fs = std::filesystem;
using process::ExitCode;
using process::Launch;
using process::LaunchOptions;
using process::TryLockFile;
using experiments::PlannedRun;
using experiments::SweepPlan;

volatile sig_atomic_t g_stop = 0;
void OnStopSignal(int) { g_stop = 1; }

double Now() { return NowSeconds(); }

bool HasEntries(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return false;
  return fs::directory_iterator(dir, ec) != fs::directory_iterator();
}

struct Active {
  size_t index = 0;
  pid_t pid = 0;
  double start = 0;
  int device = -1;  // index into RunnerOptions::devices, -1 without placement
};

// The device with the fewest active trainers (the first on a tie), or -1 without devices.
int LeastLoadedDevice(const RunnerOptions& options, const std::vector<Active>& active) {
  if (options.devices.empty()) return -1;
  std::vector<int> load(options.devices.size(), 0);
  for (const Active& a : active) {
    if (a.device >= 0) ++load[a.device];
  }
  return static_cast<int>(std::min_element(load.begin(), load.end()) - load.begin());
}

}  // namespace

bool RunnerOptions::IsValid(std::string* error) const {
  if (out_dir.empty()) return *error = "--out: empty", false;
  if (train_binary.empty()) return *error = "--train_binary: empty", false;
  if (workers < 1) return *error = "--workers: must be at least 1", false;
  if (max_attempts < 1) return *error = "max_attempts: must be at least 1", false;
  if (runs_per_device < 1) return *error = "--runs_per_device: must be at least 1", false;
  for (size_t i = 0; i < devices.size(); ++i) {
    if (devices[i].empty() || devices[i].find_first_of(", \t") != std::string::npos) {
      return *error = absl::StrCat("--devices: bad device '", devices[i], "'"), false;
    }
    for (size_t j = 0; j < i; ++j) {
      if (devices[j] == devices[i]) {
        return *error = absl::StrCat("--devices: device ", devices[i], " listed twice"), false;
      }
    }
  }
  if (!devices.empty() && workers != static_cast<int>(devices.size()) * runs_per_device) {
    return *error = absl::StrCat("--workers=", workers, " with ", devices.size(), " device(s) x ",
                                 runs_per_device, " run(s) per device: leave --workers out"),
           false;
  }
  if (!(poll_seconds > 0)) return *error = "poll_seconds: must be positive", false;
  return true;
}

std::string RunDir(const std::string& out_dir, const PlannedRun& run) {
  return records::RunDir(out_dir, run.hash());
}

std::string RunnerSummary::BriefReport() const {
  std::string s = absl::StrFormat("%d planned: %d already complete, %d completed now, %d failed",
                                  planned, already_complete, completed, failed);
  const int not_run = planned - already_complete - completed - failed;
  if (not_run > 0) absl::StrAppend(&s, ", ", not_run, " not run");
  if (interrupted) absl::StrAppend(&s, " (interrupted)");
  absl::StrAppend(&s, " in ", plan::FormatDuration(wall_seconds));
  for (const RunOutcome& r : runs) {
    if (r.state == RunOutcome::kFailed) {
      absl::StrAppend(&s, "\n  failed: ", r.name, " (", r.hash, "): exit ", r.last_exit_code,
                      " after ", r.attempts, " attempt(s)");
    }
  }
  return s;
}

absl::Status PlaceTrainers(int workers, const std::vector<std::string>& devices, int runs_per_device,
                           RunnerOptions* options) {
  if (workers < 0) return absl::InvalidArgumentError("--workers: must be at least 1 (or 0: automatic)");
  if (runs_per_device < 0) return absl::InvalidArgumentError("--runs_per_device: must be at least 1 (or 0: one)");
  if (devices.empty() && runs_per_device > 0) return absl::InvalidArgumentError("--runs_per_device: needs --devices");
  if (runs_per_device == 0) runs_per_device = 1;
  if (!devices.empty()) {
    const int slots = static_cast<int>(devices.size()) * runs_per_device;
    if (workers != 0 && workers != slots) {
      return absl::InvalidArgumentError(absl::StrCat("--workers=", workers,
                                                     " contradicts --devices x --runs_per_device = ", slots,
                                                     " trainers: leave --workers out"));
    }
    workers = slots;
  }
  options->workers = workers == 0 ? 1 : workers;
  options->devices = devices;
  options->runs_per_device = runs_per_device;
  return absl::OkStatus();
}

absl::StatusOr<RunnerSummary> RunSweep(const SweepPlan& plan, const RunnerOptions& options) {
  std::string error;
  if (!options.IsValid(&error)) return absl::InvalidArgumentError(error);
  const double t0 = Now();
  SweepDir sweep_dir;
  if (absl::Status s = OpenSweepDir(plan, options.out_dir, options.train_binary,
                                    options.data_root, options.lock_wait_seconds, &sweep_dir);
      !s.ok()) {
    return s;
  }
  const std::string& out = sweep_dir.out;
  const std::string& binary = sweep_dir.binary;
  const std::string& data_root = sweep_dir.data_root;
  std::error_code ec;

  RunnerSummary summary;
  summary.planned = plan.runs_size();
  summary.runs.resize(plan.runs_size());
  std::vector<double> estimate(plan.runs_size());
  std::deque<size_t> queue;
  auto finish_complete = [&](size_t i) {
    if (options.delete_checkpoints_when_complete) {
      std::error_code ignored;
      fs::remove_all(RunDir(out, plan.runs(i)) + "/checkpoints", ignored);
    }
  };
  for (int i = 0; i < plan.runs_size(); ++i) {
    const PlannedRun& run = plan.runs(i);
    RunOutcome& outcome = summary.runs[i];
    outcome.hash = run.hash();
    outcome.name = run.spec().name();
    estimate[i] = run.estimated_seconds() > 0
                      ? run.estimated_seconds()
                      : options.throughput.Seconds(run.params(), run.spec().total_tokens());
    std::optional<RunRecord> record;
    if (absl::Status s = ReadRunRecord(out, run, &record); !s.ok()) return s;
    if (record && record->complete()) {
      outcome.state = RunOutcome::kAlreadyComplete;
      ++summary.already_complete;
      finish_complete(i);
    } else {
      queue.push_back(i);
    }
  }

  g_stop = 0;
  struct sigaction action {}, old_int {}, old_term {};
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &old_int);
  sigaction(SIGTERM, &action, &old_term);

  std::vector<Active> active;
  double actual_done = 0, estimated_done = 0;  // for the ETA's calibration
  double last_progress = -1e18;
  const std::string label = absl::StrCat(plan.experiment(), "/", plan.scale());
  auto progress = [&](bool force) {
    if (options.progress == nullptr) return;
    const double now = Now();
    if (!force && (options.progress_every_seconds <= 0 ||
                   now - last_progress < options.progress_every_seconds)) {
      return;
    }
    last_progress = now;
    const double factor = estimated_done > 0 ? actual_done / estimated_done : 1.0;
    double left_seconds = 0;
    for (size_t i : queue) left_seconds += estimate[i] * factor;
    for (const Active& a : active) {
      left_seconds += std::max(0.0, estimate[a.index] * factor - (now - a.start));
    }
    const int workers = std::min<int>(options.workers, std::max<size_t>(1, queue.size() + active.size()));
    const int done = summary.already_complete + summary.completed;
    *options.progress << absl::StrFormat(
                             "[%s] %d/%d done (%d skipped), %d running, %d left, %d failed | "
                             "elapsed %s | ETA %s",
                             label, done, summary.planned, summary.already_complete,
                             static_cast<int>(active.size()), static_cast<int>(queue.size()),
                             summary.failed, plan::FormatDuration(now - t0),
                             plan::FormatDuration(left_seconds / workers))
                      << std::endl;
  };
  progress(true);

  absl::Status failure = absl::OkStatus();
  while (!g_stop) {
    // Launch what fits. A run whose lock is held elsewhere waits at the back of the queue.
    size_t tries = queue.size();
    while (static_cast<int>(active.size()) < options.workers && tries-- > 0 && !queue.empty()) {
      const size_t i = queue.front();
      queue.pop_front();
      const PlannedRun& run = plan.runs(i);
      const std::string dir = RunDir(out, run);
      const int lock = TryLockFile(dir + "/lock", /*inheritable=*/true, &error);
      if (lock == -1) {
        queue.push_back(i);
        continue;
      }
      RunOutcome& outcome = summary.runs[i];
      if (lock == -2) {
        outcome.state = RunOutcome::kFailed;
        ++summary.failed;
        if (options.progress) *options.progress << "[" << label << "] " << error << std::endl;
        continue;
      }
      const std::optional<RunRecord> record = records::ReadRecord(dir);
      if (records::IsCompleteFor(record, run)) {  // finished by a trainer that outlived a runner
        close(lock);
        outcome.state = RunOutcome::kAlreadyComplete;
        ++summary.already_complete;
        finish_complete(i);
        continue;
      }
      const std::string spec_path = absl::StrCat(dir, "/", records::kSpecFile);
      if (absl::Status s = ToStatus(io::WriteFileAtomically(spec_path, records::CanonicalText(run.spec())));
          !s.ok()) {
        close(lock);
        failure = s;
        break;
      }
      LaunchOptions launch;
      launch.binary = binary;
      launch.args = {"--spec=" + spec_path, "--out=" + dir, "--data_root=" + data_root};
      if (HasEntries(dir + "/checkpoints")) launch.args.push_back("--resume");
      launch.args.insert(launch.args.end(), options.train_args.begin(), options.train_args.end());
      launch.cwd = data_root;
      launch.log_path = dir + "/train.log";
      launch.inherit_fd = lock;
      const int device = LeastLoadedDevice(options, active);
      if (device >= 0) {
        outcome.device = options.devices[device];
        launch.env.emplace_back("CUDA_VISIBLE_DEVICES", outcome.device);
      }
      ++outcome.attempts;
      const pid_t pid = Launch(launch, &error);
      if (pid < 0) {
        failure = absl::InternalError(error);
        break;
      }
      active.push_back({i, pid, Now(), device});
      if (options.progress) {
        *options.progress << "[" << label << "] start " << run.spec().name() << " (" << run.hash()
                          << (launch.args.size() > 3 && launch.args[3] == "--resume" ? ", resume" : "")
                          << (device >= 0 ? ", device " + outcome.device : "") << ", est. " << plan::FormatDuration(estimate[i]) << ")" << std::endl;
      }
    }
    if (!failure.ok()) break;
    if (active.empty() && queue.empty()) break;

    // Reap finished trainers.
    bool event = false;
    for (;;) {
      int status = 0;
      const pid_t pid = waitpid(-1, &status, WNOHANG);
      if (pid <= 0) break;
      auto it = std::find_if(active.begin(), active.end(), [&](const Active& a) { return a.pid == pid; });
      if (it == active.end()) continue;
      const size_t i = it->index;
      const double seconds = Now() - it->start;
      active.erase(it);
      event = true;
      RunOutcome& outcome = summary.runs[i];
      outcome.last_exit_code = ExitCode(status);
      outcome.seconds += seconds;
      const std::optional<RunRecord> record = records::ReadRecord(RunDir(out, plan.runs(i)));
      if (records::IsCompleteFor(record, plan.runs(i))) {
        outcome.state = RunOutcome::kCompleted;
        ++summary.completed;
        if (outcome.attempts == 1) {
          actual_done += seconds;
          estimated_done += estimate[i];
        }
        finish_complete(i);
        if (options.progress) {
          *options.progress << "[" << label << "] done " << outcome.name << " in "
                            << plan::FormatDuration(seconds)
                            << absl::StrFormat(": final_val_loss %.4f", record->final_val_loss())
                            << std::endl;
        }
      } else if (outcome.attempts < options.max_attempts) {
        queue.push_front(i);
        if (options.progress) {
          *options.progress << "[" << label << "] " << outcome.name << " exited with "
                            << outcome.last_exit_code << " before completing; retrying (see "
                            << RunDir(out, plan.runs(i)) << "/train.log)" << std::endl;
        }
      } else {
        outcome.state = RunOutcome::kFailed;
        ++summary.failed;
        if (options.progress) {
          *options.progress << "[" << label << "] FAILED " << outcome.name << ": exit "
                            << outcome.last_exit_code << " (see " << RunDir(out, plan.runs(i))
                            << "/train.log)" << std::endl;
        }
      }
    }
    progress(event);
    std::this_thread::sleep_for(std::chrono::duration<double>(options.poll_seconds));
  }

  if (!active.empty()) {  // interrupted (or a launch failed): stop the trainers and wait
    for (const Active& a : active) kill(a.pid, SIGTERM);
    for (const Active& a : active) {
      int status = 0;
      waitpid(a.pid, &status, 0);
    }
    summary.interrupted = g_stop != 0;
  }
  if (g_stop) summary.interrupted = true;
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  summary.wall_seconds = Now() - t0;
  progress(true);
  if (!failure.ok()) return failure;
  return summary;
}

}  // namespace datawall::sweep
