// JSONL document reader, the hash split and the corpus hash (see documents.h).
#include "data/documents.h"

#include <cmath>
#include <fstream>

#include "data/tokenizer/utf8.h"
#include "tools/io/checksum.h"

namespace datawall::data {
namespace {

// Seed of the split's hash: changing it would reshuffle every validation set.
constexpr uint64_t kSplitSeed = 0x73706c6974763031ULL;  // "splitv01"

using utf8::AppendUtf8;

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  void SkipSpace() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\t' || s_[p_] == '\r')) ++p_;
  }
  bool Consume(char c) {
    SkipSpace();
    if (p_ < s_.size() && s_[p_] == c) {
      ++p_;
      return true;
    }
    return false;
  }
  bool AtEnd() {
    SkipSpace();
    return p_ == s_.size();
  }
  size_t pos() const { return p_; }

  bool Hex4(uint32_t* v) {
    if (p_ + 4 > s_.size()) return false;
    *v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = s_[p_++];
      *v <<= 4;
      if (c >= '0' && c <= '9') *v |= c - '0';
      else if (c >= 'a' && c <= 'f') *v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') *v |= c - 'A' + 10;
      else return false;
    }
    return true;
  }

  // A JSON string; returns "" or an error.
  std::string String(std::string* out) {
    if (!Consume('"')) return "expected a string at byte " + std::to_string(p_);
    out->clear();
    while (true) {
      const size_t start = p_;
      while (p_ < s_.size() && s_[p_] != '"' && s_[p_] != '\\') ++p_;
      out->append(s_.substr(start, p_ - start));
      if (p_ >= s_.size()) return "unterminated string";
      if (s_[p_++] == '"') return "";
      if (p_ >= s_.size()) return "unterminated escape";
      const char e = s_[p_++];
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
          if (!Hex4(&cp)) return "bad \\u escape at byte " + std::to_string(p_);
          if (cp >= 0xD800 && cp < 0xDC00 && p_ + 6 <= s_.size() && s_[p_] == '\\' &&
              s_[p_ + 1] == 'u') {
            const size_t save = p_;
            p_ += 2;
            uint32_t low;
            if (Hex4(&low) && low >= 0xDC00 && low < 0xE000) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else {
              p_ = save;
            }
          }
          if (cp >= 0xD800 && cp < 0xE000) cp = 0xFFFD;  // lone surrogate
          AppendUtf8(cp, out);
          break;
        }
        default:
          return std::string("bad escape '\\") + e + "' at byte " + std::to_string(p_ - 1);
      }
    }
  }

 private:
  std::string_view s_;
  size_t p_ = 0;
};

}  // namespace

std::string ParseDocumentLine(std::string_view line, Document* doc) {
  Parser p(line);
  if (!p.Consume('{')) return "expected '{'";
  bool has_src = false, has_id = false, has_text = false;
  std::string key, value;
  if (!p.Consume('}')) {
    do {
      if (std::string e = p.String(&key); !e.empty()) return e;
      if (!p.Consume(':')) return "expected ':' after \"" + key + "\"";
      if (std::string e = p.String(&value); !e.empty()) return "\"" + key + "\": " + e;
      if (key == "src") {
        doc->src = std::move(value);
        has_src = true;
      } else if (key == "id") {
        doc->id = std::move(value);
        has_id = true;
      } else if (key == "text") {
        doc->text = std::move(value);
        has_text = true;
      }
    } while (p.Consume(','));
    if (!p.Consume('}')) return "expected ',' or '}' at byte " + std::to_string(p.pos());
  }
  if (!p.AtEnd()) return "trailing characters after the object";
  if (!has_src || !has_id || !has_text) return "missing \"src\", \"id\" or \"text\"";
  return "";
}

std::string ReadDocuments(const std::string& path, int64_t max_documents,
                          std::vector<Document>* docs) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return path + ": missing (cannot open)";
  std::string line;
  int64_t line_number = 0, read = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty()) continue;
    if (max_documents > 0 && read >= max_documents) break;
    Document doc;
    if (std::string e = ParseDocumentLine(line, &doc); !e.empty()) {
      return path + ":" + std::to_string(line_number) + ": " + e;
    }
    docs->push_back(std::move(doc));
    ++read;
  }
  if (in.bad()) return path + ": read error";
  return "";
}

bool InValidation(std::string_view text, double validation_fraction) {
  if (validation_fraction <= 0) return false;
  if (validation_fraction >= 1) return true;
  const uint64_t h = io::Checksum64(text.data(), text.size(), kSplitSeed);
  // h / 2^64 < fraction, in exact integer arithmetic for the threshold.
  const long double threshold = std::ldexp(static_cast<long double>(validation_fraction), 64);
  return static_cast<long double>(h) < threshold;
}

std::string CorpusHash(const std::vector<const Document*>& docs) {
  io::Checksum sum(0x636f72707573ULL);  // "corpus"
  for (const Document* d : docs) {
    for (const std::string* field : {&d->src, &d->id, &d->text}) {
      const uint64_t size = field->size();
      sum.Update(&size, sizeof(size));
      sum.Update(*field);
    }
  }
  return sum.HexDigest();
}

}  // namespace datawall::data
