// `bazel run //data:inspect -- --shard=PATH [--unique_tokens=U --total_tokens=D --seq_len=S]`:
// verifies a shard (checksum), prints what it holds (documents, tokens, sources), and with a
// budget prints the data plan in the paper's terms (U_D, epochs = D / U_D, R_D = epochs - 1,
// sequences per epoch), the budget's source mix and `source_tv`, its total-variation distance to
// the shard's mix (data/budget.h). --format=json prints the same as one JSON object.
// Thin main over data/shard.h, data/budget.h and data/sampler.h; it trains nothing.
// Exit 0 ok, 2 bad input (missing or damaged shard, a budget larger than the shard, ...).
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "data/budget.h"
#include "data/sampler.h"
#include "data/shard.h"
#include "tools/cli/flags.h"
#include "tools/json/json.h"
#include "tools/paths/paths.h"

namespace datawall::data {

// --budget_order: the names of BudgetOrderName.
bool AbslParseFlag(absl::string_view text, BudgetOrder* order, std::string* error) {
  if (ParseBudgetOrder(std::string_view(text.data(), text.size()), order)) return true;
  *error = "'" + std::string(text) + "' is not representative, documents or shard_prefix";
  return false;
}

std::string AbslUnparseFlag(BudgetOrder order) { return BudgetOrderName(order); }

}  // namespace datawall::data

ABSL_FLAG(std::string, shard, "", "Shard file (relative paths are from the workspace root).");
ABSL_FLAG(int64_t, unique_tokens, 0, "Unique-data budget U_D (0: no plan).");
ABSL_FLAG(int64_t, total_tokens, 0, "Tokens to train on, D (0: one epoch of U_D).");
ABSL_FLAG(int64_t, seq_len, 256, "Sequence length.");
ABSL_FLAG(datawall::data::BudgetOrder, budget_order, datawall::data::BudgetOrder::kRepresentative,
          "representative, documents or shard_prefix (data/budget.h).");
ABSL_FLAG(int64_t, chunk_tokens, 0, "Piece length of a representative budget (0: --seq_len).");
ABSL_FLAG(uint64_t, order_seed, 0, "Seed of the budget order (a run's data_order_seed).");
ABSL_FLAG(uint64_t, seed, 1, "Seed of the per-epoch reshuffle.");
ABSL_FLAG(datawall::cli::TextOrJson, format, datawall::cli::TextOrJson::kText, "text or json.");

