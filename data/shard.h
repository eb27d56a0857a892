// Token shards: the on-disk form of a tokenized corpus, read memory-mapped by training.
//
// Layout (little-endian): a fixed header (magic "DWSHARD1", version, token width 2 or 4 bytes,
// vocabulary size, token count, document count, tokenizer id, corpus hash, payload checksum),
// then the tokens, then num_documents + 1 int64 document start offsets (the last equals
// num_tokens). Shards are written with tools/io/atomic_file.h (temp file + fsync + rename), so
// a crash never leaves a truncated file under the final name, and Open() verifies the payload
// checksum, so a damaged file never loads. Standard library + POSIX only: the GPU build
// compiles this file too.
#ifndef DATAWALL_DATA_SHARD_H_
#define DATAWALL_DATA_SHARD_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace datawall::data {

struct ShardInfo {
  std::string tokenizer_id;   // e.g. "gpt2", "bpe1024_en_mix"
  uint32_t vocab_size = 0;
  std::string corpus_hash;    // checksum of the documents the shard was made from
};

// Read-only view of a shard file (memory-mapped).
class Shard {
 public:
  // Opens and verifies a shard; returns nullptr and sets *error (naming the path and the
  // problem: missing, bad magic, truncated, checksum mismatch) on failure.
  static std::unique_ptr<Shard> Open(const std::string& path, std::string* error);
  ~Shard();

  const ShardInfo& info() const { return info_; }
  int64_t num_tokens() const { return num_tokens_; }
  int64_t num_documents() const { return num_documents_; }
  // Token offset where document `doc` starts; document_start(num_documents()) == num_tokens().
  int64_t document_start(int64_t doc) const { return doc_starts_[doc]; }
  uint32_t token(int64_t i) const {
    return token_width_ == 2 ? reinterpret_cast<const uint16_t*>(tokens_)[i]
                             : reinterpret_cast<const uint32_t*>(tokens_)[i];
  }
  // Copies tokens [begin, begin + count) into out.
  void CopyTokens(int64_t begin, int64_t count, int32_t* out) const;
  // Checksum of the payload (tokens + document index): the run record's data hash.
  const std::string& checksum() const { return checksum_; }
  const std::string& path() const { return path_; }

 private:
  Shard() = default;
  std::string path_;
  ShardInfo info_;
  int token_width_ = 2;
  int64_t num_tokens_ = 0;
  int64_t num_documents_ = 0;
  const unsigned char* tokens_ = nullptr;
  const int64_t* doc_starts_ = nullptr;
  std::string checksum_;
  void* mapping_ = nullptr;
  size_t mapping_size_ = 0;
};

// Writes a shard atomically. `documents` holds each document's tokens (document separators,
// if wanted, are the caller's: the GPT-2 pipeline appends <|endoftext|> = 50256 to each).
// Token width is 2 bytes when vocab_size <= 65536, else 4. Returns "" or an error naming path.
std::string WriteShard(const std::string& path, const ShardInfo& info,
                       const std::vector<std::vector<uint32_t>>& documents);

}  // namespace datawall::data

#endif  // DATAWALL_DATA_SHARD_H_
