// TensorBoard scalar event files (see event_writer.h). Standard library + POSIX only.
#include "experiments/training/event_writer.h"

#include <unistd.h>

#include <array>
#include <chrono>
#include <cstring>
#include <filesystem>

namespace datawall::training {
namespace {

std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;  // reflected
    table[i] = c;
  }
  return table;
}

// Protobuf wire format, the few pieces an Event needs.
void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}
void PutTag(std::string* out, int field, int wire_type) { PutVarint(out, (field << 3) | wire_type); }
void PutFixed(std::string* out, const void* bytes, size_t n) {  // little-endian host (x86-64)
  out->append(static_cast<const char*>(bytes), n);
}
void PutBytes(std::string* out, int field, std::string_view bytes) {
  PutTag(out, field, 2);
  PutVarint(out, bytes.size());
  out->append(bytes.data(), bytes.size());
}
void PutDouble(std::string* out, int field, double v) {
  PutTag(out, field, 1);
  PutFixed(out, &v, 8);
}

double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

uint32_t Crc32c(const void* data, size_t size) {
  static const std::array<uint32_t, 256> table = MakeCrcTable();
  const auto* p = static_cast<const unsigned char*>(data);
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < size; ++i) crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

uint32_t MaskedCrc32c(const void* data, size_t size) {
  const uint32_t crc = Crc32c(data, size);
  return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

std::string EncodeScalarEvent(double wall_time, int64_t step, std::string_view tag, float value) {
  std::string summary_value;                 // Summary.Value
  PutBytes(&summary_value, 1, tag);          //   tag = 1
  PutTag(&summary_value, 2, 5);              //   simple_value = 2 (float)
  PutFixed(&summary_value, &value, 4);
  std::string summary;                       // Summary
  PutBytes(&summary, 1, summary_value);      //   repeated Value value = 1
  std::string event;                         // Event
  PutDouble(&event, 1, wall_time);           //   wall_time = 1
  PutTag(&event, 2, 0);                      //   step = 2
  PutVarint(&event, static_cast<uint64_t>(step));
  PutBytes(&event, 5, summary);              //   summary = 5
  return event;
}

std::string EncodeFileVersionEvent(double wall_time) {
  std::string event;
  PutDouble(&event, 1, wall_time);
  PutBytes(&event, 3, "brain.Event:2");      // file_version = 3
  return event;
}

std::string FrameRecord(std::string_view payload) {
  std::string out;
  const uint64_t length = payload.size();
  PutFixed(&out, &length, 8);
  const uint32_t length_crc = MaskedCrc32c(&length, 8);
  PutFixed(&out, &length_crc, 4);
  out.append(payload.data(), payload.size());
  const uint32_t data_crc = MaskedCrc32c(payload.data(), payload.size());
  PutFixed(&out, &data_crc, 4);
  return out;
}

EventWriter::~EventWriter() {
  if (file_) std::fclose(file_);
}

Result EventWriter::Open(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Result::Internal(dir + ": cannot create TensorBoard directory: " + ec.message());
  char host[256] = "localhost";
  gethostname(host, sizeof(host) - 1);
  path_ = dir + "/events.out.tfevents." +
          std::to_string(static_cast<int64_t>(NowSeconds())) + "." + host + "." +
          std::to_string(getpid());
  file_ = std::fopen(path_.c_str(), "ab");
  if (!file_) return Result::Internal(path_ + ": cannot open: " + std::strerror(errno));
  Append(EncodeFileVersionEvent(NowSeconds()));
  return Result::Ok();
}

void EventWriter::AddScalar(std::string_view tag, int64_t step, double value) {
  if (file_) Append(EncodeScalarEvent(NowSeconds(), step, tag, static_cast<float>(value)));
}

void EventWriter::Append(const std::string& payload) {
  const std::string record = FrameRecord(payload);
  std::fwrite(record.data(), 1, record.size(), file_);
  std::fflush(file_);
}

}  // namespace datawall::training
