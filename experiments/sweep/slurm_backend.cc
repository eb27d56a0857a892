// The Slurm backend of the sweep runner (see slurm_backend.h).
#include "experiments/sweep/slurm_backend.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "experiments/plan/throughput.h"
#include "experiments/records/records.h"
#include "google/protobuf/text_format.h"
#include "tools/io/atomic_file.h"
#include "tools/process/process.h"
#include "experiments/sweep/sweep_dir.h"
#include "tools/result/status.h"

namespace datawall::sweep {
namespace {

namespace fs = std::filesystem;
using experiments::PlannedRun;
using experiments::SweepPlan;

volatile sig_atomic_t g_stop = 0;
void OnStopSignal(int) { g_stop = 1; }

double Now() { return NowSeconds(); }

std::string Tool(const SlurmOptions& o, const std::string& name) {
  return o.bin_dir.empty() ? name : o.bin_dir + "/" + name;
}

std::string FirstLine(const std::string& text) {
  std::string line(absl::StripAsciiWhitespace(text));
  return line.substr(0, line.find('\n'));
}

// The job name prefix of this sweep directory's arrays: "dw-" + FNV-1a of the path.
std::string JobPrefix(const std::string& out) {
  uint32_t h = 2166136261u;
  for (unsigned char c : out) h = (h ^ c) * 16777619u;
  return absl::StrFormat("dw-%08x-", h);
}

// One array task in squeue.
struct QueuedTask {
  int array = -1;   // k of array_<k>
  int task = -1;
  std::string state;
  std::string job_id;  // the array's job id
};

// This sweep's tasks in the queue (any state squeue still shows: PENDING, RUNNING, COMPLETING, ...).
absl::StatusOr<std::vector<QueuedTask>> QueuedTasks(const SlurmOptions& o, const std::string& prefix) {
  const process::RunResult r = process::RunAndCapture(
      {Tool(o, "squeue"), "--noheader", "--array", "--me", "--format=%j|%K|%T|%F"},
      {.timeout_seconds = 60, .capture_stderr = true});
  if (!r.ok()) return absl::UnavailableError(absl::StrCat("squeue: ", r.Describe(), ": ", FirstLine(r.output)));
  std::vector<QueuedTask> tasks;
  for (absl::string_view line : absl::StrSplit(r.output, '\n', absl::SkipWhitespace())) {
    std::vector<std::string> f = absl::StrSplit(absl::StripAsciiWhitespace(line), '|');
    if (f.size() != 4 || !absl::StartsWith(f[0], prefix)) continue;
    QueuedTask t;
    if (!absl::SimpleAtoi(f[0].substr(prefix.size()), &t.array) || !absl::SimpleAtoi(f[1], &t.task)) continue;
    t.state = f[2];
    t.job_id = f[3];
    tasks.push_back(t);
  }
  return tasks;
}

// array_<k>.runs files of the sweep: k -> hashes (task i = hashes[i]).
std::map<int, std::vector<std::string>> ReadArrays(const std::string& slurm_dir) {
  std::map<int, std::vector<std::string>> arrays;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(slurm_dir, ec)) {
    const std::string name = entry.path().filename().string();
    int k = 0;
    if (!absl::StartsWith(name, "array_") || !absl::EndsWith(name, ".runs") ||
        !absl::SimpleAtoi(name.substr(6, name.size() - 11), &k)) {
      continue;
    }
    std::string text;
    if (!io::ReadFile(entry.path().string(), &text).ok()) continue;
    arrays[k] = absl::StrSplit(text, '\n', absl::SkipEmpty());
  }
  return arrays;
}

// A time limit rounded up to one of a few buckets (1, 2, 4, 8, 12, 24, 48, 72 hours, then whole
// days), so a grid needs a handful of array scripts rather than one per run.
double BucketSeconds(double seconds) {
  for (double hours : {1, 2, 4, 8, 12, 24, 48, 72}) {
    if (seconds <= hours * 3600) return hours * 3600;
  }
  return std::ceil(seconds / 86400) * 86400;
}

}  // namespace

