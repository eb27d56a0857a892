// The repetition_vs_shift analysis (see shift_ablation.h).
#include "experiments/analysis/shift_ablation.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "absl/strings/str_format.h"

namespace datawall::analysis {
namespace {

using experiments::SeedMean;

bool Near(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(b)); }

}  // namespace

SeedMean MeanOverSeeds(const std::vector<double>& v) {
  SeedMean m;
  m.set_n(static_cast<int>(v.size()));
  for (double x : v) m.add_per_seed(x);
  if (v.empty()) return m;
  double sum = 0;
  for (double x : v) sum += x;
  const double mean = sum / static_cast<double>(v.size());
  m.set_mean(mean);
  m.set_lower(mean);
  m.set_upper(mean);
  if (v.size() > 1) {
    double ss = 0;
    for (double x : v) ss += (x - mean) * (x - mean);
    const double se = std::sqrt(ss / static_cast<double>(v.size() - 1)) /
                      std::sqrt(static_cast<double>(v.size()));
    m.set_standard_error(se);
    const double half = StudentT975(static_cast<int>(v.size()) - 1) * se;
    m.set_lower(mean - half);
    m.set_upper(mean + half);
  }
  return m;
}

namespace {

double Mean(const std::vector<double>& v, const std::vector<int>& pick) {
  double sum = 0;
  for (int i : pick) sum += v[i];
  return sum / static_cast<double>(pick.size());
}

// Percentile interval of 1 - mean(repr) / mean(docs) over all n^n resamples of the seeds (each
// resample equally likely); resamples whose document-order mean is <= 0 have no share and are
// left out. False when n is too large to enumerate (n > 7) or no resample has a share.
bool BootstrapShare(const std::vector<double>& docs, const std::vector<double>& repr, double* lo,
                    double* hi) {
  const int n = static_cast<int>(docs.size());
  if (n > 7) return false;
  std::vector<double> shares;
  std::vector<int> pick(n, 0);
  while (true) {
    const double d = Mean(docs, pick);
    if (d > 0) shares.push_back(1 - Mean(repr, pick) / d);
    int i = 0;
    while (i < n && ++pick[i] == n) pick[i++] = 0;
    if (i == n) break;
  }
  if (shares.empty()) return false;
  std::sort(shares.begin(), shares.end());
  auto quantile = [&](double q) {
    const double pos = q * static_cast<double>(shares.size() - 1);
    const size_t a = static_cast<size_t>(std::floor(pos));
    const size_t b = std::min(a + 1, shares.size() - 1);
    return shares[a] + (pos - static_cast<double>(a)) * (shares[b] - shares[a]);
  };
  *lo = quantile(0.025);
  *hi = quantile(0.975);
  return true;
}

std::string Pct(const SeedMean& m) {
  return absl::StrFormat("%+.2f%% [%+.2f%%, %+.2f%%]", m.mean() * 100, m.lower() * 100,
                         m.upper() * 100);
}

}  // namespace

double StudentT975(int dof) {
  static const double kT[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
                              2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120,
                              2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
                              2.060,  2.056, 2.052, 2.048, 2.045, 2.042};
  if (dof < 1) return 0;
  if (dof <= 30) return kT[dof - 1];
  return 1.96;
}

bool HasSeveralBudgetOrders(const experiments::SweepPlan& plan) {
  std::set<int> orders;
  for (const auto& r : plan.runs()) orders.insert(r.spec().budget_order());
  return orders.size() > 1;
}

