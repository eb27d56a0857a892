// Shard format: round trip at both token widths (with and without a source table), version 1
// files (built byte by byte here) still open with no sources, inconsistent sources refused by
// WriteShard, and every kind of damage (including a bad source index) refused on Open.
#include "data/shard.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tools/io/checksum.h"

namespace datawall::data {
namespace {

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

std::vector<std::vector<uint32_t>> SampleDocuments(uint32_t vocab) {
  std::vector<std::vector<uint32_t>> docs = {{1, 2, 3}, {}, {vocab - 1}, {}};
  std::vector<uint32_t> long_doc;
  for (uint32_t i = 0; i < 1001; ++i) long_doc.push_back((i * 7919u) % vocab);
  docs.push_back(long_doc);
  return docs;
}

// Opens `path`, failing the test (with the message) when it does not load.
std::unique_ptr<Shard> OpenOk(const std::string& path) {
  std::unique_ptr<Shard> shard;
  const Result r = Shard::Open(path, &shard);
  EXPECT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r.ok(), shard != nullptr);
  return shard;
}

// The bad-input message of opening `path`, failing the test when it loads or fails otherwise.
std::string OpenFailure(const std::string& path) {
  std::unique_ptr<Shard> shard;
  const Result r = Shard::Open(path, &shard);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.bad_input()) << r.message();
  EXPECT_EQ(shard, nullptr);
  EXPECT_NE(r.message().find(path), std::string::npos) << r.message();
  return r.message();
}

void ExpectRoundTrip(uint32_t vocab) {
  const std::string path = TempPath("round_trip_" + std::to_string(vocab) + ".shard");
  const auto docs = SampleDocuments(vocab);
  ShardInfo info{"test_tok", vocab, "corpus0123"};
  const Result written = WriteShard(path, info, docs);
  ASSERT_TRUE(written.ok()) << written.message();
  auto shard = OpenOk(path);
  ASSERT_NE(shard, nullptr);
  EXPECT_EQ(shard->info().tokenizer_id, "test_tok");
  EXPECT_EQ(shard->info().vocab_size, vocab);
  EXPECT_EQ(shard->info().corpus_hash, "corpus0123");
  ASSERT_EQ(shard->num_documents(), static_cast<int64_t>(docs.size()));
  int64_t pos = 0;
  for (size_t d = 0; d < docs.size(); ++d) {
    EXPECT_EQ(shard->document_start(d), pos);
    for (uint32_t t : docs[d]) EXPECT_EQ(shard->token(pos++), t);
  }
  EXPECT_EQ(shard->num_tokens(), pos);
  EXPECT_EQ(shard->document_start(docs.size()), pos);
  std::vector<int32_t> copy(3);
  shard->CopyTokens(0, 3, copy.data());
  EXPECT_EQ(copy, (std::vector<int32_t>{1, 2, 3}));
  EXPECT_EQ(shard->checksum().size(), 16u);
  EXPECT_TRUE(shard->info().sources.empty());
  for (size_t d = 0; d < docs.size(); ++d) EXPECT_EQ(shard->document_source(d), 0);
}

TEST(ShardTest, RoundTripTwoByteTokens) { ExpectRoundTrip(50257); }
TEST(ShardTest, RoundTripFourByteTokens) { ExpectRoundTrip(70000); }

TEST(ShardTest, TwoByteWidthIsSmallerThanFourByte) {
  const auto docs = SampleDocuments(1024);
  ASSERT_TRUE(WriteShard(TempPath("w2.shard"), {"t", 65536, "h"}, docs).ok());
  ASSERT_TRUE(WriteShard(TempPath("w4.shard"), {"t", 65537, "h"}, docs).ok());
  EXPECT_LT(ReadAll(TempPath("w2.shard")).size(), ReadAll(TempPath("w4.shard")).size());
}

TEST(ShardTest, ChecksumIdentifiesContent) {
  auto docs = SampleDocuments(1000);
  ASSERT_TRUE(WriteShard(TempPath("a.shard"), {"t", 1000, "h"}, docs).ok());
  docs[0][1] = 5;
  ASSERT_TRUE(WriteShard(TempPath("b.shard"), {"t", 1000, "h"}, docs).ok());
  auto a = OpenOk(TempPath("a.shard"));
  auto b = OpenOk(TempPath("b.shard"));
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->checksum(), b->checksum());
}

