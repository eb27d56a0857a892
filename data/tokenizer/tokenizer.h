// The tokenizer interface: GPT-2 byte-level BPE (exact) and a small-vocabulary tokenizer for
// CPU-scale experiments both implement it.
#ifndef DATAWALL_DATA_TOKENIZER_TOKENIZER_H_
#define DATAWALL_DATA_TOKENIZER_TOKENIZER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace datawall::data {

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;
  // Stable identifier recorded in shards and run records, e.g. "gpt2".
  virtual std::string id() const = 0;
  virtual uint32_t vocab_size() const = 0;
  // The document separator (<|endoftext|> = 50256 for GPT-2).
  virtual uint32_t end_of_text() const = 0;
  // Appends the ids of `text` (arbitrary bytes; invalid UTF-8 allowed) to *ids.
  virtual void Encode(std::string_view text, std::vector<uint32_t>* ids) const = 0;
  virtual std::string Decode(const std::vector<uint32_t>& ids) const = 0;
};

}  // namespace datawall::data

#endif  // DATAWALL_DATA_TOKENIZER_TOKENIZER_H_
