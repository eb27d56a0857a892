// Checkpoint encoding, atomic writing, verification and fallback (see checkpoint.h).
#include "experiments/training/checkpoint.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "tools/io/atomic_file.h"
#include "tools/io/checksum.h"

namespace datawall::training {
namespace {

constexpr char kMagic[] = "DWCKPT01";
constexpr char kEndMarker[] = "DWCKEND1";
constexpr size_t kMarkerSize = 8;

std::string HexDouble(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%a", v);
  return buf;
}

void AppendU64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t ReadU64(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

std::string EncodeMeta(const Checkpoint& c) {
  std::ostringstream os;
  os << "step " << c.step << "\n";
  os << "fingerprint " << c.fingerprint << "\n";
  auto curve = [&](const char* name, const std::vector<CurvePoint>& points) {
    for (const CurvePoint& p : points) {
      os << "curve " << name << " " << p.step << " " << p.tokens << " " << HexDouble(p.value)
         << "\n";
    }
  };
  curve("train_loss", c.train_loss);
  curve("val_loss", c.val_loss);
  curve("lr", c.lr);
  return os.str();
}

Result DecodeMeta(const std::string& meta, Checkpoint* c) {
  std::istringstream is(meta);
  std::string line;
  bool have_step = false;
  while (std::getline(is, line)) {
    if (line.rfind("step ", 0) == 0) {
      c->step = std::stoll(line.substr(5));
      have_step = true;
    } else if (line.rfind("fingerprint ", 0) == 0) {
      c->fingerprint = line.substr(12);
    } else if (line.rfind("curve ", 0) == 0) {
      std::istringstream ls(line.substr(6));
      std::string name, value;
      CurvePoint p;
      ls >> name >> p.step >> p.tokens >> value;
      p.value = std::strtod(value.c_str(), nullptr);
      if (name == "train_loss") c->train_loss.push_back(p);
      else if (name == "val_loss") c->val_loss.push_back(p);
      else if (name == "lr") c->lr.push_back(p);
      else return Result::BadInput("unknown curve '" + name + "'");
    } else if (!line.empty()) {
      return Result::BadInput("unknown meta line");
    }
  }
  if (!have_step) return Result::BadInput("no step in meta");
  return Result::Ok();
}

}  // namespace

const std::string* Checkpoint::Blob(const std::string& name) const {
  for (const auto& [n, bytes] : blobs) {
    if (n == name) return &bytes;
  }
  return nullptr;
}

std::string CheckpointPath(const std::string& dir, int64_t step) {
  char name[64];
  std::snprintf(name, sizeof(name), "step_%08" PRId64 ".ckpt", step);
  return dir + "/" + name;
}

std::vector<std::string> ListCheckpoints(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return out;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("step_", 0) == 0 && name.size() > 5 &&
        name.compare(name.size() - 5, 5, ".ckpt") == 0) {
      out.push_back(entry.path().string());
    }
  }
  std::sort(out.begin(), out.end());  // zero-padded step numbers sort in step order
  return out;
}

Result WriteCheckpoint(const std::string& dir, const Checkpoint& c, int keep) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Result::Internal(dir + ": cannot create checkpoint directory: " + ec.message());
  const std::string path = CheckpointPath(dir, c.step);
  io::AtomicFileWriter writer;
  Result result = writer.Open(path);
  if (!result.ok()) return result;
  io::Checksum sum;
  auto put = [&](const void* data, size_t size) {
    if (!result.ok()) return;
    sum.Update(data, size);
    result = writer.Write(data, size);
  };
  std::string head(kMagic, kMarkerSize);
  const std::string meta = EncodeMeta(c);
  AppendU64(&head, meta.size());
  head += meta;
  AppendU64(&head, c.blobs.size());
  put(head.data(), head.size());
  for (const auto& [name, bytes] : c.blobs) {
    std::string blob_head;
    AppendU64(&blob_head, name.size());
    blob_head += name;
    AppendU64(&blob_head, bytes.size());
    put(blob_head.data(), blob_head.size());
    put(bytes.data(), bytes.size());
  }
  std::string tail;
  AppendU64(&tail, sum.Digest());
  tail.append(kEndMarker, kMarkerSize);
  if (result.ok()) result = writer.Write(tail.data(), tail.size());
  if (result.ok()) result = writer.Commit();
  if (!result.ok()) return result;
  const std::vector<std::string> all = ListCheckpoints(dir);
  for (size_t i = 0; i + keep < all.size(); ++i) std::filesystem::remove(all[i], ec);
  return Result::Ok();
}

Result ReadCheckpoint(const std::string& path, Checkpoint* c) {
  std::string bytes;
  if (Result r = io::ReadFile(path, &bytes); !r.ok()) return r;
  *c = Checkpoint();
  if (bytes.size() < 3 * kMarkerSize || bytes.compare(0, kMarkerSize, kMagic) != 0) {
    return Result::BadInput("not a checkpoint (bad magic or truncated)");
  }
  if (bytes.compare(bytes.size() - kMarkerSize, kMarkerSize, kEndMarker) != 0) {
    return Result::BadInput("truncated (no end marker)");
  }
  const size_t body_end = bytes.size() - 2 * kMarkerSize;
  if (io::Checksum64(bytes.data(), body_end) != ReadU64(bytes.data() + body_end)) {
    return Result::BadInput("checksum mismatch");
  }
  const Result malformed = Result::BadInput("malformed body");
  size_t pos = kMarkerSize;
  // n more bytes lie inside the body (pos <= body_end always; n is read from the file, so never
  // form pos + n, which can wrap).
  auto fits = [&](uint64_t n) { return n <= body_end - pos; };
  if (!fits(8)) return malformed;
  const uint64_t meta_size = ReadU64(bytes.data() + pos);
  pos += 8;
  if (!fits(meta_size)) return malformed;
  if (Result r = DecodeMeta(bytes.substr(pos, meta_size), c); !r.ok()) return r;
  pos += meta_size;
  if (!fits(8)) return malformed;
  const uint64_t n_blobs = ReadU64(bytes.data() + pos);
  pos += 8;
  for (uint64_t i = 0; i < n_blobs; ++i) {
    if (!fits(8)) return malformed;
    const uint64_t name_size = ReadU64(bytes.data() + pos);
    pos += 8;
    if (!fits(name_size) || !fits(name_size + 8)) return malformed;
    std::string name = bytes.substr(pos, name_size);
    pos += name_size;
    const uint64_t size = ReadU64(bytes.data() + pos);
    pos += 8;
    if (!fits(size)) return malformed;
    c->blobs.emplace_back(std::move(name), bytes.substr(pos, size));
    pos += size;
  }
  if (pos != body_end) return Result::BadInput("malformed body (trailing bytes)");
  return Result::Ok();
}

bool LoadLatestCheckpoint(const std::string& dir, Checkpoint* c,
                          std::vector<std::string>* messages) {
  const std::vector<std::string> all = ListCheckpoints(dir);
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    const Result r = ReadCheckpoint(*it, c);
    if (r.ok()) return true;
    messages->push_back("skipping corrupt checkpoint " + *it + ": " + r.message() +
                        (std::next(it) != all.rend() ? "; falling back to the previous one"
                                                     : "; no older checkpoint"));
  }
  return false;
}

}  // namespace datawall::training
