// Quiet command-line programs: glog, which Ceres and LibTorch's c10 log through, prints only
// errors unless the user passes --verbose.
//
// Ceres reports routine conditions of a fit as warnings (e.g. "Trying to extract roots from a
// constant polynomial" from its line search); our fits report convergence and failures
// themselves, so by default these lines are noise. Every main that links Ceres or LibTorch calls
// InitLogging right after parsing its flags. Not a logging API for our own code: programs print
// their own progress lines and return absl::Status errors.
#ifndef DATAWALL_TOOLS_CLI_LOGGING_H_
#define DATAWALL_TOOLS_CLI_LOGGING_H_

namespace datawall::cli {

// glog to stderr only (never to files under /tmp); severity ERROR and above, or everything from
// INFO up when `verbose`. Safe to call more than once.
void InitLogging(const char* argv0, bool verbose);

// The same with the value of the --verbose flag (defined here, so every program that links this
// has it). Call after the flags are parsed.
void InitLogging(const char* argv0);

}  // namespace datawall::cli

#endif  // DATAWALL_TOOLS_CLI_LOGGING_H_
