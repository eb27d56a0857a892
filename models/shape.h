// GPT-2 decoder shapes, the paper's presets, and parameter/FLOP accounting.
//
// A ModelShape is the paper's utils/model_params.sh tuple (d_model ffw_size kv_size n_heads
// n_layers) plus the vocabulary, the context length and the dropout rate. Presets cover every
// row of the paper's Table 15 (named by the paper's Eq. 23 count, "paper_146m") and a family of
// micro shapes for CPU and single-GPU runs. Accounting: Eq. 23 (the paper's count), the exact
// count of the module models/gpt.h builds, 6ND FLOPs and the full per-layer FLOP formula of
// utils/flops-params_py.py. Standard library only (the Table 15 rows come from paper/paper.h,
// header-only): no LibTorch here, so anything may include it.
#ifndef DATAWALL_MODELS_SHAPE_H_
#define DATAWALL_MODELS_SHAPE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "paper/paper.h"
#include "tools/result/result.h"

namespace datawall::models {

struct ModelShape {
  int64_t d_model = 0;     // h: residual stream width
  int64_t ffw_size = 0;    // MLP hidden width (4h in every paper preset)
  int64_t kv_size = 0;     // per-head width of queries, keys and values
  int64_t n_heads = 0;     // attention heads; attention inner width = kv_size * n_heads
  int64_t n_layers = 0;    // l: transformer blocks
  int64_t vocab_size = paper::kVocabSize;   // V: GPT-2 BPE by default (§4)
  int64_t seq_len = paper::kSequenceLength;  // s: context length (paper: 2048)
  double dropout = paper::kDropout;          // residual, attention, embedding dropout (paper: 0.1)

  // OK if every size is positive and dropout is in [0, 1); else BadInput (one line).
  Result Validate() const;
  std::string DebugString() const;
};

struct Preset {
  std::string name;          // "paper_146m", "micro_d128_l4", "gpt2_124m"
  ModelShape shape;
  int64_t table15_params_m = 0;     // Table 15 "this work" column (millions), 0 for non-paper
  int64_t chinchilla_params_m = 0;  // Table 15 "Chinchilla" column (millions), 0 if none
};

// All presets: the 55 rows of Table 15 (in the table's order), then the micro family.
const std::vector<Preset>& Presets();
// The preset called `name`, or nullptr.
const Preset* FindPreset(const std::string& name);

// Paper Eq. 23 (Narayanan et al.): P = 12 l h^2 + 13 l h + (V + s) h. Includes embeddings.
int64_t Eq23Params(const ModelShape& shape);

// The exact trainable parameter count of models::GPT(shape): per layer two LayerNorms (4h),
// qkv projection h*3a + 3a, output projection a*h + h (a = kv_size * n_heads), MLP
// h*f + f + f*h + h; token embedding V*h (tied with the output layer), position embedding s*h,
// final LayerNorm 2h. Equals Eq23Params + 2h when a == h and f == 4h.
int64_t ExactParams(const ModelShape& shape);

// The paper's FLOP count (its section 2 footnote): 6 * params * tokens.
double SimpleFlops(double params, double tokens);

// utils/flops-params_py.py full_flops (Chinchilla App. F): forward FLOPs per sequence of the
// embeddings, per-layer QKV, attention logits, softmax, softmax@V, output projection, MLP, and
// the final logits, times 3 (forward + backward), times tokens / seq_len.
double FullFlops(const ModelShape& shape, double tokens);

// Training FLOPs per token for MFU: 6 * (non-embedding-position params) + 12 * l * a * s
// (attention scores and values, forward + backward; PaLM App. B).
double TrainFlopsPerToken(const ModelShape& shape);

}  // namespace datawall::models

#endif  // DATAWALL_MODELS_SHAPE_H_