TEST(ShardTest, MissingFileIsBadInputNamingPath) {
  const std::string error = OpenFailure(TempPath("nope.shard"));
  EXPECT_NE(error.find("missing"), std::string::npos) << error;
}

class DamagedShardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = TempPath("damaged.shard");
    ASSERT_TRUE(WriteShard(path_, {"t", 1000, "h"}, SampleDocuments(1000)).ok());
    bytes_ = ReadAll(path_);
  }
  std::string OpenError(const std::string& bytes) {
    WriteAll(path_, bytes);
    return OpenFailure(path_);
  }
  std::string path_;
  std::string bytes_;
};

TEST_F(DamagedShardTest, FlippedPayloadByte) {
  std::string bytes = bytes_;
  bytes[300] ^= 0x01;
  EXPECT_NE(OpenError(bytes).find("checksum mismatch"), std::string::npos);
}

TEST_F(DamagedShardTest, FlippedHeaderByte) {
  std::string bytes = bytes_;
  bytes[40] ^= 0x01;  // inside the payload checksum field
  EXPECT_NE(OpenError(bytes).find("header checksum"), std::string::npos);
}

TEST_F(DamagedShardTest, BadMagic) {
  std::string bytes = bytes_;
  bytes[0] = 'X';
  EXPECT_NE(OpenError(bytes).find("bad magic"), std::string::npos);
}

TEST_F(DamagedShardTest, TruncatedAnywhere) {
  for (size_t keep : {size_t{0}, size_t{10}, size_t{255}, size_t{256}, bytes_.size() / 2,
                      bytes_.size() - 1}) {
    const std::string error = OpenError(bytes_.substr(0, keep));
    EXPECT_FALSE(error.empty()) << keep;
  }
  EXPECT_NE(OpenError(bytes_.substr(0, bytes_.size() - 8)).find("truncated"), std::string::npos);
}

TEST_F(DamagedShardTest, TrailingBytes) {
  EXPECT_NE(OpenError(bytes_ + "x").find("trailing"), std::string::npos);
}

TEST(ShardTest, WriteRefusesTokensOutsideVocabulary) {
  const std::string path = TempPath("bad_vocab.shard");
  const Result r = WriteShard(path, {"t", 10, "h"}, {{1, 2, 10}});
  EXPECT_TRUE(r.bad_input()) << r.message();
  EXPECT_NE(r.message().find("outside the vocabulary"), std::string::npos) << r.message();
  EXPECT_NE(r.message().find(path), std::string::npos) << r.message();
  EXPECT_NE(OpenFailure(path).find("missing"), std::string::npos);  // nothing was written
}

TEST(ShardTest, EmptyShardLoads) {
  const std::string path = TempPath("empty.shard");
  ASSERT_TRUE(WriteShard(path, {"t", 10, "h"}, {}).ok());
  auto shard = OpenOk(path);
  ASSERT_NE(shard, nullptr);
  EXPECT_EQ(shard->num_tokens(), 0);
  EXPECT_EQ(shard->num_documents(), 0);
}

TEST(ShardTest, RewriteReplacesAtomically) {
  const std::string path = TempPath("rewrite.shard");
  ASSERT_TRUE(WriteShard(path, {"t", 100, "h"}, {{1, 2}}).ok());
  ASSERT_TRUE(WriteShard(path, {"t", 100, "h"}, {{3, 4, 5}}).ok());
  auto shard = OpenOk(path);
  ASSERT_NE(shard, nullptr);
  EXPECT_EQ(shard->num_tokens(), 3);
  EXPECT_EQ(shard->token(0), 3u);
}

// --- Version 2: the source table ---------------------------------------------------------

// Byte offsets of the header fields (the layout comment in data/shard.cc).
constexpr size_t kVersionOffset = 8;
constexpr size_t kNumSourcesOffset = 20;
constexpr size_t kPayloadChecksumOffset = 40;
constexpr size_t kHeaderChecksumOffset = 176;
constexpr size_t kHeaderSize = 256;

template <typename T>
void Put(std::string* bytes, size_t offset, T value) {
  std::memcpy(bytes->data() + offset, &value, sizeof(T));
}

// Recomputes both checksums after a deliberate edit, so that Open reaches the check under test.
void Reseal(std::string* bytes) {
  Put<uint64_t>(bytes, kPayloadChecksumOffset,
                io::Checksum64(bytes->data() + kHeaderSize, bytes->size() - kHeaderSize));
  Put<uint64_t>(bytes, kHeaderChecksumOffset, io::Checksum64(bytes->data(), kHeaderChecksumOffset));
}

