// JSON in datawall: Debian's nlohmann JSON (an ordered object, so a CLI's fields print in the
// order it sets them) plus the project's one number policy: a NaN or infinite number where a
// JSON number is due is an error naming the field; it is never printed as "nan", "inf" or null.
// Every emitter builds a Json and prints it with Dump(); readers use Parse(). The Json type and
// the number policy live in finite.h (standard library only, for the training core); this adds
// the absl::Status API.
//
// Not here: protobuf messages, which go through experiments/records/message_json.h (json_util
// under the same number policy).
#ifndef DATAWALL_TOOLS_JSON_JSON_H_
#define DATAWALL_TOOLS_JSON_JSON_H_

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "tools/json/finite.h"

namespace datawall::json {

// Json (what emitters build: an object keeps its keys in insertion order) and FindNonFinite
// (the path of the first NaN or infinite number) are in finite.h.

// What Parse returns: objects keyed by a sorted map (fast lookup in large objects such as
// GPT-2's encoder.json, where an ordered object's linear search would be quadratic).
using Value = nlohmann::json;

// `doc` as text: compact when indent < 0, else indented by that many spaces; no trailing
// newline. InvalidArgument "<path>: not a finite number (nan)" (or inf, -inf) when FindNonFinite
// finds one (DumpFinite in finite.h, mapped to absl::Status).
// Strings that are not valid UTF-8 are written with U+FFFD in place of the bad bytes.
absl::StatusOr<std::string> Dump(const Json& doc, int indent = -1);

// Parses one JSON document. InvalidArgument "<source>: <what is wrong, with line and column>".
absl::StatusOr<Value> Parse(std::string_view text, std::string_view source);

}  // namespace datawall::json

#endif  // DATAWALL_TOOLS_JSON_JSON_H_
