// The filter experiments' pool builder: see build_pools.h.
#include "experiments/quality/build_pools.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "data/document_index.h"
#include "data/quality/pool.h"
#include "data/shard.h"
#include "data/subset.h"
#include "experiments/records/records.h"
#include "google/protobuf/text_format.h"
#include "tools/io/atomic_file.h"
#include "tools/io/checksum.h"
#include "tools/json/json.h"
#include "tools/process/process.h"
#include "tools/result/status.h"

namespace datawall::quality {

namespace fs = std::filesystem;
using experiments::BuiltPools;
using experiments::ExperimentSpec;
using experiments::FilterArm;
using experiments::FilterPools;
using experiments::Scale;

namespace {

bool IsPerplexityArm(const std::string& f) { return f == "top25" || f == "top50" || f == "mid25_75"; }
bool IsDedupArm(const std::string& f) { return f == "dedup_document" || f == "dedup_span"; }

std::string Join(const std::string& root, const std::string& path) {
  return !path.empty() && path[0] == '/' ? path : root + "/" + path;
}

struct Opened {
  std::unique_ptr<data::Shard> shard;
  std::vector<data::IndexEntry> index;
};

absl::Status Open(const std::string& path, bool with_index, Opened* out) {
  if (Result r = data::Shard::Open(path, &out->shard); !r.ok()) return ToStatus(r);
  if (!with_index) return absl::OkStatus();
  if (absl::Status s = data::ReadDocumentIndex(data::DocumentIndexPath(path), &out->index); !s.ok()) return s;
  if (static_cast<int64_t>(out->index.size()) != out->shard->num_documents()) {
    return absl::InvalidArgumentError(absl::StrCat(data::DocumentIndexPath(path), ": ", out->index.size(),
                                                   " entries for ", out->shard->num_documents(), " documents"));
  }
  return absl::OkStatus();
}

// Documents of `index` whose source is in `sources`.
std::vector<int64_t> DocsOf(const std::vector<data::IndexEntry>& index, const std::set<std::string>& sources) {
  std::vector<int64_t> docs;
  for (const auto& e : index) {
    if (sources.count(e.src)) docs.push_back(e.doc);
  }
  return docs;
}

// Documents, tokens and per-source counts of a shard: a row of the Table 12 analogue.
absl::Status Stats(const std::string& filter, const std::string& path, BuiltPools::ArmStats* stats) {
  Opened s;
  if (absl::Status st = Open(path, false, &s); !st.ok()) return st;
  stats->set_filter(filter);
  stats->set_documents(s.shard->num_documents());
  stats->set_tokens(s.shard->num_tokens());
  std::map<std::string, std::pair<int64_t, int64_t>> by_source;
  for (int64_t d = 0; d < s.shard->num_documents(); ++d) {
    const std::string src = s.shard->info().sources.empty() ? "" : s.shard->info().sources[s.shard->document_source(d)];
    auto& c = by_source[src];
    c.first += 1;
    c.second += s.shard->document_start(d + 1) - s.shard->document_start(d);
  }
  for (const auto& [src, c] : by_source) {
    auto* row = stats->add_sources();
    row->set_src(src);
    row->set_documents(c.first);
    row->set_tokens(c.second);
  }
  return absl::OkStatus();
}

absl::Status RunTool(const std::vector<std::string>& argv, const std::string& cwd, std::ostream* progress) {
  if (progress) *progress << "[pools] " << absl::StrJoin(argv, " ") << std::endl;
  process::RunOptions o;
  o.cwd = cwd;
  const process::RunResult r = process::RunAndCapture(argv, o);
  if (!r.ok()) {
    std::string last = r.output;
    while (!last.empty() && last.back() == '\n') last.pop_back();
    if (const size_t nl = last.rfind('\n'); nl != std::string::npos) last = last.substr(nl + 1);
    return absl::InternalError(absl::StrCat(argv[0], ": ", r.Describe(), ": ", last));
  }
  return absl::OkStatus();
}

}  // namespace

std::string PoolsDir(const ExperimentSpec&, const Scale& scale) { return scale.pools().out_dir(); }

absl::Status BuildPools(const ExperimentSpec& spec, const Scale& scale, const BuildPoolsOptions& options,
                        BuiltPools* built) {
  const auto t0 = std::chrono::steady_clock::now();
  const FilterPools& p = scale.pools();
  const std::string& root = options.data_root;
  std::ostream* progress = options.progress;
  if (p.source_shard().empty()) return absl::InvalidArgumentError("pools.source_shard: required");
  if (p.out_dir().empty()) return absl::InvalidArgumentError("pools.out_dir: required");
  if (p.pool_tokens() < 1) return absl::InvalidArgumentError("pools.pool_tokens: must be positive");
  const std::string rel_dir = PoolsDir(spec, scale);
  const std::string dir = Join(root, rel_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat(dir, ": ", ec.message()));
  auto rel = [&](const std::string& name) { return rel_dir + "/" + name; };
  auto exists = [&](const std::string& name) { return fs::exists(dir + "/" + name, ec); };

  std::set<std::string> wanted;
  for (const FilterArm& a : scale.arms()) wanted.insert(a.filter());
  Opened source;
  if (absl::Status s = Open(Join(root, p.source_shard()), true, &source); !s.ok()) return s;
  const std::set<std::string> reference(p.reference_sources().begin(), p.reference_sources().end());

  *built = BuiltPools();
  built->set_experiment(spec.name());
  built->set_scale(scale.name());
  std::map<std::string, std::string> provenance;

  // 1. The pool.
  std::vector<int64_t> pool;
  if (absl::Status s = data::quality::SelectPool(source.index, reference, p.pool_tokens(), p.pool_seed(), &pool);
      !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("pools.", s.message()));
  }
  provenance["all"] = absl::StrCat("pool:", source.shard->info().corpus_hash, ",tokens=", p.pool_tokens(),
                                   ",seed=", p.pool_seed(), ",exclude=", absl::StrJoin(reference, "+"));
  if (!exists("all.shard")) {
    if (Result r = data::WriteSubset(*source.shard, source.index, pool, provenance["all"], dir + "/all.shard"); !r.ok()) {
      return ToStatus(r);
    }
  }

