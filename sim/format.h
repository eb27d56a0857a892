// Output formatting for the simulator: human tables with units (7.02B params, 237B tokens,
// 9.49 epochs), JSON (through tools/json) and CSV. Numbers in JSON/CSV are the shortest text
// that round-trips the double exactly. Every formatter refuses non-finite numbers (a result is
// never printed as inf or NaN): it returns InvalidArgument naming the field instead.
//
// Not here: any simulation; the hot sweep writer (sweep.h) uses AppendNumber directly.
#ifndef DATAWALL_SIM_FORMAT_H_
#define DATAWALL_SIM_FORMAT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tools/json/json.h"

namespace datawall::sim {

enum class OutputFormat { kText, kJson, kCsv };
std::optional<OutputFormat> ParseOutputFormat(std::string_view name);
std::string OutputFormatName(OutputFormat format);
// Abseil flag support (ABSL_FLAG(OutputFormat, ...)): "text", "json" or "csv".
bool AbslParseFlag(absl::string_view text, OutputFormat* format, std::string* error);
std::string AbslUnparseFlag(OutputFormat format);

// How a number reads in text output.
enum class Unit {
  kPlain,   // %.6g
  kLoss,    // %.6f (nats per token); %.6g from 1e6 up
  kParams,  // 7.02B params
  kTokens,  // 237B tokens
  kEpochs,  // 9.49 epochs
  kFlops,   // 1.00e+22 FLOPs
  kRatio,   // %.4g
};

struct Value {
  std::string name;
  enum Kind { kNumber, kBool, kText } kind = kNumber;
  double number = 0;
  bool flag = false;
  std::string text;
  Unit unit = Unit::kPlain;
};
Value Num(std::string name, double v, Unit unit = Unit::kPlain);
Value Bool(std::string name, bool v);
Value Text(std::string name, std::string v);

using Record = std::vector<Value>;

// 3 significant digits with K/M/B/T suffixes: 7.02B, 237B, 1.35T; beyond 1e15 scientific.
std::string HumanCount(double v);
// A value as text output shows it, unit included ("7.02B params").
std::string Human(const Value& v);

// Appends the shortest round-trip decimal form of v (to_chars).
void AppendNumber(std::string* out, double v);

// A record as one JSON object (fields in order), and rows as an array of them. Numbers stay
// as they are: json::Dump refuses a non-finite one.
json::Json RecordJson(const Record& record);
json::Json TableJson(const std::vector<Record>& rows);

// One record: text = "name  value" lines; json = one object; csv = header + one row. Ends in a
// newline. InvalidArgument "<field>: not a finite number (nan)" when a number is not finite.
absl::StatusOr<std::string> FormatRecord(const Record& record, OutputFormat format);
// Many records with the same fields: text = aligned table; json = array (one object per
// line); csv = header + rows. Same refusal of non-finite numbers.
absl::StatusOr<std::string> FormatTable(const std::vector<Record>& rows, OutputFormat format);

}  // namespace datawall::sim

#endif  // DATAWALL_SIM_FORMAT_H_
