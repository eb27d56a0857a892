// Deduplication of a token shard's documents (the filter experiments' dedup arms): every span of
// at least k bytes that two documents of a whole corpus share (dedup.h, over the texts of every
// document of `corpus`, read from the extracted JSONL), applied to a subset of that corpus (a
// pool written by data/subset.h): `document` keeps the subset's documents that have no such
// span (the paper's rule), `span` cuts the spans out of them and re-encodes what is left with
// the corpus's own tokenizer (documents left empty are dropped). Tokens of untouched documents
// are copied. Outputs are shards with their document index (document_index.h).
//
// Not here: the suffix array and span finding (dedup.h), JSONL reports (dedup_main.cc).
#ifndef DATAWALL_DATA_DEDUP_SHARD_DEDUP_H_
#define DATAWALL_DATA_DEDUP_SHARD_DEDUP_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"

namespace datawall::data::dedup {

struct ShardDedupOptions {
  std::string corpus_shard;     // the whole corpus (its .docs.tsv names each document)
  std::string docs_dir;         // <docs_dir>/<src>.jsonl: the documents' text
  std::string subset_shard;     // the documents to filter (a subset of corpus_shard, by src and id)
  std::string tokenizers_dir;   // where the corpus's SentencePiece model is (span mode; found by id)
  int64_t min_span_chars = 100;
  std::string document_out;     // "" = not wanted
  std::string span_out;         // "" = not wanted
  int threads = 1;
};

struct ShardDedupSummary {
  int64_t corpus_documents = 0, corpus_documents_with_spans = 0, corpus_span_bytes = 0;
  int64_t subset_documents = 0, subset_documents_with_spans = 0;
  int64_t document_tokens = 0, span_tokens = 0;  // tokens of each output
  double seconds = 0;
};

// InvalidArgument / NotFound naming the file for bad input (a subset document not in the
// corpus, a text that does not match the index's bytes, a tokenizer that does not give the
// shard's tokens); Internal for I/O errors.
absl::Status DedupShard(const ShardDedupOptions& options, ShardDedupSummary* summary);

}  // namespace datawall::data::dedup

#endif  // DATAWALL_DATA_DEDUP_SHARD_DEDUP_H_
