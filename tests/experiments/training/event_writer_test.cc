// TensorBoard event files: CRC32C, TFRecord framing, and Events a protobuf parser accepts with
// TensorFlow's field numbers (tensorboard_event.proto).
#include "experiments/training/event_writer.h"

#include <cstring>
#include <filesystem>

#include "experiments/training/tensorboard_event.pb.h"
#include "gtest/gtest.h"
#include "tools/io/atomic_file.h"

namespace datawall::training {
namespace {

TEST(EventWriterTest, Crc32cKnownAnswers) {
  EXPECT_EQ(Crc32c("123456789", 9), 0xE3069283u);  // the standard CRC-32C check value
  const std::string zeros(32, '\0');
  EXPECT_EQ(Crc32c(zeros.data(), zeros.size()), 0x8A9136AAu);  // RFC 3720 B.4
  const uint32_t crc = Crc32c("123456789", 9);
  EXPECT_EQ(MaskedCrc32c("123456789", 9), ((crc >> 15) | (crc << 17)) + 0xa282ead8u);
}

TEST(EventWriterTest, FileDecodesAsTensorFlowEvents) {
  const std::string dir = std::string(std::getenv("TEST_TMPDIR")) + "/tb";
  std::filesystem::remove_all(dir);
  std::string path;
  {
    EventWriter writer;
    ASSERT_TRUE(writer.Open(dir).ok());
    path = writer.path();
    writer.AddScalar("train/loss", 128, 3.5);
    writer.AddScalar("val/loss", 256, 2.25);
  }
  EXPECT_NE(path.find("events.out.tfevents."), std::string::npos);
  std::string bytes;
  const Result read = io::ReadFile(path, &bytes);
  ASSERT_TRUE(read.ok()) << read.message();
  std::vector<tensorboard::Event> events;
  size_t pos = 0;
  while (pos < bytes.size()) {
    ASSERT_LE(pos + 12, bytes.size());
    uint64_t length;
    uint32_t length_crc, data_crc;
    std::memcpy(&length, bytes.data() + pos, 8);
    std::memcpy(&length_crc, bytes.data() + pos + 8, 4);
    EXPECT_EQ(length_crc, MaskedCrc32c(bytes.data() + pos, 8));
    ASSERT_LE(pos + 12 + length + 4, bytes.size());
    const std::string payload = bytes.substr(pos + 12, length);
    std::memcpy(&data_crc, bytes.data() + pos + 12 + length, 4);
    EXPECT_EQ(data_crc, MaskedCrc32c(payload.data(), payload.size()));
    tensorboard::Event event;
    ASSERT_TRUE(event.ParseFromString(payload));
    events.push_back(event);
    pos += 12 + length + 4;
  }
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].file_version(), "brain.Event:2");
  EXPECT_GT(events[0].wall_time(), 1.7e9);
  EXPECT_EQ(events[1].step(), 128);
  ASSERT_EQ(events[1].summary().value_size(), 1);
  EXPECT_EQ(events[1].summary().value(0).tag(), "train/loss");
  EXPECT_FLOAT_EQ(events[1].summary().value(0).simple_value(), 3.5f);
  EXPECT_EQ(events[2].step(), 256);
  EXPECT_EQ(events[2].summary().value(0).tag(), "val/loss");
  EXPECT_FLOAT_EQ(events[2].summary().value(0).simple_value(), 2.25f);
}

TEST(EventWriterTest, EncodingMatchesProtobufSerialisation) {
  tensorboard::Event event;
  event.set_wall_time(1234.5);
  event.set_step(-3);  // negative int64 varints take ten bytes
  auto* value = event.mutable_summary()->add_value();
  value->set_tag("a/b");
  value->set_simple_value(0.125f);
  std::string expected;
  ASSERT_TRUE(event.SerializeToString(&expected));
  EXPECT_EQ(EncodeScalarEvent(1234.5, -3, "a/b", 0.125f), expected);
}

}  // namespace
}  // namespace datawall::training
