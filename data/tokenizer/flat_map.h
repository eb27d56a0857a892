// Hash tables for the GPT-2 encoder's hot lookups: a read-only index of the vocabulary's byte
// strings (CompactStringIndex), a direct-mapped table of short tokens (ShortKeyTable), byte
// string -> (u32, u32) for the per-thread word cache (FlatStringMap) and u64 -> u32 for pair ->
// merged token (FlatU64Map). All but ShortKeyTable use linear probing, power-of-two capacity,
// load <= 1/2 and no erase (Clear() only). Not general-purpose containers.
#ifndef DATAWALL_DATA_TOKENIZER_FLAT_MAP_H_
#define DATAWALL_DATA_TOKENIZER_FLAT_MAP_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace datawall::data {

inline uint64_t HashBytes(const char* p, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ (n * 0xff51afd7ed558ccdULL);
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 31;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    uint64_t w = 0;  // a byte loop, not memcpy: a variable-length memcpy is a libc call
    for (size_t i = 0; i < n; ++i) w |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
    h = (h ^ w) * 0x94d049bb133111ebULL;
    h ^= h >> 29;
  }
  return h * 0x9E3779B97F4A7C15ULL;
}

inline uint64_t HashU64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// Equality of two byte ranges of length n; inline (no libc call) for the short keys seen here.
inline bool BytesEqual(const char* a, const char* b, size_t n) {
  while (n >= 8) {
    uint64_t x, y;
    std::memcpy(&x, a, 8);
    std::memcpy(&y, b, 8);
    if (x != y) return false;
    a += 8;
    b += 8;
    n -= 8;
  }
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// Read-only index of byte strings stored elsewhere (id -> [offsets[id], offsets[id + 1]) of
// `bytes`): 8-byte slots {tag, id}, the tag holding 24 hash bits and the key length (<= 255), so
// a lookup touches one slot line and the key bytes only on a likely match.
class CompactStringIndex {
 public:
  static constexpr uint32_t kMissing = 0xFFFFFFFFu;
  // Indexes every id except `skip_id`; keys must be 1..255 bytes and distinct.
  void Build(const std::string* bytes, const std::vector<uint32_t>* offsets, uint32_t skip_id) {
    bytes_ = bytes;
    offsets_ = offsets;
    const size_t n = offsets->size() - 1;
    size_t capacity = 16;
    while (capacity < 2 * n) capacity *= 2;
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    for (uint32_t id = 0; id < n; ++id) {
      if (id == skip_id) continue;
      const char* key = bytes->data() + (*offsets)[id];
      const size_t len = (*offsets)[id + 1] - (*offsets)[id];
      const uint64_t hash = HashBytes(key, len);
      for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
        if (slots_[i].tag == 0) {
          slots_[i] = {Tag(hash, len), id};
          break;
        }
      }
    }
  }
  uint32_t Find(uint64_t hash, std::string_view key) const {
    if (key.size() > 255 || key.empty()) return kMissing;
    const uint32_t tag = Tag(hash, key.size());
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot s = slots_[i];
      if (s.tag == 0) return kMissing;
      if (s.tag == tag && BytesEqual(bytes_->data() + (*offsets_)[s.id], key.data(), key.size())) {
        return s.id;
      }
    }
  }

 private:
  struct Slot {
    uint32_t tag = 0;  // 0 = empty (lengths are >= 1)
    uint32_t id = 0;
  };
  static uint32_t Tag(uint64_t hash, size_t len) {
    return (static_cast<uint32_t>(hash >> 40) << 8) | static_cast<uint32_t>(len);
  }
  const std::string* bytes_ = nullptr;
  const std::vector<uint32_t>* offsets_ = nullptr;
  std::vector<Slot> slots_;
  size_t mask_ = 0;
};

// Read-only direct-mapped front table for keys of 1..8 bytes: each 16-byte entry holds the key
// itself, so a hit touches one cache line. When keys collide the first inserted keeps the slot
// (insert frequent keys first). A miss says nothing: look in the full index next.
class ShortKeyTable {
 public:
  static constexpr uint32_t kMissing = 0xFFFFFFFFu;
  explicit ShortKeyTable(int log2_size = 14)
      : entries_(size_t{1} << log2_size), shift_(64 - log2_size) {}
  // `word` is the key's bytes little-endian, zero above `len`.
  void InsertIfFree(uint64_t word, size_t len, uint32_t value) {
    Entry& e = entries_[Slot(word, len)];
    if (e.len == 0) e = {word, value, static_cast<uint32_t>(len)};
  }
  uint32_t Find(uint64_t word, size_t len) const {
    const Entry& e = entries_[Slot(word, len)];
    return e.len == len && e.word == word ? e.value : kMissing;
  }
  // The little-endian word of p[0..len), len <= 8; reads 8 bytes when `can_overread`.
  static uint64_t Load(const char* p, size_t len, bool can_overread) {
    uint64_t w = 0;
    if (can_overread) {
      std::memcpy(&w, p, 8);
      return len == 8 ? w : w & ((uint64_t{1} << (8 * len)) - 1);
    }
    for (size_t i = 0; i < len; ++i) w |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
    return w;
  }

