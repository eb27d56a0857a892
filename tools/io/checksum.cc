#include "tools/io/checksum.h"

#include <algorithm>
#include <cstring>

namespace datawall::io {
namespace {

constexpr uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
constexpr uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;

inline uint64_t Rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

inline uint64_t Avalanche(uint64_t h) {
  h ^= h >> 33;
  h *= kPrime2;
  h ^= h >> 29;
  h *= kPrime1;
  h ^= h >> 32;
  return h;
}

}  // namespace

Checksum::Checksum(uint64_t seed) : state_(seed ^ kPrime1) {}

void Checksum::MixWord(uint64_t word) {
  state_ = Rotl(state_ ^ (word * kPrime2), 31) * kPrime1;
}

void Checksum::Update(const void* data, size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  length_ += size;
  if (pending_size_ > 0) {
    const size_t take = std::min(size, 8 - pending_size_);
    std::memcpy(pending_ + pending_size_, bytes, take);
    pending_size_ += take;
    bytes += take;
    size -= take;
    if (pending_size_ < 8) return;
    uint64_t word;
    std::memcpy(&word, pending_, 8);
    MixWord(word);
    pending_size_ = 0;
  }
  while (size >= 8) {
    uint64_t word;
    std::memcpy(&word, bytes, 8);
    MixWord(word);
    bytes += 8;
    size -= 8;
  }
  std::memcpy(pending_, bytes, size);
  pending_size_ = size;
}

uint64_t Checksum::Digest() const {
  uint64_t h = state_;
  if (pending_size_ > 0) {
    uint64_t word = 0;
    std::memcpy(&word, pending_, pending_size_);
    h = Rotl(h ^ (word * kPrime2), 31) * kPrime1;
  }
  return Avalanche(h ^ (length_ * kPrime2));
}

std::string Checksum::HexDigest() const {
  static const char kHex[] = "0123456789abcdef";
  uint64_t h = Digest();
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[i] = kHex[h & 15];
  return out;
}

uint64_t Checksum64(const void* data, size_t size, uint64_t seed) {
  Checksum sum(seed);
  sum.Update(data, size);
  return sum.Digest();
}

std::string HexChecksum(std::string_view bytes) {
  Checksum sum;
  sum.Update(bytes);
  return sum.HexDigest();
}

}  // namespace datawall::io
