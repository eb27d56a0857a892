// UTF-8 helpers for the tokenizers: validation and the WHATWG "replace invalid bytes with U+FFFD"
// decoding that node's Buffer.toString('utf8') / TextDecoder apply, so arbitrary bytes map to the
// same valid text the JavaScript reference sees. Not a general Unicode library.
#ifndef DATAWALL_DATA_TOKENIZER_UTF8_H_
#define DATAWALL_DATA_TOKENIZER_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace datawall::data::utf8 {

// True if `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValid(std::string_view text);

// Returns `text` with every maximal ill-formed subsequence replaced by U+FFFD (EF BF BD), exactly
// as the WHATWG Encoding Standard's UTF-8 decoder does (one U+FFFD per maximal subpart). Valid
// text is returned unchanged.
std::string ReplaceInvalid(std::string_view text);

// Appends the UTF-8 encoding of code point `cp` (at most U+10FFFF) to *out.
void AppendUtf8(uint32_t cp, std::string* out);

// Decodes the code point starting at text[pos] of VALID UTF-8; sets *len to its byte length.
inline uint32_t DecodeValid(std::string_view text, size_t pos, int* len) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data()) + pos;
  const uint32_t b0 = p[0];
  if (b0 < 0x80) { *len = 1; return b0; }
  if (b0 < 0xE0) { *len = 2; return ((b0 & 0x1F) << 6) | (p[1] & 0x3F); }
  if (b0 < 0xF0) { *len = 3; return ((b0 & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F); }
  *len = 4;
  return ((b0 & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
}

}  // namespace datawall::data::utf8

#endif  // DATAWALL_DATA_TOKENIZER_UTF8_H_
