// design_study: the simulation study of the experiment designer (sim/design.h). Ground truth is
// the paper's data-constrained law (laws::PaperLaw: App. B a, b, e, alpha = beta and App. A's
// R_D*, R_N*) with log-normal noise on every loss; candidates are the configurations (N, D, U)
// of the authors' released runs (laws/released_runs.h). From the same few cheapest runs, three
// orders add runs in batches of k: designed (DesignNextRuns on the current bootstrap ensemble),
// grid (the released configurations in ascending compute 6ND) and random (several seeds). After
// every batch the law is refitted (from the default start grid) and bootstrapped (each resample
// from the fit's best minima), and
// the percentile-interval width of the log target is recorded against cumulative FLOPs.
// Writes that CSV and prints, per order, the FLOPs from which the width stays at or below
// --target_width (and each --report_widths), with at most 2.5% of the resamples at an end of
// R_D* or R_N*, and whether designed needs at most 1/3 of grid's and random's (median) FLOPs. Not here: the criterion (design.cc), the plot (run_design_study.sh).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "laws/bootstrap.h"
#include "laws/fit.h"
#include "laws/law.h"
#include "laws/released_runs.h"
#include "laws/run_table.h"
#include "sim/design.h"
#include "tools/cli/flags.h"
#include "tools/cli/logging.h"
#include "tools/io/atomic_file.h"
#include "tools/paths/paths.h"

ABSL_FLAG(std::string, target, "r_d_star", "n_opt@C,U, r_d_star or r_n_star (sim/design.h)");
ABSL_FLAG(int, k, 4, "runs added per step, every order");
ABSL_FLAG(int, start_runs, 8, "the cheapest configurations every order starts from");
ABSL_FLAG(int, resamples, 32, "bootstrap resamples per step");
ABSL_FLAG(double, noise, 0.01, "standard deviation of the log-normal noise on each loss");
ABSL_FLAG(int64_t, seed, 1, "seed of the noise and of the bootstrap");
ABSL_FLAG(int, random_orders, 3, "random orders (seeds 1..n)");
ABSL_FLAG(int, max_steps, 1000, "steps per order at most");
ABSL_FLAG(double, target_width, 0.5, "the width (log scale) each order is asked to reach");
ABSL_FLAG(datawall::cli::NumberList, report_widths, {}, "more widths to report the same way");
ABSL_FLAG(int, threads, 1, "threads over bootstrap resamples");
ABSL_FLAG(std::string, out_csv, "", "write order,seed,step,runs,cumulative_flops,width,median,at_bound here");

namespace datawall::sim {
namespace {

constexpr char kUsage[] =
    "design_study [--target=r_d_star] [--k=4] [--start_runs=8] [--resamples=32] [--noise=0.01]\n"
    "    [--random_orders=3] [--target_width=0.5] --out_csv=FILE\n"
    "Simulates designed, grid and random run orders against the paper's law with noise.";

struct Config {
  double params, tokens, unique_tokens, flops, observed_loss;
};

struct Row {
  std::string order;
  int seed, step, runs;
  double cumulative_flops, width, median;
  double at_bound;  // fraction of samples with R_D* or R_N* at an end (DecayAtBound)
};

// Whether a decay constant sits at an end of its range where the data cannot tell it from the
// end itself: R* >= 1e6 (over 100x the 9000 epochs of the most repeated released run, so
// 1 - exp(-R/R*) = R/R* to 0.5%: "no decay"; the fitter's bound is 1e9, which its bounded search
// approaches but need not reach) or R* <= 1e-3 (no value in repetition at all). Resamples piled
// there agree without knowing anything: their interval is narrow for no reason.
bool DecayAtBound(const laws::Law& law) {
  for (const char* name : {"rd_star", "rn_star"}) {
    const double x = law.coefficient(name);
    if (x >= 1e6 || x <= 1e-3) return true;
  }
  return false;
}

class Study {
 public:
  Study(std::vector<Config> configs, DesignTarget target) : configs_(std::move(configs)), target_(target) {
    fit_options_.form = laws::Form::kDataConstrained;
    // App. A's procedure: the Chinchilla coefficients held at their App. B values (here: the
    // truth), the decay constants R_D*, R_N* fitted.
    fit_options_.fixed = {"a", "b", "e", "alpha", "beta"};
    fit_options_.boundary_probes = 0;  // e is fixed
    boot_options_.num_resamples = absl::GetFlag(FLAGS_resamples);
    boot_options_.seed = static_cast<uint64_t>(absl::GetFlag(FLAGS_seed));
    boot_options_.num_threads = absl::GetFlag(FLAGS_threads);
  }

