// The GPT-2 encoder: tables built from the parsed files, the encode loop (pre-tokenizer ->
// vocabulary hit | word cache | byte-pair merge), decode, and the chunked parallel encode.
#include "data/tokenizer/gpt2_tokenizer.h"

#include <algorithm>
#include <atomic>

#include "data/tokenizer/bpe.h"
#include "data/tokenizer/gpt2_files.h"
#include "data/tokenizer/pretokenizer.h"
#include "data/tokenizer/utf8.h"
#include "tools/io/atomic_file.h"
#include "tools/parallel/parallel.h"
#include "tools/result/status.h"

namespace datawall::data {
namespace {

std::atomic<uint64_t> g_next_instance{1};

}  // namespace

// Memo of piece -> ids for pieces that are not single tokens (one per thread for Encode, a pool
// for EncodeParallel). Bounded: it is emptied when it holds kMaxEntries pieces or kMaxIds ids, so
// memory stays flat on any input (at most 4 MB of keys + 4 MB of ids + 3 MB of slots).
struct Gpt2Tokenizer::WordCache {
  static constexpr size_t kMaxPieceBytes = 64;
  static constexpr size_t kMaxEntries = 1 << 16;
  static constexpr size_t kMaxIds = 1 << 20;
  uint64_t owner = 0;
  FlatStringMap map;  // piece -> {offset into ids, count}
  std::vector<uint32_t> ids;
  void Reset(uint64_t new_owner) {
    owner = new_owner;
    map.Clear();
    ids.clear();
  }
};

Gpt2Tokenizer::Gpt2Tokenizer() : instance_(g_next_instance.fetch_add(1)) {}
Gpt2Tokenizer::~Gpt2Tokenizer() = default;

std::unique_ptr<Gpt2Tokenizer::WordCache> Gpt2Tokenizer::TakeCache() const {
  std::lock_guard<std::mutex> lock(caches_mu_);
  if (caches_.empty()) return std::make_unique<WordCache>();
  std::unique_ptr<WordCache> cache = std::move(caches_.back());
  caches_.pop_back();
  return cache;
}

void Gpt2Tokenizer::ReturnCache(std::unique_ptr<WordCache> cache) const {
  std::lock_guard<std::mutex> lock(caches_mu_);
  caches_.push_back(std::move(cache));
}

absl::StatusOr<std::unique_ptr<Gpt2Tokenizer>> Gpt2Tokenizer::FromContents(
    std::string_view encoder_json, std::string_view vocab_bpe, const std::string& encoder_name,
    const std::string& vocab_name) {
  Gpt2Vocabulary vocab;
  if (std::string e = ParseGpt2Files(encoder_json, vocab_bpe, encoder_name, vocab_name, &vocab);
      !e.empty()) {
    return absl::InvalidArgumentError(e);
  }
  std::unique_ptr<Gpt2Tokenizer> t(new Gpt2Tokenizer());
  const uint32_t n = static_cast<uint32_t>(vocab.tokens.size());
  t->vocab_size_ = n;
  t->end_of_text_ = vocab.end_of_text;
  t->num_merges_ = vocab.num_merges;
  t->token_offsets_.reserve(n + 1);
  for (uint32_t id = 0; id < n; ++id) {
    t->token_offsets_.push_back(static_cast<uint32_t>(t->token_bytes_.size()));
    t->token_bytes_ += vocab.tokens[id];
  }
  t->token_offsets_.push_back(static_cast<uint32_t>(t->token_bytes_.size()));
  for (uint32_t id = 0; id < n; ++id) {
    const size_t size = vocab.tokens[id].size();
    if (id != t->end_of_text_ && (size == 0 || size > 255)) {
      return absl::InvalidArgumentError(encoder_name + ": token " + std::to_string(id) + " has " +
                                        std::to_string(size) + " bytes (1..255 supported)");
    }
  }
  t->vocab_.Build(&t->token_bytes_, &t->token_offsets_, t->end_of_text_);
  for (uint32_t id = 0; id < n; ++id) {
    const std::string& bytes = vocab.tokens[id];
    if (id == t->end_of_text_ || bytes.size() > 8) continue;
    t->short_tokens_.InsertIfFree(ShortKeyTable::Load(bytes.data(), bytes.size(), false),
                                  bytes.size(), id);
  }
  for (uint32_t id = 0; id < n; ++id) {
    if (id == t->end_of_text_) continue;
    const std::string& bytes = vocab.tokens[id];
    if (bytes.size() == 1) t->byte_ids_[static_cast<unsigned char>(bytes[0])] = id;
    t->max_token_bytes_ = std::max(t->max_token_bytes_, bytes.size());
  }
  // Every split of every token into two tokens is a pair that merges into it (tiktoken merges by
  // the rank of the concatenation, not by the merge list).
  for (uint32_t id = 0; id < n; ++id) {
    if (id == t->end_of_text_) continue;
    const std::string_view bytes = vocab.tokens[id];
    for (size_t k = 1; k < bytes.size(); ++k) {
      const std::string_view a = bytes.substr(0, k), b = bytes.substr(k);
      const uint32_t ia = t->vocab_.Find(HashBytes(a.data(), a.size()), a);
      const uint32_t ib = t->vocab_.Find(HashBytes(b.data(), b.size()), b);
      if (ia != CompactStringIndex::kMissing && ib != CompactStringIndex::kMissing) {
        t->pairs_.Insert(PairKey(ia, ib), id);
      }
    }
  }
  return t;
}

absl::StatusOr<std::unique_ptr<Gpt2Tokenizer>> LoadGpt2TokenizerFiles(
    const std::string& encoder_json, const std::string& vocab_bpe) {
  std::string enc, bpe;
  for (const auto& [path, contents] : {std::pair{&encoder_json, &enc}, std::pair{&vocab_bpe, &bpe}}) {
    if (const Result r = io::ReadFile(*path, contents); !r.ok()) return ToStatus(r);
  }
  return Gpt2Tokenizer::FromContents(enc, bpe, encoder_json, vocab_bpe);
}

void Gpt2Tokenizer::Encode(std::string_view text, std::vector<uint32_t>* ids) const {
  // One cache per thread, for whichever tokenizer that thread used last (freed at thread exit).
  thread_local std::unique_ptr<WordCache> owned;
  if (owned == nullptr) owned = std::make_unique<WordCache>();
  if (utf8::IsValid(text)) {
    EncodeValid(text, owned.get(), ids);
  } else {
    EncodeValid(utf8::ReplaceInvalid(text), owned.get(), ids);
  }
}

void Gpt2Tokenizer::EncodeValid(std::string_view text, WordCache* cache_ptr,
                                std::vector<uint32_t>* ids) const {
  WordCache& cache = *cache_ptr;
  if (cache.owner != instance_) cache.Reset(instance_);
  const size_t n = text.size();
  size_t pos = 0;
  while (pos < n) {
    const size_t end = Gpt2PieceEnd(text, pos);
    const std::string_view piece = text.substr(pos, end - pos);
    pos = end;
    if (piece.size() == 1) {
      ids->push_back(byte_ids_[static_cast<unsigned char>(piece[0])]);
      continue;
    }
    if (piece.size() <= 8) {
      const uint64_t word = ShortKeyTable::Load(piece.data(), piece.size(), end + 8 <= n + piece.size());
      if (const uint32_t id = short_tokens_.Find(word, piece.size()); id != ShortKeyTable::kMissing) {
        ids->push_back(id);
        continue;
      }
    }
    if (piece.size() <= max_token_bytes_) {
      const uint64_t hash = HashBytes(piece.data(), piece.size());
      if (const uint32_t id = vocab_.Find(hash, piece); id != CompactStringIndex::kMissing) {
        ids->push_back(id);
        continue;
      }
      if (piece.size() <= WordCache::kMaxPieceBytes) {
        if (const auto* v = cache.map.Find(hash, piece)) {
          ids->insert(ids->end(), cache.ids.begin() + v->a, cache.ids.begin() + v->a + v->b);
          continue;
        }
        const size_t before = ids->size();
        BytePairEncode(piece, pairs_, byte_ids_, ids);
        if (cache.map.size() >= WordCache::kMaxEntries || cache.ids.size() >= WordCache::kMaxIds) {
          cache.Reset(instance_);
        }
        const uint32_t offset = static_cast<uint32_t>(cache.ids.size());
        cache.ids.insert(cache.ids.end(), ids->begin() + before, ids->end());
        cache.map.Insert(hash, piece, {offset, static_cast<uint32_t>(ids->size() - before)});
        continue;
      }
    }
    BytePairEncode(piece, pairs_, byte_ids_, ids);
  }
}

std::string Gpt2Tokenizer::Decode(const std::vector<uint32_t>& ids) const {
  std::string out;
  for (uint32_t id : ids) out += TokenBytes(id);
  return out;
}

std::string_view Gpt2Tokenizer::TokenBytes(uint32_t id) const {
  if (id >= vocab_size_) return {};
  return std::string_view(token_bytes_).substr(token_offsets_[id],
                                               token_offsets_[id + 1] - token_offsets_[id]);
}

void Gpt2Tokenizer::EncodeParallel(std::string_view text, int threads,
                                   std::vector<uint32_t>* ids) const {
  constexpr size_t kMinChunk = 1 << 18;
  if (threads <= 1 || text.size() < 2 * kMinChunk) {
    Encode(text, ids);
    return;
  }
  std::string clean;
  if (!utf8::IsValid(text)) {
    clean = utf8::ReplaceInvalid(text);
    text = clean;
  }
  // Cut at safe boundaries near multiples of the chunk size.
  const size_t chunk = std::max(kMinChunk, text.size() / (static_cast<size_t>(threads) * 8));
  std::vector<size_t> cuts = {0};
  for (size_t target = chunk; target < text.size();) {
    size_t p = target;
    while (p < text.size() && !IsSafeSplit(text, p)) {
      p = text.find('\n', p + 1);
      if (p == std::string_view::npos) p = text.size();
    }
    if (p >= text.size()) break;
    cuts.push_back(p);
    target = p + chunk;
  }
  cuts.push_back(text.size());
  const size_t num_chunks = cuts.size() - 1;
  std::vector<std::vector<uint32_t>> parts(num_chunks);
  // One word cache per worker, taken from the pool on its first chunk and returned at the end.
  std::vector<std::unique_ptr<WordCache>> caches(std::min<size_t>(threads, num_chunks));
  parallel::ParallelForWithWorker(
      static_cast<int64_t>(num_chunks), threads, [&](int worker, int64_t i) {
        if (caches[worker] == nullptr) caches[worker] = TakeCache();
        parts[i].reserve((cuts[i + 1] - cuts[i]) / 3);
        EncodeValid(text.substr(cuts[i], cuts[i + 1] - cuts[i]), caches[worker].get(), &parts[i]);
      });
  for (std::unique_ptr<WordCache>& cache : caches) {
    if (cache != nullptr) ReturnCache(std::move(cache));
  }
  size_t total = 0;
  for (const auto& p : parts) total += p.size();
  ids->reserve(ids->size() + total);
  for (const auto& p : parts) ids->insert(ids->end(), p.begin(), p.end());
}

}  // namespace datawall::data
