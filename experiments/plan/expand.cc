// Expansion of an ExperimentSpec scale into RunSpecs (see expand.h).
#include "experiments/plan/expand.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tools/proto/text_format.h"
#include "experiments/records/records.h"
#include "models/shape.h"
#include "tools/io/atomic_file.h"
#include "tools/io/checksum.h"
#include "tools/result/status.h"

namespace datawall::plan {
namespace {

using experiments::ExperimentKind;
using experiments::ModelShape;
using experiments::Scale;

absl::Status Invalid(const std::string& where, const std::string& message) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", message));
}

bool Near(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(b)); }

// Resolves a (possibly preset-named) shape into a full models::ModelShape.
absl::StatusOr<models::ModelShape> Resolve(const ModelShape& in, const std::string& where) {
  models::ModelShape s;
  if (!in.preset().empty()) {
    const models::Preset* p = models::FindPreset(in.preset());
    if (p == nullptr) return Invalid(where, absl::StrCat("unknown preset \"", in.preset(), "\""));
    s = p->shape;
  }
  if (in.d_model()) s.d_model = in.d_model();
  if (in.ffw_size()) s.ffw_size = in.ffw_size();
  if (in.kv_size()) s.kv_size = in.kv_size();
  if (in.n_heads()) s.n_heads = in.n_heads();
  if (in.n_layers()) s.n_layers = in.n_layers();
  if (in.vocab_size()) s.vocab_size = in.vocab_size();
  if (in.seq_len()) s.seq_len = in.seq_len();
  if (in.dropout() != 0) s.dropout = in.dropout();
  if (const Result r = s.Validate(); !r.ok()) return Invalid(where, r.message());
  return s;
}

// The RunSpec form of a resolved shape: every field explicit, the preset name kept only when
// the shape is exactly the preset's.
ModelShape ToProto(const models::ModelShape& s, const std::string& preset) {
  ModelShape out;
  if (!preset.empty()) {
    const models::Preset* p = models::FindPreset(preset);
    const models::ModelShape& q = p->shape;
    if (q.d_model == s.d_model && q.ffw_size == s.ffw_size && q.kv_size == s.kv_size &&
        q.n_heads == s.n_heads && q.n_layers == s.n_layers && q.vocab_size == s.vocab_size &&
        q.seq_len == s.seq_len && q.dropout == s.dropout) {
      out.set_preset(preset);
    }
  }
  out.set_d_model(s.d_model);
  out.set_ffw_size(s.ffw_size);
  out.set_kv_size(s.kv_size);
  out.set_n_heads(s.n_heads);
  out.set_n_layers(s.n_layers);
  out.set_vocab_size(s.vocab_size);
  out.set_seq_len(s.seq_len);
  out.set_dropout(s.dropout);
  return out;
}

std::string ShapeLabel(const models::ModelShape& s) {
  return absl::StrCat("d", s.d_model, "l", s.n_layers);
}

std::string Num(double x) { return absl::StrFormat("%g", x); }

// The released runs' token labels: 55e9 -> "55b", 1.25e9 -> "1b25", 100e6 -> "100m".
std::string PaperTokenLabel(int64_t tokens) {
  if (tokens >= 1000000000) {
    std::string digits = absl::StrCat(tokens / 1000000000);
    int64_t rest = tokens % 1000000000;
    if (rest == 0) return digits + "b";
    std::string frac = absl::StrFormat("%09d", rest);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    return digits + "b" + frac;
  }
  return absl::StrCat(tokens / 1000000, "m");
}

}  // namespace

bool IsKnownFilter(const std::string& name) {
  return std::find(std::begin(kFilterNames), std::end(kFilterNames), name) != std::end(kFilterNames);
}

