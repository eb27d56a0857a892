#include "laws/law_io.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "tools/proto/text_format.h"
#include "google/protobuf/text_format.h"

namespace datawall::laws {
namespace {

struct FormPair {
  Form form;
  proto::LawForm proto;
};

constexpr FormPair kFormPairs[] = {
    {Form::kChinchilla, proto::CHINCHILLA},
    {Form::kDataConstrained, proto::DATA_CONSTRAINED},
    {Form::kNoDecay, proto::NO_DECAY},
    {Form::kDecayDataOnly, proto::DECAY_DATA_ONLY},
    {Form::kDecayParamsOnly, proto::DECAY_PARAMS_ONLY},
    {Form::kGeometric, proto::GEOMETRIC},
    {Form::kExplicitExponential, proto::EXPLICIT_EXPONENTIAL},
    {Form::kAlphaBetaDecay, proto::ALPHA_BETA_DECAY},
    {Form::kOverfittingPenalty, proto::OVERFITTING_PENALTY},
    {Form::kBounded, proto::BOUNDED},
};

}  // namespace

proto::LawForm FormToProto(Form form) {
  for (const FormPair& pair : kFormPairs) {
    if (pair.form == form) return pair.proto;
  }
  return proto::LAW_FORM_UNSPECIFIED;
}

absl::StatusOr<Form> FormFromProto(proto::LawForm form) {
  for (const FormPair& pair : kFormPairs) {
    if (pair.proto == form) return pair.form;
  }
  return absl::InvalidArgumentError("law has no form (set `form: DATA_CONSTRAINED` or another)");
}

absl::StatusOr<Law> LawFromProto(const proto::Law& proto) {
  absl::StatusOr<Form> form = FormFromProto(proto.form());
  if (!form.ok()) return form.status();
  std::vector<std::pair<std::string, double>> named;
  for (const proto::Coefficient& c : proto.coefficient()) named.emplace_back(c.name(), c.value());
  return Law::FromNamed(*form, named);
}

proto::Law LawToProto(const Law& law, const std::string& source) {
  proto::Law proto;
  proto.set_form(FormToProto(law.form()));
  const FormInfo& info = Info(law.form());
  for (size_t i = 0; i < info.coefficients.size(); ++i) {
    proto::Coefficient* c = proto.add_coefficient();
    c->set_name(std::string(info.coefficients[i]));
    c->set_value(law.coefficients()[i]);
  }
  if (!source.empty()) proto.set_source(source);
  return proto;
}

absl::StatusOr<proto::Law> ReadLawProtoFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open law file"));
  std::stringstream text;
  text << in.rdbuf();
  proto::Law proto;
  std::string error;
  if (!datawall::proto::ParseTextFormat(text.str(), &proto, &error)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": line ", error));
  }
  return proto;
}

absl::StatusOr<Law> ReadLawFile(const std::string& path) {
  absl::StatusOr<proto::Law> proto = ReadLawProtoFile(path);
  if (!proto.ok()) return proto.status();
  absl::StatusOr<Law> law = LawFromProto(*proto);
  if (!law.ok()) return absl::InvalidArgumentError(absl::StrCat(path, ": ", law.status().message()));
  return law;
}

absl::StatusOr<LawWithSamples> LawWithSamplesFromProto(const proto::Law& proto) {
  absl::StatusOr<Law> law = LawFromProto(proto);
  if (!law.ok()) return law.status();
  LawWithSamples result{*law, {}};
  const size_t n = Info(law->form()).coefficients.size();
  for (int i = 0; i < proto.bootstrap_sample_size(); ++i) {
    const auto& values = proto.bootstrap_sample(i).value();
    if (static_cast<size_t>(values.size()) != n) {
      return absl::InvalidArgumentError(absl::StrCat("bootstrap_sample ", i + 1, " has ",
                                                     values.size(), " values, the form needs ", n));
    }
    std::array<double, kMaxCoefficients> c{};
    for (size_t k = 0; k < n; ++k) {
      if (!std::isfinite(values[k])) {
        return absl::InvalidArgumentError(
            absl::StrCat("bootstrap_sample ", i + 1, " has a non-finite value"));
      }
      c[k] = values[k];
    }
    result.samples.emplace_back(law->form(), c);
  }
  return result;
}

absl::StatusOr<LawWithSamples> ReadLawFileWithSamples(const std::string& path) {
  absl::StatusOr<proto::Law> proto = ReadLawProtoFile(path);
  if (!proto.ok()) return proto.status();
  absl::StatusOr<LawWithSamples> law = LawWithSamplesFromProto(*proto);
  if (!law.ok()) return absl::InvalidArgumentError(absl::StrCat(path, ": ", law.status().message()));
  return law;
}

std::string LawToText(const proto::Law& proto) {
  std::string text;
  google::protobuf::TextFormat::Printer printer;
  printer.PrintToString(proto, &text);
  return text;
}

}  // namespace datawall::laws
