// Presets and accounting for GPT-2 shapes (see shape.h). Standard library only.
#include "models/shape.h"

#include <cmath>
#include <sstream>

namespace datawall::models {
namespace {

// Table 15 (App. S): params this work (M) | Chinchilla (M, 0 = none) | d_model ffw kv heads layers.
struct Row {
  int64_t this_work_m, chinchilla_m, d, ffw, kv, heads, layers;
};
constexpr Row kTable15[] = {
    {7, 0, 128, 512, 32, 4, 3},          {14, 0, 224, 896, 32, 7, 4},
    {20, 0, 288, 1152, 32, 7, 5},        {38, 0, 448, 1792, 32, 7, 6},
    {52, 44, 512, 2048, 64, 8, 8},       {66, 57, 576, 2304, 64, 9, 9},
    {83, 74, 640, 2560, 64, 10, 10},     {97, 90, 640, 2560, 64, 10, 13},
    {112, 106, 640, 2560, 64, 10, 16},   {125, 117, 768, 3072, 64, 12, 12},
    {146, 140, 768, 3072, 64, 12, 15},   {168, 163, 768, 3072, 64, 12, 18},
    {182, 175, 896, 3584, 64, 14, 14},   {201, 196, 896, 3584, 64, 14, 16},
    {220, 217, 896, 3584, 64, 14, 18},   {255, 251, 1024, 4096, 64, 16, 16},
    {280, 278, 1024, 4096, 64, 16, 18},  {305, 306, 1024, 4096, 64, 16, 20},
    {421, 425, 1280, 5120, 128, 10, 18}, {480, 489, 1280, 5120, 128, 10, 21},
    {502, 509, 1408, 5632, 128, 11, 18}, {539, 552, 1280, 5120, 128, 10, 24},
    {574, 587, 1408, 5632, 128, 11, 21}, {619, 632, 1536, 6144, 128, 12, 19},
    {645, 664, 1408, 5632, 128, 11, 24}, {704, 724, 1536, 6144, 128, 12, 22},
    {789, 816, 1536, 6144, 128, 12, 25}, {865, 893, 1792, 7168, 128, 14, 20},
    {981, 1018, 1792, 7168, 128, 14, 23},     {1096, 1143, 1792, 7168, 128, 14, 26},
    {1215, 1266, 2048, 8192, 128, 16, 22},    {1364, 1424, 2176, 8704, 128, 17, 22},
    {1366, 1429, 2048, 8192, 128, 16, 25},    {1517, 1593, 2048, 8192, 128, 16, 28},
    {1535, 1609, 2176, 8704, 128, 17, 25},    {1650, 1731, 2304, 9216, 128, 18, 24},
    {1706, 1794, 2176, 8704, 128, 17, 28},    {1905, 2007, 2304, 9216, 128, 18, 28},
    {2160, 2283, 2304, 9216, 128, 18, 32},    {2179, 2298, 2560, 10240, 128, 20, 26},
    {2494, 2639, 2560, 10240, 128, 20, 30},   {2809, 2980, 2560, 10240, 128, 20, 34},
    {3090, 0, 2688, 10752, 128, 22, 34},      {3263, 3530, 2688, 10752, 128, 21, 36},
    {3574, 3802, 2816, 11264, 128, 22, 36},   {3900, 4084, 2944, 11776, 128, 23, 36},
    {4239, 4516, 3072, 12288, 128, 24, 36},   {6355, 6796, 3584, 14336, 128, 28, 40},
    {8672, 9293, 4096, 16384, 128, 32, 42},   {10912, 11452, 4352, 17408, 128, 32, 47},
    {11455, 12295, 4608, 18432, 128, 36, 44}, {12220, 12569, 4608, 18432, 128, 32, 47},
    {13601, 13735, 4864, 19456, 128, 32, 47}, {14917, 14940, 4992, 19968, 128, 32, 49},
    {15056, 16183, 5120, 20480, 128, 40, 47},
};

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
  for (const Row& r : kTable15) {
    Preset p;
    p.name = "paper_" + std::to_string(r.this_work_m) + "m";
    p.shape = Make(r.d, r.ffw, r.kv, r.heads, r.layers, 50257, 2048);
    p.table15_params_m = r.this_work_m;
    p.chinchilla_params_m = r.chinchilla_m;
    out.push_back(p);
  }
  // Micro family: GPT-2 proportions (ffw = 4d), small vocabularies and contexts for this CPU.
  // micro_d64_l2 and micro_d128_l4 are shapes b and a of ../shared/baselines/train_bench.py.
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

bool ModelShape::IsValid(std::string* error) const {
  auto fail = [&](const std::string& what) {
    if (error) *error = "model shape: " + what + " (" + DebugString() + ")";
    return false;
  };
  if (d_model <= 0) return fail("d_model must be positive");
  if (ffw_size <= 0) return fail("ffw_size must be positive");
  if (kv_size <= 0) return fail("kv_size must be positive");
  if (n_heads <= 0) return fail("n_heads must be positive");
  if (n_layers <= 0) return fail("n_layers must be positive");
  if (vocab_size <= 1) return fail("vocab_size must be at least 2");
  if (seq_len <= 0) return fail("seq_len must be positive");
  if (!(dropout >= 0.0 && dropout < 1.0)) return fail("dropout must be in [0, 1)");
  return true;
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
