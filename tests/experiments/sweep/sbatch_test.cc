// The job-array script text (experiments/sweep/sbatch.h): Slurm's time format, the #SBATCH
// directives each option gives, quoting of paths with spaces and quotes, and that bash parses
// the script (bash -n). Submission is tested against a real Slurm in slurm_e2e_test.
#include "experiments/sweep/sbatch.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tools/process/process.h"

namespace datawall::sweep {
namespace {

TEST(SlurmTime, RoundsUpToTheMinuteAndWritesDays) {
  EXPECT_EQ(SlurmTime(0), "00:01:00");
  EXPECT_EQ(SlurmTime(61), "00:02:00");
  EXPECT_EQ(SlurmTime(3600), "01:00:00");
  EXPECT_EQ(SlurmTime(36.5 * 3600), "1-12:30:00");
  EXPECT_EQ(SlurmTime(3 * 86400), "3-00:00:00");
}

TEST(ShellQuote, SurvivesQuotes) { EXPECT_EQ(ShellQuote("a'b c"), "'a'\\''b c'"); }

ArrayScript Script() {
  ArrayScript s;
  s.job_name = "dw-test-0";
  s.sweep_dir = "/sweeps/my sweep";
  s.run_dirs = {"runs/aaaa", "runs/bbbb", "runs/cccc"};
  s.train_binary = "/opt/data wall/train";
  s.train_args = {"--threads=4", "--device=cuda"};
  s.data_root = "/data";
  s.log_pattern = "/sweeps/slurm/%A_%a.out";
  return s;
}

TEST(ArrayScriptText, OneTaskPerRunWithTheRequestedResources) {
  ArrayScript s = Script();
  s.job.partition = "gpu";
  s.job.account = "lm";
  s.job.time_limit = "04:00:00";
  s.job.cpus_per_task = 8;
  s.job.gpus_per_task = 2;
  s.job.max_parallel = 5;
  s.job.extra = {"--qos=low"};
  const std::string t = ArrayScriptText(s);
  for (const char* line : {"#SBATCH --job-name=dw-test-0\n", "#SBATCH --array=0-2%5\n",
                           "#SBATCH --cpus-per-task=8\n", "#SBATCH --gres=gpu:2\n",
                           "#SBATCH --partition=gpu\n", "#SBATCH --account=lm\n",
                           "#SBATCH --time=04:00:00\n", "#SBATCH --requeue\n", "#SBATCH --qos=low\n",
                           "#SBATCH --output=/sweeps/slurm/%A_%a.out\n", "  'runs/bbbb'\n",
                           "sweep=${DATAWALL_SWEEP_DIR:-'/sweeps/my sweep'}\n", "--resume"}) {
    EXPECT_TRUE(absl::StrContains(t, line)) << line << "\n" << t;
  }
  const process::RunResult r = process::RunAndCapture({"bash", "-n", "-c", t});
  EXPECT_TRUE(r.ok()) << r.Describe() << ": " << r.output;
}

TEST(ArrayScriptText, DefaultsLeaveSlurmsDefaults) {
  const std::string t = ArrayScriptText(Script());
  EXPECT_TRUE(absl::StrContains(t, "#SBATCH --array=0-2\n"));
  for (const char* absent : {"--gres", "--partition", "--account", "--time="}) {
    EXPECT_FALSE(absl::StrContains(t, absent)) << absent;
  }
}

// The task itself: with a fake train binary, task 1 trains runs/bbbb with --resume under its lock.
TEST(ArrayScriptText, TheTaskRunsTheTrainerOnItsRunWithResume) {
  const std::string tmp = getenv("TEST_TMPDIR") ? getenv("TEST_TMPDIR") : "/tmp";
  ArrayScript s = Script();
  s.sweep_dir = tmp + "/sweep dir";
  s.data_root = tmp;
  s.train_binary = "/bin/echo";
  ASSERT_TRUE(process::RunAndCapture({"mkdir", "-p", s.sweep_dir + "/runs/bbbb"}).ok());
  const process::RunResult r = process::RunAndCapture(
      {"bash", "-c", ArrayScriptText(s)}, {.env = {{"SLURM_ARRAY_TASK_ID", "1"}, {"SLURM_ARRAY_JOB_ID", "7"}}});
  ASSERT_TRUE(r.ok()) << r.Describe() << ": " << r.output;
  EXPECT_TRUE(absl::StrContains(r.output, "[task 7_1 restart 0"));
  const process::RunResult log = process::RunAndCapture({"cat", s.sweep_dir + "/runs/bbbb/train.log"});
  EXPECT_EQ(log.output, "--spec=" + s.sweep_dir + "/runs/bbbb/spec.textproto --out=" + s.sweep_dir +
                            "/runs/bbbb --data_root=" + tmp + " --resume --threads=4 --device=cuda\n");
}

}  // namespace
}  // namespace datawall::sweep
