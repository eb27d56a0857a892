// `bazel run //data:prepare`: fetch, extract, split, tokenize and shard the corpora (prepare.h).
// Thin main: flags in, summary table out. Exit 0 ok, 2 bad input (one line naming the problem),
// 1 internal failure.
#include <cstdio>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "data/prepare.h"
#include "tools/cli/flags.h"
#include "tools/paths/paths.h"

ABSL_FLAG(std::string, tokenizer, "gpt2", "gpt2 (OpenAI's BPE) or small (SentencePiece BPE).");
ABSL_FLAG(int, small_vocab_size, 1024, "Vocabulary size of --tokenizer=small.");
ABSL_FLAG(int64_t, small_vocab_training_bytes, 4000000,
          "Bytes of train-split text the small tokenizer is trained on.");
ABSL_FLAG(std::string, sources, "all",
          "Comma-separated sources, or all, en_mix, prose, tech, python_stdlib.");
ABSL_FLAG(double, validation_fraction, 0.01, "Share of documents held out (by text hash).");
ABSL_FLAG(int64_t, max_documents_per_source, 0,
          "If > 0, only the first N documents of each source (quick subset).");
ABSL_FLAG(std::string, out, "", "Output directory (default: <workspace>/data/work).");
ABSL_FLAG(std::string, raw, "", "Raw sources directory (default: <workspace>/data/raw).");
ABSL_FLAG(int, threads, 0, "Encoding threads (0: all cores).");
ABSL_FLAG(bool, fetch, true,
          "Run data/fetch.sh first (idempotent); --nofetch only verifies data/raw, never downloads.");
ABSL_FLAG(bool, quiet, false, "No progress lines.");
ABSL_FLAG(std::string, docs_dir, "",
          "Read documents from DIR/<src>.jsonl + DIR/summary.tsv (e.g. //data:dedup --out_dir) "
          "instead of fetching and extracting data/raw.");
ABSL_FLAG(std::string, small_tokenizer_model, "",
          "With --tokenizer=small: use this model (e.g. data/work/tokenizers/small1024_*.model) "
          "instead of training one, so a filtered corpus keeps the original token ids.");

int main(int argc, char** argv) {
  const std::vector<std::string> args = datawall::cli::ParseFlags(
      argc, argv,
      "Usage: bazel run //data:prepare -- [--tokenizer=gpt2|small] [--sources=all] "
      "[--max_documents_per_source=N] [--out=DIR] [--docs_dir=DIR "
      "[--small_tokenizer_model=FILE]]");
  if (!args.empty()) datawall::cli::UsageError("unexpected argument '" + args[0] + "'");
  datawall::data::PrepareOptions options;
  options.root = datawall::paths::WorkspaceRoot();
  auto absolute = [&](const std::string& p) {
    return p.empty() || p[0] == '/' ? p : options.root + "/" + p;
  };
  options.out_dir = absolute(absl::GetFlag(FLAGS_out));
  options.raw_dir = absolute(absl::GetFlag(FLAGS_raw));
  options.tokenizer = absl::GetFlag(FLAGS_tokenizer);
  options.small_vocab_size = absl::GetFlag(FLAGS_small_vocab_size);
  options.small_vocab_training_bytes = absl::GetFlag(FLAGS_small_vocab_training_bytes);
  options.sources = absl::GetFlag(FLAGS_sources);
  options.validation_fraction = absl::GetFlag(FLAGS_validation_fraction);
  options.max_documents_per_source = absl::GetFlag(FLAGS_max_documents_per_source);
  options.threads = absl::GetFlag(FLAGS_threads);
  options.fetch = absl::GetFlag(FLAGS_fetch);
  options.verbose = !absl::GetFlag(FLAGS_quiet);
  options.docs_dir = absolute(absl::GetFlag(FLAGS_docs_dir));
  options.small_tokenizer_model = absolute(absl::GetFlag(FLAGS_small_tokenizer_model));

  datawall::data::PrepareSummary summary;
  if (const absl::Status s = datawall::data::Prepare(options, &summary); !s.ok()) {
    datawall::cli::Exit(s);
  }
  std::cout << summary.FullReport();
  return 0;
}
