#include "laws/run_table.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace datawall::laws {
namespace {

constexpr const char* kRequired[] = {"key", "params", "tokens", "unique_tokens", "val_loss"};

// Splits one CSV line into fields; supports double-quoted fields with "" escapes.
absl::StatusOr<std::vector<std::string>> SplitCsvLine(std::string_view line) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false, was_quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    if (quoted) {
      if (ch == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field.push_back(ch);
      }
    } else if (ch == '"' && field.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else if (ch == ',') {
      fields.push_back(field);
      field.clear();
      was_quoted = false;
    } else {
      field.push_back(ch);
    }
  }
  if (quoted) return absl::InvalidArgumentError("unterminated quoted field");
  fields.push_back(field);
  return fields;
}

std::string Trim(std::string s) {
  const size_t begin = s.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  const size_t end = s.find_last_not_of(" \t");
  return s.substr(begin, end - begin + 1);
}

// Parses a whole field as a double; NaN/inf parse (ValidateRun rejects them by name).
bool ParseNumber(const std::string& text, double* value) {
  if (text.empty()) return false;
  errno = 0;
  char* end = nullptr;
  *value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && errno != ERANGE;
}

}  // namespace

absl::Status ValidateRun(const RunPoint& run, std::string_view where) {
  const std::string prefix = absl::StrCat(std::string(where), " (key '", run.key, "'): ");
  if (run.key.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(std::string(where), ": empty key"));
  }
  const std::pair<const char*, double> values[] = {{"params", run.params},
                                                   {"tokens", run.tokens},
                                                   {"unique_tokens", run.unique_tokens},
                                                   {"val_loss", run.val_loss}};
  for (const auto& [name, value] : values) {
    if (!std::isfinite(value)) {
      return absl::InvalidArgumentError(absl::StrCat(prefix, name, " is not finite"));
    }
    if (value <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(prefix, name, " must be positive, got ", value));
    }
  }
  if (run.unique_tokens > run.tokens) {
    return absl::InvalidArgumentError(absl::StrCat(prefix, "unique_tokens (", run.unique_tokens,
                                                   ") exceeds tokens (", run.tokens, ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> RunTable::Extra(int index, std::string_view column) const {
  for (size_t c = 0; c < extra_columns_.size(); ++c) {
    if (extra_columns_[c] == column) return extras_[index][c];
  }
  return absl::InvalidArgumentError(
      absl::StrCat(source_, ": no column '", std::string(column), "' (extra columns: ",
                   extra_columns_.empty() ? "none" : absl::StrJoin(extra_columns_, ", "), ")"));
}

absl::StatusOr<RunTable> RunTable::Subset(std::string_view column) const {
  size_t c = 0;
  while (c < extra_columns_.size() && extra_columns_[c] != column) ++c;
  if (c == extra_columns_.size()) return Extra(0, column).status();
  RunTable out;
  out.source_ = source_;
  out.extra_columns_ = extra_columns_;
  for (size_t i = 0; i < runs_.size(); ++i) {
    const std::string& text = extras_[i][c];
    bool keep;
    if (text == "1" || text == "true") {
      keep = true;
    } else if (text == "0" || text == "false") {
      keep = false;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(source_, lines_[i] > 0 ? absl::StrCat(":", lines_[i]) : "", " (key '",
                       runs_[i].key, "'): column '", std::string(column), "' is '", text,
                       "', expected 1 or 0"));
    }
    if (!keep) continue;
    out.runs_.push_back(runs_[i]);
    out.lines_.push_back(lines_[i]);
    out.extras_.push_back(extras_[i]);
  }
  return out;
}

RunTable RunTable::Filter(const std::function<bool(const RunPoint&)>& keep) const {
  RunTable out;
  out.source_ = source_;
  out.extra_columns_ = extra_columns_;
  for (size_t i = 0; i < runs_.size(); ++i) {
    if (!keep(runs_[i])) continue;
    out.runs_.push_back(runs_[i]);
    out.lines_.push_back(lines_[i]);
    out.extras_.push_back(extras_[i]);
  }
  return out;
}

absl::StatusOr<RunTable> ParseRunTableCsv(std::string_view text, const std::string& source) {
  RunTable table;
  table.source_ = source;
  std::istringstream in{std::string(text)};
  std::string line;
  int line_number = 0;
  std::vector<std::string> header;
  int required_index[5] = {-1, -1, -1, -1, -1};
  std::vector<int> extra_index;
  std::set<std::string> keys;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string where = absl::StrCat(source, ":", line_number);
    if (Trim(line).empty()) continue;  // blank lines (e.g. a trailing newline) carry no run
    absl::StatusOr<std::vector<std::string>> fields = SplitCsvLine(line);
    if (!fields.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": ", fields.status().message()));
    }
    for (std::string& field : *fields) field = Trim(field);
    if (header.empty()) {
      header = *fields;
      std::set<std::string> seen;
      for (size_t c = 0; c < header.size(); ++c) {
        if (header[c].empty()) {
          return absl::InvalidArgumentError(
              absl::StrCat(where, ": header column ", c + 1, " has no name"));
        }
        if (!seen.insert(header[c]).second) {
          return absl::InvalidArgumentError(
              absl::StrCat(where, ": header names column '", header[c], "' twice"));
        }
        bool required = false;
        for (int r = 0; r < 5; ++r) {
          if (header[c] == kRequired[r]) {
            required_index[r] = static_cast<int>(c);
            required = true;
          }
        }
        if (!required) {
          extra_index.push_back(static_cast<int>(c));
          table.extra_columns_.push_back(header[c]);
        }
      }
      for (int r = 0; r < 5; ++r) {
        if (required_index[r] < 0) {
          return absl::InvalidArgumentError(absl::StrCat(
              where, ": header lacks column '", kRequired[r],
              "' (need key, params, tokens, unique_tokens, val_loss)"));
        }
      }
      continue;
    }
    if (fields->size() != header.size()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": expected ", header.size(),
                                                     " fields, got ", fields->size()));
    }
    RunPoint run;
    run.key = (*fields)[required_index[0]];
    double* targets[4] = {&run.params, &run.tokens, &run.unique_tokens, &run.val_loss};
    for (int r = 1; r < 5; ++r) {
      const std::string& field = (*fields)[required_index[r]];
      if (field.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": column '", kRequired[r], "' is empty"));
      }
      if (!ParseNumber(field, targets[r - 1])) {
        return absl::InvalidArgumentError(absl::StrCat(where, ": column '", kRequired[r],
                                                       "' is not a number: '", field, "'"));
      }
    }
    if (absl::Status status = ValidateRun(run, where); !status.ok()) return status;
    if (!keys.insert(run.key).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": key '", run.key, "' appears twice"));
    }
    std::vector<std::string> extras;
    for (int c : extra_index) extras.push_back((*fields)[c]);
    table.runs_.push_back(std::move(run));
    table.lines_.push_back(line_number);
    table.extras_.push_back(std::move(extras));
  }
  if (header.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": empty file (no CSV header)"));
  }
  if (table.runs_.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": no runs after the header"));
  }
  return table;
}

