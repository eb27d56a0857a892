// Google Benchmark for laws/: law evaluation (ns per loss), the R_D*/R_N* fit from the paper's
// 6x6 grid, a 5-coefficient fit from 900 starts (the grid of the authors' baseline script's
// coef5 mode), and 1000 bootstrap resamples of the 2-coefficient fit, all on the 182 fit-set runs.
// The authors' procedure is timed by compare_authors.sh beside this; see docs/laws.md.
//
//   bazel run -c opt //laws/benchmarks:laws_benchmark
#include <cmath>
#include <vector>

#include "benchmark/benchmark.h"
#include "laws/bootstrap.h"
#include "laws/fit.h"
#include "laws/released_runs.h"
#include "tools/cli/logging.h"

namespace datawall::laws {
namespace {

const std::vector<RunPoint>& FitSet() {
  static const auto* runs = [] {
    auto table = ReadReleasedRuns("in_fit_set");
    if (!table.ok()) {
      fprintf(stderr, "%s\n", std::string(table.status().message()).c_str());
      std::exit(1);
    }
    return new std::vector<RunPoint>(table->runs());
  }();
  return *runs;
}

FitOptions DecayOnly() {
  FitOptions options;
  options.fixed = {"a", "b", "e", "alpha", "beta"};
  return options;
}

// The authors' coef5 grid: a, b in linspace(0, 25, 5), e in linspace(-1, 1, 4), alpha, beta in
// linspace(0, 1, 3): 900 starts, R_D*, R_N* frozen at the paper's values.
FitOptions FiveCoefficients() {
  FitOptions options;
  options.fixed = {"rd_star", "rn_star"};
  options.grid = {{"a", {0, 6.25, 12.5, 18.75, 25}},
                  {"b", {0, 6.25, 12.5, 18.75, 25}},
                  {"e", {-1, -1.0 / 3, 1.0 / 3, 1}},
                  {"alpha", {0, 0.5, 1}},
                  {"beta", {0, 0.5, 1}}};
  return options;
}

void BM_LossDataConstrained(benchmark::State& state) {
  const Law law = PaperLaw();
  const auto& runs = FitSet();
  size_t i = 0;
  for (auto _ : state) {
    const RunPoint& r = runs[i++ % runs.size()];
    benchmark::DoNotOptimize(law.Loss(r.params, r.tokens, r.unique_tokens));
  }
}
BENCHMARK(BM_LossDataConstrained);

void BM_LossChinchilla(benchmark::State& state) {
  const Law law = DefaultInit(Form::kChinchilla);
  const auto& runs = FitSet();
  size_t i = 0;
  for (auto _ : state) {
    const RunPoint& r = runs[i++ % runs.size()];
    benchmark::DoNotOptimize(law.Loss(r.params, r.tokens, r.unique_tokens));
  }
}
BENCHMARK(BM_LossChinchilla);

void BM_LossWithGradientDataConstrained(benchmark::State& state) {
  const Law law = PaperLaw();
  const auto& runs = FitSet();
  size_t i = 0;
  LossGradient g;
  for (auto _ : state) {
    const RunPoint& r = runs[i++ % runs.size()];
    benchmark::DoNotOptimize(law.LossWithGradient(r.params, r.tokens, r.unique_tokens, &g));
  }
}
BENCHMARK(BM_LossWithGradientDataConstrained);

void BM_FitDecayConstants6x6(benchmark::State& state) {
  FitOptions options = DecayOnly();
  options.method = state.range(0) == 0 ? FitOptions::Method::kLineSearchBfgs
                                        : FitOptions::Method::kLevenbergMarquardt;
  double objective = 0;
  for (auto _ : state) {
    auto fit = Fit(FitSet(), options);
    if (!fit.ok()) state.SkipWithError("fit failed");
    objective = fit->evaluation.objective;
  }
  state.counters["objective"] = objective;
}
BENCHMARK(BM_FitDecayConstants6x6)->Arg(0)->Arg(1)->ArgName("lm")->Unit(benchmark::kMillisecond);

void BM_FitFiveCoefficients900Starts(benchmark::State& state) {
  FitOptions options = FiveCoefficients();
  double objective = 0, minima = 0;
  for (auto _ : state) {
    auto fit = Fit(FitSet(), options);
    if (!fit.ok()) state.SkipWithError("fit failed");
    objective = fit->evaluation.objective;
    minima = fit->minima.size();
  }
  state.counters["objective"] = objective;
  state.counters["minima"] = minima;
}
BENCHMARK(BM_FitFiveCoefficients900Starts)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_Bootstrap1000DecayConstants(benchmark::State& state) {
  auto fit = Fit(FitSet(), DecayOnly());
  BootstrapOptions boot;
  boot.num_threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto result = Bootstrap(FitSet(), DecayOnly(), *fit, boot);
    if (!result.ok()) state.SkipWithError("bootstrap failed");
  }
}
BENCHMARK(BM_Bootstrap1000DecayConstants)
    ->Arg(1)
    ->Arg(2)
    ->ArgName("threads")
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();

}  // namespace
}  // namespace datawall::laws

int main(int argc, char** argv) {
  datawall::cli::InitLogging(argv[0], /*verbose=*/false);  // Ceres' line-search warnings
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
