// `bazel run //data:inspect -- --shard=PATH [--unique_tokens=U --total_tokens=D --seq_len=S]`:
// verifies a shard (checksum), prints what it holds, and with a budget prints the data plan the
// paper's terms use: U_D, epochs = D / U_D, R_D = epochs - 1, sequences per epoch, and the first
// sequence of the run. Thin main over data/shard.h and data/sampler.h; it trains nothing.
// Exit 0 ok, 2 bad input (missing or damaged shard, a budget larger than the shard, ...).
#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "data/sampler.h"
#include "data/shard.h"
#include "tools/cli/flags.h"
#include "tools/paths/paths.h"

ABSL_FLAG(std::string, shard, "", "Shard file (relative paths are from the workspace root).");
ABSL_FLAG(int64_t, unique_tokens, 0, "Unique-data budget U_D (0: no plan).");
ABSL_FLAG(int64_t, total_tokens, 0, "Tokens to train on, D (0: one epoch of U_D).");
ABSL_FLAG(int64_t, seq_len, 256, "Sequence length.");
ABSL_FLAG(uint64_t, order_seed, 1, "Seed of the document order that defines the budget prefix.");
ABSL_FLAG(uint64_t, seed, 1, "Seed of the per-epoch reshuffle.");

int main(int argc, char** argv) {
  using datawall::cli::UsageError;
  const std::vector<std::string> args = datawall::cli::ParseFlags(
      argc, argv,
      "Usage: bazel run //data:inspect -- --shard=PATH [--unique_tokens=U] [--total_tokens=D] "
      "[--seq_len=S]");
  if (!args.empty()) UsageError("unexpected argument '" + args[0] + "'");
  std::string path = absl::GetFlag(FLAGS_shard);
  if (path.empty()) UsageError("--shard is required");
  if (path[0] != '/') path = datawall::paths::WorkspaceRoot() + "/" + path;
  std::string error;
  auto shard = datawall::data::Shard::Open(path, &error);
  if (!shard) UsageError(error);
  std::cout << "shard:        " << path << "\n"
            << "tokenizer:    " << shard->info().tokenizer_id << " (vocab "
            << shard->info().vocab_size << ")\n"
            << "documents:    " << shard->num_documents() << "\n"
            << "tokens:       " << shard->num_tokens() << "\n"
            << "checksum:     " << shard->checksum() << "\n"
            << "corpus hash:  " << shard->info().corpus_hash << "\n";
  const int64_t unique = absl::GetFlag(FLAGS_unique_tokens);
  if (unique == 0) return 0;
  const int64_t seq_len = absl::GetFlag(FLAGS_seq_len);
  if (seq_len < 1) UsageError("--seq_len must be positive");
  int64_t total = absl::GetFlag(FLAGS_total_tokens);
  if (total < 0) UsageError("--total_tokens must be >= 0");
  if (total == 0) total = unique;
  std::vector<int32_t> tokens = datawall::data::UniqueTokens(
      *shard, unique, absl::GetFlag(FLAGS_order_seed), &error);
  if (tokens.empty()) UsageError("--unique_tokens: " + error);
  if (unique < seq_len + 1) {
    UsageError("--unique_tokens=" + std::to_string(unique) +
               " cannot fill one sequence of --seq_len + 1 = " + std::to_string(seq_len + 1));
  }
  datawall::data::RepeatSampler sampler(std::move(tokens), seq_len, absl::GetFlag(FLAGS_seed));
  const double epochs = static_cast<double>(total) / static_cast<double>(unique);
  const int64_t sequences = (total + seq_len - 1) / seq_len;
  char line[256];
  std::snprintf(line, sizeof(line),
                "plan:         U_D = %lld, D = %lld, epochs = %.4f, R_D = %.4f\n"
                "sequences:    %lld per epoch of %lld tokens, %lld in all\n",
                static_cast<long long>(unique), static_cast<long long>(total), epochs,
                epochs > 1 ? epochs - 1 : 0.0, static_cast<long long>(sampler.sequences_per_epoch()),
                static_cast<long long>(seq_len + 1), static_cast<long long>(sequences));
  std::cout << line;
  std::vector<int32_t> first(seq_len + 1);
  sampler.Sequence(0, first.data());
  std::cout << "sequence 0:  ";
  for (int64_t i = 0; i < std::min<int64_t>(seq_len + 1, 16); ++i) std::cout << " " << first[i];
  std::cout << (seq_len + 1 > 16 ? " ...\n" : "\n");
  return 0;
}
