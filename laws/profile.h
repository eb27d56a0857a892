// The objective surface over the two decay constants (R_D*, R_N*) with every other coefficient
// held at a law's values: the picture of the ridge along which the paper's fit is flat.
//
//   absl::StatusOr<DecayProfile> p = ProfileDecayConstants(PaperLaw(), runs, ProfileOptions{});
//   std::cout << p->Report();   // minimum, ridge line, how much of the grid is near-optimal
//   WriteFileAtomically("profile.csv", p->ToCsv());
//
// Forms with rd_star and rn_star only (data_constrained, explicit_exponential,
// alpha_beta_decay). ProfileDecayConstants evaluates the grid with every other coefficient at
// the law's values (for the paper's fit, where they are frozen, that is the profile);
// ProfileDecayConstantsRefit re-optimises the other free coefficients of a fit at every grid
// point (the profile in the statistical sense), warm-starting along each row.
#ifndef DATAWALL_LAWS_PROFILE_H_
#define DATAWALL_LAWS_PROFILE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "laws/fit.h"
#include "laws/law.h"
#include "laws/run_table.h"

namespace datawall::laws {

struct ProfileOptions {
  // Log-spaced axes (inclusive ends).
  double rd_star_min = 1, rd_star_max = 1000;
  int rd_star_points = 41;
  double rn_star_min = 0.3, rn_star_max = 100;
  int rn_star_points = 41;
  double huber_delta = 1e-3;
  // Grid points within this relative excess of the minimum count as "near-optimal".
  double near_optimal = 0.001;

  bool IsValid(std::string* error) const;
};

struct DecayProfile {
  std::vector<double> rd_star, rn_star;
  std::vector<double> objective;  // objective[i * rn_star.size() + j] at (rd_star[i], rn_star[j])
  double min_objective = 0;
  double argmin_rd_star = 0, argmin_rn_star = 0;
  // The ridge: for each rd_star[i], the rn_star minimising the objective and that minimum.
  std::vector<double> ridge_rn_star, ridge_objective;
  int num_near_optimal = 0;  // grid points within near_optimal of the minimum

  std::string Report() const;
  std::string ToCsv() const;  // rd_star,rn_star,objective (one row per grid point)
};

absl::StatusOr<DecayProfile> ProfileDecayConstants(const Law& law,
                                                   const std::vector<RunPoint>& runs,
                                                   const ProfileOptions& options);

// At each (rd_star, rn_star) the coefficients that `fit_options` leaves free (other than the
// two) are refitted from the neighbouring point's solution (first column: from `law`); each
// grid value is the lower of that refit and the plain evaluation, so it never exceeds
// ProfileDecayConstants' value. With nothing else free it equals ProfileDecayConstants.
absl::StatusOr<DecayProfile> ProfileDecayConstantsRefit(const Law& law,
                                                        const std::vector<RunPoint>& runs,
                                                        const FitOptions& fit_options,
                                                        const ProfileOptions& options);

}  // namespace datawall::laws

#endif  // DATAWALL_LAWS_PROFILE_H_