  // Runs one order; `next` returns the indices of the next batch (empty: done).
  template <typename Next>
  void RunOrder(const std::string& name, int seed, const std::vector<int>& start, Next next) {
    std::vector<int> have = start;
    std::vector<bool> used(configs_.size(), false);
    for (int i : have) used[i] = true;
    for (int step = 0; step <= absl::GetFlag(FLAGS_max_steps); ++step) {
      std::vector<laws::RunPoint> runs;
      double flops = 0;
      for (int i : have) {
        runs.push_back({absl::StrCat("c", i), configs_[i].params, configs_[i].tokens,
                        configs_[i].unique_tokens, configs_[i].observed_loss});
        flops += configs_[i].flops;
      }
      // The full default start grid every step (R_D*, R_N* in {0, 4, ..., 20}: 36 starts; App. A):
      // restarting only from the previous minima gets stuck when one sat on the R* = 1e9 bound,
      // where the bounded search's gradient vanishes.
      const laws::FitOptions& options = fit_options_;
      absl::StatusOr<laws::FitSummary> fit = laws::Fit(runs, options);
      if (!fit.ok()) cli::InternalError(absl::StrCat(name, " step ", step, ": fit: ", fit.status().message()));
      absl::StatusOr<laws::BootstrapSummary> boot = laws::Bootstrap(runs, options, *fit, boot_options_);
      if (!boot.ok()) cli::InternalError(absl::StrCat(name, " step ", step, ": bootstrap: ", boot.status().message()));
      std::vector<double> tau;
      int at_bound = 0;
      for (const laws::Law& law : boot->samples) {
        at_bound += DecayAtBound(law);
        if (absl::StatusOr<double> t = LogTargetValue(law, target_); t.ok()) tau.push_back(*t);
      }
      const double width = PercentileWidth(tau, boot_options_.confidence);
      const double median = tau.empty() ? std::nan("") : laws::Percentile(tau, 0.5);
      const double bound_fraction = static_cast<double>(at_bound) / std::max<size_t>(1, boot->samples.size());
      rows_.push_back({name, seed, step, static_cast<int>(have.size()), flops, width, median, bound_fraction});
      std::fprintf(stderr, "%s/%d step %d: %zu runs, %.4g FLOPs, width %.4g, %.0f%% at a bound\n", name.c_str(),
                   seed, step, have.size(), flops, width, 100 * bound_fraction);
      const std::vector<int> batch = next(*fit, *boot, used);
      if (batch.empty()) break;
      for (int i : batch) {
        used[i] = true;
        have.push_back(i);
      }
    }
  }

  const std::vector<Config>& configs() const { return configs_; }
  const std::vector<Row>& rows() const { return rows_; }
  const DesignTarget& target() const { return target_; }

