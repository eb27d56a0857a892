// Parsing and cross-checking of encoder.json and vocab.bpe (see gpt2_files.h). A minimal JSON
// reader for one flat object of string -> non-negative integer; nothing else of JSON is needed.
#include "data/tokenizer/gpt2_files.h"

#include <algorithm>
#include <array>
#include <unordered_map>

#include "data/tokenizer/utf8.h"

namespace datawall::data {
namespace {

constexpr std::string_view kEndOfText = "<|endoftext|>";

std::array<int32_t, 324> MakeUnicodeToByte() {
  std::array<int32_t, 324> inverse;
  inverse.fill(-1);
  for (int b = 0; b < 256; ++b) inverse[Gpt2ByteToUnicode(static_cast<uint8_t>(b))] = b;
  return inverse;
}

using utf8::AppendUtf8;

// Decodes UTF-8 `text` (a token in GPT-2's alphabet) into bytes; false if a character is outside
// the alphabet or the UTF-8 is broken.
bool AlphabetToBytes(std::string_view text, std::string* bytes) {
  static const std::array<int32_t, 324> inverse = MakeUnicodeToByte();
  bytes->clear();
  for (size_t i = 0; i < text.size();) {
    const unsigned char b0 = text[i];
    uint32_t cp;
    if (b0 < 0x80) {
      cp = b0;
      i += 1;
    } else if ((b0 & 0xE0) == 0xC0 && i + 1 < text.size()) {
      cp = ((b0 & 0x1F) << 6) | (text[i + 1] & 0x3F);
      i += 2;
    } else {
      return false;  // GPT-2's alphabet ends at U+0143: never 3 or 4 bytes
    }
    if (cp >= inverse.size() || inverse[cp] < 0) return false;
    bytes->push_back(static_cast<char>(inverse[cp]));
  }
  return true;
}

class JsonReader {
 public:
  explicit JsonReader(std::string_view text) : text_(text) {}
  size_t pos() const { return pos_; }
  int Line(size_t pos) const {
    return 1 + static_cast<int>(std::count(text_.begin(), text_.begin() + std::min(pos, text_.size()), '\n'));
  }
  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }
  bool Consume(char c) {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool AtEnd() {
    SkipSpace();
    return pos_ >= text_.size();
  }
  // Reads a JSON string into UTF-8; "" error on success.
  std::string String(std::string* out) {
    SkipSpace();
    out->clear();
    if (pos_ >= text_.size() || text_[pos_] != '"') return "expected a string";
    ++pos_;
    while (true) {
      if (pos_ >= text_.size()) return "unterminated string";
      const char c = text_[pos_++];
      if (c == '"') return "";
      if (static_cast<unsigned char>(c) < 0x20) return "control character in string";
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (pos_ >= text_.size()) return "unterminated escape";
      const char e = text_[pos_++];
      switch (e) {
        case '"': out->push_back('"'); break;
        case '\\': out->push_back('\\'); break;
        case '/': out->push_back('/'); break;
        case 'b': out->push_back('\b'); break;
        case 'f': out->push_back('\f'); break;
        case 'n': out->push_back('\n'); break;
        case 'r': out->push_back('\r'); break;
        case 't': out->push_back('\t'); break;
        case 'u': {
          uint32_t cp;
          if (!Hex4(&cp)) return "bad \\u escape";
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t lo;
            if (pos_ + 1 >= text_.size() || text_[pos_] != '\\' || text_[pos_ + 1] != 'u') {
              return "unpaired surrogate escape";
            }
            pos_ += 2;
            if (!Hex4(&lo) || lo < 0xDC00 || lo > 0xDFFF) return "unpaired surrogate escape";
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return "unpaired surrogate escape";
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          return std::string("unknown escape \\") + e;
      }
    }
  }
  std::string Integer(int64_t* value) {
    SkipSpace();
    const size_t start = pos_;
    int64_t v = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      v = v * 10 + (text_[pos_++] - '0');
      if (v > 0x7FFFFFFF) return "id too large";
    }
    if (pos_ == start) return "expected a non-negative integer id";
    *value = v;
    return "";
  }

 private:
  bool Hex4(uint32_t* cp) {
    if (pos_ + 4 > text_.size()) return false;
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = text_[pos_++];
      v <<= 4;
      if (h >= '0' && h <= '9') v |= h - '0';
      else if (h >= 'a' && h <= 'f') v |= h - 'a' + 10;
      else if (h >= 'A' && h <= 'F') v |= h - 'A' + 10;
      else return false;
    }
    *cp = v;
    return true;
  }
  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

uint32_t Gpt2ByteToUnicode(uint8_t byte) {
  // Printable Latin-1 bytes map to themselves; the other 68 map to U+0100.. in byte order.
  const auto printable = [](int b) {
    return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
  };
  if (printable(byte)) return byte;
  uint32_t n = 0;
  for (int b = 0; b < byte; ++b) n += printable(b) ? 0 : 1;
  return 256 + n;
}

std::string ParseGpt2Files(std::string_view encoder_json, std::string_view vocab_bpe,
                           const std::string& encoder_name, const std::string& vocab_name,
                           Gpt2Vocabulary* vocab) {
  JsonReader json(encoder_json);
  auto enc_error = [&](size_t pos, const std::string& what) {
    return encoder_name + ":" + std::to_string(json.Line(pos)) + ": " + what;
  };
  if (!json.Consume('{')) return enc_error(json.pos(), "expected '{' (not a JSON object)");
  struct Entry {
    std::string bytes;
    int64_t id;
    size_t at;  // offset in encoder.json, for the line in error messages
  };
  std::vector<Entry> entries;
  std::string key, bytes;
  bool have_eot = false;
  int64_t eot = -1;
  if (!json.Consume('}')) {
    while (true) {
      const size_t at = json.pos();
      if (std::string e = json.String(&key); !e.empty()) return enc_error(json.pos(), e);
      if (!json.Consume(':')) return enc_error(json.pos(), "expected ':' after a key");
      int64_t id;
      if (std::string e = json.Integer(&id); !e.empty()) return enc_error(json.pos(), e);
      if (key == kEndOfText) {
        have_eot = true;
        eot = id;
        bytes = key;
      } else if (!AlphabetToBytes(key, &bytes)) {
        return enc_error(at, "token \"" + key + "\" has a character outside GPT-2's byte alphabet");
      }
      entries.push_back({bytes, id, at});
      if (json.Consume(',')) continue;
      if (json.Consume('}')) break;
      return enc_error(json.pos(), "expected ',' or '}'");
    }
  }
  if (!json.AtEnd()) return enc_error(json.pos(), "unexpected text after the JSON object");
  if (!have_eot) return encoder_name + ":1: no \"<|endoftext|>\" entry";
  const size_t n = entries.size();
  if (n < 257) return encoder_name + ":1: only " + std::to_string(n) + " entries (need >= 257)";
  std::vector<std::string> tokens(n);
  std::vector<bool> seen(n, false);
  std::unordered_map<std::string, int64_t> id_of;
  id_of.reserve(n * 2);
  for (const Entry& entry : entries) {
    const std::string& token = entry.bytes;
    const int64_t id = entry.id;
    if (id >= static_cast<int64_t>(n)) {
      return enc_error(entry.at, "id " + std::to_string(id) + " is out of range for " +
             std::to_string(n) + " entries (ids must be 0.." + std::to_string(n - 1) + ")");
    }
    if (seen[id]) return enc_error(entry.at, "id " + std::to_string(id) + " appears twice");
    seen[id] = true;
    tokens[id] = token;
    if (id != eot && !id_of.emplace(token, id).second) {
      return enc_error(entry.at, "two ids for the same token bytes (id " + std::to_string(id) + ")");
    }
  }
  for (int b = 0; b < 256; ++b) {
    if (!id_of.count(std::string(1, static_cast<char>(b)))) {
      return encoder_name + ":1: no token for byte " + std::to_string(b);
    }
  }

  // vocab.bpe: "#version" first line, then one merge per line.
  size_t merges = 0;
  int line_no = 0;
  for (size_t pos = 0; pos < vocab_bpe.size();) {
    size_t eol = vocab_bpe.find('\n', pos);
    if (eol == std::string_view::npos) eol = vocab_bpe.size();
    std::string_view line = vocab_bpe.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no == 1 && line.substr(0, 8) == "#version") continue;
    if (line.empty()) continue;
    auto bpe_error = [&](const std::string& what) {
      return vocab_name + ":" + std::to_string(line_no) + ": " + what;
    };
    const size_t space = line.find(' ');
    if (space == std::string_view::npos || space == 0 || space + 1 == line.size() ||
        line.find(' ', space + 1) != std::string_view::npos) {
      return bpe_error("expected \"left right\" (two tokens separated by one space), got \"" +
                       std::string(line) + "\"");
    }
    std::string left, right;
    if (!AlphabetToBytes(line.substr(0, space), &left) ||
        !AlphabetToBytes(line.substr(space + 1), &right)) {
      return bpe_error("merge \"" + std::string(line) +
                       "\" has a character outside GPT-2's byte alphabet");
    }
    if (!id_of.count(left) || !id_of.count(right)) {
      return bpe_error("merge \"" + std::string(line) + "\" uses a token missing from " +
                       encoder_name);
    }
    const auto merged = id_of.find(left + right);
    const int64_t expected = 256 + static_cast<int64_t>(merges);
    if (merged == id_of.end() || merged->second != expected) {
      return bpe_error("merge \"" + std::string(line) + "\" should make token id " +
                       std::to_string(expected) + " but " + encoder_name +
                       (merged == id_of.end() ? " lacks it" : " gives id " + std::to_string(merged->second)) +
                       " (the files do not belong together)");
    }
    ++merges;
  }
  if (merges + 257 != n) {
    return vocab_name + ":" + std::to_string(line_no) + ": " + std::to_string(merges) +
           " merges, but " + encoder_name + " has " + std::to_string(n) +
           " entries (expected 256 bytes + merges + <|endoftext|>)";
  }
  vocab->tokens = std::move(tokens);
  vocab->end_of_text = static_cast<uint32_t>(eot);
  vocab->num_merges = merges;
  return "";
}

}  // namespace datawall::data
