// dedup_shard: the dedup arms of the filter experiments from token shards (shard_dedup.h):
//
//   bazel run -c opt //data/dedup:dedup_shard -- --corpus_shard=S --docs_dir=D --subset_shard=P
//       [--min_span_chars=100] [--document_out=F] [--span_out=F --tokenizers_dir=D] [--format=json]
//
// Exit 2 for bad input, with one line naming it.
#include <cstdio>

#include "absl/flags/flag.h"
#include "data/dedup/shard_dedup.h"
#include "tools/cli/flags.h"
#include "tools/json/json.h"
#include "tools/paths/paths.h"

ABSL_FLAG(std::string, corpus_shard, "", "the whole corpus the duplicated spans are found in");
ABSL_FLAG(std::string, docs_dir, "", "where <src>.jsonl holds the corpus documents' text");
ABSL_FLAG(std::string, subset_shard, "", "the documents to deduplicate (a subset of the corpus)");
ABSL_FLAG(std::string, tokenizers_dir, "", "where the corpus tokenizer's SentencePiece model is (span mode)");
ABSL_FLAG(int64_t, min_span_chars, 100, "shortest duplicated span, bytes");
ABSL_FLAG(std::string, document_out, "", "shard of the subset's documents without a duplicated span");
ABSL_FLAG(std::string, span_out, "", "shard of the subset with the duplicated spans cut out");
ABSL_FLAG(int, threads, 1, "encoding threads");
ABSL_FLAG(datawall::cli::TextOrJson, format, datawall::cli::TextOrJson::kText, "text or json");

int main(int argc, char** argv) {
  using namespace datawall;
  cli::ParseFlags(argc, argv, "dedup_shard --corpus_shard=S --docs_dir=D --subset_shard=P [--document_out=F] [--span_out=F]");
  data::dedup::ShardDedupOptions o;
  o.corpus_shard = paths::UserPath(absl::GetFlag(FLAGS_corpus_shard));
  o.docs_dir = paths::UserPath(absl::GetFlag(FLAGS_docs_dir));
  o.subset_shard = paths::UserPath(absl::GetFlag(FLAGS_subset_shard));
  o.tokenizers_dir = paths::UserPath(absl::GetFlag(FLAGS_tokenizers_dir));
  o.min_span_chars = absl::GetFlag(FLAGS_min_span_chars);
  o.document_out = paths::UserPath(absl::GetFlag(FLAGS_document_out));
  o.span_out = paths::UserPath(absl::GetFlag(FLAGS_span_out));
  o.threads = absl::GetFlag(FLAGS_threads);
  if (o.corpus_shard.empty() || o.docs_dir.empty() || o.subset_shard.empty()) {
    cli::UsageError("--corpus_shard, --docs_dir and --subset_shard are required");
  }
  if (o.document_out.empty() && o.span_out.empty()) cli::UsageError("--document_out or --span_out: at least one");
  if (o.threads < 1) cli::UsageError("--threads: must be at least 1");
  data::dedup::ShardDedupSummary s;
  if (absl::Status st = data::dedup::DedupShard(o, &s); !st.ok()) cli::Exit(st);
  const json::Json report = {{"corpus_documents", s.corpus_documents},
                             {"corpus_documents_with_spans", s.corpus_documents_with_spans},
                             {"corpus_span_bytes", s.corpus_span_bytes},
                             {"subset_documents", s.subset_documents},
                             {"subset_documents_with_spans", s.subset_documents_with_spans},
                             {"document_tokens", s.document_tokens},
                             {"span_tokens", s.span_tokens},
                             {"seconds", s.seconds}};
  if (absl::GetFlag(FLAGS_format) == cli::TextOrJson::kJson) {
    absl::StatusOr<std::string> text = json::Dump(report, 2);
    if (!text.ok()) cli::Exit(text.status());
    std::printf("%s\n", text->c_str());
  } else {
    std::printf("corpus: %lld documents, %lld with a duplicated span (%lld span bytes); subset: %lld documents, %lld with one; "
                "document mode keeps %lld tokens, span mode %lld; %.1f s\n",
                (long long)s.corpus_documents, (long long)s.corpus_documents_with_spans, (long long)s.corpus_span_bytes,
                (long long)s.subset_documents, (long long)s.subset_documents_with_spans, (long long)s.document_tokens,
                (long long)s.span_tokens, s.seconds);
  }
  return 0;
}
