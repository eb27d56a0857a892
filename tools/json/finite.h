// The standard-library half of tools/json, for code that links no Abseil (the LibTorch training
// core and its benchmark, which also build with CMake on the GPU machine): the Json type every
// emitter builds, the project's one number policy (a NaN or infinite number is an error naming
// the field, never printed) and DumpFinite, which returns the core's Result. tools/json/json.h
// (the absl::Status API: Dump, Parse) is built on this, so both refuse and print alike.
// Header only: a CMake target that includes it needs nlohmann's headers and nothing else.
//
// Not here: parsing (json.h) and protobuf messages (experiments/records/message_json.h).
#ifndef DATAWALL_TOOLS_JSON_FINITE_H_
#define DATAWALL_TOOLS_JSON_FINITE_H_

#include <cmath>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "tools/result/result.h"

namespace datawall::json {

// What emitters build: an object keeps its keys in insertion order.
using Json = nlohmann::ordered_json;

namespace internal {

struct NonFinite {
  std::string path;
  double value;
};

inline std::optional<NonFinite> FindNonFiniteAt(const Json& value, const std::string& path) {
  if (value.is_number_float()) {
    const double x = value.get<double>();
    if (std::isfinite(x)) return std::nullopt;
    return NonFinite{path, x};
  }
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      if (auto bad = FindNonFiniteAt(child, path.empty() ? key : path + "." + key)) return bad;
    }
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) {
      if (auto bad = FindNonFiniteAt(value[i], path + "[" + std::to_string(i) + "]")) return bad;
    }
  }
  return std::nullopt;
}

}  // namespace internal

// The path of the first NaN or infinite number in `doc`, e.g. "ci.intervals.alpha.lower" or
// "residuals[3].predicted" ("" for a top-level number), or nullopt if every number is finite.
inline std::optional<std::string> FindNonFinite(const Json& doc) {
  std::optional<internal::NonFinite> bad = internal::FindNonFiniteAt(doc, "");
  if (!bad) return std::nullopt;
  return bad->path;
}

// *text = `doc` as text: compact when indent < 0, else indented by that many spaces; no
// trailing newline. BadInput "<path>: not a finite number (nan)" (or inf, -inf; "value" for a
// top-level number) when FindNonFinite finds one, and *text is left alone. Strings that are not
// valid UTF-8 are written with U+FFFD in place of the bad bytes.
inline Result DumpFinite(const Json& doc, int indent, std::string* text) {
  if (std::optional<internal::NonFinite> bad = internal::FindNonFiniteAt(doc, "")) {
    const char* what = std::isnan(bad->value) ? "nan" : bad->value > 0 ? "inf" : "-inf";
    return Result::BadInput((bad->path.empty() ? "value" : bad->path) + ": not a finite number (" +
                            what + ")");
  }
  *text = doc.dump(indent, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
  return Result::Ok();
}

}  // namespace datawall::json

#endif  // DATAWALL_TOOLS_JSON_FINITE_H_
