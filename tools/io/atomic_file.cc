// Atomic writes through a synced temporary and rename, and whole-file reads (see atomic_file.h).
#include "tools/io/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

namespace datawall::io {
namespace {

std::string Errno(const std::string& what, const std::string& path) {
  return path + ": " + what + ": " + std::strerror(errno);
}

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

void SyncDirectory(const std::string& path) {
  const int fd = ::open(DirectoryOf(path).c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

AtomicFileWriter::~AtomicFileWriter() {
  if (file_ != nullptr) {
    std::fclose(file_);
    std::remove(temp_path_.c_str());
  }
}

Result AtomicFileWriter::Open(const std::string& path) {
  if (file_ != nullptr) return Result::Internal(path + ": writer already open");
  path_ = path;
  // Unique per process and attempt, so concurrent writers never share a temporary.
  std::random_device entropy;
  temp_path_ = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(entropy());
  file_ = std::fopen(temp_path_.c_str(), "wb");
  if (file_ == nullptr) return Result::Internal(Errno("cannot create", temp_path_));
  return Result::Ok();
}

Result AtomicFileWriter::Write(const void* data, size_t size) {
  if (file_ == nullptr) return Result::Internal(path_ + ": writer is not open");
  if (size > 0 && std::fwrite(data, 1, size, file_) != size) {
    return Result::Internal(Errno("write failed", temp_path_));
  }
  return Result::Ok();
}

Result AtomicFileWriter::Commit() {
  if (file_ == nullptr) return Result::Internal(path_ + ": writer is not open");
  std::FILE* file = file_;
  file_ = nullptr;
  const bool flushed = std::fflush(file) == 0 && ::fsync(::fileno(file)) == 0;
  const bool closed = std::fclose(file) == 0;
  if (!flushed || !closed) {
    const std::string error = Errno("flush failed", temp_path_);
    std::remove(temp_path_.c_str());
    return Result::Internal(error);
  }
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    const std::string error = Errno("rename failed", path_);
    std::remove(temp_path_.c_str());
    return Result::Internal(error);
  }
  SyncDirectory(path_);
  return Result::Ok();
}

Result WriteFileAtomically(const std::string& path, std::string_view contents) {
  AtomicFileWriter writer;
  if (Result r = writer.Open(path); !r.ok()) return r;
  if (Result r = writer.Write(contents.data(), contents.size()); !r.ok()) return r;
  return writer.Commit();
}

Result ReadFile(const std::string& path, std::string* contents) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Result::BadInput(Errno("cannot open", path));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Result::Internal(path + ": read error");
  *contents = buffer.str();
  return Result::Ok();
}

}  // namespace datawall::io