namespace {

using datawall::cli::UsageError;
using datawall::json::Json;

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args = datawall::cli::ParseFlags(
      argc, argv,
      "Usage: bazel run //data:inspect -- --shard=PATH [--unique_tokens=U] [--total_tokens=D] "
      "[--seq_len=S] [--budget_order=representative|documents|shard_prefix] [--format=json]");
  if (!args.empty()) UsageError("unexpected argument '" + args[0] + "'");
  const bool json = absl::GetFlag(FLAGS_format) == datawall::cli::TextOrJson::kJson;
  if (absl::GetFlag(FLAGS_chunk_tokens) < 0) {
    UsageError("--chunk_tokens must be >= 0 (0: --seq_len)");
  }
  std::string path = absl::GetFlag(FLAGS_shard);
  if (path.empty()) UsageError("--shard is required");
  if (path[0] != '/') path = datawall::paths::WorkspaceRoot() + "/" + path;
  std::unique_ptr<datawall::data::Shard> shard;
  if (datawall::Result r = datawall::data::Shard::Open(path, &shard); !r.ok()) {
    UsageError(r.message());
  }
  const datawall::data::ShardInfo& info = shard->info();
  Json out = {{"shard", path},
              {"tokenizer", info.tokenizer_id},
              {"vocab_size", info.vocab_size},
              {"documents", shard->num_documents()},
              {"tokens", shard->num_tokens()},
              {"checksum", shard->checksum()},
              {"corpus_hash", info.corpus_hash},
              {"sources", info.sources.size()}};
  std::string text = "shard:        " + path + "\ntokenizer:    " + info.tokenizer_id +
                     " (vocab " + std::to_string(info.vocab_size) + ")\ndocuments:    " +
                     std::to_string(shard->num_documents()) + "\ntokens:       " +
                     std::to_string(shard->num_tokens()) + "\nchecksum:     " +
                     shard->checksum() + "\ncorpus hash:  " + info.corpus_hash +
                     "\nsources:      " + std::to_string(info.sources.size()) + "\n";
  const int64_t unique = absl::GetFlag(FLAGS_unique_tokens);
  if (unique != 0) {
    const int64_t seq_len = absl::GetFlag(FLAGS_seq_len);
    if (seq_len < 1) UsageError("--seq_len must be positive");
    int64_t total = absl::GetFlag(FLAGS_total_tokens);
    if (total < 0) UsageError("--total_tokens must be >= 0");
    if (total == 0) total = unique;
    if (unique < seq_len + 1) {
      UsageError("--unique_tokens=" + std::to_string(unique) +
                 " cannot fill one sequence of --seq_len + 1 = " + std::to_string(seq_len + 1));
    }
    datawall::data::BudgetOptions budget;
    budget.unique_tokens = unique;
    budget.order_seed = absl::GetFlag(FLAGS_order_seed);
    budget.order = absl::GetFlag(FLAGS_budget_order);
    budget.chunk_tokens =
        absl::GetFlag(FLAGS_chunk_tokens) > 0 ? absl::GetFlag(FLAGS_chunk_tokens) : seq_len;
    std::vector<int32_t> tokens;
    datawall::data::SourceMix mix;
    if (datawall::Result r = datawall::data::MakeBudget(*shard, budget, &tokens, &mix); !r.ok()) {
      UsageError("--unique_tokens: " + r.message());
    }
    datawall::data::RepeatSampler sampler(std::move(tokens), seq_len, absl::GetFlag(FLAGS_seed));
    const double epochs = static_cast<double>(total) / static_cast<double>(unique);
    const int64_t sequences = (total + seq_len - 1) / seq_len;
    char line[320];
    std::snprintf(line, sizeof(line),
                  "plan:         U_D = %lld, D = %lld, epochs = %.4f, R_D = %.4f\n"
                  "sequences:    %lld per epoch of %lld tokens, %lld in all\n"
                  "budget:       %s order, seed %llu, pieces of <= %lld tokens\n"
                  "source_tv:    %.6f\n",
                  static_cast<long long>(unique), static_cast<long long>(total), epochs,
                  epochs > 1 ? epochs - 1 : 0.0,
                  static_cast<long long>(sampler.sequences_per_epoch()),
                  static_cast<long long>(seq_len + 1), static_cast<long long>(sequences),
                  datawall::data::BudgetOrderName(budget.order),
                  static_cast<unsigned long long>(budget.order_seed),
                  static_cast<long long>(budget.chunk_tokens), mix.source_tv);
    text += line;
    Json sources = Json::array();
    for (size_t s = 0; s < mix.sources.size(); ++s) {
      const double b = static_cast<double>(mix.budget_tokens[s]) / static_cast<double>(unique);
      const double c = static_cast<double>(mix.shard_tokens[s]) /
                       static_cast<double>(shard->num_tokens());
      std::snprintf(line, sizeof(line), "  %-22s budget %7.4f  shard %7.4f\n",
                    mix.sources[s].empty() ? "(unnamed)" : mix.sources[s].c_str(), b, c);
      text += line;
      sources.push_back({{"source", mix.sources[s]},
                         {"budget_tokens", mix.budget_tokens[s]},
                         {"shard_tokens", mix.shard_tokens[s]}});
    }
    std::vector<int32_t> first(seq_len + 1);
    sampler.Sequence(0, first.data());
    text += "sequence 0:  ";
    for (int64_t i = 0; i < std::min<int64_t>(seq_len + 1, 16); ++i) {
      text += " " + std::to_string(first[i]);
    }
    text += seq_len + 1 > 16 ? " ...\n" : "\n";
    out["unique_tokens"] = unique;
    out["total_tokens"] = total;
    out["epochs"] = epochs;
    out["sequences_per_epoch"] = sampler.sequences_per_epoch();
    out["budget_order"] = datawall::data::BudgetOrderName(budget.order);
    out["order_seed"] = budget.order_seed;
    out["chunk_tokens"] = budget.chunk_tokens;
    out["source_tv"] = mix.source_tv;
    out["source_mix"] = std::move(sources);
  }
  if (json) {
    absl::StatusOr<std::string> dumped = datawall::json::Dump(out, 2);
    if (!dumped.ok()) UsageError(std::string(dumped.status().message()));
    std::cout << *dumped << "\n";
  } else {
    std::cout << text;
  }
  return 0;
}
