// The shard document index: see document_index.h.
#include "data/document_index.h"

#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tools/io/atomic_file.h"
#include "tools/result/status.h"

namespace datawall::data {

namespace {
constexpr char kHeader[] = "doc\tsrc\tid\ttokens\tbytes";
}  // namespace

std::string DocumentIndexPath(const std::string& shard_path) {
  std::string base = shard_path;
  if (base.size() > 6 && base.compare(base.size() - 6, 6, ".shard") == 0) base.resize(base.size() - 6);
  return base + ".docs.tsv";
}

absl::Status ReadDocumentIndex(const std::string& path, std::vector<IndexEntry>* entries) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  std::string line;
  if (!std::getline(in, line) || line != kHeader) {
    return absl::InvalidArgumentError(absl::StrCat(path, ":1: header is not \"", kHeader, "\""));
  }
  entries->clear();
  for (int64_t n = 2; std::getline(in, line); ++n) {
    std::vector<std::string> cols = absl::StrSplit(line, '\t');
    IndexEntry e;
    if (cols.size() != 5 || !absl::SimpleAtoi(cols[0], &e.doc) ||
        !absl::SimpleAtoi(cols[3], &e.tokens) || !absl::SimpleAtoi(cols[4], &e.bytes)) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", n, ": expected doc, src, id, tokens, bytes"));
    }
    if (e.doc != static_cast<int64_t>(entries->size())) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", n, ": doc ", e.doc, " out of order"));
    }
    e.src = std::move(cols[1]);
    e.id = std::move(cols[2]);
    entries->push_back(std::move(e));
  }
  return absl::OkStatus();
}

absl::Status WriteDocumentIndex(const std::string& path, const std::vector<IndexEntry>& entries) {
  std::string text = absl::StrCat(kHeader, "\n");
  for (const IndexEntry& e : entries) {
    absl::StrAppend(&text, e.doc, "\t", e.src, "\t", e.id, "\t", e.tokens, "\t", e.bytes, "\n");
  }
  return ToStatus(io::WriteFileAtomically(path, text));
}

}  // namespace datawall::data
