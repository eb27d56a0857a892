// Slurm job-array scripts for a sweep (see sbatch.h).
#include "experiments/sweep/sbatch.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"

namespace datawall::sweep {

std::string ShellQuote(const std::string& word) {
  return absl::StrCat("'", absl::StrReplaceAll(word, {{"'", "'\\''"}}), "'");
}

std::string SlurmTime(double seconds) {
  int64_t minutes = static_cast<int64_t>(std::ceil(std::max(seconds, 60.0) / 60.0 - 1e-9));
  const int64_t days = minutes / (24 * 60);
  minutes -= days * 24 * 60;
  const std::string hms = absl::StrFormat("%02d:%02d:00", minutes / 60, minutes % 60);
  return days > 0 ? absl::StrCat(days, "-", hms) : hms;
}

std::string ArrayScriptText(const ArrayScript& s) {
  const SlurmJobOptions& j = s.job;
  std::string t = "#!/bin/bash\n";
  auto directive = [&](const std::string& option) { absl::StrAppend(&t, "#SBATCH ", option, "\n"); };
  directive("--job-name=" + s.job_name);
  std::string array = absl::StrCat("--array=0-", s.run_dirs.size() - 1);
  if (j.max_parallel > 0) absl::StrAppend(&array, "%", j.max_parallel);
  directive(array);
  directive("--ntasks=1");
  directive(absl::StrCat("--cpus-per-task=", std::max(1, j.cpus_per_task)));
  if (j.gpus_per_task > 0) directive(absl::StrCat("--gres=gpu:", j.gpus_per_task));
  if (!j.partition.empty()) directive("--partition=" + j.partition);
  if (!j.account.empty()) directive("--account=" + j.account);
  if (!j.time_limit.empty()) directive("--time=" + j.time_limit);
  directive("--requeue");
  directive("--open-mode=append");
  if (!s.log_pattern.empty()) directive("--output=" + s.log_pattern);
  for (const std::string& e : j.extra) directive(e);
  absl::StrAppend(&t,
                  "# Written by the datawall sweep runner (experiments/sweep/sbatch.h): task i trains\n"
                  "# run directory i below with --resume, so a requeued task continues from its\n"
                  "# newest checkpoint. DATAWALL_SWEEP_DIR, DATAWALL_TRAIN and DATAWALL_DATA_ROOT override the paths.\n"
                  "set -uo pipefail\n");
  absl::StrAppend(&t, "sweep=${DATAWALL_SWEEP_DIR:-", ShellQuote(s.sweep_dir), "}\n");
  absl::StrAppend(&t, "train=${DATAWALL_TRAIN:-", ShellQuote(s.train_binary), "}\n");
  absl::StrAppend(&t, "data_root=${DATAWALL_DATA_ROOT:-", ShellQuote(s.data_root), "}\n");
  absl::StrAppend(&t, "runs=(\n");
  for (const std::string& d : s.run_dirs) absl::StrAppend(&t, "  ", ShellQuote(d), "\n");
  absl::StrAppend(&t, ")\nargs=(");
  for (const std::string& a : s.train_args) absl::StrAppend(&t, " ", ShellQuote(a));
  absl::StrAppend(&t, " )\n");
  absl::StrAppend(&t, R"sh(dir=$sweep/${runs[$SLURM_ARRAY_TASK_ID]}
echo "[task ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} restart ${SLURM_RESTART_COUNT:-0} on $(hostname)] $dir"
if grep -qx 'complete: true' "$dir/record.textproto" 2>/dev/null; then
  echo "already complete"
  exit 0
fi
cd "$data_root" || exit 1
exec flock --nonblock --conflict-exit-code 75 "$dir/lock" \
  "$train" --spec="$dir/spec.textproto" --out="$dir" --data_root="$data_root" --resume "${args[@]}" \
  >> "$dir/train.log" 2>&1
)sh");
  return t;
}

}  // namespace datawall::sweep
