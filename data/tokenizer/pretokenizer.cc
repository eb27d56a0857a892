// The GPT-2 pre-tokenizer state machine (see pretokenizer.h for the regex it reproduces).
//
// At a piece start, the regex's alternatives are tried in order; in terms of character classes:
//   ' followed by s|t|m|d|re|ve|ll      -> the contraction
//   optional ' ' then a letter          -> ' '? + run of letters
//   optional ' ' then a number          -> ' '? + run of numbers
//   optional ' ' then "other"           -> ' '? + run of others (not space, letter or number)
//   whitespace run of k chars to j      -> all of it if j is the end of the text or k == 1,
//                                          else the first k-1 (\s+(?!\S) backs off one char)
#include "data/tokenizer/pretokenizer.h"

#include "data/tokenizer/unicode_classes.h"
#include "data/tokenizer/utf8.h"

namespace datawall::data {
namespace {

inline CharClass ClassAt(std::string_view text, size_t pos, int* len) {
  const unsigned char b = static_cast<unsigned char>(text[pos]);
  if (b < 0x80) {
    *len = 1;
    return static_cast<CharClass>(unicode_internal::kBmpClass[b]);
  }
  return ClassOf(utf8::DecodeValid(text, pos, len));
}

// End of the run of class `cls` starting at pos.
inline size_t RunEnd(std::string_view text, size_t pos, CharClass cls) {
  const size_t n = text.size();
  int len;
  while (pos < n && ClassAt(text, pos, &len) == cls) pos += len;
  return pos;
}

}  // namespace

size_t Gpt2PieceEnd(std::string_view text, size_t pos) {
  const size_t n = text.size();
  const char c = text[pos];
  if (c == '\'' && pos + 1 < n) {
    const char d = text[pos + 1];
    if (d == 's' || d == 't' || d == 'm' || d == 'd') return pos + 2;
    if (pos + 2 < n) {
      const char e = text[pos + 2];
      if ((d == 'r' && e == 'e') || (d == 'v' && e == 'e') || (d == 'l' && e == 'l')) return pos + 3;
    }
  }
  int len;
  CharClass cls = ClassAt(text, pos, &len);
  if (c == ' ' && pos + 1 < n) {
    int len2;
    const CharClass next = ClassAt(text, pos + 1, &len2);
    if (next != kSpace) return RunEnd(text, pos + 1 + len2, next);
  }
  if (cls != kSpace) return RunEnd(text, pos + len, cls);
  // Whitespace run: find its end and the start of its last character.
  size_t last = pos;
  size_t end = pos + len;
  int count = 1;
  while (end < n) {
    int l;
    if (ClassAt(text, end, &l) != kSpace) break;
    last = end;
    end += l;
    ++count;
  }
  if (end == n || count == 1) return end;
  return last;
}

std::vector<std::string> Gpt2PreTokenize(std::string_view text) {
  std::vector<std::string> pieces;
  for (size_t pos = 0; pos < text.size();) {
    const size_t end = Gpt2PieceEnd(text, pos);
    pieces.emplace_back(text.substr(pos, end - pos));
    pos = end;
  }
  return pieces;
}

bool IsSafeSplit(std::string_view text, size_t pos) {
  if (pos == 0 || pos >= text.size() || text[pos] != '\n') return false;
  const unsigned char prev = static_cast<unsigned char>(text[pos - 1]);
  return prev < 0x80 && unicode_internal::kBmpClass[prev] != kSpace;
}

}  // namespace datawall::data