size_t Pad8(size_t n) { return (n + 7) / 8 * 8; }

// Where the per-document source indices start in a shard of these documents.
size_t SourceIndexOffset(const std::vector<std::vector<uint32_t>>& docs, int width) {
  size_t tokens = 0;
  for (const auto& d : docs) tokens += d.size();
  return kHeaderSize + Pad8(tokens * width) + (docs.size() + 1) * 8;
}

const std::vector<std::string> kSources = {"sotu", "brown", "python_stdlib"};
const std::vector<uint16_t> kDocumentSources = {2, 0, 1, 0, 2};  // SampleDocuments has 5

void ExpectSourcesRoundTrip(uint32_t vocab) {
  const std::string path = TempPath("sources_" + std::to_string(vocab) + ".shard");
  const auto docs = SampleDocuments(vocab);
  ASSERT_EQ(docs.size(), kDocumentSources.size());
  const Result r = WriteShard(path, {"tok", vocab, "h", kSources}, docs, kDocumentSources);
  ASSERT_TRUE(r.ok()) << r.message();
  auto shard = OpenOk(path);
  ASSERT_NE(shard, nullptr);
  EXPECT_EQ(shard->info().sources, kSources);
  ASSERT_EQ(shard->num_documents(), static_cast<int64_t>(docs.size()));
  int64_t pos = 0;
  for (size_t d = 0; d < docs.size(); ++d) {
    EXPECT_EQ(shard->document_source(d), kDocumentSources[d]) << d;
    EXPECT_EQ(shard->document_start(d), pos);
    for (uint32_t t : docs[d]) EXPECT_EQ(shard->token(pos++), t);
  }
  EXPECT_EQ(shard->num_tokens(), pos);
}

TEST(ShardSourcesTest, RoundTripTwoByteTokens) { ExpectSourcesRoundTrip(50257); }
TEST(ShardSourcesTest, RoundTripFourByteTokens) { ExpectSourcesRoundTrip(70000); }

TEST(ShardSourcesTest, OneSourceAndAnOddDocumentCount) {
  // One source, 3 documents: 6 bytes of indices padded to 8 before the name table.
  const std::string path = TempPath("one_source.shard");
  ASSERT_TRUE(WriteShard(path, {"t", 100, "h", {"only"}}, {{1}, {2, 3}, {}}, {0, 0, 0}).ok());
  auto shard = OpenOk(path);
  ASSERT_NE(shard, nullptr);
  EXPECT_EQ(shard->info().sources, std::vector<std::string>{"only"});
  for (int d = 0; d < 3; ++d) EXPECT_EQ(shard->document_source(d), 0);
  EXPECT_EQ(shard->num_tokens(), 3);
}

TEST(ShardSourcesTest, ChecksumCoversTheSourceTable) {
  const auto docs = SampleDocuments(1000);
  ASSERT_TRUE(WriteShard(TempPath("s0.shard"), {"t", 1000, "h"}, docs).ok());
  ASSERT_TRUE(
      WriteShard(TempPath("s1.shard"), {"t", 1000, "h", kSources}, docs, kDocumentSources).ok());
  std::vector<uint16_t> moved = kDocumentSources;
  moved[1] = 1;
  ASSERT_TRUE(WriteShard(TempPath("s2.shard"), {"t", 1000, "h", kSources}, docs, moved).ok());
  std::vector<std::string> renamed = kSources;
  renamed[0] = "sotu2";
  ASSERT_TRUE(
      WriteShard(TempPath("s3.shard"), {"t", 1000, "h", renamed}, docs, kDocumentSources).ok());
  std::set<std::string> checksums;
  for (const char* name : {"s0.shard", "s1.shard", "s2.shard", "s3.shard"}) {
    auto shard = OpenOk(TempPath(name));
    ASSERT_NE(shard, nullptr);
    checksums.insert(shard->checksum());
  }
  EXPECT_EQ(checksums.size(), 4u);
}

