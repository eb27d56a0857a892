// Test helpers that run node (js-tiktoken) as the GPT-2 reference: the binary framing of
// reference_encode.js, running a command with its stderr captured, and a readable diff.
#ifndef DATAWALL_TESTS_DATA_TOKENIZER_REFERENCE_UTIL_H_
#define DATAWALL_TESTS_DATA_TOKENIZER_REFERENCE_UTIL_H_

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace datawall::data::testing {

inline std::string TempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

inline std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `command` with stdout and stderr appended to a log; returns the exit status and sets *log.
inline int RunCommand(const std::string& command, std::string* log) {
  const std::string log_path = TempDir() + "/command.log";
  const int status = std::system((command + " >" + log_path + " 2>&1").c_str());
  *log = ReadFileOrEmpty(log_path);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

class ByteWriter {
 public:
  void U32(uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
  void Bytes(const std::string& b) {
    U32(static_cast<uint32_t>(b.size()));
    out_ += b;
  }
  const std::string& str() const { return out_; }

 private:
  std::string out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string data) : data_(std::move(data)) {}
  bool U32(uint32_t* v) {
    if (pos_ + 4 > data_.size()) return false;
    *v = 0;
    for (int i = 0; i < 4; ++i) *v |= static_cast<uint32_t>(static_cast<unsigned char>(data_[pos_ + i])) << (8 * i);
    pos_ += 4;
    return true;
  }
  bool Bytes(std::string* b) {
    uint32_t n;
    if (!U32(&n) || pos_ + n > data_.size()) return false;
    *b = data_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  bool Ids(std::vector<uint32_t>* ids) {
    uint32_t n;
    if (!U32(&n)) return false;
    ids->resize(n);
    for (uint32_t i = 0; i < n; ++i) {
      if (!U32(&(*ids)[i])) return false;
    }
    return true;
  }
  bool AtEnd() const { return pos_ == data_.size(); }

 private:
  std::string data_;
  size_t pos_ = 0;
};

// "" if equal, else where they first differ with a little context.
inline std::string DiffIds(const std::vector<uint32_t>& want, const std::vector<uint32_t>& got) {
  if (want == got) return "";
  size_t i = 0;
  while (i < want.size() && i < got.size() && want[i] == got[i]) ++i;
  std::ostringstream s;
  s << "first difference at id " << i << " (reference " << want.size() << " ids, ours "
    << got.size() << "): reference [";
  for (size_t k = i; k < want.size() && k < i + 8; ++k) s << (k > i ? "," : "") << want[k];
  s << "] ours [";
  for (size_t k = i; k < got.size() && k < i + 8; ++k) s << (k > i ? "," : "") << got[k];
  s << "]";
  return s.str();
}

inline std::string Escaped(const std::string& text, size_t max = 120) {
  std::string out;
  for (size_t i = 0; i < text.size() && out.size() < max; ++i) {
    const unsigned char c = text[i];
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace datawall::data::testing

#endif  // DATAWALL_TESTS_DATA_TOKENIZER_REFERENCE_UTIL_H_
