// libFuzzer harness for the JSON training spec, the text every trainer is built from
// (sk_trainer_create, `scorekit train --spec`): parse it, then build the trainer (data set, SDE,
// objective, model, optimiser) and take one training step. Text that is not JSON is the JSON
// parser's business and is skipped; for JSON, the only acceptable failure is a scorekit::Error
// with a message. Any other exception (a bare nlohmann type_error or a LibTorch c10::Error, whose
// messages name no spec key), a crash or a sanitizer report is a finding.
//
// Left out, so that each input stays small and self-contained: specs that name files ("path",
// data sets "npy" and "fashion-mnist": their readers have fuzzers of their own) and integers
// over 64 (a 10^9-unit model is a legitimate request for 4 GB, not a bug).
#include <cstddef>
#include <cstdint>
#include <string>

#include "train/trainer.hpp"
#include "util/error.hpp"
#include "util/threads.hpp"

namespace {

bool in_scope(const scorekit::Json& j) {
  switch (j.type()) {
    case scorekit::Json::value_t::number_integer: return j.get<int64_t>() <= 64;
    case scorekit::Json::value_t::number_unsigned: return j.get<uint64_t>() <= 64;
    case scorekit::Json::value_t::string: return j != "npy" && j != "fashion-mnist";
    case scorekit::Json::value_t::array:
      if (j.size() > 64) return false;
      for (const auto& v : j)
        if (!in_scope(v)) return false;
      return true;
    case scorekit::Json::value_t::object:
      for (auto it = j.begin(); it != j.end(); ++it)
        if (it.key() == "path" || !in_scope(it.value())) return false;
      return true;
    default: return true;
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  scorekit::configure_threads(1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto spec = scorekit::Json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (spec.is_discarded() || !in_scope(spec)) return 0;
  try {
    scorekit::Trainer trainer(spec);
    trainer.step();
  } catch (const scorekit::Error& e) {
    if (!*e.what()) __builtin_trap();  // an error must say something
  }
  return 0;
}
