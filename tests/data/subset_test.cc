// WriteSubset and the document index: a subset keeps its documents' tokens, sources and names,
// and differs in corpus hash from every other subset.
#include "data/subset.h"

#include <cstdlib>
#include <memory>

#include "gtest/gtest.h"

namespace datawall::data {
namespace {

std::string Tmp(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name;
}

TEST(SubsetTest, KeepsTokensSourcesAndIndex) {
  const std::string path = Tmp("full.train.shard");
  std::vector<std::vector<uint32_t>> docs = {{1, 2, 0}, {3, 0}, {4, 5, 6, 0}, {7, 0}};
  ASSERT_TRUE(WriteShard(path, {"t", 16, "c0", {"x", "y"}}, docs, {0, 1, 1, 0}).ok());
  std::vector<IndexEntry> index = {{0, "x", "a", 3, 9}, {1, "y", "b", 2, 4}, {2, "y", "c", 4, 12}, {3, "x", "d", 2, 3}};
  ASSERT_TRUE(WriteDocumentIndex(DocumentIndexPath(path), index).ok());
  std::vector<IndexEntry> read;
  ASSERT_TRUE(ReadDocumentIndex(DocumentIndexPath(path), &read).ok());
  ASSERT_EQ(read.size(), 4u);
  EXPECT_EQ(read[2].id, "c");
  EXPECT_EQ(read[2].bytes, 12);

  std::unique_ptr<Shard> full;
  ASSERT_TRUE(Shard::Open(path, &full).ok());
  const std::string sub = Tmp("sub.shard");
  ASSERT_TRUE(WriteSubset(*full, read, {1, 2}, "test", sub).ok());
  std::unique_ptr<Shard> s;
  ASSERT_TRUE(Shard::Open(sub, &s).ok());
  ASSERT_EQ(s->num_documents(), 2);
  EXPECT_EQ(s->num_tokens(), 6);
  EXPECT_EQ(s->token(2), 4u);
  EXPECT_EQ(s->info().sources[s->document_source(0)], "y");
  EXPECT_EQ(s->info().tokenizer_id, "t");
  std::vector<IndexEntry> sub_index;
  ASSERT_TRUE(ReadDocumentIndex(DocumentIndexPath(sub), &sub_index).ok());
  ASSERT_EQ(sub_index.size(), 2u);
  EXPECT_EQ(sub_index[1].doc, 1);
  EXPECT_EQ(sub_index[1].id, "c");

  const std::string other = Tmp("other.shard");
  ASSERT_TRUE(WriteSubset(*full, read, {1, 3}, "test", other).ok());
  std::unique_ptr<Shard> o;
  ASSERT_TRUE(Shard::Open(other, &o).ok());
  EXPECT_NE(o->info().corpus_hash, s->info().corpus_hash);
  EXPECT_NE(s->info().corpus_hash, full->info().corpus_hash);

  EXPECT_FALSE(WriteSubset(*full, read, {2, 1}, "test", Tmp("bad.shard")).ok());
  EXPECT_FALSE(WriteSubset(*full, read, {4}, "test", Tmp("bad.shard")).ok());
}

TEST(SubsetTest, MalformedIndexNamesTheLine) {
  const std::string path = Tmp("bad.docs.tsv");
  std::vector<IndexEntry> e = {{0, "x", "a", 3, 9}, {2, "y", "b", 2, 4}};
  ASSERT_TRUE(WriteDocumentIndex(path, e).ok());
  std::vector<IndexEntry> read;
  const absl::Status s = ReadDocumentIndex(path, &read);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find(":3:"), std::string::npos) << s.message();
  EXPECT_TRUE(absl::IsNotFound(ReadDocumentIndex(Tmp("missing.tsv"), &read)));
}

}  // namespace
}  // namespace datawall::data
