// Exact-substring deduplication across documents (Lee et al. 2022, as "Scaling Data-Constrained
// Language Models" applies it with 100-character spans): which bytes of each document lie in a
// substring of at least k bytes that also occurs in a *different* document, and the two ways of
// removing them. Repeats within one document do not count; a substring running across the end of
// one document into the next is not a substring of either.
//
// The duplicated bytes of a document are the union of its k-byte windows [p, p + k) whose bytes
// occur in another document; its spans are the maximal intervals of that union (so every span is
// at least k bytes long). k counts bytes of UTF-8, not characters (the same for ASCII text).
// Method: one suffix array over all texts concatenated (suffix_array.h); suffixes sharing a
// k-byte prefix are contiguous in it, so each maximal run of adjacent pairs with LCP >= k is one
// distinct k-window content, and a run holding windows of two or more documents marks them all.
//
// Not here: reading or writing JSONL, reports (dedup_main.cc); near-duplicates (MinHash).
#ifndef DATAWALL_DATA_DEDUP_DEDUP_H_
#define DATAWALL_DATA_DEDUP_DEDUP_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "data/documents.h"

namespace datawall::data::dedup {

// Bytes [begin, end) of one document's text.
struct Span {
  int64_t begin = 0;
  int64_t end = 0;
  friend bool operator==(const Span& a, const Span& b) {
    return a.begin == b.begin && a.end == b.end;
  }
};

// (*spans)[d]: the duplicated spans of texts[d], sorted, disjoint and not touching.
// InvalidArgument when k < 1 or the texts total 2 GiB or more (the suffix array's limit).
absl::Status FindDuplicateSpans(const std::vector<std::string_view>& texts, int64_t k,
                                std::vector<std::vector<Span>>* spans);

// Total length of the spans.
int64_t SpanBytes(const std::vector<Span>& spans);

// How duplicates leave the corpus. kDocument (the paper's): drop every document with a span.
// kSpan: cut the spans out of the text and keep the rest (a document left empty is dropped).
enum class RemovalMode { kDocument, kSpan };
bool ParseRemovalMode(std::string_view text, RemovalMode* mode);  // "document" or "span"
std::string RemovalModeName(RemovalMode mode);

// `text` without `spans`, each widened to whole UTF-8 characters (a span may start or end inside
// a multi-byte character: its bytes are shared, the characters are not), so valid UTF-8 stays
// valid. Bytes removed = text.size() - result.size().
std::string RemoveSpans(std::string_view text, const std::vector<Span>& spans);

// The documents that survive `mode`, in input order (spans[d] belongs to docs[d]).
std::vector<Document> ApplyRemoval(const std::vector<Document>& docs,
                                   const std::vector<std::vector<Span>>& spans, RemovalMode mode);

}  // namespace datawall::data::dedup

#endif  // DATAWALL_DATA_DEDUP_DEDUP_H_
