// Loading the experiment specs (see experiment_specs.h).
#include "reports/experiment_specs.h"

#include <algorithm>
#include <filesystem>

#include "experiments/plan/expand.h"

namespace datawall::reports {

std::vector<LoadedSpec> LoadExperimentSpecs(const std::string& specs_dir,
                                            std::vector<std::string>* skipped) {
  std::vector<LoadedSpec> out;
  std::error_code ec;
  if (!std::filesystem::is_directory(specs_dir, ec)) return out;
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::directory_iterator(specs_dir, ec)) {
    if (entry.path().extension() == ".textproto") paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  for (const std::string& path : paths) {
    absl::StatusOr<experiments::ExperimentSpec> spec = plan::LoadExperimentSpec(path);
    if (!spec.ok()) {
      if (skipped != nullptr) skipped->push_back(path + ": " + std::string(spec.status().message()));
      continue;
    }
    out.push_back({path, *std::move(spec)});
  }
  std::sort(out.begin(), out.end(), [](const LoadedSpec& a, const LoadedSpec& b) {
    return a.spec.name() < b.spec.name();
  });
  return out;
}

}  // namespace datawall::reports
