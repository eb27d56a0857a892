// Runs the design binary as a user would: on a synthetic runs table made from the paper's law
// (so the test needs no released data), the JSON keys and the chosen runs, text output, the same
// output for the same seed, and one-line errors with exit code 2.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "laws/law.h"
#include "tests/testing/run_command.h"
#include "tools/json/json.h"

namespace {

using datawall::testing::CommandResult;

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name;
}

// Runs of the paper's law over 3 model sizes x 5 epoch counts with a fixed +-1% zig-zag of
// noise, and candidates that add larger epoch counts.
struct Files {
  std::string runs = TempPath("design_runs.csv");
  std::string candidates = TempPath("design_candidates.csv");
  Files() {
    const datawall::laws::Law law = datawall::laws::PaperLaw();
    std::ofstream r(runs), c(candidates);
    r << "key,params,tokens,unique_tokens,val_loss\n";
    c << "params,tokens,unique_tokens\n";
    int i = 0;
    for (double n : {1e7, 3e7, 1e8}) {
      for (double epochs : {1.0, 2.0, 4.0, 8.0, 16.0}) {
        const double u = 1e9, d = epochs * u;
        const double noise = (i % 2 == 0 ? 1 : -1) * 0.01 * ((i % 3) / 2.0);
        r << "r" << i++ << "," << n << "," << d << "," << u << "," << law.Loss(n, d, u) * std::exp(noise) << "\n";
      }
      for (double epochs : {32.0, 64.0, 128.0}) c << n << "," << epochs * 1e9 << "," << 1e9 << "\n";
    }
  }
};

CommandResult Design(const std::string& args) {
  static const Files files;
  return datawall::testing::RunCommand(datawall::testing::Runfile("sim/design") + " --runs=" + files.runs +
                                       " --candidates=" + files.candidates +
                                       " --fixed=a,b,e,alpha,beta --boundary_probes=0 --resamples=16 " + args);
}

TEST(DesignCli, JsonNamesTheChosenRunsWithinTheBudget) {
  CommandResult r = Design("--target=r_d_star --k=3 --budget_flops=1e19 --format=json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  absl::StatusOr<datawall::json::Value> doc = datawall::json::Parse(r.output, "design output");
  ASSERT_TRUE(doc.ok()) << doc.status() << r.output;
  for (const char* key : {"target", "scale", "runs", "fit_converged", "resamples", "samples", "samples_used",
                          "noise_sigma", "noise_sigma_source", "budget_flops", "confidence", "median",
                          "lower", "upper", "width", "variance", "chosen", "stopped_by"}) {
    EXPECT_TRUE(doc->contains(key)) << key << " in " << r.output;
  }
  EXPECT_EQ((*doc)["target"], "r_d_star");
  EXPECT_EQ((*doc)["noise_sigma_source"], "fit_rmse");
  EXPECT_EQ((*doc)["runs"], 15);
  const datawall::json::Value& chosen = (*doc)["chosen"];
  ASSERT_TRUE(chosen.is_array());
  ASSERT_FALSE(chosen.empty());
  double spent = 0;
  for (const datawall::json::Value& step : chosen) {
    for (const char* key : {"candidate", "params", "tokens", "unique_tokens", "flops", "cumulative_flops",
                            "score", "variance_reduction", "variance_after", "width_after"}) {
      EXPECT_TRUE(step.contains(key)) << key;
    }
    EXPECT_DOUBLE_EQ(step["flops"].get<double>(),
                     6 * step["params"].get<double>() * step["tokens"].get<double>());
    spent += step["flops"].get<double>();
  }
  EXPECT_LE(spent, 1e19);
}

TEST(DesignCli, TextAndTheSameOutputForTheSameSeed) {
  CommandResult a = Design("--target=n_opt@1e20,1e9 --k=2 --seed=5 --noise_sigma=0.01");
  ASSERT_EQ(a.exit_code, 0) << a.output;
  EXPECT_NE(a.output.find("target: log n_opt@1e+20,1e+09"), std::string::npos) << a.output;
  EXPECT_NE(a.output.find("noise sigma 0.01 (flag)"), std::string::npos) << a.output;
  EXPECT_NE(a.output.find("width_after"), std::string::npos) << a.output;
  CommandResult b = Design("--target=n_opt@1e20,1e9 --k=2 --seed=5 --noise_sigma=0.01");
  EXPECT_EQ(a.output, b.output);
}

TEST(DesignCli, BadInputIsOneLineAndExitTwo) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "--target: required"},
      {"--target=loss", "--target: 'loss' is not"},
      {"--target=n_opt@1e20", "--target: 'n_opt@1e20': n_opt@C,U needs"},
      {"--target=r_d_star --k=0", "--k: must be an integer in"},
      {"--target=r_d_star --budget_flops=-1", "--budget_flops: must be a positive"},
      {"--target=r_d_star --noise_sigma=-1", "--noise_sigma: must be"},
      {"--target=r_d_star --law=nope", "--law: unknown form 'nope'"},
      {"--target=r_d_star --law=chinchilla --fixed=", "--target: form chinchilla has no rd_star"},
      {"--target=r_d_star --resamples=x", "--resamples"},
      {"--target=r_d_star --candidates=/nonexistent.csv", "--candidates: /nonexistent.csv: cannot read"},
  };
  for (const auto& [args, message] : cases) {
    CommandResult r = Design(args);
    EXPECT_EQ(r.exit_code, 2) << args << ": " << r.output;
    EXPECT_NE(r.output.find(message), std::string::npos) << args << ": " << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << args << ": " << r.output;
  }
}

}  // namespace
