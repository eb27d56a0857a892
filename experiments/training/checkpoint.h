// Checkpoint files: the training state on disk, written atomically and verified on load.
//
// A checkpoint holds the completed step count, a fingerprint of the spec that wrote it, the
// loss/LR curves so far, and named byte blobs (the trainer stores flat parameters, AdamW
// moments and RNG states as raw float/byte arrays). Layout: "DWCKPT01" | body | 64-bit
// checksum (tools/io/checksum.h) of magic + body | "DWCKEND1"; body = meta text (step,
// fingerprint, curves with exact hex floats) + blobs. Files are written through
// tools/io/atomic_file.h as DIR/step_00000042.ckpt. LoadLatestCheckpoint() takes the newest
// file that verifies and reports every skipped (corrupt, truncated) one. Standard library
// only: this file knows nothing about tensors.
//
// Errors are the core's Result (tools/result/result.h). A checkpoint file that cannot be used is
// the user's input, BadInput: missing, truncated, bad magic, checksum mismatch, malformed body.
// Writing one (under the run's own output directory) and a read failing part way are Internal.
// A checkpoint written by a different spec is detected by the trainer from `fingerprint`
// (BadInput there).
#ifndef DATAWALL_EXPERIMENTS_TRAINING_CHECKPOINT_H_
#define DATAWALL_EXPERIMENTS_TRAINING_CHECKPOINT_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "experiments/training/train_options.h"
#include "tools/result/result.h"

namespace datawall::training {

struct Checkpoint {
  int64_t step = 0;          // optimiser steps completed when it was written
  std::string fingerprint;   // one line identifying the spec (resume refuses a mismatch)
  std::vector<CurvePoint> train_loss, val_loss, lr;
  std::vector<std::pair<std::string, std::string>> blobs;  // (name, raw bytes)

  // The blob called `name`, or nullptr.
  const std::string* Blob(const std::string& name) const;
};

// DIR/step_%08d.ckpt
std::string CheckpointPath(const std::string& dir, int64_t step);

// Writes `checkpoint` atomically under `dir` (created if needed) and deletes all but the
// newest `keep` checkpoint files. Internal, naming the path, when it cannot.
Result WriteCheckpoint(const std::string& dir, const Checkpoint& checkpoint, int keep);

// Loads the newest checkpoint in `dir` that verifies. Every file skipped appends a message
// naming it and why ("checksum mismatch", "truncated", ...). Returns false when none is valid
// (a missing directory counts as none): not an error, the run starts fresh.
bool LoadLatestCheckpoint(const std::string& dir, Checkpoint* checkpoint,
                          std::vector<std::string>* messages);

// Parses one checkpoint file into *checkpoint. BadInput (missing, or it does not verify: the
// message says why, e.g. "checksum mismatch") or Internal (a read failing part way).
Result ReadCheckpoint(const std::string& path, Checkpoint* checkpoint);

// Checkpoint files in `dir`, oldest first.
std::vector<std::string> ListCheckpoints(const std::string& dir);

}  // namespace datawall::training

#endif  // DATAWALL_EXPERIMENTS_TRAINING_CHECKPOINT_H_
