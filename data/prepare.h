// The data preparation pipeline behind `bazel run //data:prepare`: fetch (data/fetch.sh) ->
// extract (data/extract/extract.py) -> hash split -> tokenize (multi-threaded) -> shards + manifest.
//
// With docs_dir set, fetch and extract are skipped and the documents come from that folder.
// Output under options.out_dir:
//   docs[_max<N>]/<src>.jsonl                       extracted documents (extract.py)
//   tokenizers/small<V>_<hash>.model                 the small-vocabulary model, if asked for
//   shards/<tokenizer>_<variant>/<corpus>.{train,validation}.shard
//   shards/<tokenizer>_<variant>/<corpus>.{train,validation}.docs.tsv   src and id per document
//   shards/<tokenizer>_<variant>/manifest.json       what the shards hold (format: docs/data.md)
// Every file is written atomically; a rerun skips shards that load and match their inputs.
// Not the training-time reader: that is data/shard.h + data/sampler.h.
#ifndef DATAWALL_DATA_PREPARE_H_
#define DATAWALL_DATA_PREPARE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace datawall::data {

struct PrepareOptions {
  // Workspace root: where data/fetch.sh and data/extract/ live.
  std::string root = ".";
  // Raw sources (data/fetch.sh's output); "" means <root>/data/raw.
  std::string raw_dir;
  // Where documents, tokenizer models and shards go; "" means <root>/data/work.
  std::string out_dir;
  // "gpt2" (OpenAI's BPE, 50,257 ids) or "small" (SentencePiece BPE trained here).
  std::string tokenizer = "gpt2";
  // Vocabulary size of the small tokenizer.
  int small_vocab_size = 1024;
  // Bytes of training text the small tokenizer is trained on (a deterministic sample of the
  // train split, shared by all corpora so mixtures use one vocabulary).
  int64_t small_vocab_training_bytes = 4'000'000;
  // Comma-separated sources, or "all", "en_mix", "prose", "tech", "python_stdlib".
  std::string sources = "all";
  // Share of documents (by text hash) held out for validation, in (0, 1).
  double validation_fraction = 0.01;
  // If > 0, only the first N documents of each source (a quick subset for CI and smoke runs).
  int64_t max_documents_per_source = 0;
  // Encoding threads; <= 0 means all cores.
  int threads = 0;
  // Run data/fetch.sh first (idempotent: no network when data/raw is complete). If false, run
  // `data/fetch.sh --verify` instead: a missing or checksum-mismatched source is an error.
  bool fetch = true;
  // Print progress lines to stderr.
  bool verbose = true;
  // If set, read the documents from <docs_dir>/<src>.jsonl as listed in <docs_dir>/summary.tsv
  // (extraction's format, which //data:dedup --out_dir also writes) instead of fetching and
  // extracting data/raw; the shards go to shards/<tokenizer>_docs-<folder name>/.
  std::string docs_dir;
  // With tokenizer "small": this model instead of one trained on the documents' sample, so a
  // filtered corpus keeps the vocabulary (and token ids) of the corpus it was filtered from.
  std::string small_tokenizer_model;

  // InvalidArgument naming the flag of the first bad option.
  absl::Status Validate() const;
};

struct SourceStats {
  std::string src;
  std::string corpus;  // "en_mix" or "python_stdlib"
  int64_t train_documents = 0, validation_documents = 0;
  int64_t train_bytes = 0, validation_bytes = 0;
  int64_t train_tokens = 0, validation_tokens = 0;  // including one separator per document
};

struct ShardRecord {
  std::string corpus;
  std::string split;  // "train" or "validation"
  std::string path;   // absolute
  std::string index_path;  // <corpus>.<split>.docs.tsv: doc, src, id, tokens, bytes per document
  std::string tokenizer_id;
  uint32_t vocab_size = 0;
  int64_t documents = 0;
  int64_t tokens = 0;
  int64_t bytes = 0;  // UTF-8 bytes of the documents' text
  std::string checksum;     // payload checksum (the run record's data hash)
  std::string corpus_hash;  // checksum of the documents
  bool reused = false;      // an existing matching shard was kept
};

struct PrepareSummary {
  std::vector<SourceStats> sources;
  std::vector<ShardRecord> shards;
  std::string manifest_path;
  std::string tokenizer_id;
  double fetch_seconds = 0, extract_seconds = 0, read_seconds = 0, tokenizer_seconds = 0,
         encode_seconds = 0, total_seconds = 0;
  // A table of documents/bytes/tokens per source and corpus, the shards, and the timings.
  std::string FullReport() const;
};

// Runs the pipeline. On failure a one-line error: InvalidArgument or NotFound when it is the
// user's input (missing or damaged sources, an empty split, a bad option), which mains map to
// exit status 2; Internal otherwise. Nothing half-written is left under a final name.
absl::Status Prepare(const PrepareOptions& options, PrepareSummary* summary);

}  // namespace datawall::data

#endif  // DATAWALL_DATA_PREPARE_H_