  // 2. The high-quality validation subset.
  if (!p.quality_sources().empty()) {
    if (scale.base().validation_shard().empty()) return absl::InvalidArgumentError("base.validation_shard: required");
    if (!exists("quality_validation.shard")) {
      Opened val;
      if (absl::Status s = Open(Join(root, scale.base().validation_shard()), true, &val); !s.ok()) return s;
      const std::set<std::string> q(p.quality_sources().begin(), p.quality_sources().end());
      const std::vector<int64_t> docs = DocsOf(val.index, q);
      if (docs.empty()) return absl::InvalidArgumentError("pools.quality_sources: no validation documents");
      if (Result r = data::WriteSubset(*val.shard, val.index, docs, "quality:" + absl::StrJoin(q, "+"),
                                       dir + "/quality_validation.shard");
          !r.ok()) {
        return ToStatus(r);
      }
    }
    Opened q;
    if (absl::Status s = Open(dir + "/quality_validation.shard", false, &q); !s.ok()) return s;
    built->set_quality_validation_shard(rel("quality_validation.shard"));
    built->set_quality_validation_tokens(q.shard->num_tokens());
  }

  // 3. Perplexity arms: the reference GPT and the bands.
  std::vector<std::string> bands;
  for (const std::string& f : wanted) {
    if (IsPerplexityArm(f)) bands.push_back(f);
  }
  if (!bands.empty()) {
    if (reference.empty()) return absl::InvalidArgumentError("pools.reference_sources: required for perplexity arms");
    if (options.train_binary.empty() || options.filter_binary.empty()) {
      return absl::InvalidArgumentError("--train_binary and --filter_binary: required for perplexity arms");
    }
    if (!exists("reference.shard")) {
      const std::vector<int64_t> docs = DocsOf(source.index, reference);
      if (docs.empty()) return absl::InvalidArgumentError("pools.reference_sources: no training documents");
      if (Result r = data::WriteSubset(*source.shard, source.index, docs, "reference:" + absl::StrJoin(reference, "+"),
                                       dir + "/reference.shard");
          !r.ok()) {
        return ToStatus(r);
      }
    }
    Opened ref;
    if (absl::Status s = Open(dir + "/reference.shard", false, &ref); !s.ok()) return s;
    built->set_reference_shard(rel("reference.shard"));
    built->set_reference_tokens(ref.shard->num_tokens());
    const std::string ref_dir = dir + "/reference";
    built->set_reference_run(rel("reference"));
    const std::optional<experiments::RunRecord> record = records::ReadRecord(ref_dir);
    if (!(record && record->complete())) {
      experiments::RunSpec r = p.reference_model();
      r.set_name(absl::StrCat(spec.name(), ".", scale.name(), ".reference"));
      if (r.tokenizer().empty()) r.set_tokenizer(scale.base().tokenizer());
      if (r.validation_shard().empty()) r.set_validation_shard(scale.base().validation_shard());
      if (r.eval_tokens() == 0) r.set_eval_tokens(scale.base().eval_tokens());
      if (r.total_tokens() == 0) r.set_total_tokens(ref.shard->num_tokens());
      // All of the reference set, or its first D tokens when D is smaller (less than an epoch).
      const int64_t u = std::min<int64_t>(ref.shard->num_tokens(), r.total_tokens());
      r.set_unique_tokens(u);
      r.clear_data();
      auto* d = r.add_data();
      d->set_name("reference");
      d->set_shard(rel("reference.shard"));
      d->set_fraction(1);
      d->set_unique_tokens(u);
      fs::create_directories(ref_dir, ec);
      const std::string spec_path = ref_dir + "/" + records::kSpecFile;
      if (absl::Status s = ToStatus(io::WriteFileAtomically(spec_path, records::CanonicalText(r))); !s.ok()) return s;
      std::vector<std::string> argv = {options.train_binary, "--spec=" + spec_path, "--out=" + ref_dir,
                                       "--data_root=" + root, "--threads=" + std::to_string(options.threads)};
      if (fs::exists(ref_dir + "/checkpoints", ec) && !fs::is_empty(ref_dir + "/checkpoints", ec)) argv.push_back("--resume");
      if (absl::Status s = RunTool(argv, root, progress); !s.ok()) return s;
    }
    bool missing = false;
    for (const std::string& b : bands) missing = missing || !exists(b + ".shard");
    if (missing) {
      if (absl::Status s = RunTool({options.filter_binary, "--reference_run=" + ref_dir, "--shard=" + dir + "/all.shard",
                                    "--filter=" + absl::StrJoin(bands, ","), "--out_shard=" + dir + "/{filter}.shard",
                                    "--scores=" + dir + "/scores.tsv", "--threads=" + std::to_string(options.threads)},
                                   root, progress);
          !s.ok()) {
        return s;
      }
    }
    for (const std::string& b : bands) {
      std::string text;
      if (Result r = io::ReadFile(dir + "/" + b + ".shard.filter.json", &text); !r.ok()) return ToStatus(r);
      absl::StatusOr<json::Value> v = json::Parse(text, b + ".shard.filter.json");
      if (!v.ok()) return v.status();
      provenance[b] = absl::StrCat(b, ":scorer=", v->value("scorer_id", ""), ",reference_data=",
                                   v->value("reference_data_hash", ""));
    }
  }

