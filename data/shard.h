// Token shards: the on-disk form of a tokenized corpus, read memory-mapped by training.
//
// Layout (little-endian): a fixed header (magic "DWSHARD1", version, token width 2 or 4 bytes,
// vocabulary size, token count, document count, source count, tokenizer id, corpus hash, payload
// checksum), then the tokens, then num_documents + 1 int64 document start offsets (the last
// equals num_tokens), then (version 2) each document's source index and the source names, so a
// budget can keep every source's share (data/budget.h). Shards are written with tools/io/atomic_file.h (temp file + fsync + rename), so
// a crash never leaves a truncated file under the final name, and Open() verifies the payload
// checksum, so a damaged file never loads. Standard library + POSIX only: the GPU build
// compiles this file too.
#ifndef DATAWALL_DATA_SHARD_H_
#define DATAWALL_DATA_SHARD_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tools/result/result.h"

namespace datawall::data {

struct ShardInfo {
  std::string tokenizer_id;   // e.g. "gpt2", "bpe1024_en_mix"
  uint32_t vocab_size = 0;
  std::string corpus_hash;    // checksum of the documents the shard was made from
  // Source names (e.g. "sotu", "brown"), indexed by Shard::document_source; empty when the
  // shard does not record sources (version 1 files, or a writer that gave none).
  std::vector<std::string> sources;
};

// Read-only view of a shard file (memory-mapped).
class Shard {
 public:
  // Opens and verifies a shard into *out. BadInput naming the path and the problem (missing,
  // bad magic, unsupported version, truncated, checksum mismatch) on failure: shards are the
  // user's input.
  static Result Open(const std::string& path, std::unique_ptr<Shard>* out);
  ~Shard();

  const ShardInfo& info() const { return info_; }
  int64_t num_tokens() const { return num_tokens_; }
  int64_t num_documents() const { return num_documents_; }
  // Token offset where document `doc` starts; document_start(num_documents()) == num_tokens().
  int64_t document_start(int64_t doc) const { return doc_starts_[doc]; }
  // Index into info().sources of document `doc`'s source; 0 when the shard records none.
  int document_source(int64_t doc) const {
    return doc_sources_ == nullptr ? 0 : static_cast<int>(doc_sources_[doc]);
  }
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
  const uint16_t* doc_sources_ = nullptr;  // null when info_.sources is empty
  std::string checksum_;
  void* mapping_ = nullptr;
  size_t mapping_size_ = 0;
};

// Writes a shard atomically. `documents` holds each document's tokens (document separators,
// if wanted, are the caller's: the GPT-2 pipeline appends <|endoftext|> = 50256 to each).
// Token width is 2 bytes when vocab_size <= 65536, else 4. When info.sources is not empty,
// document_sources gives each document's index into it (at most 65,536 sources); otherwise it
// must be empty. BadInput naming the path for inconsistent arguments, Internal for I/O errors.
Result WriteShard(const std::string& path, const ShardInfo& info,
                  const std::vector<std::vector<uint32_t>>& documents,
                  const std::vector<uint16_t>& document_sources = {});

}  // namespace datawall::data

#endif  // DATAWALL_DATA_SHARD_H_
