// GPT-2 byte-level BPE, exact: the same ids as js-tiktoken's "gpt2" encoding for every input (and
// as OpenAI's GPT-2 encoder, up to the Unicode-version caveats in docs/tokenizer.md). Loads OpenAI's encoder.json + vocab.bpe. Fast single-threaded path
// (state-machine pre-tokenizer, flat hash maps, a bounded per-thread word cache) plus
// EncodeParallel for one long text. Contracts (docs/tokenizer.md):
//   * Encode(text): text is arbitrary bytes. Ill-formed UTF-8 is first replaced by U+FFFD exactly
//     as node's UTF-8 decoder does (WHATWG, one U+FFFD per maximal subpart), so the ids equal
//     js-tiktoken's encode(Buffer.from(bytes).toString('utf8'), [], []).
//   * "<|endoftext|>" inside text is ordinary text (never 50256); callers append end_of_text()
//     between documents.
//   * Decode concatenates token bytes (50256 -> "<|endoftext|>", unknown ids skipped); it returns
//     the exact input bytes for well-formed UTF-8 input.
// Thread-safe: Encode may run concurrently on one instance. Not the small-vocab tokenizer.
#ifndef DATAWALL_DATA_TOKENIZER_GPT2_TOKENIZER_H_
#define DATAWALL_DATA_TOKENIZER_GPT2_TOKENIZER_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "data/tokenizer/flat_map.h"
#include "data/tokenizer/tokenizer.h"

namespace datawall::data {

class Gpt2Tokenizer : public Tokenizer {
 public:
  // Parses the two files' contents; `*_name` are used in error messages. Contents that do not
  // parse are InvalidArgument ("<name>:<line>: what is wrong").
  static absl::StatusOr<std::unique_ptr<Gpt2Tokenizer>> FromContents(
      std::string_view encoder_json, std::string_view vocab_bpe, const std::string& encoder_name,
      const std::string& vocab_name);

  ~Gpt2Tokenizer() override;
  Gpt2Tokenizer(const Gpt2Tokenizer&) = delete;  // the index points into this object's tables
  Gpt2Tokenizer& operator=(const Gpt2Tokenizer&) = delete;

  std::string id() const override { return "gpt2"; }
  uint32_t vocab_size() const override { return vocab_size_; }
  uint32_t end_of_text() const override { return end_of_text_; }
  void Encode(std::string_view text, std::vector<uint32_t>* ids) const override;
  std::string Decode(const std::vector<uint32_t>& ids) const override;

  // Same ids as Encode, computed by `threads` threads on chunks cut at IsSafeSplit boundaries.
  void EncodeParallel(std::string_view text, int threads, std::vector<uint32_t>* ids) const;

  // The bytes of one token ("" for an unknown id).
  std::string_view TokenBytes(uint32_t id) const;
  size_t num_merges() const { return num_merges_; }
  // The merge tables (for tests of the BPE algorithms).
  const FlatU64Map& pair_table() const { return pairs_; }
  const uint32_t* byte_ids() const { return byte_ids_; }

 private:
  struct WordCache;
  Gpt2Tokenizer();
  void EncodeValid(std::string_view text, WordCache* cache, std::vector<uint32_t>* ids) const;
  // Word caches for EncodeParallel's workers, kept warm between calls (taken under the mutex).
  std::unique_ptr<WordCache> TakeCache() const;
  void ReturnCache(std::unique_ptr<WordCache> cache) const;

  uint32_t vocab_size_ = 0;
  uint32_t end_of_text_ = 0;
  size_t num_merges_ = 0;
  size_t max_token_bytes_ = 0;
  uint64_t instance_ = 0;  // identifies this tokenizer to the per-thread word caches
  uint32_t byte_ids_[256] = {};
  CompactStringIndex vocab_;  // token bytes -> id (ordinary tokens only)
  ShortKeyTable short_tokens_;  // tokens of <= 8 bytes, lowest ids (most frequent merges) first
  FlatU64Map pairs_;          // PairKey(a, b) -> id of bytes(a) + bytes(b)
  std::string token_bytes_;   // concatenated bytes of every id
  std::vector<uint32_t> token_offsets_;  // id -> [offsets[id], offsets[id + 1])
  mutable std::mutex caches_mu_;
  mutable std::vector<std::unique_ptr<WordCache>> caches_;
};

// Reads the two files and builds the tokenizer. A missing or malformed file is InvalidArgument
// (naming the file, and the line for a parse error); a read failing part way is Internal.
absl::StatusOr<std::unique_ptr<Gpt2Tokenizer>> LoadGpt2TokenizerFiles(
    const std::string& encoder_json, const std::string& vocab_bpe);

}  // namespace datawall::data

#endif  // DATAWALL_DATA_TOKENIZER_GPT2_TOKENIZER_H_
