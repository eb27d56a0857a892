// Protobuf messages as JSON, non-finite numbers refused (see message_json.h).
#include "experiments/records/message_json.h"

#include <cmath>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"

namespace datawall::records {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

std::string Describe(double v) { return std::isnan(v) ? "nan" : v > 0 ? "inf" : "-inf"; }

// The first non-finite double/float field below `m`, as "<path>: not a finite number (...)".
std::optional<std::string> FindNonFinite(const Message& m, const std::string& prefix) {
  const auto* reflection = m.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    const std::string name = prefix.empty() ? f->name() : absl::StrCat(prefix, ".", f->name());
    const int n = f->is_repeated() ? reflection->FieldSize(m, f) : 1;
    for (int i = 0; i < n; ++i) {
      const std::string path = f->is_repeated() ? absl::StrCat(name, "[", i, "]") : name;
      double v = 0;
      switch (f->cpp_type()) {
        case FieldDescriptor::CPPTYPE_DOUBLE:
          v = f->is_repeated() ? reflection->GetRepeatedDouble(m, f, i) : reflection->GetDouble(m, f);
          break;
        case FieldDescriptor::CPPTYPE_FLOAT:
          v = f->is_repeated() ? reflection->GetRepeatedFloat(m, f, i) : reflection->GetFloat(m, f);
          break;
        case FieldDescriptor::CPPTYPE_MESSAGE: {
          const Message& sub = f->is_repeated() ? reflection->GetRepeatedMessage(m, f, i)
                                                : reflection->GetMessage(m, f);
          if (auto found = FindNonFinite(sub, path)) return found;
          continue;
        }
        default:
          continue;
      }
      if (!std::isfinite(v)) return absl::StrCat(path, ": not a finite number (", Describe(v), ")");
    }
  }
  return std::nullopt;
}

}  // namespace

absl::StatusOr<std::string> MessageJson(const Message& message) {
  if (auto bad = FindNonFinite(message, "")) return absl::InvalidArgumentError(*bad);
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string json;
  const auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) return absl::InternalError(absl::StrCat("JSON: ", status.ToString()));
  return json;
}

}  // namespace datawall::records
