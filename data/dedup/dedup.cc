// Duplicated spans from the suffix array, and their removal (see dedup.h).
#include "data/dedup/dedup.h"

#include <algorithm>

#include "data/dedup/suffix_array.h"

namespace datawall::data::dedup {
namespace {

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

absl::Status FindDuplicateSpans(const std::vector<std::string_view>& texts, int64_t k,
                                std::vector<std::vector<Span>>* spans) {
  spans->assign(texts.size(), {});
  if (k < 1) return absl::InvalidArgumentError("k must be >= 1, got " + std::to_string(k));
  int64_t total = 0;
  for (std::string_view t : texts) total += static_cast<int64_t>(t.size());
  if (total >= kMaxSuffixArrayBytes) {
    return absl::InvalidArgumentError("corpus of " + std::to_string(total) +
                                      " bytes exceeds the 2 GiB limit of the 32-bit suffix array");
  }
  if (texts.size() >= static_cast<size_t>(INT32_MAX)) {
    return absl::InvalidArgumentError("too many documents for 32-bit indices");
  }
  // The texts back to back, no separator: a window crossing a boundary is simply never counted
  // (owner below is -1 there), so no byte value needs to be reserved.
  std::string all;
  all.reserve(total);
  std::vector<int64_t> start(texts.size() + 1, 0);
  for (size_t d = 0; d < texts.size(); ++d) {
    start[d] = static_cast<int64_t>(all.size());
    all.append(texts[d]);
  }
  start[texts.size()] = total;

  std::vector<int32_t> sa;
  std::vector<uint8_t> long_lcp;
  if (absl::Status s = SuffixArrayWithLongLcp(all, k, &sa, &long_lcp); !s.ok()) return s;
  const int64_t n = total;

  // owner[p]: the document whose k-window starts at p, or -1 when [p, p + k) leaves it.
  std::vector<int32_t> owner(n, -1);
  for (size_t d = 0; d < texts.size(); ++d) {
    for (int64_t p = start[d]; p + k <= start[d + 1]; ++p) owner[p] = static_cast<int32_t>(d);
  }

  // A maximal run sa[a..b) with long_lcp[a+1..b) all 1 holds every suffix that starts with one
  // k-byte string (suffixes sharing a prefix are contiguous). Crossing windows in it are skipped.
  std::vector<bool> marked(n, false);  // marked[p]: the window at p is duplicated
  for (int64_t a = 0; a < n;) {
    int64_t b = a + 1;
    while (b < n && long_lcp[b]) ++b;
    if (b - a >= 2) {
      int32_t first = -1;
      bool shared = false;
      for (int64_t r = a; r < b && !shared; ++r) {
        const int32_t d = owner[sa[r]];
        if (d < 0) continue;
        if (first < 0) {
          first = d;
        } else if (d != first) {
          shared = true;
        }
      }
      if (shared) {
        for (int64_t r = a; r < b; ++r) {
          if (owner[sa[r]] >= 0) marked[sa[r]] = true;
        }
      }
    }
    a = b;
  }

  // Spans: the union of the marked windows, per document.
  for (size_t d = 0; d < texts.size(); ++d) {
    std::vector<Span>& out = (*spans)[d];
    int64_t begin = -1, end = -1;  // the span being grown, in document coordinates
    for (int64_t p = start[d]; p + k <= start[d + 1]; ++p) {
      if (!marked[p]) continue;
      const int64_t b = p - start[d], e = b + k;
      if (begin >= 0 && b <= end) {
        end = std::max(end, e);
      } else {
        if (begin >= 0) out.push_back({begin, end});
        begin = b;
        end = e;
      }
    }
    if (begin >= 0) out.push_back({begin, end});
  }
  return absl::OkStatus();
}

int64_t SpanBytes(const std::vector<Span>& spans) {
  int64_t bytes = 0;
  for (const Span& s : spans) bytes += s.end - s.begin;
  return bytes;
}

bool ParseRemovalMode(std::string_view text, RemovalMode* mode) {
  if (text == "document") {
    *mode = RemovalMode::kDocument;
  } else if (text == "span") {
    *mode = RemovalMode::kSpan;
  } else {
    return false;
  }
  return true;
}

std::string RemovalModeName(RemovalMode mode) {
  return mode == RemovalMode::kDocument ? "document" : "span";
}

std::string RemoveSpans(std::string_view text, const std::vector<Span>& spans) {
  const int64_t n = static_cast<int64_t>(text.size());
  std::string out;
  out.reserve(text.size() - std::min<size_t>(text.size(), SpanBytes(spans)));
  int64_t kept_from = 0;
  for (const Span& s : spans) {
    int64_t b = std::clamp<int64_t>(s.begin, 0, n), e = std::clamp<int64_t>(s.end, 0, n);
    if (b >= e) continue;
    while (b > 0 && IsContinuationByte(text[b])) --b;  // back to the character's lead byte
    while (e < n && IsContinuationByte(text[e])) ++e;  // past the character's last byte
    b = std::max(b, kept_from);
    if (b > kept_from) out.append(text.substr(kept_from, b - kept_from));
    kept_from = std::max(kept_from, e);
  }
  if (kept_from < n) out.append(text.substr(kept_from));
  return out;
}

std::vector<Document> ApplyRemoval(const std::vector<Document>& docs,
                                   const std::vector<std::vector<Span>>& spans, RemovalMode mode) {
  std::vector<Document> kept;
  for (size_t d = 0; d < docs.size(); ++d) {
    if (spans[d].empty()) {
      kept.push_back(docs[d]);
    } else if (mode == RemovalMode::kSpan) {
      std::string text = RemoveSpans(docs[d].text, spans[d]);
      if (!text.empty()) kept.push_back({docs[d].src, docs[d].id, std::move(text)});
    }
  }
  return kept;
}

}  // namespace datawall::data::dedup
