// Token shard writer and memory-mapped reader (format in data/shard.h and docs/data.md).
//
// On-disk layout, little-endian, all offsets from the start of the file:
//   [0, 256)    header: magic "DWSHARD1", uint32 version (2; 1 is read too), uint32 token_width,
//               uint32 vocab_size, uint32 num_sources (0 in version 1), int64 num_tokens, int64 num_documents, uint64 payload
//               checksum, char tokenizer_id[64], char corpus_hash[64] (NUL-padded), uint64
//               header checksum (over bytes [0, 176)), zero padding.
//   [256, ...)  num_tokens tokens of token_width bytes, zero-padded to a multiple of 8 bytes,
//               then num_documents + 1 int64 document starts; then, when num_sources > 0,
//               num_documents uint16 source indices (zero-padded to a multiple of 8 bytes) and
//               num_sources names of 64 bytes each (NUL-padded).
// The payload checksum covers everything after the header. Not a general container: no
// compression, no partial reads of damaged files.
#include "data/shard.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "tools/io/atomic_file.h"
#include "tools/io/checksum.h"

namespace datawall::data {
namespace {

constexpr char kMagic[8] = {'D', 'W', 'S', 'H', 'A', 'R', 'D', '1'};
constexpr uint32_t kVersion = 2;
constexpr uint32_t kOldestVersion = 1;  // no source table
constexpr size_t kHeaderSize = 256;
constexpr size_t kStringField = 64;
constexpr size_t kHeaderChecksumOffset = 176;

struct Header {
  char magic[8];
  uint32_t version;
  uint32_t token_width;
  uint32_t vocab_size;
  uint32_t num_sources;
  int64_t num_tokens;
  int64_t num_documents;
  uint64_t payload_checksum;
  char tokenizer_id[kStringField];
  char corpus_hash[kStringField];
  uint64_t header_checksum;
};
static_assert(sizeof(Header) == kHeaderChecksumOffset + 8, "header layout");
static_assert(sizeof(Header) <= kHeaderSize, "header fits");

size_t PaddedTokenBytes(int64_t num_tokens, int width) {
  const size_t bytes = static_cast<size_t>(num_tokens) * width;
  return (bytes + 7) / 8 * 8;
}

size_t PaddedSourceBytes(int64_t num_documents, uint32_t num_sources) {
  if (num_sources == 0) return 0;
  const size_t bytes = static_cast<size_t>(num_documents) * 2;
  return (bytes + 7) / 8 * 8 + static_cast<size_t>(num_sources) * kStringField;
}

std::string Hex(uint64_t h) {
  static const char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[i] = kHex[h & 15];
  return out;
}

std::string FieldString(const char* field) {
  return std::string(field, strnlen(field, kStringField));
}

// Streams the payload bytes (tokens at `width`, padding, document starts) to `sink` in
// chunks of about 1 MiB. The writer calls it twice: once to checksum, once to write.
template <typename Sink>
bool StreamPayload(const std::vector<std::vector<uint32_t>>& documents,
                   const std::vector<uint16_t>& document_sources,
                   const std::vector<std::string>& sources, int width, Sink&& sink) {
  constexpr size_t kChunk = 1 << 20;
  std::vector<unsigned char> buffer(kChunk + 64);
  size_t used = 0;
  auto flush = [&]() {
    if (used == 0) return true;
    const bool ok = sink(buffer.data(), used);
    used = 0;
    return ok;
  };
  size_t token_bytes = 0;
  for (const auto& doc : documents) {
    size_t i = 0;
    while (i < doc.size()) {
      const size_t n = std::min(doc.size() - i, (kChunk - used) / width);
      if (width == 4) {
        std::memcpy(buffer.data() + used, doc.data() + i, n * 4);
      } else {
        auto* out = reinterpret_cast<uint16_t*>(buffer.data() + used);
        const uint32_t* in = doc.data() + i;
        for (size_t j = 0; j < n; ++j) out[j] = static_cast<uint16_t>(in[j]);
      }
      used += n * width;
      token_bytes += n * width;
      i += n;
      if (used + width > kChunk && !flush()) return false;
    }
  }
  while (token_bytes % 8 != 0) {
    buffer[used++] = 0;
    ++token_bytes;
  }
  int64_t start = 0;
  for (size_t d = 0; d <= documents.size(); ++d) {
    if (used + 8 > kChunk && !flush()) return false;
    std::memcpy(buffer.data() + used, &start, 8);
    used += 8;
    if (d < documents.size()) start += static_cast<int64_t>(documents[d].size());
  }
  if (!sources.empty()) {
    size_t source_bytes = 0;
    for (const uint16_t source : document_sources) {
      if (used + 2 > kChunk && !flush()) return false;
      std::memcpy(buffer.data() + used, &source, 2);
      used += 2;
      source_bytes += 2;
    }
    for (; source_bytes % 8 != 0; ++source_bytes) {
      if (used + 1 > kChunk && !flush()) return false;
      buffer[used++] = 0;
    }
    for (const std::string& name : sources) {
      if (used + kStringField > kChunk && !flush()) return false;
      std::memset(buffer.data() + used, 0, kStringField);
      std::memcpy(buffer.data() + used, name.data(), name.size());
      used += kStringField;
    }
  }
  return flush();
}

}  // namespace

Result Shard::Open(const std::string& path, std::unique_ptr<Shard>* out) {
  out->reset();
  auto fail = [&](const std::string& what) { return Result::BadInput(path + ": " + what); };
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(errno == ENOENT ? "missing (no such file)" : std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const std::string what = std::strerror(errno);
    ::close(fd);
    return fail(what);
  }
  const size_t size = static_cast<size_t>(st.st_size);
  if (size < kHeaderSize) {
    ::close(fd);
    return fail(size >= 8 ? "truncated header (" + std::to_string(size) + " bytes)"
                          : "bad magic (file too short)");
  }
  void* mapping = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (mapping == MAP_FAILED) return fail(std::string("mmap failed: ") + std::strerror(errno));
  std::unique_ptr<Shard> shard(new Shard());
  shard->path_ = path;
  shard->mapping_ = mapping;  // unmapped by ~Shard on every failure path below
  shard->mapping_size_ = size;
  const auto* base = static_cast<const unsigned char*>(mapping);

  Header h;
  std::memcpy(&h, base, sizeof(h));
  if (std::memcmp(h.magic, kMagic, 8) != 0) return fail("bad magic (not a datawall shard)");
  if (h.version < kOldestVersion || h.version > kVersion) {
    return fail("unsupported version " + std::to_string(h.version) + " (this build reads " +
                std::to_string(kOldestVersion) + " to " + std::to_string(kVersion) +
                "; rerun //data:prepare)");
  }
  if (io::Checksum64(base, kHeaderChecksumOffset) != h.header_checksum) {
    return fail("header checksum mismatch (damaged header)");
  }
  if (h.token_width != 2 && h.token_width != 4) {
    return fail("bad token width " + std::to_string(h.token_width));
  }
  if (h.num_tokens < 0 || h.num_documents < 0) return fail("negative counts in header");
  if (h.version == 1 && h.num_sources != 0) return fail("version 1 header with sources");
  if (h.num_sources > 65536) return fail("bad source count " + std::to_string(h.num_sources));
  const size_t token_bytes = PaddedTokenBytes(h.num_tokens, h.token_width);
  const size_t index_bytes = (static_cast<size_t>(h.num_documents) + 1) * 8;
  const size_t expected = kHeaderSize + token_bytes + index_bytes +
                          PaddedSourceBytes(h.num_documents, h.num_sources);
  if (size < expected) {
    return fail("truncated (" + std::to_string(size) + " bytes, header says " +
                std::to_string(expected) + ")");
  }
  if (size > expected) {
    return fail("trailing bytes (" + std::to_string(size) + " bytes, header says " +
                std::to_string(expected) + ")");
  }
  const uint64_t payload = io::Checksum64(base + kHeaderSize, size - kHeaderSize);
  if (payload != h.payload_checksum) {
    return fail("checksum mismatch (payload " + Hex(payload) + ", header " +
                Hex(h.payload_checksum) + ")");
  }
  shard->info_.tokenizer_id = FieldString(h.tokenizer_id);
  shard->info_.vocab_size = h.vocab_size;
  shard->info_.corpus_hash = FieldString(h.corpus_hash);
  shard->token_width_ = static_cast<int>(h.token_width);
  shard->num_tokens_ = h.num_tokens;
  shard->num_documents_ = h.num_documents;
  shard->tokens_ = base + kHeaderSize;
  shard->doc_starts_ = reinterpret_cast<const int64_t*>(base + kHeaderSize + token_bytes);
  shard->checksum_ = Hex(payload);
  if (h.num_sources > 0) {
    const unsigned char* table = base + kHeaderSize + token_bytes + index_bytes;
    shard->doc_sources_ = reinterpret_cast<const uint16_t*>(table);
    const unsigned char* names = table + (static_cast<size_t>(h.num_documents) * 2 + 7) / 8 * 8;
    for (uint32_t i = 0; i < h.num_sources; ++i) {
      shard->info_.sources.push_back(
          FieldString(reinterpret_cast<const char*>(names + i * kStringField)));
    }
    for (int64_t d = 0; d < h.num_documents; ++d) {
      if (shard->doc_sources_[d] >= h.num_sources) {
        return fail("document " + std::to_string(d) + " has source index " +
                    std::to_string(shard->doc_sources_[d]) + " of " +
                    std::to_string(h.num_sources) + " sources");
      }
    }
  }

  // The index must be a monotone cover of [0, num_tokens]; tokens must fit the vocabulary.
  if (shard->doc_starts_[0] != 0 || shard->doc_starts_[h.num_documents] != h.num_tokens) {
    return fail("bad document index (does not span the tokens)");
  }
  for (int64_t d = 0; d < h.num_documents; ++d) {
    if (shard->doc_starts_[d] > shard->doc_starts_[d + 1]) {
      return fail("bad document index (not monotone at document " + std::to_string(d) + ")");
    }
  }
  if (h.vocab_size > 0) {
    for (int64_t i = 0; i < h.num_tokens; ++i) {
      if (shard->token(i) >= h.vocab_size) {
        return fail("token " + std::to_string(i) + " = " + std::to_string(shard->token(i)) +
                    " outside the vocabulary of " + std::to_string(h.vocab_size));
      }
    }
  }
  *out = std::move(shard);
  return Result::Ok();
}

Shard::~Shard() {
  if (mapping_ != nullptr) ::munmap(mapping_, mapping_size_);
}

void Shard::CopyTokens(int64_t begin, int64_t count, int32_t* out) const {
  if (token_width_ == 2) {
    const auto* src = reinterpret_cast<const uint16_t*>(tokens_) + begin;
    for (int64_t i = 0; i < count; ++i) out[i] = static_cast<int32_t>(src[i]);
  } else {
    const auto* src = reinterpret_cast<const uint32_t*>(tokens_) + begin;
    for (int64_t i = 0; i < count; ++i) out[i] = static_cast<int32_t>(src[i]);
  }
}

Result WriteShard(const std::string& path, const ShardInfo& info,
                  const std::vector<std::vector<uint32_t>>& documents,
                  const std::vector<uint16_t>& document_sources) {
  auto bad = [&](const std::string& what) { return Result::BadInput(path + ": " + what); };
  if (info.vocab_size == 0) return bad("vocab_size must be positive");
  if (info.tokenizer_id.size() >= kStringField) {
    return bad("tokenizer id longer than " + std::to_string(kStringField - 1) + " bytes");
  }
  if (info.corpus_hash.size() >= kStringField) {
    return bad("corpus hash longer than " + std::to_string(kStringField - 1) + " bytes");
  }
  if (info.sources.size() > 65536) return bad("more than 65,536 sources");
  for (const std::string& name : info.sources) {
    if (name.size() >= kStringField) {
      return bad("source name '" + name + "' longer than " + std::to_string(kStringField - 1) +
                 " bytes");
    }
  }
  if ((info.sources.empty() && !document_sources.empty()) ||
      (!info.sources.empty() && document_sources.size() != documents.size())) {
    return bad(std::to_string(document_sources.size()) + " document sources for " +
               std::to_string(documents.size()) + " documents and " +
               std::to_string(info.sources.size()) + " source names");
  }
  for (size_t d = 0; d < document_sources.size(); ++d) {
    if (document_sources[d] >= info.sources.size()) {
      return bad("document " + std::to_string(d) + " has source index " +
                 std::to_string(document_sources[d]) + " of " +
                 std::to_string(info.sources.size()) + " sources");
    }
  }
  const int width = info.vocab_size <= 65536 ? 2 : 4;
  int64_t num_tokens = 0;
  for (size_t d = 0; d < documents.size(); ++d) {
    for (const uint32_t t : documents[d]) {
      if (t >= info.vocab_size) {
        return bad("document " + std::to_string(d) + " has token " + std::to_string(t) +
                   " outside the vocabulary of " + std::to_string(info.vocab_size));
      }
    }
    num_tokens += static_cast<int64_t>(documents[d].size());
  }

  io::AtomicFileWriter writer;
  if (Result r = writer.Open(path); !r.ok()) return r;
  io::Checksum payload;
  StreamPayload(documents, document_sources, info.sources, width, [&](const void* data, size_t size) {
    payload.Update(data, size);
    return true;
  });

  unsigned char header_bytes[kHeaderSize] = {};
  Header h;
  std::memset(&h, 0, sizeof(h));
  std::memcpy(h.magic, kMagic, 8);
  h.version = kVersion;
  h.token_width = static_cast<uint32_t>(width);
  h.vocab_size = info.vocab_size;
  h.num_tokens = num_tokens;
  h.num_documents = static_cast<int64_t>(documents.size());
  h.num_sources = static_cast<uint32_t>(info.sources.size());
  h.payload_checksum = payload.Digest();
  std::memcpy(h.tokenizer_id, info.tokenizer_id.data(), info.tokenizer_id.size());
  std::memcpy(h.corpus_hash, info.corpus_hash.data(), info.corpus_hash.size());
  std::memcpy(header_bytes, &h, sizeof(h));
  h.header_checksum = io::Checksum64(header_bytes, kHeaderChecksumOffset);
  std::memcpy(header_bytes, &h, sizeof(h));

  if (Result r = writer.Write(header_bytes, kHeaderSize); !r.ok()) return r;
  Result written;
  StreamPayload(documents, document_sources, info.sources, width,
                [&](const void* data, size_t size) {
                  written = writer.Write(data, size);
                  return written.ok();
                });
  if (!written.ok()) return written;
  return writer.Commit();
}

}  // namespace datawall::data
