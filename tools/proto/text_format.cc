// Protobuf text format with the first error as one line (see text_format.h).
#include "tools/proto/text_format.h"

#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace datawall::proto {
namespace {

class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (first_.empty()) first_ = std::to_string(line + 1) + ":" + std::to_string(column + 1) + ": " + message;
  }
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

}  // namespace

bool ParseTextFormat(const std::string& text, google::protobuf::Message* message, std::string* error) {
  google::protobuf::TextFormat::Parser parser;
  FirstError errors;
  parser.RecordErrorsTo(&errors);
  if (parser.ParseFromString(text, message)) return true;
  *error = errors.first().empty() ? "not a text-format " + message->GetTypeName() : errors.first();
  return false;
}

}  // namespace datawall::proto