namespace {

const Scale* FindScale(const ExperimentSpec& spec, const std::string& name) {
  for (const Scale& s : spec.scales()) {
    if (s.name() == name) return &s;
  }
  return nullptr;
}

// Seeds of a point: the scale's seeds (default {0}) plus every matching replicate's.
std::vector<uint64_t> SeedsFor(const Scale& scale, int shape_index, double epochs,
                               double code_fraction) {
  std::vector<uint64_t> seeds(scale.seeds().begin(), scale.seeds().end());
  if (seeds.empty()) seeds.push_back(0);
  for (const auto& r : scale.replicates()) {
    if (r.has_shape_index() && r.shape_index() != shape_index) continue;
    if (r.has_epochs() && !Near(r.epochs(), epochs)) continue;
    if (r.has_code_fraction() && !Near(r.code_fraction(), code_fraction)) continue;
    for (uint64_t s : r.seeds()) {
      if (std::find(seeds.begin(), seeds.end(), s) == seeds.end()) seeds.push_back(s);
    }
  }
  return seeds;
}

struct Builder {
  const ExperimentSpec& spec;
  const Scale& scale;
  SweepPlan plan;
  // DATA_FILTERING: the arm of the runs being added (its shard, filter and provenance).
  const experiments::FilterArm* filter = nullptr;

  // repeat_of >= 0 (CODE_MIXING only): the repeat-arm run of the grid run with code fraction
  // repeat_of: 0% code, natural language only, unique budget `unique_tokens` repeated to D.
  // Once per budget order of the scale (Scale.budget_orders), else once.
  void Add(const models::ModelShape& shape, const std::string& preset, int shape_index,
           int64_t total_tokens, int64_t unique_tokens, uint64_t seed, double code_fraction,
           const std::string& paper_run, double repeat_of = -1) {
    if (scale.budget_orders().empty()) {
      AddOne(shape, preset, shape_index, total_tokens, unique_tokens, seed, code_fraction,
             paper_run, repeat_of, scale.base().budget_order(), "");
      return;
    }
    for (int order : scale.budget_orders()) {
      const auto o = static_cast<experiments::BudgetOrder>(order);
      AddOne(shape, preset, shape_index, total_tokens, unique_tokens, seed, code_fraction,
             paper_run, repeat_of, o, o == experiments::DOCUMENTS ? ".docs" : ".repr");
    }
  }

  void AddOne(const models::ModelShape& shape, const std::string& preset, int shape_index,
              int64_t total_tokens, int64_t unique_tokens, uint64_t seed, double code_fraction,
              const std::string& paper_run, double repeat_of, experiments::BudgetOrder order,
              const std::string& order_tag) {
    RunSpec run = scale.base();
    *run.mutable_model() = ToProto(shape, preset);
    run.set_total_tokens(total_tokens);
    run.set_unique_tokens(unique_tokens);
    run.set_seed(seed);
    // Seed replicates vary the budget's contents as well as the initialisation; runs of one
    // seed share the order, so their budgets nest (data/budget.h).
    run.set_data_order_seed(scale.base().data_order_seed() + seed);
    run.set_budget_order(order);
    const bool pieces = order == experiments::REPRESENTATIVE ||
                        run.validation_order() == experiments::REPRESENTATIVE;
    if (pieces && run.budget_chunk_tokens() == 0) run.set_budget_chunk_tokens(shape.seq_len);
    const double epochs = static_cast<double>(total_tokens) / unique_tokens;
    std::string name = absl::StrCat(spec.name(), ".", scale.name(), ".", ShapeLabel(shape),
                                    ".D", total_tokens, ".U", unique_tokens);
    if (spec.kind() == experiments::CODE_MIXING && repeat_of >= 0) {
      // Natural language only, as the ALLOCATION / RETURN_ISOFLOP runs: the source's unique
      // budget U < D, repeated for D / U epochs by the data pipeline.
      absl::StrAppend(&name, ".code0.repeat", std::lround(repeat_of * 100));
      run.clear_data();
      auto* d = run.add_data();
      *d = scale.base().data(0);
      d->set_fraction(1.0);
      d->set_unique_tokens(unique_tokens);
    } else if (spec.kind() == experiments::CODE_MIXING) {
      absl::StrAppend(&name, ".code", std::lround(code_fraction * 100));
      const int64_t code_unique = std::llround(code_fraction * total_tokens);
      const int64_t text_unique = total_tokens - code_unique;
      run.clear_data();
      const auto& text = scale.base().data(0);
      const auto& code = scale.base().data(1);
      if (text_unique > 0) {
        auto* d = run.add_data();
        *d = text;
        d->set_fraction(1.0 - code_fraction);
        d->set_unique_tokens(text_unique);
      }
      if (code_unique > 0) {
        auto* d = run.add_data();
        *d = code;
        d->set_fraction(code_fraction);
        d->set_unique_tokens(code_unique);
      }
      run.set_unique_tokens(total_tokens);
    } else if (run.data_size() == 1) {
      run.mutable_data(0)->set_fraction(1.0);
      run.mutable_data(0)->set_unique_tokens(unique_tokens);
      if (filter != nullptr) {
        absl::StrAppend(&name, ".", filter->filter());
        if (!filter->shard().empty()) run.mutable_data(0)->set_shard(filter->shard());
        run.mutable_data(0)->set_filter(filter->provenance().empty()
                                            ? filter->filter()
                                            : filter->provenance());
      }
    }
    absl::StrAppend(&name, order_tag, ".s", seed);
    run.set_name(name);

    PlannedRun* p = plan.add_runs();
    *p->mutable_spec() = run;
    p->set_hash(records::RunHash(run));
    p->set_params(models::ExactParams(shape));
    p->set_eq23_params(models::Eq23Params(shape));
    const bool code_grid_run = spec.kind() == experiments::CODE_MIXING && repeat_of < 0;
    p->set_epochs(code_grid_run ? 1.0 : epochs);
    if (repeat_of >= 0) {
      p->set_repeat_arm(true);
      p->set_repeat_of_code_fraction(repeat_of);
    }
    p->set_code_fraction(code_fraction);
    if (filter != nullptr) p->set_filter(filter->filter());
    p->set_shape_index(shape_index);
    p->set_flops(models::SimpleFlops(static_cast<double>(p->params()), total_tokens));
    p->set_paper_run(paper_run);
  }
};

std::vector<double> GridOf(const google::protobuf::RepeatedField<double>& scale_values,
                           const google::protobuf::RepeatedField<double>& spec_values) {
  if (!scale_values.empty()) return {scale_values.begin(), scale_values.end()};
  return {spec_values.begin(), spec_values.end()};
}

}  // namespace

