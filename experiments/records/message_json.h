// A protobuf message (a record, a plan, a summary) as JSON for `--format=json`, under the
// project's one number policy (tools/json/json.h): a NaN or infinite double/float field is an
// error naming the field, never printed as "NaN" or "Infinity".
//
// Not here: JSON of anything that is not a message (tools/json).
#ifndef DATAWALL_EXPERIMENTS_RECORDS_MESSAGE_JSON_H_
#define DATAWALL_EXPERIMENTS_RECORDS_MESSAGE_JSON_H_

#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"

namespace datawall::records {

// Indented JSON with proto field names and every primitive field printed. InvalidArgument
// "<field path>: not a finite number (nan)" for the first non-finite field, e.g.
// "fit.coefficients[2].lower".
absl::StatusOr<std::string> MessageJson(const google::protobuf::Message& message);

}  // namespace datawall::records

#endif  // DATAWALL_EXPERIMENTS_RECORDS_MESSAGE_JSON_H_
