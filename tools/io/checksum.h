// Checksums: the one content hash datawall uses for shards, checkpoints and data hashes.
//
// A 64-bit non-cryptographic hash over 8-byte words (multiply-rotate mixing, strong final
// avalanche), streaming, endian-stable on x86-64. It detects corruption and identifies data;
// it is not a defence against an adversary. Standard library only.
#ifndef DATAWALL_TOOLS_IO_CHECKSUM_H_
#define DATAWALL_TOOLS_IO_CHECKSUM_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace datawall::io {

class Checksum {
 public:
  explicit Checksum(uint64_t seed = 0);
  void Update(const void* data, size_t size);
  void Update(std::string_view bytes) { Update(bytes.data(), bytes.size()); }
  uint64_t Digest() const;    // does not change the state; more Update() calls may follow
  std::string HexDigest() const;  // 16 lower-case hex digits

 private:
  void MixWord(uint64_t word);
  uint64_t state_;
  uint64_t length_ = 0;
  unsigned char pending_[8];
  size_t pending_size_ = 0;
};

uint64_t Checksum64(const void* data, size_t size, uint64_t seed = 0);
std::string HexChecksum(std::string_view bytes);

}  // namespace datawall::io

#endif  // DATAWALL_TOOLS_IO_CHECKSUM_H_