absl::StatusOr<RunnerSummary> RunSweepOnSlurm(const SweepPlan& plan, const RunnerOptions& runner,
                                              const SlurmOptions& slurm) {
  if (runner.out_dir.empty()) return absl::InvalidArgumentError("--out: empty");
  if (runner.max_attempts < 1) return absl::InvalidArgumentError("max_attempts: must be at least 1");
  if (!(slurm.poll_seconds > 0)) return absl::InvalidArgumentError("--slurm_poll_seconds: must be positive");
  const double t0 = Now();
  SweepDir sweep_dir;
  if (absl::Status s = OpenSweepDir(plan, runner.out_dir, runner.train_binary, runner.data_root,
                                    runner.lock_wait_seconds, &sweep_dir);
      !s.ok()) {
    return s;
  }
  const std::string& out = sweep_dir.out;
  const std::string& binary = sweep_dir.binary;
  const std::string& data_root = sweep_dir.data_root;
  const std::string slurm_dir = out + "/slurm";
  std::error_code ec;
  fs::create_directories(slurm_dir, ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("--out: cannot create ", slurm_dir, ": ", ec.message()));

  RunnerSummary summary;
  summary.planned = plan.runs_size();
  summary.runs.resize(plan.runs_size());
  std::map<std::string, int> index_of;
  std::vector<bool> settled(plan.runs_size(), false);
  for (int i = 0; i < plan.runs_size(); ++i) {
    const PlannedRun& run = plan.runs(i);
    summary.runs[i].hash = run.hash();
    summary.runs[i].name = run.spec().name();
    index_of[run.hash()] = i;
    std::optional<RunRecord> record;
    if (absl::Status s = ReadRunRecord(out, run, &record); !s.ok()) return s;
    if (record && record->complete()) {
      summary.runs[i].state = RunOutcome::kAlreadyComplete;
      ++summary.already_complete;
      settled[i] = true;
    }
  }

  const std::string prefix = JobPrefix(out);
  std::map<int, std::vector<std::string>> arrays = ReadArrays(slurm_dir);
  std::map<int, std::string> job_ids;  // k -> job id, from jobs.tsv and squeue
  {
    std::string text;
    if (io::ReadFile(slurm_dir + "/jobs.tsv", &text).ok()) {
      for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
        std::vector<std::string> f = absl::StrSplit(line, '\t');
        int k = 0;
        if (f.size() == 2 && absl::SimpleAtoi(f[0], &k)) job_ids[k] = f[1];
      }
    }
  }
  auto write_jobs = [&]() {
    std::string text;
    for (const auto& [k, id] : job_ids) absl::StrAppend(&text, k, "\t", id, "\n");
    return ToStatus(io::WriteFileAtomically(slurm_dir + "/jobs.tsv", text));
  };
  const std::string label = absl::StrCat(plan.experiment(), "/", plan.scale());
  auto say = [&](const std::string& line) {
    if (runner.progress) *runner.progress << "[" << label << "] " << line << std::endl;
  };

  // Submits the runs `todo` (plan indices) as the next array.
  auto submit = [&](const std::vector<int>& todo) -> absl::Status {
    const int k = arrays.empty() ? 0 : arrays.rbegin()->first + 1;
    ArrayScript script;
    script.job_name = absl::StrCat(prefix, k);
    script.sweep_dir = out;
    script.train_binary = binary;
    script.train_args = runner.train_args;
    script.data_root = data_root;
    script.log_pattern = slurm_dir + "/%A_%a.out";
    script.job = slurm.job;
    std::string hashes;
    for (int i : todo) {
      const PlannedRun& run = plan.runs(i);
      const std::string spec_path = absl::StrCat(RunDir(out, run), "/", records::kSpecFile);
      if (absl::Status s = ToStatus(io::WriteFileAtomically(spec_path, records::CanonicalText(run.spec()))); !s.ok()) {
        return s;
      }
      script.run_dirs.push_back("runs/" + run.hash());
      absl::StrAppend(&hashes, run.hash(), "\n");
    }
    const std::string base = absl::StrCat(slurm_dir, "/array_", k);
    if (absl::Status s = ToStatus(io::WriteFileAtomically(base + ".sbatch", ArrayScriptText(script))); !s.ok()) return s;
    // The task list first: a runner killed right after sbatch still maps the array's tasks.
    if (absl::Status s = ToStatus(io::WriteFileAtomically(base + ".runs", hashes)); !s.ok()) return s;
    arrays[k] = absl::StrSplit(hashes, '\n', absl::SkipEmpty());
    const process::RunResult r = process::RunAndCapture(
        {Tool(slurm, "sbatch"), "--parsable", base + ".sbatch"}, {.cwd = out, .timeout_seconds = 120});
    if (!r.ok()) {
      fs::remove(base + ".runs", ec);
      arrays.erase(k);
      return absl::InvalidArgumentError(absl::StrCat("sbatch: ", r.Describe(), ": ", FirstLine(r.output)));
    }
    const std::string id = FirstLine(r.output).substr(0, FirstLine(r.output).find(';'));
    job_ids[k] = id;
    for (int i : todo) ++summary.runs[i].attempts;
    say(absl::StrCat("submitted ", todo.size(), " run(s) as job array ", id, " (", script.job_name,
                     ", ", base, ".sbatch)"));
    return write_jobs();
  };

  g_stop = 0;
  struct sigaction action {}, old_int {}, old_term {};
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &old_int);
  sigaction(SIGTERM, &action, &old_term);
  struct Restore {
    struct sigaction a, b;
    ~Restore() {
      sigaction(SIGINT, &a, nullptr);
      sigaction(SIGTERM, &b, nullptr);
    }
  } restore{old_int, old_term};

  double last_progress = -1e18;
  std::string last_line;
  int squeue_failures = 0;
  bool first = true;
  while (!g_stop) {
    // The queue first, then the records: a task that is no longer queued has written its last.
    absl::StatusOr<std::vector<QueuedTask>> queued = QueuedTasks(slurm, prefix);
    if (!queued.ok()) {
      if (++squeue_failures >= 10) return queued.status();
      say(std::string(queued.status().message()) + " (retrying)");
      std::this_thread::sleep_for(std::chrono::duration<double>(slurm.poll_seconds));
      continue;
    }
    squeue_failures = 0;
    std::vector<std::string> state(plan.runs_size());
    std::set<std::string> live_jobs;
    for (const QueuedTask& t : *queued) {
      auto a = arrays.find(t.array);
      if (a == arrays.end() || t.task < 0 || t.task >= static_cast<int>(a->second.size())) continue;
      auto i = index_of.find(a->second[t.task]);
      if (i == index_of.end()) continue;
      if (state[i->second] != "RUNNING") state[i->second] = t.state;
      live_jobs.insert(t.job_id);
      if (!job_ids.count(t.array)) {  // submitted by a runner killed before it wrote jobs.tsv
        job_ids[t.array] = t.job_id;
        if (absl::Status s = write_jobs(); !s.ok()) return s;
      }
    }
    if (first && !live_jobs.empty()) {
      say(absl::StrCat("found this sweep's job array(s) ", absl::StrJoin(live_jobs, ","), " in the queue"));
    }
    first = false;
    std::vector<int> todo;
    int running = 0, pending = 0;
    for (int i = 0; i < plan.runs_size(); ++i) {
      if (settled[i]) continue;
      RunOutcome& outcome = summary.runs[i];
      const PlannedRun& run = plan.runs(i);
      const std::optional<RunRecord> record = records::ReadRecord(RunDir(out, run));
      if (records::IsCompleteFor(record, run)) {
        settled[i] = true;
        outcome.state = RunOutcome::kCompleted;
        ++summary.completed;
        if (runner.delete_checkpoints_when_complete) fs::remove_all(RunDir(out, run) + "/checkpoints", ec);
        say(absl::StrFormat("done %s: final_val_loss %.4f", outcome.name, record->final_val_loss()));
      } else if (!state[i].empty()) {
        (state[i] == "RUNNING" || state[i] == "COMPLETING" ? running : pending) += 1;
      } else if (outcome.attempts < runner.max_attempts) {
        if (outcome.attempts > 0) {
          say(absl::StrCat(outcome.name, " left the queue before completing; submitting it again (see ",
                           RunDir(out, run), "/train.log)"));
        }
        todo.push_back(i);
      } else {
        settled[i] = true;
        outcome.state = RunOutcome::kFailed;
        outcome.last_exit_code = -1;  // not known without sacct
        ++summary.failed;
        say(absl::StrCat("FAILED ", outcome.name, " after ", outcome.attempts, " submission(s) (see ",
                         RunDir(out, run), "/train.log)"));
      }
    }
    if (!todo.empty()) {
      if (absl::Status s = submit(todo); !s.ok()) return s;
      pending += static_cast<int>(todo.size());
    }
    const int done = summary.already_complete + summary.completed;
    const std::string line = absl::StrFormat(
        "%d/%d done (%d skipped), %d running, %d pending, %d failed | elapsed %s", done,
        summary.planned, summary.already_complete, running, pending, summary.failed,
        plan::FormatDuration(Now() - t0));
    if (done + summary.failed == summary.planned) break;
    if (line.substr(0, line.find('|')) != last_line ||
        (runner.progress_every_seconds > 0 && Now() - last_progress >= runner.progress_every_seconds)) {
      last_line = line.substr(0, line.find('|'));
      last_progress = Now();
      say(line);
    }
    for (double until = Now() + slurm.poll_seconds; !g_stop && Now() < until;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  if (g_stop) {
    summary.interrupted = true;
    std::vector<std::string> ids;
    for (const auto& [k, id] : job_ids) ids.push_back(id);
    say(absl::StrCat("stopped waiting; the jobs stay queued (", absl::StrJoin(ids, ","),
                     "): run again to wait for them, or scancel them"));
  }
  summary.wall_seconds = Now() - t0;
  return summary;
}

absl::Status EmitSbatch(const SweepPlan& plan, const RunnerOptions& runner, const SlurmOptions& slurm,
                        const EmitOptions& emit, const std::string& dir_in, std::ostream* report) {
  if (plan.runs_size() == 0) return absl::InvalidArgumentError("--emit_sbatch: the plan has no runs");
  const std::string dir = AbsolutePath(dir_in);
  std::error_code ec;
  fs::create_directories(dir + "/runs", ec);
  fs::create_directories(dir + "/slurm", ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("--emit_sbatch: cannot create ", dir, ": ", ec.message()));
  std::string plan_text;
  google::protobuf::TextFormat::PrintToString(plan, &plan_text);
  if (absl::Status s = ToStatus(io::WriteFileAtomically(dir + "/plan.textproto", plan_text)); !s.ok()) return s;
  const int gpus = std::max(1, slurm.job.gpus_per_task);
  std::map<std::string, std::vector<int>> by_limit;  // limit -> runs (ordered by the limit's text)
  std::vector<std::string> limit(plan.runs_size());
  std::vector<double> seconds(plan.runs_size());
  for (int i = 0; i < plan.runs_size(); ++i) {
    const PlannedRun& run = plan.runs(i);
    fs::create_directories(RunDir(dir, run), ec);
    if (absl::Status s = ToStatus(io::WriteFileAtomically(absl::StrCat(RunDir(dir, run), "/", records::kSpecFile),
                                                          records::CanonicalText(run.spec())));
        !s.ok()) {
      return s;
    }
    seconds[i] = BucketSeconds(run.gpu_hours() * 3600 / gpus * emit.time_margin + 600);
    if (emit.max_task_seconds > 0) seconds[i] = std::min(seconds[i], emit.max_task_seconds);
    limit[i] = slurm.job.time_limit.empty() ? SlurmTime(seconds[i]) : slurm.job.time_limit;
    by_limit[limit[i]].push_back(i);
  }
  std::vector<std::pair<std::string, std::vector<int>>> groups(by_limit.begin(), by_limit.end());
  std::sort(groups.begin(), groups.end(), [&](const auto& a, const auto& b) {
    return seconds[a.second[0]] < seconds[b.second[0]];
  });
  std::string submit = absl::StrCat(
      "#!/bin/bash\n# Submits the sweep ", plan.experiment(), "/", plan.scale(),
      " (written by the datawall sweep runner's --emit_sbatch): one job array per time limit.\n"
      "# Copy this directory to the cluster; DATAWALL_SWEEP_DIR, DATAWALL_TRAIN and "
      "DATAWALL_DATA_ROOT override the paths in the scripts.\nset -euo pipefail\ncd \"$(dirname \"$0\")\"\n");
  std::string tsv = "script\ttask\thash\tname\tgpu_hours\ttime_limit\n";
  for (size_t g = 0; g < groups.size(); ++g) {
    ArrayScript script;
    script.job_name = absl::StrCat(plan.experiment(), "_", g);
    script.sweep_dir = dir;
    script.train_binary = runner.train_binary;
    script.train_args = runner.train_args;
    script.data_root = runner.data_root;
    script.log_pattern = dir + "/slurm/%A_%a.out";
    script.job = slurm.job;
    script.job.time_limit = groups[g].first;
    const std::string name = absl::StrCat(plan.experiment(), "_", g, ".sbatch");
    for (size_t t = 0; t < groups[g].second.size(); ++t) {
      const PlannedRun& run = plan.runs(groups[g].second[t]);
      script.run_dirs.push_back("runs/" + run.hash());
      absl::StrAppend(&tsv, name, "\t", t, "\t", run.hash(), "\t", run.spec().name(), "\t",
                      absl::StrFormat("%.4g", run.gpu_hours()), "\t", groups[g].first, "\n");
    }
    if (absl::Status s = ToStatus(io::WriteFileAtomically(dir + "/" + name, ArrayScriptText(script))); !s.ok()) {
      return s;
    }
    absl::StrAppend(&submit, "sbatch ", name, "\n");
    if (report) {
      *report << "[sweep] " << dir << "/" << name << ": " << groups[g].second.size()
              << " run(s), --time=" << groups[g].first << "\n";
    }
  }
  if (absl::Status s = ToStatus(io::WriteFileAtomically(dir + "/submit.sh", submit)); !s.ok()) return s;
  fs::permissions(dir + "/submit.sh", fs::perms::owner_exec | fs::perms::group_exec, fs::perm_options::add, ec);
  if (absl::Status s = ToStatus(io::WriteFileAtomically(dir + "/runs.tsv", tsv)); !s.ok()) return s;
  if (report) *report << "[sweep] " << dir << "/submit.sh submits them; " << dir << "/runs.tsv lists the runs\n";
  return absl::OkStatus();
}

}  // namespace datawall::sweep
