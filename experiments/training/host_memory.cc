// See host_memory.h.
#include "experiments/training/host_memory.h"

#if defined(__GLIBC__)
#include <gnu/libc-version.h>
#include <malloc.h>
#endif

namespace datawall::training {

std::string ReuseFreedHostMemory() {
#if defined(__GLIBC__)
  // M_MMAP_MAX 0: no block is served by mmap, so freed blocks stay in the heap's free lists.
  // M_TRIM_THRESHOLD -1: never give the top of the heap back to the kernel (man 3 mallopt).
  const bool no_mmap = mallopt(M_MMAP_MAX, 0) == 1;
  const bool no_trim = mallopt(M_TRIM_THRESHOLD, -1) == 1;
  if (!no_mmap || !no_trim) return std::string("glibc ") + gnu_get_libc_version() +
                                    " malloc: default (mallopt refused)";
  return std::string("glibc ") + gnu_get_libc_version() +
         " malloc: M_MMAP_MAX=0 M_TRIM_THRESHOLD=-1 (freed pages reused)";
#else
  return "default (not glibc)";
#endif
}

}  // namespace datawall::training
