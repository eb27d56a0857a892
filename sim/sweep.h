// Sweep: the exact optimal allocation for every budget of a log-spaced grid (C range x U
// range), computed on several threads, and a fast CSV/JSON/text writer for the rows.
// Row order is C-major: row i * unique_steps + j has the i-th budget and the j-th U.
// Not here: the solver (allocate.h).
#ifndef DATAWALL_SIM_SWEEP_H_
#define DATAWALL_SIM_SWEEP_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "laws/law.h"
#include "sim/allocate.h"
#include "sim/format.h"

namespace datawall::sim {

struct SweepOptions {
  double flops_min = 1e18;
  double flops_max = 1e26;
  int flops_steps = 100;  // 1 means flops_min only
  double unique_min = 1e8;
  double unique_max = 1e13;
  int unique_steps = 100;
  // Worker threads; 0 means std::thread::hardware_concurrency().
  int threads = 0;
  AllocateOptions allocate;
};

struct SweepRow {
  double flops = 0;
  double unique_tokens = 0;
  double params = 0;
  double tokens = 0;
  double epochs = 0;
  double loss = 0;
  double chinchilla_loss = 0;  // Chinchilla's allocation under the same law
  bool data_constrained = false;
};

absl::StatusOr<std::vector<SweepRow>> Sweep(const laws::Law& law, const SweepOptions& options);

// Formats the rows (CSV with a header, a JSON array, or an aligned text table) on `threads`
// threads and hands the text to `sink` in order, in a few large pieces; sink returns false on a
// write failure. Errors if a number is not finite.
absl::Status WriteSweep(const std::vector<SweepRow>& rows, OutputFormat format, int threads,
                        const std::function<bool(std::string_view)>& sink);

}  // namespace datawall::sim

#endif  // DATAWALL_SIM_SWEEP_H_
