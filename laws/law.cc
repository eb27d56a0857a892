#include "laws/law.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "ceres/jet.h"

namespace datawall::laws {

absl::StatusOr<Law> Law::FromNamed(Form form,
                                   const std::vector<std::pair<std::string, double>>& named) {
  const FormInfo& info = Info(form);
  std::array<double, kMaxCoefficients> c;
  std::array<bool, kMaxCoefficients> seen{};
  c.fill(0.0);  // unused slots stay 0, so equal laws compare equal
  for (const auto& [name, value] : named) {
    size_t i = 0;
    while (i < info.coefficients.size() && info.coefficients[i] != name) ++i;
    if (i == info.coefficients.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("form ", std::string(info.name), " has no coefficient '", name, "'"));
    }
    if (seen[i]) {
      return absl::InvalidArgumentError(absl::StrCat("coefficient '", name, "' given twice"));
    }
    if (!std::isfinite(value)) {
      return absl::InvalidArgumentError(absl::StrCat("coefficient '", name, "' is not finite"));
    }
    seen[i] = true;
    c[i] = value;
  }
  for (size_t i = 0; i < info.coefficients.size(); ++i) {
    if (!seen[i]) {
      return absl::InvalidArgumentError(absl::StrCat("form ", std::string(info.name),
                                                     " needs coefficient '",
                                                     std::string(info.coefficients[i]), "'"));
    }
  }
  return Law(form, c);
}

double Law::coefficient(std::string_view name) const {
  const auto& names = Info(form_).coefficients;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return c_[i];
  }
  return std::nan("");
}

double Law::Loss(double params, double tokens, double unique_tokens) const {
  return std::exp(LogLoss(params, tokens, unique_tokens));
}

double Law::LossWithGradient(double params, double tokens, double unique_tokens,
                             LossGradient* gradient) const {
  using J = ceres::Jet<double, 3>;
  std::array<J, kMaxCoefficients> c;
  for (int i = 0; i < kMaxCoefficients; ++i) c[i] = J(c_[i]);
  const J log_loss = laws::LogLoss(form_, c.data(), J(params, 0), J(tokens, 1),
                                   J(unique_tokens, 2));
  const double loss = std::exp(log_loss.a);
  gradient->d_params = loss * log_loss.v[0];
  gradient->d_tokens = loss * log_loss.v[1];
  gradient->d_unique_tokens = loss * log_loss.v[2];
  return loss;
}

double Law::A() const { return std::exp(c_[kA]); }
double Law::B() const { return std::exp(c_[kB]); }
double Law::E() const { return std::exp(c_[kE]); }

Law PaperLaw() {
  return Law(Form::kDataConstrained, {paper::kLogA, paper::kLogB, paper::kLogE, paper::kAlpha,
                                      paper::kBeta, paper::kRdStar, paper::kRnStar, 0});
}

Law PaperTable1Law(const paper::Table1Row& row) {
  const Form form = FormFromName(row.form).value_or(Form::kChinchilla);
  std::array<double, kMaxCoefficients> c = {paper::kLogA, paper::kLogB, paper::kLogE,
                                            paper::kAlpha, paper::kBeta, 0, 0, 0};
  switch (Info(form).coefficients.size()) {
    case 6: c[kExtra0] = std::isfinite(row.rd_slot) ? row.rd_slot : row.rn_slot; break;
    case 7: c[kExtra0] = row.rd_slot; c[kExtra1] = row.rn_slot; break;
    default: break;
  }
  return Law(form, c);
}

}  // namespace datawall::laws
