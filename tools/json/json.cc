// The absl::Status API of tools/json over finite.h (see json.h).
#include "tools/json/json.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "tools/result/status.h"

namespace datawall::json {
namespace {

// Drops nlohmann's "[json.exception.parse_error.101] " prefix.
std::string_view WithoutExceptionId(std::string_view what) {
  if (!what.empty() && what.front() == '[') {
    const size_t end = what.find("] ");
    if (end != std::string_view::npos) what.remove_prefix(end + 2);
  }
  return what;
}

}  // namespace

absl::StatusOr<std::string> Dump(const Json& doc, int indent) {
  std::string text;
  if (const Result r = DumpFinite(doc, indent, &text); !r.ok()) return ToStatus(r);
  return text;
}

absl::StatusOr<Value> Parse(std::string_view text, std::string_view source) {
  try {
    return Value::parse(text.begin(), text.end());
  } catch (const Value::parse_error& e) {
    return absl::InvalidArgumentError(absl::StrCat(std::string(source), ": ", std::string(WithoutExceptionId(e.what()))));
  }
}

}  // namespace datawall::json