 private:
  struct Entry {
    uint64_t word = 0;
    uint32_t value = 0;
    uint32_t len = 0;  // 0 = empty
  };
  size_t Slot(uint64_t word, size_t len) const {
    return static_cast<size_t>(((word ^ len) * 0x9E3779B97F4A7C15ULL) >> shift_);
  }
  std::vector<Entry> entries_;
  int shift_;
};

// Byte string -> two u32 values.
class FlatStringMap {
 public:
  struct Value {
    uint32_t a = 0, b = 0;
  };
  FlatStringMap() { Reset(16); }

  size_t size() const { return size_; }
  size_t key_bytes() const { return keys_.size(); }

  // Returns the value for the key or nullptr. `hash` must be HashBytes(key).
  const Value* Find(uint64_t hash, std::string_view key) const {
    const uint32_t tag = static_cast<uint32_t>(hash >> 32) | 1u;
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.tag == 0) return nullptr;
      if (s.tag == tag && s.key_len == key.size() &&
          BytesEqual(keys_.data() + s.key_off, key.data(), key.size())) {
        return &s.value;
      }
    }
  }
  // Inserts (or overwrites) the key's value.
  void Insert(uint64_t hash, std::string_view key, Value value) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    const uint32_t tag = static_cast<uint32_t>(hash >> 32) | 1u;
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.tag == 0) {
        s.tag = tag;
        s.key_off = static_cast<uint32_t>(keys_.size());
        s.key_len = static_cast<uint32_t>(key.size());
        s.hash_lo = static_cast<uint32_t>(hash);
        s.value = value;
        keys_.append(key);
        ++size_;
        return;
      }
      if (s.tag == tag && s.key_len == key.size() &&
          std::memcmp(keys_.data() + s.key_off, key.data(), key.size()) == 0) {
        s.value = value;
        return;
      }
    }
  }
  void Clear() {
    Reset(16);
    keys_.clear();
  }

 private:
  struct Slot {
    uint32_t tag = 0;  // high half of the hash with the low bit set; 0 = empty
    uint32_t hash_lo = 0;
    uint32_t key_off = 0;
    uint32_t key_len = 0;
    Value value;
  };
  void Reset(size_t capacity) {
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    size_ = 0;
  }
  void Grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    const size_t size = size_;
    Reset(old.size() * 2);
    size_ = size;
    for (const Slot& s : old) {
      if (s.tag == 0) continue;
      const uint64_t hash = (static_cast<uint64_t>(s.tag) << 32) | s.hash_lo;
      for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
        if (slots_[i].tag == 0) {
          slots_[i] = s;
          break;
        }
      }
    }
  }

  std::vector<Slot> slots_;
  std::string keys_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

// u64 key -> u32 value; the key ~0 is reserved.
class FlatU64Map {
 public:
  static constexpr uint32_t kMissing = 0xFFFFFFFFu;
  FlatU64Map() { Reset(16); }
  size_t size() const { return size_; }
  uint32_t Find(uint64_t key) const {
    for (size_t i = HashU64(key) & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.key == key) return s.value;
      if (s.key == kEmpty) return kMissing;
    }
  }
  void Insert(uint64_t key, uint32_t value) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    for (size_t i = HashU64(key) & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.key == key) {
        s.value = value;
        return;
      }
      if (s.key == kEmpty) {
        s.key = key;
        s.value = value;
        ++size_;
        return;
      }
    }
  }

 private:
  static constexpr uint64_t kEmpty = ~0ULL;
  struct Slot {
    uint64_t key = kEmpty;
    uint32_t value = 0;
  };
  void Reset(size_t capacity) {
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    size_ = 0;
  }
  void Grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    Reset(old.size() * 2);
    for (const Slot& s : old) {
      if (s.key != kEmpty) Insert(s.key, s.value);
    }
  }
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace datawall::data

#endif  // DATAWALL_DATA_TOKENIZER_FLAT_MAP_H_
