// Lookups of the paper's measured runs for figures: the "base" runs (no seed replicates, no
// "opt" runs, as the authors' figure notebooks filter them) selected by parameters, tokens and
// unique tokens. Not here: fitting or any law (laws/), drawing (figure.h).
#ifndef DATAWALL_REPORTS_MEASURED_RUNS_H_
#define DATAWALL_REPORTS_MEASURED_RUNS_H_

#include <optional>
#include <vector>

#include "laws/run_table.h"

namespace datawall::reports {

// True for the runs the figure notebooks keep: key without "seed" and without "opt".
bool IsBaseRun(const laws::RunPoint& run);

// Base runs whose params (and tokens / unique tokens, when given) equal the values to a relative
// 1e-6, sorted by epochs (tokens / unique tokens) ascending.
std::vector<laws::RunPoint> BaseRuns(const laws::RunTable& table, std::optional<double> params,
                                     std::optional<double> tokens,
                                     std::optional<double> unique_tokens);

// The run with exactly this key, if any.
std::optional<laws::RunPoint> RunByKey(const laws::RunTable& table, const std::string& key);

}  // namespace datawall::reports

#endif  // DATAWALL_REPORTS_MEASURED_RUNS_H_
