// A minimal JSON writer for the laws CLIs' --format=json output: objects, arrays, strings,
// numbers (17 significant digits; NaN/inf become null so no non-JSON token is ever printed).
// Not a parser and not a general library; build the document front to back.
#ifndef DATAWALL_LAWS_JSON_WRITER_H_
#define DATAWALL_LAWS_JSON_WRITER_H_

#include <string>
#include <string_view>
#include <vector>

namespace datawall::laws {

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);  // inside an object, before each value
  JsonWriter& String(std::string_view value);
  JsonWriter& Number(double value);
  JsonWriter& Int(long long value);
  JsonWriter& Bool(bool value);
  const std::string& str() const { return out_; }

 private:
  void Separate();
  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

}  // namespace datawall::laws

#endif  // DATAWALL_LAWS_JSON_WRITER_H_
