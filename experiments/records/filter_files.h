// The two files the filter experiments (DATA_FILTERING, paper section 7) add to a sweep
// directory, read and written in one place:
//   pools.textproto                       BuiltPools: each arm's filtered pool, its provenance
//                                         and sizes (written by //experiments/quality:build_pools,
//                                         copied beside the results by the sweep)
//   runs/<hash>/validation_sources.json   a trained run's loss over whole validation documents:
//                                         all of them, the high-quality subset, and per source
//                                         (written by //experiments/quality:evaluate_sources)
// and the two gathered for one plan (FilterEvidence), which the summary and the report read.
// Not here: building pools or scoring documents (experiments/quality), summarising (analysis).
#ifndef DATAWALL_EXPERIMENTS_RECORDS_FILTER_FILES_H_
#define DATAWALL_EXPERIMENTS_RECORDS_FILTER_FILES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "experiments/records/experiment.pb.h"

namespace datawall::records {

inline constexpr char kPoolsFile[] = "pools.textproto";
inline constexpr char kValidationSourcesFile[] = "validation_sources.json";

// BuiltPools from its text format. NotFound for a missing file; InvalidArgument "<path>: not a
// BuiltPools message" for anything else that does not parse.
absl::StatusOr<experiments::BuiltPools> ReadBuiltPools(const std::string& path);

// Loss in nats per token over whole documents (the sum of their token losses / their tokens).
struct DocumentsLoss {
  int64_t documents = 0;
  int64_t tokens = 0;
  double loss = 0;
};

struct SourceValidation {
  std::string run;                         // the run's name
  int64_t checkpoint_step = 0;             // the checkpoint that was scored
  std::string validation_shard, validation_shard_checksum;
  DocumentsLoss all;                       // every document of the validation shard
  std::string quality_shard, quality_shard_checksum;
  std::optional<DocumentsLoss> quality;    // the high-quality subset, when one was scored
  std::map<std::string, DocumentsLoss> sources;  // by source (the shard's source names)
};

// The JSON text (2-space indent, trailing newline); InvalidArgument for a non-finite loss.
absl::StatusOr<std::string> SourceValidationJson(const SourceValidation& v);
// InvalidArgument "<where>: ..." naming the missing or malformed field.
absl::StatusOr<SourceValidation> ParseSourceValidation(const std::string& text, const std::string& where);
// <run_dir>/validation_sources.json; NotFound when the run has none.
absl::StatusOr<SourceValidation> ReadSourceValidation(const std::string& run_dir);

// What a DATA_FILTERING sweep directory holds beyond its run records.
struct FilterEvidence {
  experiments::BuiltPools pools;
  std::map<std::string, SourceValidation> by_hash;  // runs with a validation_sources.json
};

// <out_dir>/pools.textproto and the validation_sources.json of every planned run that has one.
// NotFound when the pools manifest is missing; InvalidArgument naming the file when one is
// malformed.
absl::StatusOr<FilterEvidence> LoadFilterEvidence(const experiments::SweepPlan& plan, const std::string& out_dir);

}  // namespace datawall::records

#endif  // DATAWALL_EXPERIMENTS_RECORDS_FILTER_FILES_H_
