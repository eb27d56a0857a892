#include "laws/forms.h"

namespace datawall::laws {

const std::vector<FormInfo>& AllForms() {
  static const auto* forms = new std::vector<FormInfo>{
      {Form::kChinchilla, "chinchilla", {"a", "b", "e", "alpha", "beta"},
       "L = E + A/N^alpha + B/D^beta (Eq. 2)"},
      {Form::kDataConstrained, "data_constrained",
       {"a", "b", "e", "alpha", "beta", "rd_star", "rn_star"},
       "L = E + A/N'^alpha + B/D'^beta, D' = U_D + U_D R_D* (1 - e^(-R_D/R_D*)), N' likewise "
       "(Eq. 5, 6, 14)"},
      {Form::kNoDecay, "no_decay", {"a", "b", "e", "alpha", "beta"},
       "Table 1 'no decay': L = E + A/N^alpha + B/D^beta"},
      {Form::kDecayDataOnly, "decay_data_only", {"a", "b", "e", "alpha", "beta", "rd_star"},
       "Table 1: Eq. 14 with N' = N"},
      {Form::kDecayParamsOnly, "decay_params_only", {"a", "b", "e", "alpha", "beta", "rn_star"},
       "Table 1: Eq. 14 with D' = D"},
      {Form::kGeometric, "geometric", {"a", "b", "e", "alpha", "beta", "delta_d", "delta_n"},
       "D' = U + (1-delta) U (1 - (1-delta)^R_D) / delta, N' likewise (Eq. 10)"},
      {Form::kExplicitExponential, "explicit_exponential",
       {"a", "b", "e", "alpha", "beta", "rd_star", "rn_star"},
       "D' = U (1 - e^(-R_D* (R_D+1))) / (1 - e^(-R_D*)), N' likewise (Eq. 18)"},
      {Form::kAlphaBetaDecay, "alpha_beta_decay",
       {"a", "b", "e", "alpha", "beta", "rd_star", "rn_star"},
       "L = E + A/N^(alpha max(0, 1 - R_N/R_N*)) + B/D^(beta max(0, 1 - R_D/R_D*)) (Eq. 22)"},
      {Form::kOverfittingPenalty, "overfitting_penalty",
       {"a", "b", "e", "alpha", "beta", "p", "delta", "kappa"},
       "L = E + A/N^alpha + B/(U_D (1+R_D))^beta + P R_D^delta (N/U_D)^kappa (Lovelace et al. "
       "2026; p = log P)"},
      {Form::kBounded, "bounded", {"a", "b", "e", "alpha", "beta", "rd_star", "rn_star", "l0"},
       "L = E + (L0 - E) h / (1 + h), h = A/N'^alpha + B/D'^beta with Eq. 14's N', D' (after "
       "Bryant and Liu 2026; l0 = log(L0 - E))"},
  };
  return *forms;
}

const FormInfo& Info(Form form) {
  for (const FormInfo& info : AllForms()) {
    if (info.form == form) return info;
  }
  return AllForms().front();  // unreachable: every enumerator is listed above
}

std::optional<Form> FormFromName(std::string_view name) {
  for (const FormInfo& info : AllForms()) {
    if (info.name == name) return info.form;
  }
  return std::nullopt;
}

}  // namespace datawall::laws
