// Candidate runs for the experiment designer (design.h), read from CSV.
//
//   absl::StatusOr<std::vector<Candidate>> candidates = ReadCandidatesCsv("candidates.csv");
//
// The CSV needs the columns params, tokens, unique_tokens (any order, a header line first);
// other columns (e.g. key) are ignored, so a runs table can serve as its own candidate list.
// FLOPs are 6 N D (paper §2). Every row is validated (positive finite counts, unique_tokens <=
// tokens); errors are InvalidArgument naming the file, the line and the column. Plain CSV only:
// no quoted fields. Not here: choosing among them (design.h).
#ifndef DATAWALL_SIM_CANDIDATES_H_
#define DATAWALL_SIM_CANDIDATES_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "sim/design.h"

namespace datawall::sim {

// Parses CSV text; `source` names it in errors.
absl::StatusOr<std::vector<Candidate>> ParseCandidatesCsv(std::string_view text,
                                                          const std::string& source);
// Reads and parses a file (NotFound-style errors are InvalidArgument naming the path).
absl::StatusOr<std::vector<Candidate>> ReadCandidatesCsv(const std::string& path);

}  // namespace datawall::sim

#endif  // DATAWALL_SIM_CANDIDATES_H_
