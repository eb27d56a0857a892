// The document index beside every shard //data:prepare writes, <corpus>.<split>.docs.tsv: one
// line per shard document (doc, src, id, tokens, bytes), naming where each came from so the
// shard's documents can be traced back to their text (<docs dir>/<src>.jsonl) and subsets of a
// shard (data/subset.h) keep those names. Reading, writing and locating it; nothing else.
#ifndef DATAWALL_DATA_DOCUMENT_INDEX_H_
#define DATAWALL_DATA_DOCUMENT_INDEX_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace datawall::data {

struct IndexEntry {
  int64_t doc = 0;     // index in the shard
  std::string src;     // source tag, e.g. "brown"
  std::string id;      // unique within the source
  int64_t tokens = 0;  // including the document's separator
  int64_t bytes = 0;   // UTF-8 bytes of its text
};

// <corpus>.<split>.shard -> <corpus>.<split>.docs.tsv (any other name: name + ".docs.tsv").
std::string DocumentIndexPath(const std::string& shard_path);

// Reads an index. NotFound when the file is missing, InvalidArgument naming the path and line of
// a malformed one (wrong column count, a number that does not parse, docs out of order).
absl::Status ReadDocumentIndex(const std::string& path, std::vector<IndexEntry>* entries);

// Writes an index atomically (entries in the given order; doc as given).
absl::Status WriteDocumentIndex(const std::string& path, const std::vector<IndexEntry>& entries);

}  // namespace datawall::data

#endif  // DATAWALL_DATA_DOCUMENT_INDEX_H_
