// The paper's learning-rate schedule: linear warm-up, then cosine decay from max_lr to min_lr.
//
// Step s (0-based) of n: during warm-up (s < w) lr = max_lr * (s + 1) / w; afterwards
// lr = min_lr + (max_lr - min_lr) * (1 + cos(pi * (s - w) / (n - w))) / 2, so the last step
// ends just above min_lr. Standard library only.
#ifndef DATAWALL_EXPERIMENTS_TRAINING_SCHEDULE_H_
#define DATAWALL_EXPERIMENTS_TRAINING_SCHEDULE_H_

#include <cmath>
#include <cstdint>

namespace datawall::training {

// Warm-up steps for a run of `total_steps`: round(warmup_fraction * total_steps).
inline int64_t WarmupSteps(int64_t total_steps, double warmup_fraction) {
  return static_cast<int64_t>(std::llround(warmup_fraction * static_cast<double>(total_steps)));
}

inline double LearningRate(int64_t step, int64_t total_steps, int64_t warmup_steps, double max_lr,
                           double min_lr) {
  if (step < warmup_steps) return max_lr * static_cast<double>(step + 1) / warmup_steps;
  const int64_t decay_steps = total_steps - warmup_steps;
  if (decay_steps <= 0) return min_lr;
  const double progress = static_cast<double>(step - warmup_steps) / decay_steps;
  return min_lr + 0.5 * (max_lr - min_lr) * (1.0 + std::cos(M_PI * progress));
}

}  // namespace datawall::training

#endif  // DATAWALL_EXPERIMENTS_TRAINING_SCHEDULE_H_
