// Budget orders and source mixes (see budget.h). The order is computed as a list of token spans
// of the shard, stopping at the budget, so asking for a small budget of a large shard touches
// only the document index (plus one pass over the pieces of each source to order them).
#include "data/budget.h"

#include <algorithm>
#include <cmath>

#include "data/random.h"

namespace datawall::data {
namespace {

struct Span {
  int64_t begin = 0;   // token offset in the shard
  int64_t length = 0;
  int source = 0;
};

int NumSources(const Shard& shard) {
  return std::max<int>(1, static_cast<int>(shard.info().sources.size()));
}

// Appends to *spans the pieces in budget order until they hold `budget` tokens (the last piece
// cut to fit).
void OrderSpans(const Shard& shard, const BudgetOptions& o, std::vector<Span>* spans) {
  int64_t remaining = o.unique_tokens;
  auto take = [&](int64_t begin, int64_t length, int source) {
    const int64_t n = std::min(length, remaining);
    if (n > 0) spans->push_back({begin, n, source});
    remaining -= n;
  };
  const int64_t docs = shard.num_documents();
  if (o.order == BudgetOrder::kShardPrefix) {
    for (int64_t d = 0; d < docs && remaining > 0; ++d) {
      const int64_t begin = shard.document_start(d);
      take(begin, shard.document_start(d + 1) - begin, shard.document_source(d));
    }
    return;
  }
  if (o.order == BudgetOrder::kDocuments) {
    const std::vector<int64_t> order =
        random::Permutation(docs, o.order_seed, random::kDocumentOrderPurpose, 0);
    for (const int64_t d : order) {
      if (remaining == 0) break;
      const int64_t begin = shard.document_start(d);
      take(begin, shard.document_start(d + 1) - begin, shard.document_source(d));
    }
    return;
  }
  // kRepresentative: per-source pieces in a seeded order, interleaved by token share.
  const int n = NumSources(shard);
  std::vector<std::vector<Span>> pieces(n);
  std::vector<int64_t> source_tokens(n, 0);
  for (int64_t d = 0; d < docs; ++d) {
    const int s = shard.document_source(d);
    const int64_t end = shard.document_start(d + 1);
    for (int64_t b = shard.document_start(d); b < end; b += o.chunk_tokens) {
      pieces[s].push_back({b, std::min(o.chunk_tokens, end - b), s});
    }
    source_tokens[s] += end - shard.document_start(d);
  }
  std::vector<std::vector<int64_t>> order(n);
  for (int s = 0; s < n; ++s) {
    order[s] = random::Permutation(static_cast<int64_t>(pieces[s].size()), o.order_seed,
                                   random::kChunkOrderPurpose, static_cast<uint64_t>(s));
  }
  const double total = static_cast<double>(shard.num_tokens());
  std::vector<int64_t> served(n, 0);
  std::vector<size_t> next(n, 0);
  int64_t served_total = 0;
  while (remaining > 0) {
    // The source furthest below its share of the tokens served so far (ties: the larger share,
    // then the lower index); exhausted sources drop out.
    int chosen = -1;
    double best = 0;
    for (int s = 0; s < n; ++s) {
      if (next[s] == pieces[s].size()) continue;
      const double share = static_cast<double>(source_tokens[s]) / total;
      const double deficit = share * static_cast<double>(served_total) -
                             static_cast<double>(served[s]);
      if (chosen < 0 || deficit > best + 1e-9 ||
          (std::fabs(deficit - best) <= 1e-9 && source_tokens[s] > source_tokens[chosen])) {
        chosen = s;
        best = deficit;
      }
    }
    const Span& piece = pieces[chosen][order[chosen][next[chosen]++]];
    const int64_t before = remaining;
    take(piece.begin, piece.length, piece.source);
    served[chosen] += before - remaining;
    served_total += before - remaining;
  }
}

Result Check(const Shard& shard, const BudgetOptions& o) {
  if (o.unique_tokens <= 0) {
    return Result::BadInput("unique token budget must be positive, got " +
                            std::to_string(o.unique_tokens));
  }
  if (o.unique_tokens > shard.num_tokens()) {
    return Result::BadInput("unique token budget " + std::to_string(o.unique_tokens) +
                            " exceeds the " + std::to_string(shard.num_tokens()) +
                            " tokens of " + shard.path());
  }
  if (o.order == BudgetOrder::kRepresentative && o.chunk_tokens <= 0) {
    return Result::BadInput("a representative budget needs chunk_tokens > 0, got " +
                            std::to_string(o.chunk_tokens));
  }
  return Result::Ok();
}

void Mix(const Shard& shard, const std::vector<Span>& spans, SourceMix* mix) {
  const int n = NumSources(shard);
  *mix = SourceMix();
  mix->sources = shard.info().sources;
  if (mix->sources.empty()) mix->sources.push_back("");
  mix->budget_tokens.assign(n, 0);
  mix->shard_tokens.assign(n, 0);
  int64_t budget = 0;
  for (const Span& s : spans) {
    mix->budget_tokens[s.source] += s.length;
    budget += s.length;
  }
  for (int64_t d = 0; d < shard.num_documents(); ++d) {
    mix->shard_tokens[shard.document_source(d)] +=
        shard.document_start(d + 1) - shard.document_start(d);
  }
  double tv = 0;
  for (int s = 0; s < n; ++s) {
    tv += std::fabs(static_cast<double>(mix->budget_tokens[s]) / static_cast<double>(budget) -
                    static_cast<double>(mix->shard_tokens[s]) /
                        static_cast<double>(shard.num_tokens()));
  }
  mix->source_tv = 0.5 * tv;
}

}  // namespace

const char* BudgetOrderName(BudgetOrder order) {
  switch (order) {
    case BudgetOrder::kRepresentative: return "representative";
    case BudgetOrder::kDocuments: return "documents";
    case BudgetOrder::kShardPrefix: return "shard_prefix";
  }
  return "?";
}

bool ParseBudgetOrder(std::string_view name, BudgetOrder* order) {
  for (BudgetOrder o :
       {BudgetOrder::kRepresentative, BudgetOrder::kDocuments, BudgetOrder::kShardPrefix}) {
    if (name == BudgetOrderName(o)) {
      *order = o;
      return true;
    }
  }
  return false;
}

Result MakeBudget(const Shard& shard, const BudgetOptions& options, std::vector<int32_t>* tokens,
                  SourceMix* mix) {
  if (Result r = Check(shard, options); !r.ok()) return r;
  std::vector<Span> spans;
  OrderSpans(shard, options, &spans);
  tokens->assign(static_cast<size_t>(options.unique_tokens), 0);
  int64_t filled = 0;
  for (const Span& s : spans) {
    shard.CopyTokens(s.begin, s.length, tokens->data() + filled);
    filled += s.length;
  }
  if (mix != nullptr) Mix(shard, spans, mix);
  return Result::Ok();
}

Result MeasureBudget(const Shard& shard, const BudgetOptions& options, SourceMix* mix) {
  if (Result r = Check(shard, options); !r.ok()) return r;
  std::vector<Span> spans;
  OrderSpans(shard, options, &spans);
  Mix(shard, spans, mix);
  return Result::Ok();
}

}  // namespace datawall::data
