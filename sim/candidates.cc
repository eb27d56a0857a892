// Reading candidate runs from CSV (see candidates.h). Not here: the design itself.
#include "sim/candidates.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace datawall::sim {

absl::StatusOr<std::vector<Candidate>> ParseCandidatesCsv(std::string_view text,
                                                          const std::string& source) {
  std::vector<absl::string_view> lines =
      absl::StrSplit(absl::string_view(text.data(), text.size()), '\n');
  int header_line = 0;
  while (header_line < static_cast<int>(lines.size()) &&
         absl::StripAsciiWhitespace(lines[header_line]).empty()) {
    ++header_line;
  }
  if (header_line == static_cast<int>(lines.size())) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": empty (needs a header with params,tokens,unique_tokens)"));
  }
  const std::vector<absl::string_view> header =
      absl::StrSplit(absl::StripAsciiWhitespace(lines[header_line]), ',');
  const char* kColumns[3] = {"params", "tokens", "unique_tokens"};
  int index[3] = {-1, -1, -1};
  for (int i = 0; i < static_cast<int>(header.size()); ++i) {
    for (int j = 0; j < 3; ++j) {
      if (absl::StripAsciiWhitespace(header[i]) == kColumns[j]) index[j] = i;
    }
  }
  for (int j = 0; j < 3; ++j) {
    if (index[j] < 0) {
      return absl::InvalidArgumentError(absl::StrCat(source, ":", header_line + 1, ": no column '",
                                                     kColumns[j], "' in the header"));
    }
  }
  std::vector<Candidate> out;
  for (int line = header_line + 1; line < static_cast<int>(lines.size()); ++line) {
    const absl::string_view row = absl::StripAsciiWhitespace(lines[line]);
    if (row.empty()) continue;
    const std::vector<absl::string_view> fields = absl::StrSplit(row, ',');
    const std::string where = absl::StrCat(source, ":", line + 1);
    if (fields.size() != header.size()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": ", fields.size(), " fields, the header has ",
                                                     header.size()));
    }
    double value[3];
    for (int j = 0; j < 3; ++j) {
      const std::string field(absl::StripAsciiWhitespace(fields[index[j]]));
      errno = 0;
      char* end = nullptr;
      value[j] = std::strtod(field.c_str(), &end);
      if (field.empty() || end != field.c_str() + field.size() || errno == ERANGE ||
          !std::isfinite(value[j]) || !(value[j] > 0)) {
        return absl::InvalidArgumentError(absl::StrCat(where, ": ", kColumns[j], ": '", field,
                                                       "' is not a positive finite number"));
      }
    }
    if (value[2] > value[1]) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": unique_tokens (", std::string(fields[index[2]]),
                                                     ") exceeds tokens (", std::string(fields[index[1]]), ")"));
    }
    out.push_back(MakeCandidate(value[0], value[1], value[2]));
  }
  if (out.empty()) return absl::InvalidArgumentError(absl::StrCat(source, ": no candidate rows"));
  return out;
}

absl::StatusOr<std::vector<Candidate>> ReadCandidatesCsv(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError(absl::StrCat(path, ": cannot read"));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseCandidatesCsv(buffer.str(), path);
}

}  // namespace datawall::sim