TEST(ShardSourcesTest, WriteRefusesInconsistentSources) {
  const auto docs = SampleDocuments(1000);  // 5 documents
  struct Case {
    std::vector<std::string> sources;
    std::vector<uint16_t> document_sources;
    std::string expected;  // part of the message
  };
  const std::vector<Case> cases = {
      {kSources, {}, "0 document sources for 5 documents and 3 source names"},
      {{}, {0, 0, 0, 0, 0}, "5 document sources for 5 documents and 0 source names"},
      {kSources, {0, 1, 2, 0}, "4 document sources for 5 documents"},
      {kSources, {0, 1, 2, 0, 1, 2}, "6 document sources for 5 documents"},
      {kSources, {0, 1, 3, 0, 1}, "document 2 has source index 3 of 3 sources"},
      {{"a", std::string(64, 'n')}, {0, 1, 0, 1, 0}, "longer than 63 bytes"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::string path = TempPath("inconsistent_" + std::to_string(i) + ".shard");
    const Result r = WriteShard(path, {"t", 1000, "h", cases[i].sources}, docs,
                                cases[i].document_sources);
    EXPECT_TRUE(r.bad_input()) << i << ": " << r.message();
    EXPECT_NE(r.message().find(path), std::string::npos) << r.message();
    EXPECT_NE(r.message().find(cases[i].expected), std::string::npos) << i << ": " << r.message();
    EXPECT_NE(OpenFailure(path).find("missing"), std::string::npos) << "written anyway: " << i;
  }
}

class DamagedSourcesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = TempPath("damaged_sources.shard");
    docs_ = SampleDocuments(1000);
    ASSERT_TRUE(WriteShard(path_, {"t", 1000, "h", kSources}, docs_, kDocumentSources).ok());
    bytes_ = ReadAll(path_);
    index_ = SourceIndexOffset(docs_, 2);
    // The layout comment's arithmetic lands on the indices we wrote.
    for (size_t d = 0; d < kDocumentSources.size(); ++d) {
      uint16_t v;
      std::memcpy(&v, bytes_.data() + index_ + 2 * d, 2);
      ASSERT_EQ(v, kDocumentSources[d]) << d;
    }
  }
  std::string OpenError(const std::string& bytes) {
    WriteAll(path_, bytes);
    return OpenFailure(path_);
  }
  std::string path_;
  std::vector<std::vector<uint32_t>> docs_;
  std::string bytes_;
  size_t index_ = 0;
};

TEST_F(DamagedSourcesTest, FlippedSourceIndexByteFailsTheChecksum) {
  std::string bytes = bytes_;
  bytes[index_ + 2] ^= 0x01;
  EXPECT_NE(OpenError(bytes).find("checksum mismatch"), std::string::npos);
}

TEST_F(DamagedSourcesTest, FlippedSourceNameByteFailsTheChecksum) {
  std::string bytes = bytes_;
  bytes[bytes.size() - 64] ^= 0x01;  // first byte of the last name
  EXPECT_NE(OpenError(bytes).find("checksum mismatch"), std::string::npos);
}

TEST_F(DamagedSourcesTest, OutOfRangeSourceIndexIsRefusedEvenWithGoodChecksums) {
  std::string bytes = bytes_;
  Put<uint16_t>(&bytes, index_ + 2 * 3, 3);  // document 3 -> source 3 of 3
  Reseal(&bytes);
  const std::string error = OpenError(bytes);
  EXPECT_NE(error.find("document 3 has source index 3 of 3 sources"), std::string::npos) << error;
}

TEST_F(DamagedSourcesTest, SourceCountThatDisagreesWithTheFile) {
  for (uint32_t count : {2u, 4u, 0u}) {
    std::string bytes = bytes_;
    Put<uint32_t>(&bytes, kNumSourcesOffset, count);
    Reseal(&bytes);
    const std::string error = OpenError(bytes);
    EXPECT_NE(error.find(count < 3 ? "trailing bytes" : "truncated"), std::string::npos)
        << count << ": " << error;
  }
}

TEST_F(DamagedSourcesTest, TruncatedNameTable) {
  EXPECT_NE(OpenError(bytes_.substr(0, bytes_.size() - 64)).find("truncated"), std::string::npos);
}

// --- Version 1 files ----------------------------------------------------------------------

