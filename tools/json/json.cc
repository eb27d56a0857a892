#include "tools/json/json.h"

#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace datawall::json {
namespace {

struct NonFinite {
  std::string path;
  double value;
};

std::optional<NonFinite> FindNonFiniteAt(const Json& value, const std::string& path) {
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
      if (auto bad = FindNonFiniteAt(value[i], absl::StrCat(path, "[", i, "]"))) return bad;
    }
  }
  return std::nullopt;
}

// Drops nlohmann's "[json.exception.parse_error.101] " prefix.
std::string_view WithoutExceptionId(std::string_view what) {
  if (!what.empty() && what.front() == '[') {
    const size_t end = what.find("] ");
    if (end != std::string_view::npos) what.remove_prefix(end + 2);
  }
  return what;
}

}  // namespace

std::optional<std::string> FindNonFinite(const Json& doc) {
  std::optional<NonFinite> bad = FindNonFiniteAt(doc, "");
  if (!bad) return std::nullopt;
  return bad->path;
}

absl::StatusOr<std::string> Dump(const Json& doc, int indent) {
  if (std::optional<NonFinite> bad = FindNonFiniteAt(doc, "")) {
    const char* what = std::isnan(bad->value) ? "nan" : bad->value > 0 ? "inf" : "-inf";
    return absl::InvalidArgumentError(absl::StrCat(bad->path.empty() ? "value" : bad->path,
                                                   ": not a finite number (", what, ")"));
  }
  return doc.dump(indent, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

absl::StatusOr<Value> Parse(std::string_view text, std::string_view source) {
  try {
    return Value::parse(text.begin(), text.end());
  } catch (const Value::parse_error& e) {
    return absl::InvalidArgumentError(absl::StrCat(std::string(source), ": ", std::string(WithoutExceptionId(e.what()))));
  }
}

}  // namespace datawall::json
