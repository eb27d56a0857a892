// Output formatting for the simulator: human tables with units (7.02B params, 237B tokens,
// 9.49 epochs), JSON and CSV. Numbers in JSON/CSV are the shortest text that round-trips the
// double exactly. Every formatter refuses non-finite numbers (a result is never printed as
// inf or NaN): it returns false and names the field instead.
//
// Not here: any simulation; the hot sweep writer (sweep.h) uses AppendNumber directly.
#ifndef DATAWALL_SIM_FORMAT_H_
#define DATAWALL_SIM_FORMAT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace datawall::sim {

enum class OutputFormat { kText, kJson, kCsv };
std::optional<OutputFormat> ParseOutputFormat(std::string_view name);

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
void AppendJsonString(std::string* out, std::string_view s);

// One record: text = "name  value" lines; json = one object; csv = header + one row.
// Returns false and sets *bad_field when a number is not finite.
bool FormatRecord(const Record& record, OutputFormat format, std::string* out,
                  std::string* bad_field);
// Many records with the same fields: text = aligned table; json = array; csv = header + rows.
bool FormatTable(const std::vector<Record>& rows, OutputFormat format, std::string* out,
                 std::string* bad_field);

}  // namespace datawall::sim

#endif  // DATAWALL_SIM_FORMAT_H_
