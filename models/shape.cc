// Presets and accounting for GPT-2 shapes (see shape.h). Standard library only (paper/paper.h is
// header-only data here).
#include "models/shape.h"

#include <cmath>
#include <sstream>

#include "paper/paper.h"

namespace datawall::models {
namespace {

ModelShape Make(int64_t d, int64_t ffw, int64_t kv, int64_t heads, int64_t layers,
                int64_t vocab, int64_t seq) {
  ModelShape s;
  s.d_model = d;
  s.ffw_size = ffw;
  s.kv_size = kv;
  s.n_heads = heads;
  s.n_layers = layers;
  s.vocab_size = vocab;
  s.seq_len = seq;
  return s;
}

std::vector<Preset> BuildPresets() {
  std::vector<Preset> out;
  for (const paper::Table15Row& r : paper::kTable15) {
    Preset p;
    p.name = "paper_" + std::to_string(r.this_work_m) + "m";
    p.shape = Make(r.d_model, r.ffw_size, r.kv_size, r.n_heads, r.n_layers, paper::kVocabSize,
                   paper::kSequenceLength);
    p.table15_params_m = r.this_work_m;
    p.chinchilla_params_m = r.chinchilla_m;
    out.push_back(p);
  }
  // Micro family: GPT-2 proportions (ffw = 4d), small vocabularies and contexts for this CPU.
  // micro_d64_l2 and micro_d128_l4 are shapes b and a of
  // experiments/training/benchmarks/train_bench.py.
  struct Micro {
    const char* name;
    int64_t d, kv, heads, layers, vocab, seq;
  };
  constexpr Micro kMicro[] = {
      {"micro_d32_l1", 32, 16, 2, 1, 512, 64},     {"micro_d64_l2", 64, 32, 2, 2, 512, 128},
      {"micro_d128_l4", 128, 32, 4, 4, 512, 256},  {"micro_d192_l4", 192, 32, 6, 4, 1024, 256},
      {"micro_d256_l4", 256, 64, 4, 4, 1024, 256}, {"micro_d384_l6", 384, 64, 6, 6, 1024, 512},
      {"micro_d512_l8", 512, 64, 8, 8, 1024, 1024},
  };
  for (const Micro& m : kMicro) {
    out.push_back({m.name, Make(m.d, 4 * m.d, m.kv, m.heads, m.layers, m.vocab, m.seq), 0, 0});
  }
  // GPU scale: the GPT-2 small shape (124M with V = 50257, s = 1024).
  out.push_back({"gpt2_124m", Make(768, 3072, 64, 12, 12, 50257, 1024), 0, 0});
  return out;
}

}  // namespace

Result ModelShape::Validate() const {
  auto fail = [&](const std::string& what) {
    return Result::BadInput("model shape: " + what + " (" + DebugString() + ")");
  };
  if (d_model <= 0) return fail("d_model must be positive");
  if (ffw_size <= 0) return fail("ffw_size must be positive");
  if (kv_size <= 0) return fail("kv_size must be positive");
  if (n_heads <= 0) return fail("n_heads must be positive");
  if (n_layers <= 0) return fail("n_layers must be positive");
  if (vocab_size <= 1) return fail("vocab_size must be at least 2");
  if (seq_len <= 0) return fail("seq_len must be positive");
  if (!(dropout >= 0.0 && dropout < 1.0)) return fail("dropout must be in [0, 1)");
  return Result::Ok();
}

std::string ModelShape::DebugString() const {
  std::ostringstream os;
  os << "d_model=" << d_model << " ffw_size=" << ffw_size << " kv_size=" << kv_size
     << " n_heads=" << n_heads << " n_layers=" << n_layers << " vocab_size=" << vocab_size
     << " seq_len=" << seq_len << " dropout=" << dropout;
  return os.str();
}

const std::vector<Preset>& Presets() {
  static const std::vector<Preset>* presets = new std::vector<Preset>(BuildPresets());
  return *presets;
}

const Preset* FindPreset(const std::string& name) {
  for (const Preset& p : Presets()) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

int64_t Eq23Params(const ModelShape& s) {
  const int64_t h = s.d_model, l = s.n_layers;
  return 12 * l * h * h + 13 * l * h + (s.vocab_size + s.seq_len) * h;
}

int64_t ExactParams(const ModelShape& s) {
  const int64_t h = s.d_model, f = s.ffw_size, a = s.kv_size * s.n_heads;
  const int64_t per_layer = 4 * h                 // ln_1, ln_2 (weight + bias)
                            + h * 3 * a + 3 * a   // qkv projection
                            + a * h + h           // output projection
                            + h * f + f           // MLP in
                            + f * h + h;          // MLP out
  return s.n_layers * per_layer + s.vocab_size * h + s.seq_len * h + 2 * h;
}

double SimpleFlops(double params, double tokens) { return 6.0 * params * tokens; }

double FullFlops(const ModelShape& shape, double tokens) {
  const double s = shape.seq_len, h = shape.d_model, V = shape.vocab_size;
  const double f = shape.ffw_size, heads = shape.n_heads;
  const double a = double(shape.kv_size) * heads;  // == h for every paper preset
  double fwd = 2 * s * V * h;                      // embeddings (as the script counts them)
  double layer = 2 * 3 * s * h * a                 // QKV
                 + 2 * s * s * a                   // attention logits
                 + 3 * heads * s * s               // softmax
                 + 2 * s * s * a                   // softmax @ V
                 + 2 * s * a * h                   // output projection
                 + 2 * s * (h * f + f * h);        // MLP
  fwd += shape.n_layers * layer;
  fwd += 2 * s * h * V;                            // final logits
  return 3 * fwd * tokens / s;
}

double TrainFlopsPerToken(const ModelShape& s) {
  const double n = double(ExactParams(s)) - double(s.seq_len * s.d_model);
  return 6.0 * n + 12.0 * s.n_layers * double(s.kv_size * s.n_heads) * s.seq_len;
}

}  // namespace datawall::models
