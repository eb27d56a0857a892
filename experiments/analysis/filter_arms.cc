// The filter experiments' per-arm comparison (see filter_arms.h).
#include "experiments/analysis/filter_arms.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "experiments/analysis/shift_ablation.h"

namespace datawall::analysis {
namespace {

using experiments::FilterArmResult;
using experiments::FilterComparison;
using experiments::SeedMean;

struct PerSeed {
  std::vector<std::pair<uint64_t, double>> final_loss, full_loss, quality_loss;  // (seed, loss)
  std::map<std::string, std::vector<std::pair<uint64_t, double>>> sources;     // by source
  std::map<std::string, records::DocumentsLoss> source_size;
};

SeedMean InSeedOrder(std::vector<std::pair<uint64_t, double>> v) {
  std::sort(v.begin(), v.end());
  std::vector<double> x;
  for (const auto& [seed, loss] : v) x.push_back(loss);
  return MeanOverSeeds(x);
}

// Sample variance of a mean's per-seed values, times its degrees of freedom.
double SumOfSquares(const SeedMean& m) {
  double ss = 0;
  for (double x : m.per_seed()) ss += (x - m.mean()) * (x - m.mean());
  return ss;
}

// The pooled seed sd over the arms with >= 2 seeds of one measure (0 when none has).
double PooledSd(const std::vector<const SeedMean*>& means) {
  double ss = 0;
  int dof = 0;
  for (const SeedMean* m : means) {
    if (m->n() < 2) continue;
    ss += SumOfSquares(*m);
    dof += m->n() - 1;
  }
  return dof > 0 ? std::sqrt(ss / dof) : 0;
}

// (change, allowed) of `arm` against `all`.
std::pair<double, double> Against(const SeedMean& arm, const SeedMean& all, double sd) {
  if (arm.n() == 0 || all.n() == 0 || all.mean() <= 0) return {0, 0};
  const double change = arm.mean() / all.mean() - 1;
  const double allowed = 2 * sd * std::sqrt(1.0 / arm.n() + 1.0 / all.n()) / all.mean();
  return {change, allowed};
}

}  // namespace

std::optional<FilterComparison> CompareFilterArms(const experiments::ExperimentSpec& spec,
                                                  const experiments::SweepPlan& plan,
                                                  const std::vector<records::RunRow>& rows,
                                                  const records::FilterEvidence& evidence) {
  std::vector<std::string> order;  // the unfiltered arm first, then first appearance
  for (const auto& run : plan.runs()) {
    if (run.filter().empty()) continue;
    if (std::find(order.begin(), order.end(), run.filter()) == order.end()) order.push_back(run.filter());
  }
  if (order.empty()) return std::nullopt;
  std::stable_partition(order.begin(), order.end(), [](const std::string& f) { return f == kUnfilteredArm; });

  std::map<std::string, const records::RunRow*> complete;
  for (const auto& row : rows) {
    if (row.complete) complete[row.hash] = &row;
  }
  FilterComparison out;
  out.set_quality_validation_tokens(evidence.pools.quality_validation_tokens());
  out.set_reference_run(evidence.pools.reference_run());
  out.set_reference_tokens(evidence.pools.reference_tokens());
  for (const auto& scale : spec.scales()) {
    if (scale.name() != plan.scale()) continue;
    for (const auto& src : scale.pools().quality_sources()) out.add_quality_sources(src);
  }
  int64_t all_pool_tokens = 0;
  for (const auto& st : evidence.pools.stats()) {
    if (st.filter() == kUnfilteredArm) all_pool_tokens = st.tokens();
  }

  std::map<std::string, PerSeed> seeds;
  for (const std::string& filter : order) {
    FilterArmResult* arm = out.add_arms();
    arm->set_filter(filter);
    for (const auto& a : evidence.pools.arms()) {
      if (a.filter() == filter) arm->set_provenance(a.provenance());
    }
    for (const auto& st : evidence.pools.stats()) {
      if (st.filter() != filter) continue;
      arm->set_documents(st.documents());
      arm->set_pool_tokens(st.tokens());
      if (all_pool_tokens > 0) arm->set_pool_share(static_cast<double>(st.tokens()) / all_pool_tokens);
    }
    PerSeed& ps = seeds[filter];
    for (const auto& run : plan.runs()) {
      if (run.filter() != filter) continue;
      arm->set_unique_tokens(run.spec().unique_tokens());
      arm->set_epochs(run.epochs());
      const auto row = complete.find(run.hash());
      if (row == complete.end()) continue;
      const uint64_t seed = run.spec().seed();
      ps.final_loss.emplace_back(seed, row->second->final_val_loss);
      const auto v = evidence.by_hash.find(run.hash());
      if (v == evidence.by_hash.end()) continue;
      ps.full_loss.emplace_back(seed, v->second.all.loss);
      if (out.validation_tokens() == 0) out.set_validation_tokens(v->second.all.tokens);
      if (v->second.quality) ps.quality_loss.emplace_back(seed, v->second.quality->loss);
      for (const auto& [src, l] : v->second.sources) {
        ps.sources[src].emplace_back(seed, l.loss);
        ps.source_size[src] = l;
      }
    }
    *arm->mutable_final_loss() = InSeedOrder(ps.final_loss);
    *arm->mutable_full_loss() = InSeedOrder(ps.full_loss);
    *arm->mutable_quality_loss() = InSeedOrder(ps.quality_loss);
    for (auto& [src, losses] : ps.sources) {
      experiments::FilterSourceLoss* s = arm->add_sources();
      s->set_src(src);
      s->set_documents(ps.source_size[src].documents);
      s->set_tokens(ps.source_size[src].tokens);
      *s->mutable_loss() = InSeedOrder(losses);
    }
  }

  std::vector<const SeedMean*> finals, fulls, qualities;
  for (const auto& arm : out.arms()) {
    finals.push_back(&arm.final_loss());
    fulls.push_back(&arm.full_loss());
    qualities.push_back(&arm.quality_loss());
  }
  out.set_final_seed_sd(PooledSd(finals));
  out.set_full_seed_sd(PooledSd(fulls));
  out.set_quality_seed_sd(PooledSd(qualities));
  if (out.arms(0).filter() != kUnfilteredArm) return out;  // nothing to compare against
  const FilterArmResult all = out.arms(0);
  for (FilterArmResult& arm : *out.mutable_arms()) {
    auto [fc, fa] = Against(arm.final_loss(), all.final_loss(), out.final_seed_sd());
    auto [vc, va] = Against(arm.full_loss(), all.full_loss(), out.full_seed_sd());
    auto [qc, qa] = Against(arm.quality_loss(), all.quality_loss(), out.quality_seed_sd());
    arm.set_final_change(fc);
    arm.set_final_allowed(fa);
    arm.set_full_change(vc);
    arm.set_full_allowed(va);
    arm.set_quality_change(qc);
    arm.set_quality_allowed(qa);
    for (experiments::FilterSourceLoss& src : *arm.mutable_sources()) {
      for (const experiments::FilterSourceLoss& base : all.sources()) {
        if (base.src() != src.src()) continue;
        std::vector<const SeedMean*> both = {&base.loss(), &src.loss()};
        auto [sc, sa] = Against(src.loss(), base.loss(), PooledSd(both));
        src.set_change(sc);
        src.set_allowed(sa);
      }
    }
  }
  return out;
}

}  // namespace datawall::analysis
