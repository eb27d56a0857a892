// The similarity card: where a scale of an experiment sits in the paper's regime, in
// dimensionless terms, and the rules a scaled-down grid must keep (issue "scaled-down experiments
// that measure the paper's phenomenon"). Per run: N / U_N with U_N = 0.051 U_D (the one-epoch
// compute-optimal size, paper Eq. 17; N is the Eq. 23 count the law uses), epochs D / U_D,
// tokens per parameter D / N, optimizer steps and warm-up steps (as the trainer counts them),
// validation tokens and the expected standard error of one validation loss.
//
// Rules (Check): every cpu run >= 300 optimizer steps, every gpu run >= 1,000; validation on >=
// 262,144 tokens; allocation grids with the smallest model within 2x of U_N and the largest
// >= 10x, epochs from 1 to >= 32; return grids (and the ablation) at 10-30 tokens per parameter at
// one epoch, return grids over the paper's eight epoch counts; a cpu scale <= 90 minutes with two
// workers. Across experiments (tests): the three allocation budgets in the paper's 1 : 4 : 15
// ratio, the three return models in the paper's order. Pure computation over a plan.
#ifndef DATAWALL_EXPERIMENTS_PLAN_SIMILARITY_H_
#define DATAWALL_EXPERIMENTS_PLAN_SIMILARITY_H_

#include <string>
#include <vector>

#include "experiments/records/experiment.pb.h"

namespace datawall::plan {

// The expected standard error of one validation loss of `eval_tokens` tokens in sequences of
// seq_len + 1: the per-sequence loss standard deviation measured by repetition_vs_shift at cpu
// scale (0.0078 nats mean standard error over 2,048 sequences, experiments/results/cpu/
// repetition_vs_shift/summary.txt: 0.353 nats per sequence) over sqrt(sequences).
double ExpectedValidationSe(int64_t eval_tokens, int64_t seq_len);

// The card of a plan (its runs' estimated_seconds, if filled, give the time rule).
experiments::SimilarityCard Card(const experiments::ExperimentSpec& spec,
                                 const experiments::SweepPlan& plan);

// The makespan of the runs' estimated seconds on `workers` workers (longest first, greedy).
double Makespan(const experiments::SweepPlan& plan, int workers);

// The card as text: one line per run and the ranges, then the violations (or "in regime").
std::string CardText(const experiments::SimilarityCard& card);

}  // namespace datawall::plan

#endif  // DATAWALL_EXPERIMENTS_PLAN_SIMILARITY_H_