absl::StatusOr<ExperimentSpec> ParseExperimentSpec(const std::string& text,
                                                   const std::string& where) {
  ExperimentSpec spec;
  std::string error;
  if (!proto::ParseTextFormat(text, &spec, &error)) return Invalid(where, error);
  absl::Status status = ValidateExperimentSpec(spec, where);
  if (!status.ok()) return status;
  return spec;
}

absl::StatusOr<ExperimentSpec> LoadExperimentSpec(const std::string& path) {
  std::string text;
  if (const Result r = io::ReadFile(path, &text); !r.ok()) return ToStatus(r);
  return ParseExperimentSpec(text, path);
}

absl::Status ValidateExperimentSpec(const ExperimentSpec& spec, const std::string& where) {
  if (spec.name().empty()) return Invalid(where, "name: missing");
  if (spec.kind() == experiments::EXPERIMENT_KIND_UNSPECIFIED) return Invalid(where, "kind: missing");
  const bool code = spec.kind() == experiments::CODE_MIXING;
  const bool filtering = spec.kind() == experiments::DATA_FILTERING;
  if (filtering) {
    if (spec.filters().empty()) return Invalid(where, "filters: empty");
    for (const std::string& f : spec.filters()) {
      if (!IsKnownFilter(f)) {
        return Invalid(where, absl::StrCat("filters: unknown filter \"", f, "\" (known: ",
                                           absl::StrJoin(kFilterNames, ", "), ")"));
      }
    }
  } else if (code ? spec.code_fractions().empty() : spec.epochs().empty()) {
    return Invalid(where, code ? "code_fractions: empty" : "epochs: empty");
  }
  for (double e : spec.epochs()) {
    if (!(e >= 1)) return Invalid(where, absl::StrCat("epochs: ", Num(e), " is below 1"));
  }
  for (double f : spec.code_fractions()) {
    if (!(f >= 0 && f < 1)) return Invalid(where, absl::StrCat("code_fractions: ", Num(f), " not in [0, 1)"));
  }
  if (spec.scales().empty()) return Invalid(where, "scales: none");
  std::set<std::string> seen;
  for (const Scale& s : spec.scales()) {
    const std::string at = absl::StrCat(where, ": scales[", s.name(), "]");
    if (std::find(std::begin(kScaleNames), std::end(kScaleNames), s.name()) == std::end(kScaleNames)) {
      return Invalid(at, "name: must be smoke, cpu, gpu or paper");
    }
    if (!seen.insert(s.name()).second) return Invalid(at, "name: duplicate scale");
    for (double e : s.epochs()) {
      if (std::none_of(spec.epochs().begin(), spec.epochs().end(), [&](double g) { return Near(g, e); })) {
        return Invalid(at, absl::StrCat("epochs: ", Num(e), " is not in the experiment's grid"));
      }
    }
    for (double f : s.code_fractions()) {
      if (std::none_of(spec.code_fractions().begin(), spec.code_fractions().end(),
                       [&](double g) { return Near(g, f); })) {
        return Invalid(at, absl::StrCat("code_fractions: ", Num(f), " is not in the experiment's grid"));
      }
    }
    switch (spec.kind()) {
      case experiments::ALLOCATION:
        if (s.unique_tokens() <= 0) return Invalid(at, "unique_tokens: must be positive");
        if (s.points().empty() && s.shapes().empty()) return Invalid(at, "shapes: none (and no points)");
        for (int i = 0; i < s.points_size(); ++i) {
          if (s.points(i).total_tokens() < s.unique_tokens()) {
            return Invalid(at, absl::StrCat("points[", i, "].total_tokens: below unique_tokens"));
          }
        }
        break;
      case experiments::RETURN_ISOFLOP:
      case experiments::CODE_MIXING:
        if (s.shapes_size() != 1) return Invalid(at, "shapes: exactly one shape required");
        if (s.total_tokens() <= 0) return Invalid(at, "total_tokens: must be positive");
        break;
      case experiments::DATA_FILTERING: {
        if (s.shapes_size() != 1) return Invalid(at, "shapes: exactly one shape required");
        if (s.total_tokens() <= 0) return Invalid(at, "total_tokens: must be positive");
        if (s.arms().empty()) return Invalid(at, "arms: none");
        std::set<std::string> arms;
        for (const auto& arm : s.arms()) {
          if (std::find(spec.filters().begin(), spec.filters().end(), arm.filter()) ==
              spec.filters().end()) {
            return Invalid(at, absl::StrCat("arms: filter \"", arm.filter(),
                                            "\" is not in the experiment's filters"));
          }
          if (!arms.insert(arm.filter()).second) {
            return Invalid(at, absl::StrCat("arms: filter \"", arm.filter(), "\" twice"));
          }
          if (arm.unique_tokens() < 0) return Invalid(at, "arms: unique_tokens below 0");
        }
        break;
      }
      default:
        return Invalid(where, "kind: unknown");
    }
    if (spec.kind() == experiments::RETURN_ISOFLOP && !s.unique_tokens_per_epochs().empty()) {
      const size_t n = s.epochs().empty() ? spec.epochs_size() : s.epochs_size();
      if (static_cast<size_t>(s.unique_tokens_per_epochs_size()) != n) {
        return Invalid(at, "unique_tokens_per_epochs: needs one value per epoch count");
      }
    }
    if (!filtering && (s.has_pools() || !s.arms().empty())) {
      return Invalid(at, "pools, arms: only for DATA_FILTERING");
    }
    if (!code && (s.repeat_arm() || !s.repeat_arm_code_fractions().empty())) {
      return Invalid(at, "repeat_arm: only for CODE_MIXING");
    }
    if (!s.repeat_arm() && !s.repeat_arm_code_fractions().empty()) {
      return Invalid(at, "repeat_arm_code_fractions: set without repeat_arm");
    }
    for (double f : s.repeat_arm_code_fractions()) {
      const auto& grid = s.code_fractions().empty() ? spec.code_fractions() : s.code_fractions();
      if (!(f > 0) || std::none_of(grid.begin(), grid.end(), [&](double g) { return Near(g, f); })) {
        return Invalid(at, absl::StrCat("repeat_arm_code_fractions: ", Num(f),
                                        " is not a code fraction > 0 of this scale's grid"));
      }
    }
    if (code && s.base().data_size() != 2) {
      return Invalid(at, "base.data: CODE_MIXING needs two sources (text, code)");
    }
    if (!code && s.base().data_size() != 1) return Invalid(at, "base.data: exactly one source required");
  }
  return absl::OkStatus();
}