std::optional<experiments::ShiftAblation> AnalyzeShift(const experiments::SweepPlan& plan,
                                                       const std::vector<records::RunRow>& rows) {
  std::map<std::string, const records::RunRow*> by_hash;
  for (const records::RunRow& r : rows) by_hash[r.hash] = &r;
  // (order, epochs, seed) -> the complete row.
  struct Key {
    int order;
    double epochs;
    uint64_t seed;
    bool operator<(const Key& o) const {  // epochs are D / U, exact for equal D and U
      return std::tie(order, epochs, seed) < std::tie(o.order, o.epochs, o.seed);
    }
  };
  std::map<Key, const records::RunRow*> runs;
  std::set<double> epoch_counts;
  std::set<uint64_t> seeds;
  double se_sum = 0;
  int se_n = 0;
  for (const auto& p : plan.runs()) {
    auto it = by_hash.find(p.hash());
    if (it == by_hash.end() || !it->second->complete) continue;
    const int order = p.spec().budget_order();
    if (order != experiments::DOCUMENTS && order != experiments::REPRESENTATIVE) continue;
    runs[{order, p.epochs(), p.spec().seed()}] = it->second;
    epoch_counts.insert(p.epochs());
    seeds.insert(p.spec().seed());
    if (it->second->final_val_loss_se) {
      se_sum += *it->second->final_val_loss_se;
      ++se_n;
    }
  }
  auto get = [&](int order, double e, uint64_t seed) -> const records::RunRow* {
    auto it = runs.find({order, e, seed});
    return it == runs.end() ? nullptr : it->second;
  };
  experiments::ShiftAblation out;
  out.set_confidence(0.95);
  if (se_n > 0) out.set_mean_validation_se(se_sum / se_n);
  auto mean_tv = [&](int order, double e) {
    double sum = 0;
    int n = 0;
    for (uint64_t s : seeds) {
      if (const records::RunRow* r = get(order, e, s); r && r->source_tv) {
        sum += *r->source_tv;
        ++n;
      }
    }
    return n > 0 ? sum / n : 0.0;
  };
  out.set_documents_source_tv_1(mean_tv(experiments::DOCUMENTS, 1));
  out.set_representative_source_tv_1(mean_tv(experiments::REPRESENTATIVE, 1));
  for (double e : epoch_counts) {
    if (Near(e, 1)) continue;
    std::vector<double> docs, repr, diff;
    for (uint64_t s : seeds) {
      const auto* d1 = get(experiments::DOCUMENTS, 1, s);
      const auto* de = get(experiments::DOCUMENTS, e, s);
      const auto* r1 = get(experiments::REPRESENTATIVE, 1, s);
      const auto* re = get(experiments::REPRESENTATIVE, e, s);
      if (!d1 || !de || !r1 || !re) continue;
      docs.push_back(de->final_val_loss / d1->final_val_loss - 1);
      repr.push_back(re->final_val_loss / r1->final_val_loss - 1);
      diff.push_back(docs.back() - repr.back());
    }
    if (docs.size() < 2) continue;
    experiments::ShiftAtEpochs* at = out.add_at();
    at->set_epochs(e);
    *at->mutable_documents_cost() = MeanOverSeeds(docs);
    *at->mutable_representative_cost() = MeanOverSeeds(repr);
    *at->mutable_difference() = MeanOverSeeds(diff);
    at->set_documents_source_tv(mean_tv(experiments::DOCUMENTS, e));
    at->set_representative_source_tv(mean_tv(experiments::REPRESENTATIVE, e));
    const double d = at->documents_cost().mean();
    std::string share = "undefined (the document-order cost is not positive)";
    if (d > 0) {
      at->set_shift_share_defined(true);
      at->set_shift_share(1 - at->representative_cost().mean() / d);
      double lo = 0, hi = 0;
      if (BootstrapShare(docs, repr, &lo, &hi)) {
        at->set_shift_share_lower(lo);
        at->set_shift_share_upper(hi);
        share = absl::StrFormat("%.0f%% [%.0f%%, %.0f%%]", at->shift_share() * 100, lo * 100,
                                hi * 100);
      } else {
        share = absl::StrFormat("%.0f%%", at->shift_share() * 100);
      }
    }
    out.add_statements(absl::StrFormat(
        "%g epochs vs 1 at equal compute (%d seeds): document-order budgets %s, representative "
        "%s, difference %s; share of the document-order cost that representative budgets "
        "remove: %s (source_tv %.3f vs %.3f at %g epochs)",
        e, static_cast<int>(docs.size()), Pct(at->documents_cost()),
        Pct(at->representative_cost()), Pct(at->difference()), share,
        at->documents_source_tv(), at->representative_source_tv(), e));
  }
  if (out.at().empty()) return std::nullopt;
  return out;
}

}  // namespace datawall::analysis
