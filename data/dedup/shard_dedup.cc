// Shard deduplication: see shard_dedup.h.
#include "data/dedup/shard_dedup.h"

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "absl/strings/str_cat.h"
#include "data/dedup/dedup.h"
#include "data/document_index.h"
#include "data/documents.h"
#include "data/shard.h"
#include "data/tokenizer/factory.h"
#include "data/tokenizer/parallel.h"
#include "tools/io/checksum.h"
#include "tools/result/status.h"

namespace datawall::data::dedup {

namespace {

absl::Status OpenWithIndex(const std::string& path, std::unique_ptr<Shard>* shard, std::vector<IndexEntry>* index) {
  if (Result r = Shard::Open(path, shard); !r.ok()) return ToStatus(r);
  if (absl::Status s = ReadDocumentIndex(DocumentIndexPath(path), index); !s.ok()) return s;
  if (static_cast<int64_t>(index->size()) != (*shard)->num_documents()) {
    return absl::InvalidArgumentError(absl::StrCat(DocumentIndexPath(path), ": ", index->size(), " entries for ",
                                                   (*shard)->num_documents(), " documents"));
  }
  return absl::OkStatus();
}

std::vector<uint32_t> Tokens(const Shard& s, int64_t d) {
  std::vector<uint32_t> ids;
  for (int64_t t = s.document_start(d); t < s.document_start(d + 1); ++t) ids.push_back(s.token(t));
  return ids;
}

absl::Status Write(const std::string& path, const Shard& like, const std::string& tag,
                   const std::vector<std::vector<uint32_t>>& tokens, const std::vector<uint16_t>& sources,
                   std::vector<IndexEntry> entries) {
  ShardInfo info = like.info();
  io::Checksum corpus;
  corpus.Update(like.info().corpus_hash + "/" + tag);
  info.corpus_hash = corpus.HexDigest();
  if (Result r = WriteShard(path, info, tokens, sources); !r.ok()) return ToStatus(r);
  for (size_t i = 0; i < entries.size(); ++i) entries[i].doc = static_cast<int64_t>(i);
  return WriteDocumentIndex(DocumentIndexPath(path), entries);
}

// The SentencePiece model in `dir` whose tokenizer id is `id`.
absl::StatusOr<std::unique_ptr<Tokenizer>> FindTokenizer(const std::string& dir, const std::string& id) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".model") continue;
    absl::StatusOr<std::unique_ptr<Tokenizer>> t = LoadSmallVocabTokenizer(entry.path().string());
    if (t.ok() && (*t)->id() == id) return t;
  }
  return absl::NotFoundError(absl::StrCat("--tokenizers_dir: no model of tokenizer ", id, " in ", dir));
}

}  // namespace

