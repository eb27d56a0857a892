// key = value settings -> TrainOptions (see options_text.h).
#include "experiments/training/options_text.h"

#include <cstdlib>
#include <functional>
#include <map>
#include <sstream>

#include "models/shape.h"

namespace datawall::training {
namespace {

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r"), e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

bool ParseInt(const std::string& v, int64_t* out) {
  char* end = nullptr;
  *out = std::strtoll(v.c_str(), &end, 10);
  return !v.empty() && *end == '\0';
}

bool ParseDouble(const std::string& v, double* out) {
  char* end = nullptr;
  *out = std::strtod(v.c_str(), &end);
  return !v.empty() && *end == '\0';
}

bool ParseBool(const std::string& v, bool* out) {
  if (v == "true" || v == "1") *out = true;
  else if (v == "false" || v == "0") *out = false;
  else return false;
  return true;
}

DataSourceOptions& Source(TrainOptions* o) {
  if (o->data.empty()) o->data.push_back({"train", "", 1.0, 0});
  return o->data[0];
}

}  // namespace

Result ApplyOption(const std::string& key, const std::string& value, TrainOptions* o) {
  using Setter = std::function<bool(const std::string&)>;
  auto i64 = [](int64_t* f) { return Setter([f](const std::string& v) { return ParseInt(v, f); }); };
  auto u64 = [](uint64_t* f) {
    return Setter([f](const std::string& v) {
      int64_t x;
      if (!ParseInt(v, &x) || x < 0) return false;
      *f = static_cast<uint64_t>(x);
      return true;
    });
  };
  auto f64 = [](double* f) { return Setter([f](const std::string& v) { return ParseDouble(v, f); }); };
  auto str = [](std::string* f) { return Setter([f](const std::string& v) { *f = v; return true; }); };
  auto flag = [](bool* f) { return Setter([f](const std::string& v) { return ParseBool(v, f); }); };
  auto order = [](data::BudgetOrder* f) {
    return Setter([f](const std::string& v) { return data::ParseBudgetOrder(v, f); });
  };
  const std::map<std::string, Setter> setters = {
      {"name", str(&o->name)},
      {"preset", Setter([o](const std::string& v) {
         const models::Preset* p = models::FindPreset(v);
         if (!p) return false;
         const double dropout = o->model.dropout;
         o->model = p->shape;
         o->model.dropout = dropout;
         return true;
       })},
      {"d_model", i64(&o->model.d_model)}, {"ffw_size", i64(&o->model.ffw_size)},
      {"kv_size", i64(&o->model.kv_size)}, {"n_heads", i64(&o->model.n_heads)},
      {"n_layers", i64(&o->model.n_layers)}, {"vocab_size", i64(&o->model.vocab_size)},
      {"seq_len", i64(&o->model.seq_len)}, {"dropout", f64(&o->model.dropout)},
      {"total_tokens", i64(&o->total_tokens)}, {"unique_tokens", i64(&o->unique_tokens)},
      {"seed", u64(&o->seed)}, {"data_order_seed", u64(&o->data_order_seed)},
      {"budget_order", order(&o->budget_order)}, {"validation_order", order(&o->validation_order)},
      {"budget_chunk_tokens", i64(&o->budget_chunk_tokens)},
      {"max_lr", f64(&o->max_lr)}, {"min_lr", f64(&o->min_lr)}, {"beta1", f64(&o->beta1)},
      {"beta2", f64(&o->beta2)}, {"eps", f64(&o->eps)}, {"weight_decay", f64(&o->weight_decay)},
      {"grad_clip", f64(&o->grad_clip)}, {"warmup_fraction", f64(&o->warmup_fraction)},
      {"batch_size", i64(&o->batch_size)}, {"grad_accumulation", i64(&o->grad_accumulation)},
      {"train_shard", Setter([o](const std::string& v) { Source(o).shard = v; return true; })},
      {"validation_shard", str(&o->validation_shard)}, {"eval_tokens", i64(&o->eval_tokens)},
      {"eval_every_steps", i64(&o->eval_every_steps)},
      {"checkpoint_every_steps", i64(&o->checkpoint_every_steps)},
      {"keep_checkpoints", Setter([o](const std::string& v) {
         int64_t x;
         if (!ParseInt(v, &x)) return false;
         o->keep_checkpoints = static_cast<int>(x);
         return true;
       })},
      {"out_dir", str(&o->out_dir)}, {"resume", flag(&o->resume)}, {"device", str(&o->device)},
      {"bf16", flag(&o->bf16)}, {"bf16_weights", flag(&o->bf16_weights)},
      {"threads", Setter([o](const std::string& v) {
         int64_t x;
         if (!ParseInt(v, &x)) return false;
         o->threads = static_cast<int>(x);
         return true;
       })},
      {"progress_every_seconds", f64(&o->progress_every_seconds)},
      {"tensorboard", flag(&o->tensorboard)},
  };
  auto it = setters.find(key);
  if (it == setters.end()) return Result::BadInput("unknown setting '" + key + "'");
  if (!it->second(value)) return Result::BadInput("bad value for " + key + ": '" + value + "'");
  return Result::Ok();
}

Result ApplyOptionsText(const std::string& text, const std::string& source, TrainOptions* o) {
  std::istringstream is(text);
  std::string line;
  for (int n = 1; std::getline(is, line); ++n) {
    line = Trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    const size_t eq = line.find('=');
    const Result r = eq == std::string::npos
                         ? Result::BadInput("expected key = value")
                         : ApplyOption(Trim(line.substr(0, eq)), Trim(line.substr(eq + 1)), o);
    if (!r.ok()) return r.WithContext(source + ":" + std::to_string(n));
  }
  return Result::Ok();
}

}  // namespace datawall::training