// A version 1 shard, byte by byte from the layout comment in data/shard.cc (no source table).
std::string VersionOneBytes(const std::vector<std::vector<uint32_t>>& docs, uint32_t vocab,
                            const std::string& tokenizer, const std::string& corpus_hash) {
  const uint32_t width = vocab <= 65536 ? 2 : 4;
  std::string bytes(kHeaderSize, '\0');
  std::memcpy(bytes.data(), "DWSHARD1", 8);
  Put<uint32_t>(&bytes, kVersionOffset, 1);
  Put<uint32_t>(&bytes, 12, width);
  Put<uint32_t>(&bytes, 16, vocab);
  Put<uint32_t>(&bytes, kNumSourcesOffset, 0);
  int64_t tokens = 0;
  for (const auto& d : docs) tokens += static_cast<int64_t>(d.size());
  Put<int64_t>(&bytes, 24, tokens);
  Put<int64_t>(&bytes, 32, static_cast<int64_t>(docs.size()));
  std::memcpy(bytes.data() + 48, tokenizer.data(), tokenizer.size());
  std::memcpy(bytes.data() + 112, corpus_hash.data(), corpus_hash.size());
  for (const auto& d : docs) {
    for (const uint32_t t : d) {
      if (width == 2) {
        const uint16_t v = static_cast<uint16_t>(t);
        bytes.append(reinterpret_cast<const char*>(&v), 2);
      } else {
        bytes.append(reinterpret_cast<const char*>(&t), 4);
      }
    }
  }
  bytes.resize(kHeaderSize + Pad8(static_cast<size_t>(tokens) * width), '\0');
  int64_t start = 0;
  for (size_t d = 0; d <= docs.size(); ++d) {
    bytes.append(reinterpret_cast<const char*>(&start), 8);
    if (d < docs.size()) start += static_cast<int64_t>(docs[d].size());
  }
  Reseal(&bytes);
  return bytes;
}

void ExpectVersionOneOpens(uint32_t vocab) {
  const auto docs = SampleDocuments(vocab);
  const std::string path = TempPath("v1_" + std::to_string(vocab) + ".shard");
  WriteAll(path, VersionOneBytes(docs, vocab, "old_tok", "oldhash"));
  auto shard = OpenOk(path);
  ASSERT_NE(shard, nullptr);
  EXPECT_EQ(shard->info().tokenizer_id, "old_tok");
  EXPECT_EQ(shard->info().vocab_size, vocab);
  EXPECT_EQ(shard->info().corpus_hash, "oldhash");
  EXPECT_TRUE(shard->info().sources.empty());
  ASSERT_EQ(shard->num_documents(), static_cast<int64_t>(docs.size()));
  int64_t pos = 0;
  for (size_t d = 0; d < docs.size(); ++d) {
    EXPECT_EQ(shard->document_start(d), pos);
    EXPECT_EQ(shard->document_source(d), 0);
    for (uint32_t t : docs[d]) EXPECT_EQ(shard->token(pos++), t);
  }
  EXPECT_EQ(shard->num_tokens(), pos);
  // Without sources a version 2 file's payload is a version 1 file's, so its data hash is too.
  const std::string v2 = TempPath("v2_" + std::to_string(vocab) + ".shard");
  ASSERT_TRUE(WriteShard(v2, {"old_tok", vocab, "oldhash"}, docs).ok());
  auto current = OpenOk(v2);
  ASSERT_NE(current, nullptr);
  EXPECT_EQ(shard->checksum(), current->checksum());
}

TEST(ShardVersionTest, VersionOneOpensWithoutSourcesTwoByteTokens) { ExpectVersionOneOpens(50257); }
TEST(ShardVersionTest, VersionOneOpensWithoutSourcesFourByteTokens) {
  ExpectVersionOneOpens(70000);
}

TEST(ShardVersionTest, VersionOneHeaderWithSourcesIsRefused) {
  const std::string path = TempPath("v1_sources.shard");
  std::string bytes = VersionOneBytes(SampleDocuments(1000), 1000, "t", "h");
  Put<uint32_t>(&bytes, kNumSourcesOffset, 1);
  Reseal(&bytes);
  WriteAll(path, bytes);
  const std::string error = OpenFailure(path);
  EXPECT_NE(error.find("version 1 header with sources"), std::string::npos) << error;
}

TEST(ShardVersionTest, UnknownVersionsAreRefused) {
  for (uint32_t version : {0u, 3u}) {
    const std::string path = TempPath("v" + std::to_string(version) + ".shard");
    std::string bytes = VersionOneBytes(SampleDocuments(1000), 1000, "t", "h");
    Put<uint32_t>(&bytes, kVersionOffset, version);
    Reseal(&bytes);
    WriteAll(path, bytes);
    const std::string error = OpenFailure(path);
    EXPECT_NE(error.find("unsupported version " + std::to_string(version)), std::string::npos)
        << error;
  }
}

}  // namespace
}  // namespace datawall::data
