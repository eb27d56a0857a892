// TensorBoard event files: scalar curves that `tensorboard --logdir DIR` shows.
//
// Writes TFRecord framing (uint64 length, masked CRC32C of the length, payload, masked CRC32C
// of the payload) around hand-encoded protobuf Event messages: a first event carrying
// file_version "brain.Event:2", then one Event{wall_time, step, summary{value{tag,
// simple_value}}} per scalar. Field numbers follow TensorFlow's event.proto / summary.proto;
// tensorboard_event.proto mirrors the subset we write (the tests decode our bytes with it).
// Standard library only (no protobuf runtime), so the GPU build writes the same files. Not a
// general TensorBoard writer: scalars only, no histograms, images or graphs.
#ifndef DATAWALL_EXPERIMENTS_TRAINING_EVENT_WRITER_H_
#define DATAWALL_EXPERIMENTS_TRAINING_EVENT_WRITER_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "tools/result/result.h"

namespace datawall::training {

// CRC-32C (Castagnoli) and TFRecord's masked form ((crc >> 15 | crc << 17) + 0xa282ead8).
uint32_t Crc32c(const void* data, size_t size);
uint32_t MaskedCrc32c(const void* data, size_t size);

// One serialized Event message (exposed for tests).
std::string EncodeScalarEvent(double wall_time, int64_t step, std::string_view tag, float value);
std::string EncodeFileVersionEvent(double wall_time);
// TFRecord framing of one payload.
std::string FrameRecord(std::string_view payload);

class EventWriter {
 public:
  EventWriter() = default;
  ~EventWriter();
  EventWriter(const EventWriter&) = delete;
  EventWriter& operator=(const EventWriter&) = delete;

  // Creates `dir` and a new file events.out.tfevents.<unix seconds>.<host>.<pid> in it, and
  // writes the file-version event. Internal naming the path when it cannot (the directory is
  // the run's own output).
  Result Open(const std::string& dir);
  // Appends a scalar and flushes, so a killed run keeps every complete record.
  void AddScalar(std::string_view tag, int64_t step, double value);
  const std::string& path() const { return path_; }

 private:
  void Append(const std::string& payload);
  std::FILE* file_ = nullptr;
  std::string path_;
};

}  // namespace datawall::training

#endif  // DATAWALL_EXPERIMENTS_TRAINING_EVENT_WRITER_H_