absl::StatusOr<RunTable> ReadRunTableCsv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat(path, ": cannot open"));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return absl::InvalidArgumentError(absl::StrCat(path, ": read error"));
  return ParseRunTableCsv(text.str(), path);
}

absl::StatusOr<RunTable> ReadRunTableCsv(const std::string& path, const std::string& subset) {
  absl::StatusOr<RunTable> table = ReadRunTableCsv(path);
  if (!table.ok() || subset.empty()) return table;
  absl::StatusOr<RunTable> selected = table->Subset(subset);
  if (selected.ok() && selected->size() == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": no row has ", subset, " = 1"));
  }
  return selected;
}

absl::StatusOr<RunTable> RunTableFromRuns(std::vector<RunPoint> runs, const std::string& source) {
  RunTable table;
  table.source_ = source;
  std::set<std::string> keys;
  for (size_t i = 0; i < runs.size(); ++i) {
    const std::string where = absl::StrCat(source, ": run ", i);
    if (absl::Status status = ValidateRun(runs[i], where); !status.ok()) return status;
    if (!keys.insert(runs[i].key).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": key '", runs[i].key, "' appears twice"));
    }
    table.lines_.push_back(0);
    table.extras_.emplace_back();
  }
  if (runs.empty()) return absl::InvalidArgumentError(absl::StrCat(source, ": no runs"));
  table.runs_ = std::move(runs);
  return table;
}

}  // namespace datawall::laws
