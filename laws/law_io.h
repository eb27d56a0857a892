// Law files: protobuf text format (laws/law.proto), e.g.
//
//   form: DATA_CONSTRAINED
//   coefficient { name: "a" value: 6.255414 }
//   ...
//
// Conversion between the proto and the plain Law value, with validation that names the problem.
#ifndef DATAWALL_LAWS_LAW_IO_H_
#define DATAWALL_LAWS_LAW_IO_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "laws/law.h"
#include "laws/law.pb.h"

namespace datawall::laws {

absl::StatusOr<Law> LawFromProto(const proto::Law& proto);
proto::Law LawToProto(const Law& law, const std::string& source = "");

// Reads a law file; errors name the file and, for parse errors, the line.
absl::StatusOr<Law> ReadLawFile(const std::string& path);

// A law with the bootstrap resamples of its fit (empty when the file has none); each sample is
// a full Law of the same form.
struct LawWithSamples {
  Law law;
  std::vector<Law> samples;
};
absl::StatusOr<LawWithSamples> LawWithSamplesFromProto(const proto::Law& proto);
absl::StatusOr<LawWithSamples> ReadLawFileWithSamples(const std::string& path);
absl::StatusOr<proto::Law> ReadLawProtoFile(const std::string& path);

// Text format of a law, as written to files.
std::string LawToText(const proto::Law& proto);

proto::LawForm FormToProto(Form form);
absl::StatusOr<Form> FormFromProto(proto::LawForm form);

}  // namespace datawall::laws

#endif  // DATAWALL_LAWS_LAW_IO_H_