  // 4. Deduplication arms, over the whole source corpus's training documents (//data/dedup:dedup_shard).
  const bool dedup_document = wanted.count("dedup_document") > 0, dedup_span = wanted.count("dedup_span") > 0;
  const int64_t k = p.min_span_chars() > 0 ? p.min_span_chars() : 100;
  for (const std::string mode : {"document", "span"}) {
    provenance["dedup_" + mode] =
        absl::StrCat("dedup_", mode, ":min_span_chars=", k, ",over=", source.shard->info().corpus_hash);
  }
  if ((dedup_document && !exists("dedup_document.shard")) || (dedup_span && !exists("dedup_span.shard"))) {
    if (p.docs_dir().empty()) return absl::InvalidArgumentError("pools.docs_dir: required for dedup arms");
    if (options.dedup_binary.empty()) return absl::InvalidArgumentError("--dedup_binary: required for dedup arms");
    std::vector<std::string> argv = {options.dedup_binary, "--corpus_shard=" + Join(root, p.source_shard()),
                                     "--docs_dir=" + Join(root, p.docs_dir()), "--subset_shard=" + dir + "/all.shard",
                                     "--min_span_chars=" + std::to_string(k),
                                     "--threads=" + std::to_string(options.threads)};
    if (dedup_document) argv.push_back("--document_out=" + dir + "/dedup_document.shard");
    if (dedup_span) {
      argv.push_back("--span_out=" + dir + "/dedup_span.shard");
      argv.push_back("--tokenizers_dir=" + Join(root, p.tokenizers_dir()));
    }
    if (absl::Status s = RunTool(argv, root, progress); !s.ok()) return s;
  }

  // The arms, measured.
  for (const std::string& f : wanted) {
    const std::string name = f + ".shard";
    if (!exists(name)) return absl::InternalError(absl::StrCat(dir, "/", name, ": not built"));
    BuiltPools::ArmStats* stats = built->add_stats();
    if (absl::Status s = Stats(f, dir + "/" + name, stats); !s.ok()) return s;
    FilterArm* arm = built->add_arms();
    arm->set_filter(f);
    arm->set_unique_tokens(stats->tokens());
    arm->set_shard(rel(name));
    arm->set_provenance(provenance[f]);
  }
  built->set_seconds(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  std::string text;
  google::protobuf::TextFormat::PrintToString(*built, &text);
  return ToStatus(io::WriteFileAtomically(dir + "/pools.textproto",
                                          "# Written by //experiments/quality:build_pools (BuiltPools).\n" + text));
}

}  // namespace datawall::quality
