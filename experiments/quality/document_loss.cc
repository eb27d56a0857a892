// Per-document language-model loss: see document_loss.h. Shapes: B windows, T seq_len, V vocab.
#include "experiments/quality/document_loss.h"

#include <torch/torch.h>

#include <algorithm>
#include <numeric>

namespace datawall::quality {
namespace {

struct Window {
  int64_t doc = 0;     // index into the output
  int64_t begin = 0;   // shard offset of the first token copied from the shard
  int64_t length = 0;  // tokens in the window, inputs + last target (<= T + 1)
  bool first = false;  // the document's first window: the separator, then its tokens
};

}  // namespace

std::vector<DocumentLoss> ScoreDocuments(models::GPT& model, const data::Shard& shard,
                                         const std::vector<int64_t>& docs_in,
                                         int64_t batch_size) {
  std::vector<int64_t> docs = docs_in;
  if (docs.empty()) {
    docs.resize(shard.num_documents());
    std::iota(docs.begin(), docs.end(), int64_t{0});
  }
  std::vector<DocumentLoss> out(docs.size());
  if (shard.num_documents() == 0) return out;
  const int64_t T = model->shape().seq_len;
  const int32_t separator = static_cast<int32_t>(shard.token(shard.document_start(1) - 1));
  // The windows: the document's sequence is [separator, its tokens...] (n + 1 tokens, n
  // predicted); window k starts at sequence position k T.
  std::vector<Window> windows;
  for (size_t i = 0; i < docs.size(); ++i) {
    const int64_t start = shard.document_start(docs[i]);
    const int64_t n = shard.document_start(docs[i] + 1) - start;
    out[i].tokens = n;
    for (int64_t pos = 0; pos < n; pos += T) {
      windows.push_back({static_cast<int64_t>(i), pos == 0 ? start : start + pos - 1,
                         std::min(T, n - pos) + 1, pos == 0});
    }
  }
  torch::NoGradGuard no_grad;
  model->eval();
  const torch::Device device = model->wte->weight.device();
  std::vector<int32_t> buffer;
  for (size_t first = 0; first < windows.size(); first += batch_size) {
    const int64_t B = std::min<int64_t>(batch_size, windows.size() - first);
    int64_t width = 0;  // the longest window of the batch, minus one: its T
    for (int64_t b = 0; b < B; ++b) width = std::max(width, windows[first + b].length - 1);
    buffer.assign(B * (width + 1), 0);
    std::vector<float> mask(B * width, 0.0f);
    for (int64_t b = 0; b < B; ++b) {
      const Window& w = windows[first + b];
      int32_t* row = buffer.data() + b * (width + 1);
      const int64_t offset = w.first ? 1 : 0;
      if (w.first) row[0] = separator;
      shard.CopyTokens(w.begin, w.length - offset, row + offset);
      std::fill(mask.begin() + b * width, mask.begin() + b * width + (w.length - 1), 1.0f);
    }
    auto seqs = torch::from_blob(buffer.data(), {B, width + 1}, torch::kInt32)
                    .to(torch::kLong).to(device);                                  // (B, T + 1)
    auto logits = model->forward(seqs.narrow(1, 0, width)).to(torch::kFloat32);   // (B, T, V)
    auto targets = seqs.narrow(1, 1, width);                                       // (B, T)
    auto token_nll = torch::logsumexp(logits, -1) -
                     logits.gather(-1, targets.unsqueeze(-1)).squeeze(-1);         // (B, T)
    auto m = torch::from_blob(mask.data(), {B, width}, torch::kFloat32).to(device);
    auto per_window = (token_nll * m).to(torch::kFloat64).sum(1).cpu();           // (B)
    const double* nll = per_window.data_ptr<double>();
    for (int64_t b = 0; b < B; ++b) out[windows[first + b].doc].nll += nll[b];
  }
  model->train();
  return out;
}

}  // namespace datawall::quality
