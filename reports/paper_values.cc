// The paper's published values (see paper_values.h; source: ../shared/paper/REFERENCE.md).
#include "reports/paper_values.h"

#include <cmath>
#include <limits>

namespace datawall::reports::paper {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

const std::vector<Table1Row>& Table1() {
  using laws::Form;
  static const auto* rows = new std::vector<Table1Row>{
      {"No decay", Form::kNoDecay, {}, false, kNaN, kNaN, kNaN, 0.1430, 0.4452, "– / –"},
      {"Eq. 14 but only decay N", Form::kDecayParamsOnly, {"rn_star"}, false, kNaN, 713.0015,
       0.024107778444886208, 0.1671, 0.4488, "– / 713.0015"},
      {"Eq. 14 but only decay D", Form::kDecayDataOnly, {"rd_star"}, false, 2.9157212, kNaN,
       0.016922350972890854, 0.7395, 0.7354, "2.9157 / –"},
      {"Eq. 14", Form::kDataConstrained, {"rd_star", "rn_star"}, false, 15.387756, 5.309743,
       0.015825936570763588, 0.7810, 0.7722, "15.3878 / 5.3097"},
      {"Eq. 10 for both N and D", Form::kGeometric, {"delta_d", "delta_n"}, false, 0.010462746,
       0.36757502, 0.015477441251277924, 0.8062, 0.7988, "0.0104 / 0.3676"},
      {"Eq. 18 for both N and D", Form::kExplicitExponential, {"rd_star", "rn_star"}, false,
       0.0105340695, 0.45758328, 0.015477441251277924, 0.8061, 0.7987,
       "0.0105 / 0.3676 (notebook: 0.45758328)"},
      {"Eq. 22 (alpha-beta decay)", Form::kAlphaBetaDecay, {"rd_star", "rn_star"}, true,
       26530.611, 2040.8163, 0.0596, kNaN, 0.5110, "26530.611 / 2040.8163"},
  };
  return *rows;
}

laws::Law Table1Law(const Table1Row& row) {
  std::array<double, laws::kMaxCoefficients> c{};
  c[laws::kA] = kA;
  c[laws::kB] = kB;
  c[laws::kE] = kE;
  c[laws::kAlpha] = kAlpha;
  c[laws::kBeta] = kAlpha;
  // Decay constants: the slot order of each form (laws/forms.cc).
  switch (row.form) {
    case laws::Form::kDecayParamsOnly:
      c[laws::kExtra0] = row.r_n;
      break;
    case laws::Form::kDecayDataOnly:
      c[laws::kExtra0] = row.r_d;
      break;
    case laws::Form::kDataConstrained:
    case laws::Form::kGeometric:
    case laws::Form::kExplicitExponential:
    case laws::Form::kAlphaBetaDecay:
      c[laws::kExtra0] = row.r_d;
      c[laws::kExtra1] = row.r_n;
      break;
    default:
      break;
  }
  return laws::Law(row.form, c);
}

const std::vector<AllocationExample>& AllocationExamples() {
  static const auto* examples = new std::vector<AllocationExample>{
      {"Figure 1 (right): 9.3e21 FLOPs, 25B unique tokens", 9.3e21, 25e9,
       "Chinchilla-style run trained (8.67B params, 178B tokens)", 8.67e9, 178e9, false, 6.34e9,
       242e9, 9.7, 2.2256440889984477,
       "paper §5 / Figure 1 right; README prediction scaling_law(6.34e9, 242e9, 25e9)"},
      {"README example: 1e22 FLOPs, 25B unique tokens", 1e22, 25e9,
       "Chinchilla allocation of 1e22 FLOPs (Eq. 3)", kNaN, kNaN, false, 7022364735.879969,
       237336955477.55075, 9.49347821910203, 2.222129, "datablations README (REFERENCE.md §4)"},
      {"Galactica (App. G): 3.24e23 FLOPs, 106B unique tokens", 3.24e23, 106e9,
       "Galactica as trained (120B params, 450B tokens, 4.25 epochs)", 120e9, 450e9, true, 40e9,
       1.35e12, 12.75, 2.0685, "paper App. G; galactica.ipynb grid (REFERENCE.md §4)"},
  };
  return *examples;
}

}  // namespace datawall::reports::paper
