// RunSpec <-> TrainOptions and TrainSummary -> RunRecord (see run_io.h).
#include "experiments/run_io.h"

#include <cstdlib>
#include <filesystem>

#include "absl/base/config.h"
#include "tools/proto/text_format.h"
#include "google/protobuf/stubs/common.h"
#include "experiments/records/records.h"
#include "models/shape.h"
#include "tools/io/atomic_file.h"
#include "tools/provenance/provenance.h"
#include "torch/version.h"  // the header only: TORCH_VERSION for the record's provenance

namespace datawall::training {
namespace {

std::string Resolve(const std::string& path, const std::string& base_dir) {
  if (path.empty() || path[0] == '/' || base_dir.empty()) return path;
  return base_dir + "/" + path;
}

void FillCurve(experiments::Curve* curve, const std::string& name,
               const std::vector<CurvePoint>& points) {
  curve->set_name(name);
  for (const CurvePoint& p : points) {
    experiments::CurvePoint* out = curve->add_point();
    out->set_step(p.step);
    out->set_tokens(p.tokens);
    out->set_value(p.value);
  }
}

bool AllDigits(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

std::string PrepareCommandFor(const std::string& shard_path, const std::string& workspace) {
  const std::filesystem::path path = std::filesystem::path(shard_path).lexically_normal();
  const std::filesystem::path dir = path.parent_path();
  const std::filesystem::path shards = dir.parent_path();
  if (shards.filename() != "shards" || path.extension() != ".shard") return "";
  const std::string name = dir.filename().string();  // <tokenizer>_<variant>[_<sources>]
  const size_t first = name.find('_');
  if (first == std::string::npos) return "";
  const std::string tokenizer = name.substr(0, first);
  std::string variant = name.substr(first + 1), sources;
  if (const size_t second = variant.find('_'); second != std::string::npos) {
    sources = variant.substr(second + 1);
    variant = variant.substr(0, second);
  }
  std::string flags;
  if (tokenizer == "gpt2") {
    flags = " --tokenizer=gpt2";
  } else if (tokenizer.rfind("small", 0) == 0 && AllDigits(tokenizer.substr(5))) {
    flags = " --tokenizer=small --small_vocab_size=" + tokenizer.substr(5);
  } else {
    return "";
  }
  if (variant.rfind("max", 0) == 0 && AllDigits(variant.substr(3))) {
    flags += " --max_documents_per_source=" + variant.substr(3);
  } else if (variant != "full") {
    return "";
  }
  if (!sources.empty()) {  // prepare writes the list with '-' for ','
    for (char& c : sources) c = c == '-' ? ',' : c;
    flags += " --sources=" + sources;
  }
  const std::filesystem::path out = shards.parent_path();
  const std::filesystem::path default_out =
      (std::filesystem::path(workspace) / "data" / "work").lexically_normal();
  if (out != default_out && out != "data/work") flags += " --out=" + out.string();
  return "bazel run -c opt //data:prepare --" + flags;
}

bool ReadRunSpec(const std::string& path, experiments::RunSpec* spec, std::string* error) {
  std::string text;
  if (const Result r = io::ReadFile(path, &text); !r.ok()) {
    *error = r.message();
    return false;
  }
  std::string parse_error;
  if (!proto::ParseTextFormat(text, spec, &parse_error)) {
    *error = path + ":" + parse_error;
    return false;
  }
  return true;
}

bool SpecToOptions(const experiments::RunSpec& spec, const std::string& base_dir,
                   TrainOptions* o, std::string* error) {
  const experiments::ModelShape& m = spec.model();
  models::ModelShape shape;
  struct Field { const char* name; int64_t spec_value; int64_t* into; };
  Field arch[] = {{"d_model", m.d_model(), &shape.d_model},
                  {"ffw_size", m.ffw_size(), &shape.ffw_size},
                  {"kv_size", m.kv_size(), &shape.kv_size},
                  {"n_heads", m.n_heads(), &shape.n_heads},
                  {"n_layers", m.n_layers(), &shape.n_layers}};
  if (!m.preset().empty()) {
    const models::Preset* preset = models::FindPreset(m.preset());
    if (!preset) {
      *error = "model.preset: unknown preset '" + m.preset() + "' (see models/README.md)";
      return false;
    }
    shape = preset->shape;
    for (const Field& f : arch) {
      if (f.spec_value != 0 && f.spec_value != *f.into) {
        *error = std::string("model.") + f.name + " " + std::to_string(f.spec_value) +
                 " disagrees with preset " + m.preset() + " (" + std::to_string(*f.into) + ")";
        return false;
      }
    }
  } else {
    for (const Field& f : arch) {
      if (f.spec_value == 0) {
        *error = std::string("model.") + f.name + " is required without a preset";
        return false;
      }
      *f.into = f.spec_value;
    }
  }
  if (m.vocab_size() != 0) shape.vocab_size = m.vocab_size();
  if (m.seq_len() != 0) shape.seq_len = m.seq_len();
  shape.dropout = m.has_dropout() ? m.dropout() : 0.1;
  o->model = shape;
  o->name = spec.name();
  o->total_tokens = spec.total_tokens();
  o->unique_tokens = spec.unique_tokens();
  o->seed = spec.seed();
  o->data_order_seed = spec.data_order_seed();
  auto order = [](experiments::BudgetOrder b) {
    return b == experiments::DOCUMENTS      ? data::BudgetOrder::kDocuments
           : b == experiments::SHARD_PREFIX ? data::BudgetOrder::kShardPrefix
                                            : data::BudgetOrder::kRepresentative;
  };
  o->budget_order = order(spec.budget_order());
  o->validation_order = order(spec.validation_order());
  o->budget_chunk_tokens = spec.budget_chunk_tokens();
  const experiments::OptimizerSettings& opt = spec.optimizer();
  o->max_lr = opt.max_lr() != 0 ? opt.max_lr() : 2e-4;
  o->min_lr = opt.has_min_lr() ? opt.min_lr() : o->max_lr / 10;
  o->beta1 = opt.beta1() != 0 ? opt.beta1() : 0.9;
  o->beta2 = opt.beta2() != 0 ? opt.beta2() : 0.999;
  o->eps = opt.eps() != 0 ? opt.eps() : 1e-8;
  o->weight_decay = opt.has_weight_decay() ? opt.weight_decay() : 0.1;
  o->grad_clip = opt.has_grad_clip() ? opt.grad_clip() : 1.0;
  o->warmup_fraction = opt.has_warmup_fraction() ? opt.warmup_fraction() : 0.01;
  o->batch_size = opt.batch_size() != 0 ? opt.batch_size() : 8;
  o->grad_accumulation = opt.grad_accumulation() != 0 ? opt.grad_accumulation() : 1;
  o->data.clear();
  for (const experiments::DataSource& d : spec.data()) {
    DataSourceOptions src;
    src.name = d.name();
    src.shard = Resolve(d.shard(), base_dir);
    src.fraction = d.fraction() != 0 ? d.fraction() : (spec.data_size() == 1 ? 1.0 : 0.0);
    src.unique_tokens = d.unique_tokens();
    o->data.push_back(src);
  }
  o->validation_shard = Resolve(spec.validation_shard(), base_dir);
  o->eval_tokens = spec.eval_tokens();
  o->eval_every_steps = spec.eval_every_steps();
  o->checkpoint_every_steps = spec.checkpoint_every_steps();
  return true;
}

experiments::RunRecord MakeRunRecord(const experiments::RunSpec& spec, const TrainSummary& s,
                                     int threads, const std::string& start_time,
                                     const std::string& error) {
  experiments::RunRecord r;
  *r.mutable_spec() = spec;
  r.set_final_val_loss(s.final_val_loss);
  r.set_params(s.params);
  r.set_flops(s.flops);
  r.set_full_flops(s.full_flops);
  r.set_complete(s.complete && error.empty());
  r.set_trained_tokens(s.trained_tokens);
  r.set_steps(s.steps);
  r.set_resumed_from_step(s.resumed_from_step);
  r.set_eval_tokens(s.eval_tokens_used);
  r.set_final_val_loss_se(s.final_val_loss_se);
  for (const BudgetSummary& b : s.budgets) {
    experiments::BudgetMix* mix = r.add_budget();
    mix->set_name(b.name);
    mix->set_source_tv(b.mix.source_tv);
    for (size_t i = 0; i < b.mix.sources.size(); ++i) {
      experiments::SourceTokens* t = mix->add_source();
      t->set_source(b.mix.sources[i]);
      t->set_budget_tokens(b.mix.budget_tokens[i]);
      t->set_shard_tokens(b.mix.shard_tokens[i]);
    }
  }
  r.set_validation_source_tv(s.validation_source_tv);
  for (const std::string& m : s.messages) r.add_message(m);
  if (!error.empty()) r.set_error(error);
  FillCurve(r.add_curve(), records::kRecordCurve, s.val_loss);
  experiments::Provenance* p = r.mutable_provenance();
  const provenance::CodeVersion code = provenance::GetCodeVersion();
  p->set_git_commit(code.commit);
  p->set_git_dirty(code.dirty);
  // What the trainer links: LibTorch (the headers it was compiled against), Abseil, protobuf.
  for (const auto& [name, version] : provenance::LibraryVersions(
           {{"libtorch", TORCH_VERSION},
            {"abseil", std::to_string(ABSL_LTS_RELEASE_VERSION) + "." +
                           std::to_string(ABSL_LTS_RELEASE_PATCH_LEVEL)},
            {"protobuf", google::protobuf::internal::VersionString(GOOGLE_PROTOBUF_VERSION)}})) {
    experiments::LibraryVersion* lib = p->add_library();
    lib->set_name(name);
    lib->set_version(version);
  }
  experiments::LibraryVersion* blas = p->add_library();
  blas->set_name("blas");
  const char* coretype = std::getenv("OPENBLAS_CORETYPE");
  blas->set_version(s.blas + (coretype ? std::string(" OPENBLAS_CORETYPE=") + coretype : ""));
  if (!s.host_memory.empty()) {
    experiments::LibraryVersion* host_memory = p->add_library();
    host_memory->set_name("host_memory");
    host_memory->set_version(s.host_memory);
  }
  p->set_data_hash(s.data_hash);
  // The shards' own tokenizer id (the spec's `tokenizer` is a label kept in the spec).
  p->set_tokenizer(s.tokenizer_id.empty() ? spec.tokenizer() : s.tokenizer_id);
  p->set_host(provenance::HostName());
  p->set_device(s.device);
  p->set_start_time(start_time);
  p->set_end_time(provenance::UtcNow());
  r.mutable_timings()->set_wall_seconds(s.wall_seconds);
  r.mutable_timings()->set_train_tokens_per_second(s.train_tokens_per_second);
  r.mutable_timings()->set_threads(threads);
  return r;
}

std::string WriteRunRecord(const std::string& path, const experiments::RunRecord& record) {
  const absl::Status s = records::WriteRecordFile(path, record);
  return s.ok() ? "" : std::string(s.message());
}

std::string WriteTrainCurve(const std::string& path, const TrainSummary& summary) {
  experiments::Curve curve;
  FillCurve(&curve, "train_loss", summary.train_loss);
  const absl::Status s = records::WriteCurveCsv(path, curve);
  return s.ok() ? "" : std::string(s.message());
}

}  // namespace datawall::training
