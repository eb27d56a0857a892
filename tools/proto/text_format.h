// Protobuf text format in, with the first parse error as one line: what every reader of a spec,
// record, plan or law file uses so that bad input is reported as "<file>:LINE:COLUMN: what" and
// nothing is logged (protobuf's own parser prints "[libprotobuf ERROR ...]" lines otherwise).
// Not here: writing (TextFormat::Print), JSON (experiments/records/message_json.h).
#ifndef DATAWALL_TOOLS_PROTO_TEXT_FORMAT_H_
#define DATAWALL_TOOLS_PROTO_TEXT_FORMAT_H_

#include <string>

#include "google/protobuf/message.h"

namespace datawall::proto {

// Parses `text` into *message (cleared first). On failure returns false with *error set to
// "LINE:COLUMN: <protobuf's message>" of the first error (1-based), or "not a text-format <type>"
// when protobuf gives none.
bool ParseTextFormat(const std::string& text, google::protobuf::Message* message, std::string* error);

}  // namespace datawall::proto

#endif  // DATAWALL_TOOLS_PROTO_TEXT_FORMAT_H_