absl::Status DedupShard(const ShardDedupOptions& o, ShardDedupSummary* summary) {
  const auto t0 = std::chrono::steady_clock::now();
  *summary = ShardDedupSummary();
  if (o.min_span_chars < 1) return absl::InvalidArgumentError("--min_span_chars: must be at least 1");
  std::unique_ptr<Shard> corpus, subset;
  std::vector<IndexEntry> corpus_index, subset_index;
  if (absl::Status s = OpenWithIndex(o.corpus_shard, &corpus, &corpus_index); !s.ok()) return s;
  if (absl::Status s = OpenWithIndex(o.subset_shard, &subset, &subset_index); !s.ok()) return s;
  std::map<std::pair<std::string, std::string>, int64_t> doc_of;
  std::set<std::string> srcs;
  for (const IndexEntry& e : corpus_index) {
    doc_of[{e.src, e.id}] = e.doc;
    srcs.insert(e.src);
  }
  std::vector<std::string> texts(corpus_index.size());
  std::vector<bool> found(corpus_index.size(), false);
  for (const std::string& src : srcs) {
    std::vector<Document> docs;
    if (absl::Status s = ReadDocuments(o.docs_dir + "/" + src + ".jsonl", 0, &docs); !s.ok()) return s;
    for (Document& d : docs) {
      auto it = doc_of.find({d.src, d.id});
      if (it == doc_of.end()) continue;  // not in this corpus shard (e.g. a validation document)
      found[it->second] = true;
      texts[it->second] = std::move(d.text);
    }
  }
  for (size_t d = 0; d < texts.size(); ++d) {
    if (!found[d] || static_cast<int64_t>(texts[d].size()) != corpus_index[d].bytes) {
      return absl::InvalidArgumentError(absl::StrCat(o.docs_dir, ": document ", corpus_index[d].src, "/",
                                                     corpus_index[d].id, " is missing or not the shard's text"));
    }
  }
  std::vector<std::string_view> views(texts.begin(), texts.end());
  std::vector<std::vector<Span>> spans;
  if (absl::Status s = FindDuplicateSpans(views, o.min_span_chars, &spans); !s.ok()) return s;
  summary->corpus_documents = static_cast<int64_t>(texts.size());
  for (const auto& s : spans) {
    summary->corpus_documents_with_spans += s.empty() ? 0 : 1;
    summary->corpus_span_bytes += SpanBytes(s);
  }
  // The subset's documents in the corpus.
  std::vector<int64_t> in_corpus(subset_index.size());
  for (size_t i = 0; i < subset_index.size(); ++i) {
    auto it = doc_of.find({subset_index[i].src, subset_index[i].id});
    if (it == doc_of.end()) {
      return absl::InvalidArgumentError(absl::StrCat(o.subset_shard, ": document ", subset_index[i].src, "/",
                                                     subset_index[i].id, " is not in ", o.corpus_shard));
    }
    in_corpus[i] = it->second;
    summary->subset_documents_with_spans += spans[it->second].empty() ? 0 : 1;
  }
  summary->subset_documents = static_cast<int64_t>(subset_index.size());
  const std::string tag = absl::StrCat("min_span_chars=", o.min_span_chars, ",over=", corpus->info().corpus_hash);
  auto source_of = [&](size_t i) {
    return subset->info().sources.empty() ? std::vector<uint16_t>{}
                                          : std::vector<uint16_t>{static_cast<uint16_t>(subset->document_source(i))};
  };
  if (!o.document_out.empty()) {
    std::vector<std::vector<uint32_t>> tokens;
    std::vector<uint16_t> sources;
    std::vector<IndexEntry> entries;
    for (size_t i = 0; i < subset_index.size(); ++i) {
      if (!spans[in_corpus[i]].empty()) continue;
      tokens.push_back(Tokens(*subset, static_cast<int64_t>(i)));
      for (uint16_t s : source_of(i)) sources.push_back(s);
      entries.push_back(subset_index[i]);
      summary->document_tokens += static_cast<int64_t>(tokens.back().size());
    }
    if (absl::Status s = Write(o.document_out, *subset, "dedup_document:" + tag, tokens, sources, entries); !s.ok()) {
      return s;
    }
  }
  if (!o.span_out.empty()) {
    if (o.tokenizers_dir.empty()) return absl::InvalidArgumentError("--tokenizers_dir: required for span mode");
    absl::StatusOr<std::unique_ptr<Tokenizer>> tokenizer = FindTokenizer(o.tokenizers_dir, subset->info().tokenizer_id);
    if (!tokenizer.ok()) return tokenizer.status();
    std::vector<std::string> cut(subset_index.size());
    std::vector<std::string_view> cut_views;
    std::vector<size_t> cut_of;
    for (size_t i = 0; i < subset_index.size(); ++i) {
      const int64_t d = in_corpus[i];
      if (spans[d].empty()) continue;
      cut[i] = RemoveSpans(texts[d], spans[d]);
      if (cut[i].empty()) continue;
      cut_of.push_back(i);
    }
    for (size_t i : cut_of) cut_views.push_back(cut[i]);
    std::vector<std::vector<uint32_t>> cut_ids = EncodeDocuments(**tokenizer, cut_views, o.threads);
    std::vector<std::vector<uint32_t>> tokens;
    std::vector<uint16_t> sources;
    std::vector<IndexEntry> entries;
    size_t c = 0;
    for (size_t i = 0; i < subset_index.size(); ++i) {
      IndexEntry e = subset_index[i];
      if (c < cut_of.size() && cut_of[c] == i) {
        tokens.push_back(std::move(cut_ids[c++]));
        tokens.back().push_back((*tokenizer)->end_of_text());
        e.bytes = static_cast<int64_t>(cut[i].size());
      } else if (spans[in_corpus[i]].empty()) {
        tokens.push_back(Tokens(*subset, static_cast<int64_t>(i)));
      } else {
        continue;  // nothing of it is left
      }
      e.tokens = static_cast<int64_t>(tokens.back().size());
      for (uint16_t s : source_of(i)) sources.push_back(s);
      entries.push_back(e);
      summary->span_tokens += e.tokens;
    }
    if (absl::Status s = Write(o.span_out, *subset, "dedup_span:" + tag, tokens, sources, entries); !s.ok()) return s;
  }
  summary->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return absl::OkStatus();
}

}  // namespace datawall::data::dedup