 private:
  std::vector<Config> configs_;
  DesignTarget target_;
  laws::FitOptions fit_options_;
  laws::BootstrapOptions boot_options_;
  std::vector<Row> rows_;
};

// The next k unused indices of a fixed order.
std::vector<int> NextInOrder(const std::vector<int>& order, const std::vector<bool>& used, int k) {
  std::vector<int> out;
  for (int i : order) {
    if (!used[i] && static_cast<int>(out.size()) < k) out.push_back(i);
  }
  return out;
}

int Main(int argc, char** argv) {
  const std::vector<std::string> positional = cli::ParseFlags(argc, argv, kUsage);
  cli::InitLogging(argv[0]);
  if (!positional.empty()) cli::UsageError("unexpected argument '" + positional[0] + "'");
  absl::StatusOr<DesignTarget> target = ParseDesignTarget(absl::GetFlag(FLAGS_target));
  if (!target.ok()) cli::UsageError("--" + std::string(target.status().message()));
  const int k = cli::InRange(FLAGS_k, 1, 1000);
  const int start_runs = cli::InRange(FLAGS_start_runs, 3, 1000);
  cli::InRange(FLAGS_resamples, 3, 100000);
  cli::InRange(FLAGS_threads, 1, 256);
  const double noise = absl::GetFlag(FLAGS_noise);
  if (!(noise >= 0 && std::isfinite(noise))) cli::UsageError("--noise: must be a finite number >= 0");
  const double target_width = cli::Positive(FLAGS_target_width);
  if (absl::GetFlag(FLAGS_out_csv).empty()) cli::UsageError("--out_csv: required");

  absl::StatusOr<laws::RunTable> released = laws::ReadReleasedRuns();
  if (!released.ok()) cli::UsageError(std::string(released.status().message()));
  const laws::Law truth = laws::PaperLaw();
  std::mt19937_64 noise_rng(static_cast<uint64_t>(absl::GetFlag(FLAGS_seed)));
  std::normal_distribution<double> normal(0, 1);
  std::vector<Config> configs;
  for (const laws::RunPoint& run : released->runs()) {
    // Only the configuration is taken from the released runs; the loss is the truth's, noised.
    configs.push_back({run.params, run.tokens, run.unique_tokens, 6 * run.params * run.tokens,
                       truth.Loss(run.params, run.tokens, run.unique_tokens) * std::exp(noise * normal(noise_rng))});
  }
  std::vector<int> by_flops(configs.size());
  std::iota(by_flops.begin(), by_flops.end(), 0);
  std::stable_sort(by_flops.begin(), by_flops.end(),
                   [&](int x, int y) { return configs[x].flops < configs[y].flops; });
  if (start_runs >= static_cast<int>(configs.size())) cli::UsageError("--start_runs: not fewer than the configurations");
  const std::vector<int> start(by_flops.begin(), by_flops.begin() + start_runs);

  Study study(configs, *target);
  std::vector<Candidate> all_candidates;
  for (const Config& c : configs) all_candidates.push_back(MakeCandidate(c.params, c.tokens, c.unique_tokens));

  // Designed: the criterion on the current ensemble, sigma = the fit's residual RMSE (the CLI's
  // default), no budget beyond the k runs.
  study.RunOrder("designed", 0, start,
                 [&](const laws::FitSummary& fit, const laws::BootstrapSummary& boot,
                     const std::vector<bool>& used) {
                   std::vector<Candidate> pool;
                   std::vector<int> index;
                   for (size_t i = 0; i < configs.size(); ++i) {
                     if (!used[i]) {
                       pool.push_back(all_candidates[i]);
                       index.push_back(static_cast<int>(i));
                     }
                   }
                   std::vector<int> out;
                   if (pool.empty()) return out;
                   DesignOptions options;
                   options.k = k;
                   options.noise_sigma = fit.evaluation.rmse_log;
                   absl::StatusOr<DesignResult> d = DesignNextRuns(boot.samples, pool, study.target(), options);
                   if (!d.ok()) cli::InternalError(absl::StrCat("design: ", d.status().message()));
                   for (const DesignStep& s : d->steps) out.push_back(index[s.candidate]);
                   return out;
                 });
  study.RunOrder("grid", 0, start,
                 [&](const laws::FitSummary&, const laws::BootstrapSummary&, const std::vector<bool>& used) {
                   return NextInOrder(by_flops, used, k);
                 });
  for (int seed = 1; seed <= absl::GetFlag(FLAGS_random_orders); ++seed) {
    std::vector<int> order = by_flops;
    std::mt19937_64 rng(static_cast<uint64_t>(seed));
    std::shuffle(order.begin(), order.end(), rng);
    study.RunOrder("random", seed, start,
                   [&](const laws::FitSummary&, const laws::BootstrapSummary&, const std::vector<bool>& used) {
                     return NextInOrder(order, used, k);
                   });
  }

  std::string csv = "order,seed,step,runs,cumulative_flops,width,median,at_bound\n";
  for (const Row& r : study.rows()) {
    absl::StrAppend(&csv, absl::StrFormat("%s,%d,%d,%d,%.6g,%.6g,%.6g,%.4g\n", r.order, r.seed, r.step,
                                          r.runs, r.cumulative_flops, r.width, r.median, r.at_bound));
  }
  const Result written = io::WriteFileAtomically(paths::UserPath(absl::GetFlag(FLAGS_out_csv)), csv);
  if (!written.ok()) cli::UsageError("--out_csv: " + written.message());

  // Per order and target width: the cumulative FLOPs from which the width stays at or below it
  // (every later step too, so a lucky bootstrap draw does not count) with at most 2.5% of the
  // resamples at an end of R_D* / R_N* (one tail of the 95% interval: an ensemble piled on
  // "no decay" has width 0 and knows nothing). Every order ends with all configurations.
  std::printf("target: log %s (95%% bootstrap percentile interval, %d resamples); noise %g log-normal; "
              "start: the %d cheapest configurations; batches of %d\n",
              target->Name().c_str(), absl::GetFlag(FLAGS_resamples), noise, start_runs, k);
  struct Group {
    std::string order;
    int seed;
    std::vector<Row> rows;
  };
  std::vector<Group> groups;
  for (const Row& r : study.rows()) {
    if (groups.empty() || groups.back().order != r.order || groups.back().seed != r.seed) {
      groups.push_back({r.order, r.seed, {}});
    }
    groups.back().rows.push_back(r);
  }
  auto flops_to_reach = [](const std::vector<Row>& rows, double w) {
    double flops = NAN;
    for (auto r = rows.rbegin(); r != rows.rend(); ++r) {
      if (!(r->width <= w && r->at_bound <= 0.025)) break;
      flops = r->cumulative_flops;
    }
    return flops;
  };
  std::vector<double> widths = absl::GetFlag(FLAGS_report_widths).values;
  if (std::find(widths.begin(), widths.end(), target_width) == widths.end()) widths.push_back(target_width);
  std::sort(widths.rbegin(), widths.rend());
  for (double w : widths) {
    double designed = NAN, grid = NAN;
    std::vector<double> random;
    std::string random_text;
    for (const Group& g : groups) {
      const double f = flops_to_reach(g.rows, w);
      if (g.order == "designed") designed = f;
      if (g.order == "grid") grid = f;
      if (g.order == "random") {
        random.push_back(std::isnan(f) ? INFINITY : f);
        absl::StrAppend(&random_text, random_text.empty() ? "" : " ", absl::StrFormat("%.3g", f));
      }
    }
    std::sort(random.begin(), random.end());
    const double random_median = random.empty() ? NAN : random[random.size() / 2];
    std::printf("width <= %g%s: designed %.4g FLOPs, grid %.4g, random median %.4g (seeds: %s); "
                "designed/grid %.3g, designed/random median %.3g: <= 1/3 of both %s\n",
                w, w == target_width ? " (the stated target)" : "", designed, grid, random_median,
                random_text.c_str(), designed / grid, designed / random_median,
                designed <= grid / 3 && designed <= random_median / 3 ? "HOLDS" : "FAILS");
  }
  return 0;
}

}  // namespace
}  // namespace datawall::sim

int main(int argc, char** argv) { return datawall::sim::Main(argc, argv); }
