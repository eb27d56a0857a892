// Shard subsets: see subset.h.
#include "data/subset.h"

#include "absl/strings/str_cat.h"
#include "tools/io/checksum.h"
#include "tools/result/status.h"

namespace datawall::data {

Result WriteSubset(const Shard& shard, const std::vector<IndexEntry>& index,
                   const std::vector<int64_t>& docs, const std::string& tag,
                   const std::string& path) {
  if (static_cast<int64_t>(index.size()) != shard.num_documents()) {
    return Result::BadInput(absl::StrCat(shard.path(), ": its index has ", index.size(),
                                         " documents, the shard ", shard.num_documents()));
  }
  io::Checksum corpus;
  corpus.Update(shard.info().corpus_hash + "/" + tag);
  std::vector<std::vector<uint32_t>> tokens;
  std::vector<uint16_t> sources;
  std::vector<IndexEntry> entries;
  tokens.reserve(docs.size());
  for (size_t i = 0; i < docs.size(); ++i) {
    const int64_t d = docs[i];
    if (d < 0 || d >= shard.num_documents() || (i > 0 && d <= docs[i - 1])) {
      return Result::BadInput(absl::StrCat(path, ": document ", d, " out of range or order"));
    }
    const int64_t begin = shard.document_start(d), end = shard.document_start(d + 1);
    tokens.emplace_back(end - begin);
    for (int64_t t = begin; t < end; ++t) tokens.back()[t - begin] = shard.token(t);
    if (!shard.info().sources.empty()) sources.push_back(static_cast<uint16_t>(shard.document_source(d)));
    IndexEntry e = index[d];
    e.doc = static_cast<int64_t>(entries.size());
    entries.push_back(std::move(e));
    corpus.Update(absl::StrCat("/", d));
  }
  ShardInfo info = shard.info();
  info.corpus_hash = corpus.HexDigest();
  if (Result r = WriteShard(path, info, tokens, sources); !r.ok()) return r;
  if (absl::Status s = WriteDocumentIndex(DocumentIndexPath(path), entries); !s.ok()) {
    return Result::Internal(std::string(s.message()));
  }
  return Result::Ok();
}

}  // namespace datawall::data
