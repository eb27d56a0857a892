// The code-point classes of GPT-2's pre-tokenizer regex: \p{L}, \p{N} and \s, exactly as the
// JavaScript reference (js-tiktoken on node) defines them. Generated table in unicode_classes.inc
// (see gen_unicode_classes.js for the source and Unicode version). Not a general Unicode database.
#ifndef DATAWALL_DATA_TOKENIZER_UNICODE_CLASSES_H_
#define DATAWALL_DATA_TOKENIZER_UNICODE_CLASSES_H_

#include <array>
#include <cstdint>
#include <string>

namespace datawall::data {

enum CharClass : uint8_t { kOther = 0, kLetter = 1, kNumber = 2, kSpace = 3 };

namespace unicode_internal {
extern const std::array<uint8_t, 0x10000> kBmpClass;  // constant-initialised
CharClass SupplementaryClass(uint32_t cp);
}  // namespace unicode_internal

inline CharClass ClassOf(uint32_t cp) {
  if (cp < 0x10000) return static_cast<CharClass>(unicode_internal::kBmpClass[cp]);
  return unicode_internal::SupplementaryClass(cp);
}

// The Unicode version the table was generated from (e.g. "17.0").
std::string UnicodeClassesVersion();
// The table as "hexstart class" lines, one per run (the format of gen_unicode_classes.js --ranges).
std::string UnicodeClassRanges();

}  // namespace datawall::data

#endif  // DATAWALL_DATA_TOKENIZER_UNICODE_CLASSES_H_
