// GPT-2's pre-tokenizer as a hand-written state machine: it splits valid UTF-8 into the pieces
// the regex  's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// matches (JavaScript semantics with the u flag, as in js-tiktoken). It does not merge bytes (bpe.h)
// and does not accept invalid UTF-8 (callers replace it first: utf8::ReplaceInvalid).
#ifndef DATAWALL_DATA_TOKENIZER_PRETOKENIZER_H_
#define DATAWALL_DATA_TOKENIZER_PRETOKENIZER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace datawall::data {

// The end (exclusive byte offset) of the piece starting at `pos` < text.size(). `text` must be
// valid UTF-8 and `pos` a character boundary. Every piece is non-empty.
size_t Gpt2PieceEnd(std::string_view text, size_t pos);

// All pieces of `text` (convenience for tests and tools; the encoder calls Gpt2PieceEnd).
std::vector<std::string> Gpt2PreTokenize(std::string_view text);

// True if a piece boundary of `text` is guaranteed at `pos` whatever precedes or follows the
// surrounding bytes: text[pos] == '\n' and text[pos-1] is an ASCII byte that is not whitespace.
// Used to cut one long text into independently encodable chunks.
bool IsSafeSplit(std::string_view text, size_t pos);

}  // namespace datawall::data

#endif  // DATAWALL_DATA_TOKENIZER_PRETOKENIZER_H_
