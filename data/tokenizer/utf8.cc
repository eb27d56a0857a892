// UTF-8 validation and WHATWG-conformant replacement of ill-formed sequences (see utf8.h).
#include "data/tokenizer/utf8.h"

#include <cstring>

namespace datawall::data::utf8 {
namespace {

// Length of the well-formed sequence at p (1..4), or 0 if it is ill-formed. On 0, *subpart is the
// length of the maximal subpart to replace with one U+FFFD (>= 1).
int SequenceLength(const unsigned char* p, const unsigned char* end, int* subpart) {
  const unsigned b0 = p[0];
  if (b0 < 0x80) return 1;
  int need;
  unsigned lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    *subpart = 1;
    return 0;
  }
  int i = 1;
  for (; i <= need; ++i) {
    if (p + i >= end) break;
    const unsigned b = p[i];
    if (b < lo || b > hi) break;
    lo = 0x80;
    hi = 0xBF;
  }
  if (i > need) return need + 1;
  *subpart = i;
  return 0;
}

bool AllAscii8(const unsigned char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return (w & 0x8080808080808080ULL) == 0;
}

}  // namespace

bool IsValid(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    if (end - p >= 8 && AllAscii8(p)) { p += 8; continue; }
    if (*p < 0x80) { ++p; continue; }
    int subpart;
    const int n = SequenceLength(p, end, &subpart);
    if (n == 0) return false;
    p += n;
  }
  return true;
}

std::string ReplaceInvalid(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  const auto* begin = reinterpret_cast<const unsigned char*>(text.data());
  const auto* p = begin;
  const auto* end = p + text.size();
  while (p < end) {
    int subpart = 0;
    const int n = SequenceLength(p, end, &subpart);
    if (n > 0) {
      out.append(reinterpret_cast<const char*>(p), n);
      p += n;
    } else {
      out.append("\xEF\xBF\xBD");
      p += subpart;
    }
  }
  return out;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace datawall::data::utf8
