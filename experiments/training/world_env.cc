// The data-parallel world from torchrun's or srun's environment (see world_env.h).
#include "experiments/training/world_env.h"

#include <cerrno>
#include <cstdlib>

namespace datawall::training {
namespace {

using GetEnv = std::function<const char*(const char*)>;

// Parses `name` as an integer in [lo, hi]; absent -> false with no error.
bool ReadInt(const GetEnv& getenv, const char* name, long lo, long hi, long* out,
             std::string* error) {
  const char* v = getenv(name);
  if (v == nullptr || *v == '\0') return false;
  char* end = nullptr;
  errno = 0;
  const long x = std::strtol(v, &end, 10);
  if (errno != 0 || *end != '\0' || x < lo || x > hi) {
    *error = std::string(name) + "=" + v + ": expected an integer in " + std::to_string(lo) +
             ".." + std::to_string(hi);
    return false;
  }
  *out = x;
  return true;
}

}  // namespace

bool LaunchedByLauncher(const GetEnv& getenv) {
  if (getenv("RANK") != nullptr || getenv("WORLD_SIZE") != nullptr) return true;
  const char* tasks = getenv("SLURM_NTASKS");
  return tasks != nullptr && std::atol(tasks) > 1;
}

bool WorldFromEnvironment(const GetEnv& getenv, WorldOptions* world, std::string* error) {
  *world = WorldOptions();
  error->clear();
  long rank = 0, size = 1, local = 0, port = 0, timeout = 0;
  const bool torchrun = getenv("RANK") != nullptr || getenv("WORLD_SIZE") != nullptr;
  if (torchrun) {
    if (!ReadInt(getenv, "WORLD_SIZE", 1, 1 << 20, &size, error)) {
      if (error->empty()) *error = "RANK is set but WORLD_SIZE is not";
      return false;
    }
    if (!ReadInt(getenv, "RANK", 0, size - 1, &rank, error) && !error->empty()) return false;
    if (!ReadInt(getenv, "LOCAL_RANK", 0, size - 1, &local, error) && !error->empty()) {
      return false;
    }
  } else if (ReadInt(getenv, "SLURM_NTASKS", 1, 1 << 20, &size, error)) {
    if (!ReadInt(getenv, "SLURM_PROCID", 0, size - 1, &rank, error) && !error->empty()) {
      return false;
    }
    if (!ReadInt(getenv, "SLURM_LOCALID", 0, size - 1, &local, error) && !error->empty()) {
      return false;
    }
  } else if (!error->empty()) {
    return false;
  }
  world->rank = static_cast<int>(rank);
  world->world_size = static_cast<int>(size);
  world->local_rank = static_cast<int>(local);
  if (ReadInt(getenv, "DATAWALL_DIST_TIMEOUT", 1, 1 << 24, &timeout, error)) {
    world->timeout_seconds = static_cast<double>(timeout);
  } else if (!error->empty()) {
    return false;
  }
  if (size == 1) return true;
  if (const char* addr = getenv("MASTER_ADDR"); addr != nullptr && *addr != '\0') {
    world->master_addr = addr;
  } else if (!torchrun) {
    const char* nodes = getenv("SLURM_STEP_NUM_NODES");
    if (nodes == nullptr) nodes = getenv("SLURM_NNODES");
    if (nodes != nullptr && std::atol(nodes) > 1) {
      *error = "MASTER_ADDR is not set for a multi-node srun step: export MASTER_ADDR=$(scontrol "
               "show hostnames \"$SLURM_JOB_NODELIST\" | head -n1) before srun";
      return false;
    }
    world->master_addr = "127.0.0.1";
  } else {
    *error = "MASTER_ADDR is not set (torchrun sets it; with RANK/WORLD_SIZE set by hand, set "
             "MASTER_ADDR and MASTER_PORT too)";
    return false;
  }
  if (ReadInt(getenv, "MASTER_PORT", 1, 65535, &port, error)) {
    world->master_port = static_cast<int>(port);
  } else if (!error->empty()) {
    return false;
  } else if (!torchrun) {
    long job = 0;
    ReadInt(getenv, "SLURM_JOB_ID", 0, 1L << 40, &job, error);
    error->clear();
    world->master_port = static_cast<int>(20000 + job % 20000);  // as PyTorch Lightning does
  } else {
    *error = "MASTER_PORT is not set (torchrun sets it)";
    return false;
  }
  return true;
}

}  // namespace datawall::training
