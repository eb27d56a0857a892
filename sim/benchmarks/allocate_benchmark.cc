// Google Benchmark of the exact allocator, beside the authors' grid search (the same 500-point
// README grid, ported to C++ so the two can also be compared within one language), on the 200
// budgets alloc_authors.py times: C in logspace(18, 26, 20) x U in logspace(8, 12, 10).
// Run with run_allocation_benchmark.sh, which also runs the Python grid and prints the ratio.
// Not a test: no assertions on time anywhere.
#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "laws/law.h"
#include "sim/allocate.h"
#include "sim/authors_grid.h"
#include "sim/sweep.h"

namespace datawall::sim {
namespace {

struct Budget {
  double flops, unique;
};

const std::vector<Budget>& Budgets() {
  static const std::vector<Budget> budgets = [] {
    std::vector<Budget> b;
    for (int i = 0; i < 20; ++i) {
      for (int j = 0; j < 10; ++j) {
        b.push_back({std::pow(10.0, 18 + 8.0 * i / 19), std::pow(10.0, 8 + 4.0 * j / 9)});
      }
    }
    return b;
  }();
  return budgets;
}

void BM_AllocateExact(benchmark::State& state) {
  const absl::StatusOr<Allocator> allocator = Allocator::Create(laws::PaperLaw());
  const std::vector<Budget>& budgets = Budgets();
  // Quality beside speed: the exact loss against the grid's on every budget. Where the optimum
  // sits on the loss plateau (huge epochs, both terms saturated) the two agree to 1-2 ulp,
  // either way, because the exact path sums E + T_N + T_D while Law::Loss goes through
  // log-sum-exp; "not worse" allows 4 ulp (a relative 2^-50) for that rounding.
  int strictly_better = 0, not_worse = 0, grid_on_boundary = 0;
  double max_gain = 0, max_params_gap = 0;
  for (const Budget& b : budgets) {
    Allocation a;
    allocator->AllocateInto(b.flops, b.unique, &a);
    const GridAllocation g = AuthorsGridAllocationForBudget(allocator->law(), b.flops, b.unique);
    const double grid = g.loss;
    grid_on_boundary += g.on_grid_edge;
    max_params_gap = std::max(max_params_gap, std::abs(std::log(g.params / a.params)));
    if (a.loss < grid) ++strictly_better;
    if (a.loss <= grid * (1 + std::ldexp(1.0, -50))) ++not_worse;
    max_gain = std::max(max_gain, grid - a.loss);
  }
  Allocation a;
  size_t k = 0;
  double sum = 0;
  for (auto _ : state) {
    const Budget& b = budgets[k];
    allocator->AllocateInto(b.flops, b.unique, &a);
    sum += a.loss;
    benchmark::DoNotOptimize(sum);
    if (++k == budgets.size()) k = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["budgets"] = budgets.size();
  state.counters["budgets_exact_strictly_better"] = strictly_better;
  state.counters["budgets_exact_not_worse_4ulp"] = not_worse;
  state.counters["max_loss_gain_over_grid"] = max_gain;
  state.counters["grid_on_boundary"] = grid_on_boundary;
  state.counters["max_abs_log_params_gap"] = max_params_gap;
}
BENCHMARK(BM_AllocateExact);

// The convenience free function (builds an Allocator and a StatusOr every call).
void BM_AllocateFreeFunction(benchmark::State& state) {
  const laws::Law law = laws::PaperLaw();
  const std::vector<Budget>& budgets = Budgets();
  size_t k = 0;
  for (auto _ : state) {
    const Budget& b = budgets[k];
    absl::StatusOr<Allocation> a = Allocate(law, b.flops, b.unique);
    benchmark::DoNotOptimize(a->loss);
    if (++k == budgets.size()) k = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AllocateFreeFunction);

void BM_AuthorsGridCpp(benchmark::State& state) {
  const laws::Law law = laws::PaperLaw();
  const std::vector<Budget>& budgets = Budgets();
  size_t k = 0;
  for (auto _ : state) {
    const Budget& b = budgets[k];
    benchmark::DoNotOptimize(AuthorsGridAllocationForBudget(law, b.flops, b.unique).loss);
    if (++k == budgets.size()) k = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AuthorsGridCpp);

// Not a timing: the most Newton iterations the exact solver needs, over a dense grid of budgets
// for the paper's law (C in [1e6, 1e40], U in [1, 1e20], 0.05-decade steps: 272,000 budgets)
// and over 20,000 random data-constrained laws and budgets (as in tests/sim/allocate_test.cc).
void BM_NewtonIterations(benchmark::State& state) {
  int paper_max = 0, random_max = 0, budgets = 0;
  for (auto _ : state) {
    const absl::StatusOr<Allocator> paper = Allocator::Create(laws::PaperLaw());
    Allocation a;
    for (int i = 0; i <= 680; ++i) {
      for (int j = 0; j < 400; ++j, ++budgets) {
        paper->AllocateInto(std::pow(10.0, 6 + 0.05 * i), std::pow(10.0, 0.05 * j), &a);
        paper_max = std::max(paper_max, a.iterations);
      }
    }
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> unit(0, 1);
    for (int t = 0; t < 20000; ++t) {
      const double alpha = 0.15 + 0.6 * unit(rng);
      const laws::Law law(laws::Form::kDataConstrained,
                          {4 + 4 * unit(rng), 4 + 5 * unit(rng), -1 + 2 * unit(rng), alpha, alpha,
                           std::exp(-1 + 6 * unit(rng)), std::exp(-2 + 6 * unit(rng)), 0});
      absl::StatusOr<Allocation> r =
          Allocate(law, std::pow(10, 12 + 16 * unit(rng)), std::pow(10, 2 + 11 * unit(rng)));
      random_max = std::max(random_max, r->iterations);
    }
  }
  state.counters["paper_law_budgets"] = budgets;
  state.counters["paper_law_max_iterations"] = paper_max;
  state.counters["random_laws_max_iterations"] = random_max;
}
BENCHMARK(BM_NewtonIterations)->Iterations(1)->Unit(benchmark::kMillisecond);

// 1000 x 1000 budgets (C in [1e18, 1e26], U in [1e8, 1e13]) on `threads` threads, rows only.
void BM_Sweep1000x1000(benchmark::State& state) {
  SweepOptions o;
  o.flops_steps = o.unique_steps = 1000;
  o.threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    absl::StatusOr<std::vector<SweepRow>> rows = Sweep(laws::PaperLaw(), o);
    benchmark::DoNotOptimize(rows->data());
  }
  state.SetItemsProcessed(state.iterations() * 1000000);
}
BENCHMARK(BM_Sweep1000x1000)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace datawall::sim
