// Checkpoint files: round trip, atomic naming, pruning, corruption detection and fallback, and
// the Result kinds: an unusable file is bad input, a failed write internal.
#include "experiments/training/checkpoint.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "tools/io/atomic_file.h"
#include "tools/io/checksum.h"

namespace datawall::training {
namespace {

std::string TempDir(const std::string& name) {
  const std::string dir = std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

Checkpoint Make(int64_t step) {
  Checkpoint c;
  c.step = step;
  c.fingerprint = "d_model=32 seed=7 data=abc";
  c.train_loss = {{1, 64, 5.5}, {2, 128, 0.1 + 0.2}};  // 0.30000000000000004: exact hex floats
  c.val_loss = {{2, 128, 4.25}};
  c.lr = {{1, 64, 2e-4}, {2, 128, 1.0 / 3.0}};
  std::string params(4000, '\0');
  for (size_t i = 0; i < params.size(); ++i) params[i] = static_cast<char>(i * 7 + step);
  c.blobs = {{"params", params}, {"empty", ""}, {"rng", "xyz"}};
  return c;
}

void ExpectSame(const Checkpoint& a, const Checkpoint& b) {
  EXPECT_EQ(a.step, b.step);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  ASSERT_EQ(a.train_loss.size(), b.train_loss.size());
  for (size_t i = 0; i < a.train_loss.size(); ++i) {
    EXPECT_EQ(a.train_loss[i].value, b.train_loss[i].value);  // bit-exact
    EXPECT_EQ(a.train_loss[i].tokens, b.train_loss[i].tokens);
  }
  ASSERT_EQ(a.lr.size(), b.lr.size());
  EXPECT_EQ(a.lr[1].value, b.lr[1].value);
  EXPECT_EQ(a.blobs, b.blobs);
}

TEST(CheckpointTest, RoundTripIsExact) {
  const std::string dir = TempDir("roundtrip");
  const Result written = WriteCheckpoint(dir, Make(7), 3);
  ASSERT_TRUE(written.ok()) << written.message();
  EXPECT_TRUE(std::filesystem::exists(dir + "/step_00000007.ckpt"));
  Checkpoint loaded;
  std::vector<std::string> messages;
  ASSERT_TRUE(LoadLatestCheckpoint(dir, &loaded, &messages));
  EXPECT_TRUE(messages.empty());
  ExpectSame(loaded, Make(7));
  ASSERT_NE(loaded.Blob("rng"), nullptr);
  EXPECT_EQ(*loaded.Blob("rng"), "xyz");
  EXPECT_EQ(loaded.Blob("missing"), nullptr);
}

TEST(CheckpointTest, KeepsOnlyTheNewest) {
  const std::string dir = TempDir("prune");
  for (int64_t s : {5, 10, 15, 20}) ASSERT_TRUE(WriteCheckpoint(dir, Make(s), 2).ok());
  const auto files = ListCheckpoints(dir);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0], CheckpointPath(dir, 15));
  EXPECT_EQ(files[1], CheckpointPath(dir, 20));
}

TEST(CheckpointTest, CorruptNewestFallsBackToPreviousWithMessage) {
  const std::string dir = TempDir("corrupt");
  for (int64_t s : {10, 20, 30}) ASSERT_TRUE(WriteCheckpoint(dir, Make(s), 3).ok());
  {  // flip one byte in the middle of the newest file (a blob byte: only the checksum sees it)
    std::fstream f(CheckpointPath(dir, 30), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(2000);
    char c;
    f.seekg(2000);
    f.get(c);
    f.seekp(2000);
    f.put(static_cast<char>(c ^ 0x01));
  }
  {  // truncate the middle one
    std::string bytes;
    ASSERT_TRUE(io::ReadFile(CheckpointPath(dir, 20), &bytes).ok());
    std::ofstream(CheckpointPath(dir, 20), std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  }
  Checkpoint loaded;
  std::vector<std::string> messages;
  ASSERT_TRUE(LoadLatestCheckpoint(dir, &loaded, &messages));
  EXPECT_EQ(loaded.step, 10);
  ExpectSame(loaded, Make(10));
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_NE(messages[0].find("step_00000030.ckpt"), std::string::npos) << messages[0];
  EXPECT_NE(messages[0].find("checksum mismatch"), std::string::npos) << messages[0];
  EXPECT_NE(messages[1].find("step_00000020.ckpt"), std::string::npos) << messages[1];
  EXPECT_NE(messages[1].find("truncated"), std::string::npos) << messages[1];
}

TEST(CheckpointTest, NoValidCheckpoint) {
  const std::string dir = TempDir("none");
  Checkpoint loaded;
  std::vector<std::string> messages;
  EXPECT_FALSE(LoadLatestCheckpoint(dir + "/absent", &loaded, &messages));
  EXPECT_TRUE(messages.empty());
  ASSERT_TRUE(io::WriteFileAtomically(CheckpointPath(dir, 1), "DWCKPT01 garbage").ok());
  EXPECT_FALSE(LoadLatestCheckpoint(dir, &loaded, &messages));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].find("no older checkpoint"), std::string::npos) << messages[0];
}

void AppendU64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

TEST(CheckpointTest, UnusableFilesAreBadInputNamingWhy) {
  const std::string dir = TempDir("kinds");
  Checkpoint c;
  const Result missing = ReadCheckpoint(CheckpointPath(dir, 1), &c);
  EXPECT_TRUE(missing.bad_input()) << missing.message();
  EXPECT_NE(missing.message().find("step_00000001.ckpt"), std::string::npos) << missing.message();

  ASSERT_TRUE(WriteCheckpoint(dir, Make(2), 3).ok());
  std::string bytes;
  ASSERT_TRUE(io::ReadFile(CheckpointPath(dir, 2), &bytes).ok());
  bytes[100] ^= 0x01;
  ASSERT_TRUE(io::WriteFileAtomically(CheckpointPath(dir, 2), bytes).ok());
  const Result damaged = ReadCheckpoint(CheckpointPath(dir, 2), &c);
  EXPECT_TRUE(damaged.bad_input()) << damaged.message();
  EXPECT_EQ(damaged.message(), "checksum mismatch");

  // A verified file whose one blob claims a name of 2^64 - 8 bytes: refused, not read past.
  std::string hostile("DWCKPT01", 8);
  const std::string meta = "step 3\n";
  AppendU64(&hostile, meta.size());
  hostile += meta;
  AppendU64(&hostile, 1);
  AppendU64(&hostile, ~uint64_t{0} - 7);
  AppendU64(&hostile, io::Checksum64(hostile.data(), hostile.size()));
  hostile += "DWCKEND1";
  ASSERT_TRUE(io::WriteFileAtomically(CheckpointPath(dir, 3), hostile).ok());
  const Result malformed = ReadCheckpoint(CheckpointPath(dir, 3), &c);
  EXPECT_TRUE(malformed.bad_input()) << malformed.message();
  EXPECT_EQ(malformed.message(), "malformed body");
}

TEST(CheckpointTest, AFailedWriteIsInternalNamingThePath) {
  const std::string dir = TempDir("unwritable");
  ASSERT_TRUE(io::WriteFileAtomically(dir + "/file", "a file, not a directory").ok());
  const Result r = WriteCheckpoint(dir + "/file/checkpoints", Make(1), 3);
  EXPECT_EQ(r.kind(), Result::Kind::kInternal);
  EXPECT_NE(r.message().find(dir + "/file/checkpoints"), std::string::npos) << r.message();
}

}  // namespace
}  // namespace datawall::training
