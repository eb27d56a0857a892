// Law: a parametric form with concrete coefficients; the type users evaluate.
//
//   Law law = PaperLaw();                      // the paper's published data-constrained law
//   double loss = law.Loss(6.34e9, 242e9, 25e9);  // 2.2256440889984477
//
// Law is a plain value (no protobuf); law_io.h converts it to and from law files.
#ifndef DATAWALL_LAWS_LAW_H_
#define DATAWALL_LAWS_LAW_H_

#include <array>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "laws/forms.h"
#include "paper/paper.h"

namespace datawall::laws {

// Gradient of the loss with respect to the run's inputs.
struct LossGradient {
  double d_params = 0;
  double d_tokens = 0;
  double d_unique_tokens = 0;
};

class Law {
 public:
  // Coefficients in the form's order (Info(form).coefficients); unused slots are ignored.
  Law(Form form, std::array<double, kMaxCoefficients> coefficients)
      : form_(form), c_(coefficients) {}

  // Builds a law from named coefficients; every coefficient of the form must be given once.
  static absl::StatusOr<Law> FromNamed(
      Form form, const std::vector<std::pair<std::string, double>>& named);

  Form form() const { return form_; }
  const std::array<double, kMaxCoefficients>& coefficients() const { return c_; }
  double coefficient(std::string_view name) const;  // NaN if the form has no such coefficient
  int NumCoefficients() const { return static_cast<int>(Info(form_).coefficients.size()); }

  double LogLoss(double params, double tokens, double unique_tokens) const {
    return laws::LogLoss(form_, c_.data(), params, tokens, unique_tokens);
  }
  double Loss(double params, double tokens, double unique_tokens) const;
  // Loss and its partial derivatives (exact, by forward-mode automatic differentiation).
  double LossWithGradient(double params, double tokens, double unique_tokens,
                          LossGradient* gradient) const;

  // A = e^a, B = e^b, E = e^e.
  double A() const;
  double B() const;
  double E() const;

 private:
  Form form_;
  std::array<double, kMaxCoefficients> c_;
};

// The paper's law: a, b, e, alpha = beta from App. B, R_D*, R_N* from App. A (paper/paper.h).
Law PaperLaw();

// The law of one row of the paper's Table 1 (paper::kTable1): the App. B a, b, e, alpha = beta
// and the row's decay constants in its form's slots (unused slots 0).
Law PaperTable1Law(const paper::Table1Row& row);

}  // namespace datawall::laws

#endif  // DATAWALL_LAWS_LAW_H_
