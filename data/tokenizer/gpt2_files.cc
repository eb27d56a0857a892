// Parsing and cross-checking of encoder.json (read with nlohmann JSON, third_party/json, used
// directly: this library stays standard-library only, without tools/json's Abseil) and
// vocab.bpe (see gpt2_files.h).
#include "data/tokenizer/gpt2_files.h"

#include <algorithm>
#include <array>
#include <optional>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace datawall::data {
namespace {

constexpr std::string_view kEndOfText = "<|endoftext|>";

std::array<int32_t, 324> MakeUnicodeToByte() {
  std::array<int32_t, 324> inverse;
  inverse.fill(-1);
  for (int b = 0; b < 256; ++b) inverse[Gpt2ByteToUnicode(static_cast<uint8_t>(b))] = b;
  return inverse;
}

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
  auto enc_error = [&](const std::string& what) { return encoder_name + ": " + what; };
  std::optional<nlohmann::json> parsed;
  try {
    parsed = nlohmann::json::parse(encoder_json.begin(), encoder_json.end());
  } catch (const nlohmann::json::parse_error& e) {
    std::string_view what = e.what();  // "[json.exception.parse_error.101] parse error at ..."
    if (const size_t end = what.find("] "); end != std::string_view::npos) what.remove_prefix(end + 2);
    return enc_error(std::string(what));
  }
  if (!parsed->is_object()) return enc_error("not a JSON object");
  struct Entry {
    std::string bytes;
    int64_t id;
    std::string key;  // as in encoder.json, for error messages
  };
  std::vector<Entry> entries;
  entries.reserve(parsed->size());
  std::string bytes;
  bool have_eot = false;
  int64_t eot = -1;
  for (const auto& [key, value] : parsed->items()) {
    if (!value.is_number_unsigned() || value.get<uint64_t>() > 0x7FFFFFFF) {
      return enc_error("token \"" + key + "\": the id must be a non-negative integer below 2^31");
    }
    const int64_t id = value.get<int64_t>();
    if (key == kEndOfText) {
      have_eot = true;
      eot = id;
      bytes = key;
    } else if (!AlphabetToBytes(key, &bytes)) {
      return enc_error("token \"" + key + "\" has a character outside GPT-2's byte alphabet");
    }
    entries.push_back({bytes, id, key});
  }
  if (!have_eot) return enc_error("no \"<|endoftext|>\" entry");
  const size_t n = entries.size();
  if (n < 257) return enc_error("only " + std::to_string(n) + " entries (need >= 257)");
  std::vector<std::string> tokens(n);
  std::vector<bool> seen(n, false);
  std::unordered_map<std::string, int64_t> id_of;
  id_of.reserve(n * 2);
  for (const Entry& entry : entries) {
    const std::string& token = entry.bytes;
    const int64_t id = entry.id;
    if (id >= static_cast<int64_t>(n)) {
      return enc_error("token \"" + entry.key + "\": id " + std::to_string(id) +
                       " is out of range for " + std::to_string(n) + " entries (ids must be 0.." +
                       std::to_string(n - 1) + ")");
    }
    if (seen[id]) {
      return enc_error("token \"" + entry.key + "\": id " + std::to_string(id) + " appears twice");
    }
    seen[id] = true;
    tokens[id] = token;
    if (id != eot && !id_of.emplace(token, id).second) {
      return enc_error("token \"" + entry.key + "\": two ids for the same token bytes (id " +
                       std::to_string(id) + ")");
    }
  }
  for (int b = 0; b < 256; ++b) {
    if (!id_of.count(std::string(1, static_cast<char>(b)))) {
      return enc_error("no token for byte " + std::to_string(b));
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
