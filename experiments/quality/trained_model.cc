// A trained GPT back from its run directory: see trained_model.h.
#include "experiments/quality/trained_model.h"

#include <torch/torch.h>

#include <cstring>
#include <vector>

#include "experiments/training/checkpoint.h"
#include "experiments/training/flat_adamw.h"

namespace datawall::quality {

Result LoadTrainedModel(const models::ModelShape& shape, const std::string& run_dir,
                        models::GPT* model, int64_t* step) {
  training::Checkpoint c;
  std::vector<std::string> messages;
  const std::string dir = run_dir + "/checkpoints";
  if (!training::LoadLatestCheckpoint(dir, &c, &messages)) {
    return Result::BadInput(dir + ": no valid checkpoint" +
                            (messages.empty() ? "" : " (" + messages.back() + ")"));
  }
  *model = models::GPT(shape);
  training::FlatAdamW flat(**model, {});  // makes the parameters views of one flat buffer
  const std::string* bytes = c.Blob("params");
  torch::Tensor& params = flat.params();  // (P) float32
  if (bytes == nullptr || bytes->size() != static_cast<size_t>(params.nbytes())) {
    return Result::BadInput(dir + ": checkpoint step " + std::to_string(c.step) +
                            " does not fit the model " + std::to_string(params.numel()) +
                            " parameters");
  }
  {
    torch::NoGradGuard no_grad;
    std::memcpy(params.data_ptr(), bytes->data(), bytes->size());
  }
  (*model)->eval();
  *step = c.step;
  return Result::Ok();
}

}  // namespace datawall::quality
