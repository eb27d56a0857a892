// Expansion: an ExperimentSpec at one scale -> the list of concrete RunSpecs it stands for.
//
//   absl::StatusOr<ExperimentSpec> spec = LoadExperimentSpec("experiments/specs/allocation_100m.textproto");
//   absl::StatusOr<SweepPlan> plan = Expand(*spec, "cpu");
//
// Each PlannedRun carries its RunSpec (name, full model shape, D, U, seed, data sources), its
// parameter and FLOP counts, and the hash of the canonical RunSpec text that names its run
// directory (records::RunHash, experiments/records/records.h). CODE_MIXING scales with repeat_arm also get, after the grid, the paper's
// (DATA_FILTERING: one run per arm and seed, the arm's filtered pool repeated to D; the arms'
// sizes and shards are measured by the pool builder, issue #14 part 3)
// comparison arm (natural language only, the f-run's budget U = D - round(f D) repeated to D;
// PlannedRun.repeat_arm); the grid's runs are the same with or without it. Expansion is pure:
// no files, no clocks. Time estimates are added by
// throughput.h and plan.h; running is experiments/sweep/runner.h's job.
#ifndef DATAWALL_EXPERIMENTS_PLAN_EXPAND_H_
#define DATAWALL_EXPERIMENTS_PLAN_EXPAND_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "experiments/records/experiment.pb.h"
#include "experiments/records/run_spec.pb.h"

namespace datawall::plan {

using experiments::ExperimentSpec;
using experiments::PlannedRun;
using experiments::RunSpec;
using experiments::SweepPlan;

inline constexpr const char* kScaleNames[] = {"smoke", "cpu", "gpu", "paper"};

// DATA_FILTERING arms (FilterArm.filter): the unfiltered pool, the paper's three perplexity
// percentile filters and its deduplication rule, plus span-level deduplication.
inline constexpr const char* kFilterNames[] = {"all",           "top25",         "top50",
                                               "mid25_75",      "dedup_document", "dedup_span"};
bool IsKnownFilter(const std::string& name);

// Reads and validates a text-format ExperimentSpec. Errors (InvalidArgument) name the file and
// the field.
absl::StatusOr<ExperimentSpec> LoadExperimentSpec(const std::string& path);
absl::StatusOr<ExperimentSpec> ParseExperimentSpec(const std::string& text,
                                                   const std::string& where);

// Structural checks of the whole spec (every scale): kind set, grid non-empty, scale names
// known and unique, per-kind required fields present. `where` prefixes messages.
absl::Status ValidateExperimentSpec(const ExperimentSpec& spec, const std::string& where);

// Expands one scale. Errors: unknown scale (message starts with "--scale:"), bad shapes.
absl::StatusOr<SweepPlan> Expand(const ExperimentSpec& spec, const std::string& scale);

// DATA_FILTERING: copies what the pool builder measured (BuiltPools: unique_tokens, shard,
// provenance per filter) into the arms of `scale` of *spec, keeping each arm's seeds.
// FailedPrecondition naming the arm when `built` lacks one (the pools were built for other
// arms: rebuild them), or when it is another experiment's or scale's.
absl::Status ApplyBuiltPools(const experiments::BuiltPools& built, const std::string& scale,
                             ExperimentSpec* spec);

}  // namespace datawall::plan

#endif  // DATAWALL_EXPERIMENTS_PLAN_EXPAND_H_
