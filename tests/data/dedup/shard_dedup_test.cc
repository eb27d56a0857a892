// DedupShard on a planted corpus: a 120-byte passage shared by two documents (one of them in the
// pool, one outside it) and a 60-byte one (below k): document mode drops exactly the pool's
// document with the long passage, span mode cuts exactly that passage out of it and re-encodes
// the rest with the corpus tokenizer; untouched documents keep their tokens.
#include "data/dedup/shard_dedup.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "data/document_index.h"
#include "data/shard.h"
#include "data/subset.h"
#include "data/tokenizer/factory.h"
#include "gtest/gtest.h"

namespace datawall::data::dedup {
namespace {

std::string Tmp() { return std::getenv("TEST_TMPDIR") ? std::getenv("TEST_TMPDIR") : "/tmp"; }

std::string Words(int seed, int n) {
  static const char* kWords[] = {"river", "stone", "lamp", "quiet", "orbit", "maple", "harbor", "violet",
                                 "engine", "cobalt", "meadow", "signal", "tundra", "copper", "lantern"};
  std::string s;
  unsigned state = static_cast<unsigned>(seed) * 2654435761u + 1;
  while (static_cast<int>(s.size()) < n) {
    state = state * 1103515245u + 12345u;
    s += kWords[(state >> 16) % 15];
    s += ' ';
  }
  return s.substr(0, n);
}

TEST(ShardDedupTest, DocumentAndSpanModesRemoveExactlyThePlantedPassage) {
  const std::string dir = Tmp() + "/shard_dedup";
  std::filesystem::create_directories(dir + "/docs");
  const std::string shared = "SHARED" + Words(1, 114);  // 120 bytes, in doc 0 and doc 3
  const std::string small = "SMALL" + Words(2, 55);     // 60 bytes, in doc 1 and doc 2
  std::vector<std::string> texts = {
      Words(10, 300) + shared + Words(11, 200),  // 0: pool, has the long passage
      Words(12, 300) + small,                    // 1: pool, short passage only
      small + Words(13, 250),                    // 2: pool
      Words(14, 100) + shared,                   // 3: outside the pool
  };
  {
    std::ofstream f(dir + "/docs/t.jsonl");
    for (size_t i = 0; i < texts.size(); ++i) f << "{\"src\":\"t\",\"id\":\"d" << i << "\",\"text\":\"" << texts[i] << "\"}\n";
    std::ofstream train(dir + "/train.txt");
    for (const auto& t : texts) train << t << "\n";
  }
  std::filesystem::create_directories(dir + "/tokenizers");
  ASSERT_TRUE(TrainSmallVocabTokenizer({dir + "/train.txt"}, 300, dir + "/tokenizers/t.model").ok());
  auto tokenizer = LoadSmallVocabTokenizer(dir + "/tokenizers/t.model");
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status();
  std::vector<std::vector<uint32_t>> ids;
  std::vector<IndexEntry> index;
  for (size_t i = 0; i < texts.size(); ++i) {
    ids.emplace_back();
    (*tokenizer)->Encode(texts[i], &ids.back());
    ids.back().push_back((*tokenizer)->end_of_text());
    index.push_back({static_cast<int64_t>(i), "t", "d" + std::to_string(i), static_cast<int64_t>(ids.back().size()),
                     static_cast<int64_t>(texts[i].size())});
  }
  const std::string corpus = dir + "/corpus.shard";
  ASSERT_TRUE(WriteShard(corpus, {(*tokenizer)->id(), (*tokenizer)->vocab_size(), "c", {"t"}}, ids, {0, 0, 0, 0}).ok());
  ASSERT_TRUE(WriteDocumentIndex(DocumentIndexPath(corpus), index).ok());
  std::unique_ptr<Shard> full;
  ASSERT_TRUE(Shard::Open(corpus, &full).ok());
  ASSERT_TRUE(WriteSubset(*full, index, {0, 1, 2}, "pool", dir + "/pool.shard").ok());

  ShardDedupOptions o;
  o.corpus_shard = corpus;
  o.docs_dir = dir + "/docs";
  o.subset_shard = dir + "/pool.shard";
  o.tokenizers_dir = dir + "/tokenizers";
  o.min_span_chars = 100;
  o.document_out = dir + "/document.shard";
  o.span_out = dir + "/span.shard";
  ShardDedupSummary s;
  ASSERT_TRUE(DedupShard(o, &s).ok());
  EXPECT_EQ(s.corpus_documents, 4);
  EXPECT_EQ(s.corpus_documents_with_spans, 2);  // 0 and 3; the 60-byte passage is below k
  EXPECT_EQ(s.corpus_span_bytes, 240);
  EXPECT_EQ(s.subset_documents_with_spans, 1);

  std::unique_ptr<Shard> doc;
  ASSERT_TRUE(Shard::Open(o.document_out, &doc).ok());
  std::vector<IndexEntry> doc_index;
  ASSERT_TRUE(ReadDocumentIndex(DocumentIndexPath(o.document_out), &doc_index).ok());
  ASSERT_EQ(doc->num_documents(), 2);
  EXPECT_EQ(doc_index[0].id, "d1");
  EXPECT_EQ(doc_index[1].id, "d2");
  EXPECT_EQ(doc->num_tokens(), static_cast<int64_t>(ids[1].size() + ids[2].size()));

  std::unique_ptr<Shard> span;
  ASSERT_TRUE(Shard::Open(o.span_out, &span).ok());
  std::vector<IndexEntry> span_index;
  ASSERT_TRUE(ReadDocumentIndex(DocumentIndexPath(o.span_out), &span_index).ok());
  ASSERT_EQ(span->num_documents(), 3);
  EXPECT_EQ(span_index[0].bytes, static_cast<int64_t>(texts[0].size() - shared.size()));
  std::vector<uint32_t> cut;
  (*tokenizer)->Encode(Words(10, 300) + Words(11, 200), &cut);
  cut.push_back((*tokenizer)->end_of_text());
  ASSERT_EQ(span->document_start(1), static_cast<int64_t>(cut.size()));
  for (size_t t = 0; t < cut.size(); ++t) EXPECT_EQ(span->token(static_cast<int64_t>(t)), cut[t]);
  for (size_t t = 0; t < ids[1].size(); ++t) EXPECT_EQ(span->token(span->document_start(1) + t), ids[1][t]);
  EXPECT_NE(span->info().corpus_hash, doc->info().corpus_hash);

  ShardDedupOptions bad = o;
  bad.docs_dir = dir + "/missing";
  EXPECT_FALSE(DedupShard(bad, &s).ok());
}

}  // namespace
}  // namespace datawall::data::dedup
