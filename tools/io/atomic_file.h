// Atomic file writes: the one way datawall writes shards, checkpoints, records and reports; and
// ReadFile, the whole-file read beside it.
//
// The bytes go to a temporary file in the destination's directory, are flushed to disk
// (fsync), and the temporary is renamed over the destination; the directory is synced too.
// A crash at any point leaves either the old file or the complete new one, never a truncated
// file under the final name. Standard library + POSIX only, so the GPU build can use it.
//
// Errors are the training core's Result (tools/result/result.h), one line naming the path and
// the failing step: a write that fails is Internal (this layer cannot tell whose path it was; a
// caller writing to a path the user named may report it as bad input); ReadFile of a file that
// cannot be opened is BadInput (a missing file), a read that fails part way is Internal. Code
// outside the core maps them with tools/result/status.h.
#ifndef DATAWALL_TOOLS_IO_ATOMIC_FILE_H_
#define DATAWALL_TOOLS_IO_ATOMIC_FILE_H_

#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

#include "tools/result/result.h"

namespace datawall::io {

// Writes `contents` to `path` atomically.
Result WriteFileAtomically(const std::string& path, std::string_view contents);

// For large outputs written incrementally: Open(), Write() as often as needed, Commit().
// Destroying an uncommitted AtomicFileWriter removes the temporary file.
class AtomicFileWriter {
 public:
  AtomicFileWriter() = default;
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  // Each names the path in its error; Write and Commit on a writer that is not open are Internal.
  Result Open(const std::string& path);
  Result Write(const void* data, size_t size);
  Result Commit();

  const std::string& temp_path() const { return temp_path_; }

 private:
  std::string path_;
  std::string temp_path_;
  std::FILE* file_ = nullptr;
};

// Reads a whole file into *contents (unchanged on error).
Result ReadFile(const std::string& path, std::string* contents);

}  // namespace datawall::io

#endif  // DATAWALL_TOOLS_IO_ATOMIC_FILE_H_