absl::StatusOr<SweepPlan> Expand(const ExperimentSpec& spec, const std::string& scale_name) {
  const Scale* scale = FindScale(spec, scale_name);
  if (scale == nullptr) {
    std::vector<std::string> names;
    for (const Scale& s : spec.scales()) names.push_back(s.name());
    return absl::InvalidArgumentError(absl::StrCat("--scale: experiment ", spec.name(),
                                                   " has no scale \"", scale_name,
                                                   "\" (has: ", absl::StrJoin(names, ", "), ")"));
  }
  absl::Status valid = ValidateExperimentSpec(spec, spec.name());
  if (!valid.ok()) return valid;
  Builder b{spec, *scale, {}};
  b.plan.set_experiment(spec.name());
  b.plan.set_scale(scale->name());
  const std::string at = absl::StrCat(spec.name(), ": scales[", scale->name(), "]");

  std::vector<models::ModelShape> shapes;
  for (int i = 0; i < scale->shapes_size(); ++i) {
    auto s = Resolve(scale->shapes(i), absl::StrCat(at, ".shapes[", i, "]"));
    if (!s.ok()) return s.status();
    shapes.push_back(*s);
  }
  switch (spec.kind()) {
    case experiments::ALLOCATION: {
      const int64_t u = scale->unique_tokens();
      if (!scale->points().empty()) {
        for (int i = 0; i < scale->points_size(); ++i) {
          const auto& point = scale->points(i);
          auto s = Resolve(point.shape(), absl::StrCat(at, ".points[", i, "].shape"));
          if (!s.ok()) return s.status();
          std::vector<uint64_t> seeds(point.seeds().begin(), point.seeds().end());
          if (seeds.empty()) seeds = SeedsFor(*scale, i, static_cast<double>(point.total_tokens()) / u, -2);
          for (uint64_t seed : seeds) {
            b.Add(*s, point.shape().preset(), i, point.total_tokens(), u, seed, 0, point.paper_run());
          }
        }
        break;
      }
      const std::vector<double> epochs = GridOf(scale->epochs(), spec.epochs());
      for (size_t i = 0; i < shapes.size(); ++i) {
        for (double e : epochs) {
          const int64_t d = std::llround(static_cast<double>(u) * e);
          for (uint64_t seed : SeedsFor(*scale, static_cast<int>(i), e, -2)) {
            b.Add(shapes[i], scale->shapes(i).preset(), static_cast<int>(i), d, u, seed, 0, "");
          }
        }
      }
      break;
    }
    case experiments::RETURN_ISOFLOP: {
      const std::vector<double> epochs = GridOf(scale->epochs(), spec.epochs());
      const int64_t d = scale->total_tokens();
      for (size_t i = 0; i < epochs.size(); ++i) {
        const int64_t u = scale->unique_tokens_per_epochs().empty()
                              ? std::llround(static_cast<double>(d) / epochs[i])
                              : scale->unique_tokens_per_epochs(static_cast<int>(i));
        if (u <= 0 || u > d) {
          return Invalid(at, absl::StrCat("epochs ", Num(epochs[i]), ": unique budget ", u,
                                          " not in (0, total_tokens]"));
        }
        for (uint64_t seed : SeedsFor(*scale, 0, epochs[i], -2)) {
          std::string paper_run;
          if (!scale->paper_run_prefix().empty()) {
            paper_run = absl::StrCat(scale->paper_run_prefix(), PaperTokenLabel(u));
          }
          b.Add(shapes[0], scale->shapes(0).preset(), 0, d, u, seed, 0, paper_run);
        }
      }
      break;
    }
    case experiments::CODE_MIXING: {
      const std::vector<double> fractions = GridOf(scale->code_fractions(), spec.code_fractions());
      const int64_t d = scale->total_tokens();
      for (double f : fractions) {
        for (uint64_t seed : SeedsFor(*scale, 0, -2, f)) {
          b.Add(shapes[0], scale->shapes(0).preset(), 0, d, d, seed, f, "");
        }
      }
      // The repeat arm, after the whole grid (so the grid's runs keep their order): for each
      // f > 0, natural language only with the f-run's text budget U = D - round(f D), repeated
      // to D, with the f-run's seeds.
      if (scale->repeat_arm()) {
        for (double f : fractions) {
          if (!(f > 0)) continue;
          if (!scale->repeat_arm_code_fractions().empty() &&
              std::none_of(scale->repeat_arm_code_fractions().begin(),
                           scale->repeat_arm_code_fractions().end(),
                           [&](double g) { return Near(g, f); })) {
            continue;
          }
          const int64_t u = d - std::llround(f * d);
          if (u <= 0) return Invalid(at, absl::StrCat("repeat arm at code fraction ", Num(f), ": no natural-language tokens"));
          for (uint64_t seed : SeedsFor(*scale, 0, -2, f)) {
            b.Add(shapes[0], scale->shapes(0).preset(), 0, d, u, seed, 0, "", f);
          }
        }
      }
      break;
    }
    case experiments::DATA_FILTERING: {
      // One run per arm and seed: the arm's filtered pool of U_arm tokens repeated to D (a
      // pool larger than D is seen for less than an epoch: its first D tokens, U = D).
      const int64_t d = scale->total_tokens();
      for (const auto& arm : scale->arms()) {
        if (arm.unique_tokens() <= 0) {
          return Invalid(at, absl::StrCat("arm ", arm.filter(),
                                          ": unique_tokens unknown (the pools are not built: "
                                          "the pool builder measures them)"));
        }
        const int64_t u = std::min(arm.unique_tokens(), d);
        std::vector<uint64_t> seeds(scale->seeds().begin(), scale->seeds().end());
        if (seeds.empty()) seeds.push_back(0);
        for (uint64_t extra : arm.seeds()) {
          if (std::find(seeds.begin(), seeds.end(), extra) == seeds.end()) seeds.push_back(extra);
        }
        for (uint64_t seed : seeds) {
          b.filter = &arm;
          b.Add(shapes[0], scale->shapes(0).preset(), 0, d, u, seed, 0, "");
        }
      }
      b.filter = nullptr;
      break;
    }
    default:
      return Invalid(spec.name(), "kind: unknown");
  }
  // Two identical RunSpecs would share a directory: that is a spec error (e.g. duplicate seeds).
  std::set<std::string> hashes;
  double total_flops = 0;
  for (const PlannedRun& r : b.plan.runs()) {
    if (!hashes.insert(r.hash()).second) {
      return Invalid(at, absl::StrCat("run ", r.spec().name(), " appears twice"));
    }
    total_flops += r.flops();
  }
  b.plan.set_total_flops(total_flops);
  return b.plan;
}

absl::Status ApplyBuiltPools(const experiments::BuiltPools& built, const std::string& scale,
                             ExperimentSpec* spec) {
  if (built.experiment() != spec->name() || built.scale() != scale) {
    return absl::FailedPreconditionError(absl::StrCat("pools.textproto: built for ", built.experiment(), "/",
                                                      built.scale(), ", not ", spec->name(), "/", scale));
  }
  for (experiments::Scale& s : *spec->mutable_scales()) {
    if (s.name() != scale) continue;
    for (experiments::FilterArm& arm : *s.mutable_arms()) {
      const experiments::FilterArm* measured = nullptr;
      for (const auto& b : built.arms()) {
        if (b.filter() == arm.filter()) measured = &b;
      }
      if (measured == nullptr) {
        return absl::FailedPreconditionError(absl::StrCat("pools.textproto: no arm ", arm.filter(),
                                                          " (rebuild the pools with //experiments/quality:build_pools)"));
      }
      arm.set_unique_tokens(measured->unique_tokens());
      arm.set_shard(measured->shard());
      arm.set_provenance(measured->provenance());
    }
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat("--scale=", scale, ": not a scale of ", spec->name()));
}

}  // namespace datawall::plan
