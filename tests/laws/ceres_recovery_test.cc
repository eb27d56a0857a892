// Ceres, through our law template: a least-squares problem on synthetic Chinchilla-form losses
// recovers the coefficients that generated them. (The full fitter lives in laws/fit.h.)
#include <array>
#include <cmath>
#include <vector>

#include "ceres/ceres.h"
#include "gtest/gtest.h"
#include "laws/forms.h"

namespace datawall::laws {
namespace {

struct LogResidual {
  double n, d, log_loss;
  template <typename T>
  bool operator()(const T* c, T* residual) const {
    residual[0] = LogLoss(Form::kChinchilla, c, n, d, d) - T(log_loss);
    return true;
  }
};

TEST(Ceres, RecoversChinchillaCoefficients) {
  const std::array<double, 5> truth = {6.2, 7.3, 0.6, 0.34, 0.28};
  ceres::Problem problem;
  std::array<double, 5> c = {5.0, 6.0, 0.3, 0.5, 0.5};
  for (double n = 1e7; n < 2e10; n *= 2.3) {
    for (double d = 1e8; d < 5e11; d *= 3.1) {
      const double log_loss = LogLoss(Form::kChinchilla, truth.data(), n, d, d);
      problem.AddResidualBlock(
          new ceres::AutoDiffCostFunction<LogResidual, 1, 5>(new LogResidual{n, d, log_loss}),
          nullptr, c.data());
    }
  }
  ceres::Solver::Options options;
  options.max_num_iterations = 500;
  options.function_tolerance = 1e-16;
  options.gradient_tolerance = 1e-16;
  options.parameter_tolerance = 1e-14;
  ceres::Solver::Summary summary;
  ceres::Solve(options, &problem, &summary);
  ASSERT_TRUE(summary.IsSolutionUsable()) << summary.BriefReport();
  for (int i = 0; i < 5; ++i) EXPECT_NEAR(c[i], truth[i], 1e-6) << "coefficient " << i;
}

}  // namespace
}  // namespace datawall::laws
