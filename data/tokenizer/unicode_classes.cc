// Lookup structures over the generated code-point class runs (unicode_classes.inc).
#include "data/tokenizer/unicode_classes.h"

#include <algorithm>
#include <cstdio>
#include <iterator>

namespace datawall::data {
namespace {

struct Run {
  uint32_t start;
  uint8_t cls;
};

constexpr Run kRuns[] = {
#include "data/tokenizer/unicode_classes.inc"
};

constexpr std::array<uint8_t, 0x10000> MakeBmp() {
  std::array<uint8_t, 0x10000> cls{};
  const size_t n = std::size(kRuns);
  for (size_t i = 0; i < n && kRuns[i].start < 0x10000; ++i) {
    const uint32_t end = i + 1 < n ? kRuns[i + 1].start : 0x110000;
    for (uint32_t cp = kRuns[i].start; cp < end && cp < 0x10000; ++cp) cls[cp] = kRuns[i].cls;
  }
  return cls;
}

}  // namespace

namespace unicode_internal {
constexpr std::array<uint8_t, 0x10000> kBmpClass = MakeBmp();

CharClass SupplementaryClass(uint32_t cp) {
  const Run* it = std::upper_bound(std::begin(kRuns), std::end(kRuns), cp,
                                   [](uint32_t c, const Run& r) { return c < r.start; });
  return static_cast<CharClass>((it - 1)->cls);
}
}  // namespace unicode_internal

std::string UnicodeClassesVersion() { return DATAWALL_UNICODE_CLASSES_VERSION; }

std::string UnicodeClassRanges() {
  std::string out;
  char buf[32];
  for (const Run& r : kRuns) {
    std::snprintf(buf, sizeof(buf), "%x %d\n", r.start, r.cls);
    out += buf;
  }
  return out;
}

}  // namespace datawall::data
