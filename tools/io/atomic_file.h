// Atomic file writes: the one way datawall writes shards, checkpoints, records and reports.
//
// The bytes go to a temporary file in the destination's directory, are flushed to disk
// (fsync), and the temporary is renamed over the destination; the directory is synced too.
// A crash at any point leaves either the old file or the complete new one, never a truncated
// file under the final name. Standard library + POSIX only, so the GPU build can use it.
#ifndef DATAWALL_TOOLS_IO_ATOMIC_FILE_H_
#define DATAWALL_TOOLS_IO_ATOMIC_FILE_H_

#include <cstdio>
#include <string>
#include <string_view>

namespace datawall::io {

// Writes `contents` to `path` atomically. Returns an empty string on success, else a one-line
// error naming the path and the failing step.
std::string WriteFileAtomically(const std::string& path, std::string_view contents);

// For large outputs written incrementally: Open(), Write() as often as needed, Commit().
// Destroying an uncommitted AtomicFileWriter removes the temporary file.
class AtomicFileWriter {
 public:
  AtomicFileWriter() = default;
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  // Each returns an empty string on success, else an error naming the path.
  std::string Open(const std::string& path);
  std::string Write(const void* data, size_t size);
  std::string Commit();

  const std::string& temp_path() const { return temp_path_; }

 private:
  std::string path_;
  std::string temp_path_;
  std::FILE* file_ = nullptr;
};

// Reads a whole file; returns false (and sets *error) if it cannot.
bool ReadFile(const std::string& path, std::string* contents, std::string* error);

}  // namespace datawall::io

#endif  // DATAWALL_TOOLS_IO_ATOMIC_FILE_H_
