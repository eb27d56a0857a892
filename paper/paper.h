// The published facts of "Scaling Data-Constrained Language Models" (Muennighoff et al., NeurIPS
// 2023, arXiv 2305.16264 v4; section, equation and table numbers follow it): every constant,
// table value and grid the code needs, each with the place in the paper it comes from. Values
// the paper prints rounded are kept at the precision of the authors' released notebooks and
// README (huggingface/datablations), which the paper's numbers were printed from; each such
// comment says so.
//
// This is the one place these numbers are written down: laws/, sim/, models/, reports/ and
// experiments/ read them from here, and tests/paper/single_source_test.sh fails when one of
// them is transcribed anywhere else. Besides data it holds only the paper's own closed form,
// Eq. 3, and the authors' grid of allocation multipliers; evaluating a law is laws/.
//
// Standard library only and C++17 (the CMake build of the training core compiles models/shape.cc,
// which includes this header, as C++17), so every package may depend on it. Everything used by
// models/ is constexpr here, so the training core needs no paper.cc.
#ifndef DATAWALL_PAPER_PAPER_H_
#define DATAWALL_PAPER_PAPER_H_

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>

namespace datawall::paper {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---- App. B: the Chinchilla coefficients, fitted on Chinchilla's C4 IsoFLOP points (Eq. 19,
// alpha and beta tied). a, b, e are the logs of A, B, E; the values are the fit's own output
// (its notebook precision), of which Eq. 20 prints the rounded exponentials.
inline constexpr double kLogA = 6.255414;   // a = ln A
inline constexpr double kLogB = 7.3049974;  // b = ln B
inline constexpr double kLogE = 0.6254804;  // e = ln E
inline constexpr double kAlpha = 0.3526596;
inline constexpr double kBeta = kAlpha;     // tied (App. B)

// Eq. 20 as printed: L(N, D) = 1.87 + 521 / N^0.353 + 1488 / D^0.353.
inline constexpr double kEq20A = 521;
inline constexpr double kEq20B = 1488;
inline constexpr double kEq20E = 1.87;
// Eq. 17 as printed: U_N = U_D * 0.051 (G^2 of Eq. 15 with alpha = beta, rounded).
inline constexpr double kEq17ParamsPerUniqueToken = 0.051;

// ---- App. A: the decay constants of Eq. 5 and 6, fitted by Eq. 16 with a, b, e, alpha, beta
// held at the App. B values (notebook precision; Eq. 17 and §3.1 print 15.4 and 5.3).
inline constexpr double kRdStar = 15.387756;  // R_D*: repeated data
inline constexpr double kRnStar = 5.309743;   // R_N*: excess parameters

// The fitting recipe of App. A and App. B: Huber loss on log-loss residuals, delta = 1e-3
// (Eq. 16, Eq. 19).
inline constexpr double kHuberDelta = 1e-3;

// A grid of starting points, numpy.linspace(low, high, points).
struct LinspaceGrid {
  double low = 0;
  double high = 0;
  int points = 0;
};
// App. B's starting grid (as the authors' notebook ran it): a, b in {0, 6.25, ..., 25},
// e in {-1, -1/3, 1/3, 1}, alpha = beta in {0, 2/3, 4/3, 2}.
inline constexpr LinspaceGrid kAppBGridLogAB = {0, 25, 5};
inline constexpr LinspaceGrid kAppBGridLogE = {-1, 1, 4};
inline constexpr LinspaceGrid kAppBGridExponent = {0, 2, 4};
// App. A: the decay constants start from R_D*, R_N* in {0, 4, ..., 20}.
inline constexpr LinspaceGrid kAppAGridDecay = {0, 20, 6};
// App. F (Eq. 22, alpha-beta decay): R_D*, R_N* start from {0, 2040.8, ..., 100000}, 50 values.
inline constexpr LinspaceGrid kAppFGridDecay = {0, 100000, 50};

// ---- Table 1 (App. A): the parametric-fit variants, all with the App. B a, b, e, alpha = beta.
// Decay constants and objectives at notebook precision; R^2 as printed (4 decimals).
struct Table1Row {
  const char* id = "";  // short id for command lines: no_decay, decay_params_only, ...
  const char* label = "";  // the row's label in Table 1
  const char* form = "";  // the laws/ form it is (laws::FormFromName)
  // The decay constants in the form's two slots: R_D* and R_N* (for Eq. 10 the decay rates
  // delta_D and delta_N); NaN where the row has none.
  double rd_slot = kNaN;
  double rn_slot = kNaN;
  double objective = kNaN;     // the fit's minimum (sum of Huber terms); NaN for "no decay"
  double r2_v4 = kNaN;         // R^2 as printed in v4 / NeurIPS; NaN where not printed
  double r2_corrected = kNaN;  // R^2 in the later version (computed with N, not U_N x epochs)
  const char* printed_constants = "";  // "R_D* / R_N*" exactly as Table 1 prints them
  bool fit_on_all_runs = false;  // Eq. 22 (App. F) was fitted on all 296 runs, the rest on 182
};

// The seven rows, in the table's order. The Eq. 18 row prints R_N* = 0.3676, the Eq. 10 row's
// value; its fit (and its R^2) used 0.45758328, kept here.
inline constexpr Table1Row kTable1[] = {
    {"no_decay", "No decay", "no_decay", kNaN, kNaN, kNaN, 0.1430, 0.4452, "– / –", false},
    {"decay_params_only", "Eq. 14 but only decay N", "decay_params_only", kNaN, 713.0015,
     0.024107778444886208, 0.1671, 0.4488, "– / 713.0015", false},
    {"decay_data_only", "Eq. 14 but only decay D", "decay_data_only", 2.9157212, kNaN,
     0.016922350972890854, 0.7395, 0.7354, "2.9157 / –", false},
    {"eq14", "Eq. 14", "data_constrained", kRdStar, kRnStar, 0.015825936570763588, 0.7810,
     0.7722, "15.3878 / 5.3097", false},
    {"geometric", "Eq. 10 for both N and D", "geometric", 0.010462746, 0.36757502,
     0.015477441251277924, 0.8062, 0.7988, "0.0104 / 0.3676", false},
    {"explicit_exponential", "Eq. 18 for both N and D", "explicit_exponential", 0.0105340695,
     0.45758328, 0.015477441251277924, 0.8061, 0.7987, "0.0105 / 0.3676 (notebook: 0.45758328)",
     false},
    {"alpha_beta_decay", "Eq. 22", "alpha_beta_decay", 26530.611, 2040.8163, 0.0596, kNaN,
     0.5110, "26530.611 / 2040.8163", true},
};
inline constexpr std::size_t kTable1Rows = sizeof(kTable1) / sizeof(kTable1[0]);
// The row with this id, or nullptr.
const Table1Row* FindTable1Row(std::string_view id);

// ---- Eq. 3 (= Eq. 21, App. B): Chinchilla's compute-optimal allocation with FLOPs = 6 N D
// (§2, footnote 1):
//   N_opt(C) = G (C/6)^(beta/(alpha+beta)),  D_opt(C) = G^-1 (C/6)^(alpha/(alpha+beta)),
//   G = (alpha A / (beta B))^(1/(alpha+beta)),
// for any coefficients (a = ln A, b = ln B). The one implementation of it in the tree.
inline constexpr double kFlopsPerParamToken = 6;  // §2, footnote 1: FLOPs(N, D) = 6 N D

// log G. A template so that laws/ evaluates it on ceres::Jet as well as double.
template <typename T>
T Eq3LogG(const T& log_a, const T& log_b, const T& alpha, const T& beta) {
  using std::log;
  return (log(alpha) + log_a - log(beta) - log_b) / (alpha + beta);
}
// ln N_opt(C) given log_g = ln G and ln(C/6).
inline double Eq3LogOptimalParams(double log_g, double alpha, double beta,
                                  double log_flops_over_6) {
  return log_g + beta / (alpha + beta) * log_flops_over_6;
}
struct ComputeOptimal {
  double params = 0;
  double tokens = 0;
};
// (N_opt(C), D_opt(C)), computed in logs: N = e^x, D = e^(ln(C/6) - x).
ComputeOptimal Eq3Optimum(double log_a, double log_b, double alpha, double beta, double flops);
// The budget C whose D_opt(C) is `tokens` (Eq. 3 solved for C).
double Eq3FlopsForOptimalTokens(double log_a, double log_b, double alpha, double beta,
                                double tokens);

// ---- The authors' allocation search (App. G; the README's optimal_allocation and
// galactica.ipynb of huggingface/datablations): multipliers i in numpy.linspace(1.0001, 3, 500)
// around a base point (N0, D0) on the iso-FLOP line, candidates (N0 / i, D0 i) and (N0 i, D0 / i).
// The base is the Chinchilla point of the budget (README) or Galactica as trained (App. G).
inline constexpr LinspaceGrid kAuthorsGrid = {1.0001, 3, 500};
// The k-th multiplier exactly as numpy.linspace computes it (the last one is exactly 3).
double AuthorsGridMultiplier(int k);

// ---- Allocation examples with published optima.
struct AllocationExample {
  const char* name = "";
  double flops = 0;
  double unique_tokens = 0;
  // A reference configuration the optimum is compared against; NaN where none.
  const char* reference_name = "";
  double reference_params = kNaN;
  double reference_tokens = kNaN;
  // Where the authors' grid is centred: the Chinchilla point of the budget (false) or the
  // reference configuration (true: galactica.ipynb searches around what was trained).
  bool grid_around_reference = false;
  double paper_params = 0;
  double paper_tokens = 0;
  double paper_epochs = 0;
  double paper_loss = kNaN;  // the law's prediction there as published
  const char* source = "";
};
inline constexpr AllocationExample kAllocationExamples[] = {
    // §5, Figure 1 (right) and Table 8: 9.3e21 FLOPs and 25B unique tokens; the README's
    // prediction scaling_law(6.34e9, 242e9, 25e9) at full precision.
    {"Figure 1 (right): 9.3e21 FLOPs, 25B unique tokens", 9.3e21, 25e9,
     "Chinchilla-style run trained (8.67B params, 178B tokens)", 8.67e9, 178e9, false, 6.34e9,
     242e9, 9.7, 2.2256440889984477,
     "paper §5 / Figure 1 right; README prediction scaling_law(6.34e9, 242e9, 25e9)"},
    // The authors' README: optimal_allocation(1e22, 25e9) with its grid, printed in full; the
    // loss is the law at that point.
    {"README example: 1e22 FLOPs, 25B unique tokens", 1e22, 25e9,
     "Chinchilla allocation of 1e22 FLOPs (Eq. 3)", kNaN, kNaN, false, 7022364735.879969,
     237336955477.55075, 9.49347821910203, 2.222129,
     "the authors' README (huggingface/datablations), optimal_allocation(1e22, 25e9)"},
    // App. G: Galactica (120B params, 450B tokens = 4.25 epochs of 106B) should have been 40B
    // params and 1.35T tokens (12.75 epochs); the loss is the law there (galactica.ipynb).
    {"Galactica (App. G): 3.24e23 FLOPs, 106B unique tokens", 3.24e23, 106e9,
     "Galactica as trained (120B params, 450B tokens, 4.25 epochs)", 120e9, 450e9, true, 40e9,
     1.35e12, 12.75, 2.0685, "paper App. G; the grid of the authors' galactica.ipynb"},
};

// ---- §5, Figure 1 (right), Table 8: the two runs trained at 9.3e21 FLOPs on 25B unique tokens,
// Chinchilla's allocation and the data-constrained optimum ("27% fewer parameters"), with their
// final losses as printed. The optimum's exact size (6.355B params, 241.48B tokens) is from the
// authors' return_alloc notebook; the released runs' table mis-parses its name.
struct TrainedRun {
  const char* key = "";  // its name in the released runs
  double params = 0;
  double tokens = 0;
  double loss = 0;  // final test loss as printed
};
inline constexpr TrainedRun kFigure1RightChinchillaRun = {"8b7178b25b", 8.67e9, 178e9, 2.376};
inline constexpr TrainedRun kFigure1RightOptimalRun = {"8b7178b25bopt", 6.355e9, 241.48e9, 2.359};

// ---- §6 (Figure 4): the IsoFLOP families: compute budget, the model and the one-epoch token
// count, and the unique-token budgets D_C trained at 1, 2, 3, 4, 5, 7, 14 and 44 epochs.
struct IsoFlopFamily {
  const char* label = "";  // "8.7B params, 178B tokens (9.3e21 FLOPs)"
  const char* short_label = "";  // "8.7B/178B"
  const char* run_prefix = "";  // the released runs' name prefix of its model: "8b7"
  double flops = 0;             // as §6 labels it
  // Parameters as the released runs count them (the fit's parameter map; Eq. 23 gives
  // 8672.195M, 4238.982M, 2808.901M).
  double params = 0;
  double tokens = 0;             // D: the total tokens, equal for every member
  double unique_tokens[8] = {};  // D_C, for the epochs of kIsoFlopEpochs
  // Final test loss at 4 epochs over 1 epoch, minus 1. §6 says "only 0.5% higher" for the
  // 8.7B model; the released runs' final test losses give +0.62% (8b7178b44b 2.351177 vs
  // 8b7178b178b 2.336741), +0.60% (4.2B) and +0.59% (2.8B).
  double four_epoch_change = 0;
};
inline constexpr double kIsoFlopEpochs[8] = {1, 2, 3, 4, 5, 7, 14, 44};
inline constexpr IsoFlopFamily kIsoFlopFamilies[] = {
    {"8.7B params, 178B tokens (9.3e21 FLOPs)", "8.7B/178B", "8b7", 9.3e21, 8.67e9, 178e9,
     {178e9, 88e9, 58e9, 44e9, 35e9, 25e9, 13e9, 4e9}, 2.351177 / 2.336741 - 1},
    {"4.2B params, 84B tokens (2.1e21 FLOPs)", "4.2B/84B", "4b2", 2.1e21, 4.2465e9, 84e9,
     {84e9, 42e9, 28e9, 21e9, 17e9, 12e9, 6e9, 1.9e9}, 0.0060},
    {"2.8B params, 55B tokens (9.3e20 FLOPs)", "2.8B/55B", "2b8", 9.3e20, 2.81e9, 55e9,
     {55e9, 28e9, 18e9, 14e9, 11e9, 9e9, 4e9, 1.25e9}, 0.0059},
};
// §6 as printed for the 8.7B model: four epochs end "only 0.5% higher" than one.
inline constexpr double kFourEpochChangeAsPrinted = 0.005;
// The family whose released runs are named `run_prefix` ("8b7"), or nullptr.
const IsoFlopFamily* FindIsoFlopFamily(std::string_view run_prefix);

// §5, Figure 3 (100M unique tokens) and Figure 8 (App. C): the lowest loss with 100M unique
// tokens, 3.72, by a 146M-parameter model at 59 epochs; the one-epoch compute-optimal model's
// loss, 8.10 (the star); and the number of models trained on 100M, 400M and 1.5B unique tokens.
inline constexpr double kFigure3LowestLoss = 3.72;
inline constexpr double kFigure3LowestLossParams = 146e6;
inline constexpr double kFigure3LowestLossEpochs = 59;
inline constexpr double kFigure3OneEpochOptimumLoss = 8.10;
inline constexpr int kModelsOn100MUnique = 93, kModelsOn400MUnique = 34, kModelsOn1B5Unique = 37;

// Figure 1 (left): the 4.2B-parameter model (the 2.1e21 family's) on 12B unique tokens.
inline constexpr double kFigure1LeftUniqueTokens = 12e9;

// ---- Headline claims (abstract, §1, §6, Figure 1 left): up to 4 epochs of repetition change
// the loss negligibly; at 40 epochs repeating is worthless.
inline constexpr double kNegligibleRepetitionEpochs = 4;
inline constexpr double kWorthlessRepetitionEpochs = 40;

// ---- §7, App. N and App. O (Tables 12-14, Figure 6): filtering instead of repeating. The
// filtered C4 sets start from ~178B tokens (§7), of which the perplexity top 25% keeps 44B
// (repeated ~2 epochs to 84B) and deduplication 21B (repeated 4 epochs).
inline constexpr double kSection7C4Tokens = 178e9;

// Table 12 (App. N): tokens after filtering. `ours` names the FilterArm.filter of our
// experiments that applies the same filter ("" where we have none).
struct Table12Row {
  const char* base;
  const char* filter;
  const char* ours;
  double tokens;
};
inline constexpr Table12Row kTable12[] = {
    {"C4", "Deduplication", "dedup_document", 21e9},
    {"C4", "Perplexity Top 25%", "top25", 44e9},
    {"C4", "Perplexity Top 50%", "top50", 89e9},
    {"C4", "Perplexity 25-75%", "mid25_75", 89e9},
    {"OSCAR", "Deduplication", "", 9e9},
    {"OSCAR", "Deduplication-expanded", "", 94e9},
    {"OSCAR", "Perplexity Top 25%", "", 80e9},
    {"OSCAR", "ROOTS", "", 99e9},
};

// Tables 13 (perplexity filtering) and 14 (deduplication and ROOTS filters), App. O: the average
// of the 19 downstream tasks (normalised %, higher is better) and bAbI, for models of 2.8B
// parameters on 55B tokens and 4.2B on 84B, the filtered data repeated to those; "All" rows are
// mean ± std over 5 seeds, the others single runs (std NaN). `ours` as in Table 12 ("all" for
// the unfiltered data).
struct FilterResultRow {
  const char* base;
  const char* params;  // "2.8B" or "4.2B"
  const char* method;  // as printed
  const char* ours;
  double average, average_std;
  double babi, babi_std;
};
inline constexpr FilterResultRow kTable13[] = {
    {"C4", "2.8B", "All", "all", 20.9, 0.4, 0.0, kNaN},
    {"C4", "2.8B", "25%", "top25", 21.0, kNaN, 0.0, kNaN},
    {"C4", "2.8B", "50%", "top50", 21.3, kNaN, 0.0, kNaN},
    {"C4", "4.2B", "All", "all", 22.2, 1.4, 0.0, kNaN},
    {"C4", "4.2B", "25%", "top25", 25.3, kNaN, 0.0, kNaN},
    {"C4", "4.2B", "50%", "top50", 24.7, kNaN, 0.0, kNaN},
    {"C4", "4.2B", "25-75%", "mid25_75", 24.0, kNaN, 0.0, kNaN},
    {"OSCAR", "2.8B", "All", "all", 19.4, 0.5, 15.5, 1.0},
    {"OSCAR", "2.8B", "25%", "top25", 20.1, kNaN, 14.5, kNaN},
    {"OSCAR", "4.2B", "All", "all", 21.4, 0.5, 19.3, 1.0},
    {"OSCAR", "4.2B", "25%", "top25", 23.3, kNaN, 17.2, kNaN},
};
inline constexpr FilterResultRow kTable14[] = {
    {"C4", "2.8B", "All", "all", 20.9, 0.4, 0.0, kNaN},
    {"C4", "2.8B", "Dedup.", "dedup_document", 19.1, kNaN, 0.0, kNaN},
    {"C4", "4.2B", "All", "all", 22.2, 1.4, 0.0, kNaN},
    {"C4", "4.2B", "Dedup.", "dedup_document", 20.5, kNaN, 0.0, kNaN},
    {"OSCAR", "2.8B", "All", "all", 19.4, 0.5, 15.5, 1.0},
    {"OSCAR", "2.8B", "Dedup.", "", 21.2, kNaN, 17.2, kNaN},
    {"OSCAR", "2.8B", "ROOTS", "", 19.1, kNaN, 14.3, kNaN},
    {"OSCAR", "4.2B", "All", "all", 21.4, 0.5, 19.3, 1.0},
    {"OSCAR", "4.2B", "Dedup.-expanded", "", 22.8, kNaN, 21.1, kNaN},
    {"OSCAR", "4.2B", "ROOTS", "", 22.0, kNaN, 18.0, kNaN},
};

// ---- §4 and App. S: the training setup shared by every model.
inline constexpr int64_t kVocabSize = 50257;   // GPT-2 BPE vocabulary
inline constexpr int64_t kSequenceLength = 2048;
inline constexpr double kDropout = 0.1;

// ---- Table 15 (App. S): the model architectures. "This work" is the Eq. 23 count in millions
// (embeddings included); "Chinchilla" the count Hoffmann et al. report (0 where none).
struct Table15Row {
  int64_t this_work_m, chinchilla_m, d_model, ffw_size, kv_size, n_heads, n_layers;
};
inline constexpr Table15Row kTable15[] = {
    {7, 0, 128, 512, 32, 4, 3},          {14, 0, 224, 896, 32, 7, 4},
    {20, 0, 288, 1152, 32, 7, 5},        {38, 0, 448, 1792, 32, 7, 6},
    {52, 44, 512, 2048, 64, 8, 8},       {66, 57, 576, 2304, 64, 9, 9},
    {83, 74, 640, 2560, 64, 10, 10},     {97, 90, 640, 2560, 64, 10, 13},
    {112, 106, 640, 2560, 64, 10, 16},   {125, 117, 768, 3072, 64, 12, 12},
    {146, 140, 768, 3072, 64, 12, 15},   {168, 163, 768, 3072, 64, 12, 18},
    {182, 175, 896, 3584, 64, 14, 14},   {201, 196, 896, 3584, 64, 14, 16},
    {220, 217, 896, 3584, 64, 14, 18},   {255, 251, 1024, 4096, 64, 16, 16},
    {280, 278, 1024, 4096, 64, 16, 18},  {305, 306, 1024, 4096, 64, 16, 20},
    {421, 425, 1280, 5120, 128, 10, 18}, {480, 489, 1280, 5120, 128, 10, 21},
    {502, 509, 1408, 5632, 128, 11, 18}, {539, 552, 1280, 5120, 128, 10, 24},
    {574, 587, 1408, 5632, 128, 11, 21}, {619, 632, 1536, 6144, 128, 12, 19},
    {645, 664, 1408, 5632, 128, 11, 24}, {704, 724, 1536, 6144, 128, 12, 22},
    {789, 816, 1536, 6144, 128, 12, 25}, {865, 893, 1792, 7168, 128, 14, 20},
    {981, 1018, 1792, 7168, 128, 14, 23},     {1096, 1143, 1792, 7168, 128, 14, 26},
    {1215, 1266, 2048, 8192, 128, 16, 22},    {1364, 1424, 2176, 8704, 128, 17, 22},
    {1366, 1429, 2048, 8192, 128, 16, 25},    {1517, 1593, 2048, 8192, 128, 16, 28},
    {1535, 1609, 2176, 8704, 128, 17, 25},    {1650, 1731, 2304, 9216, 128, 18, 24},
    {1706, 1794, 2176, 8704, 128, 17, 28},    {1905, 2007, 2304, 9216, 128, 18, 28},
    {2160, 2283, 2304, 9216, 128, 18, 32},    {2179, 2298, 2560, 10240, 128, 20, 26},
    {2494, 2639, 2560, 10240, 128, 20, 30},   {2809, 2980, 2560, 10240, 128, 20, 34},
    {3090, 0, 2688, 10752, 128, 22, 34},      {3263, 3530, 2688, 10752, 128, 21, 36},
    {3574, 3802, 2816, 11264, 128, 22, 36},   {3900, 4084, 2944, 11776, 128, 23, 36},
    {4239, 4516, 3072, 12288, 128, 24, 36},   {6355, 6796, 3584, 14336, 128, 28, 40},
    {8672, 9293, 4096, 16384, 128, 32, 42},   {10912, 11452, 4352, 17408, 128, 32, 47},
    {11455, 12295, 4608, 18432, 128, 36, 44}, {12220, 12569, 4608, 18432, 128, 32, 47},
    {13601, 13735, 4864, 19456, 128, 32, 47}, {14917, 14940, 4992, 19968, 128, 32, 49},
    {15056, 16183, 5120, 20480, 128, 40, 47},
};
inline constexpr std::size_t kTable15Rows = sizeof(kTable15) / sizeof(kTable15[0]);

}  // namespace datawall::paper

#endif  // DATAWALL_PAPER_PAPER_H_
