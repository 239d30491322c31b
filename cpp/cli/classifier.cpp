// `scorekit train-classifier`: trains the Fashion-MNIST classifier behind the image metrics
// (eval/fmnist_classifier.hpp). On one thread (the default here) the run is deterministic; the
// shipped models/fmnist_classifier.skc is `scorekit train-classifier --out models/fmnist_classifier.skc`.
#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "eval/classifier_training.hpp"
#include "util/threads.hpp"

namespace scorekit::cli {

Json train_classifier_command(Args& a) {
  ClassifierTrainConfig c;
  c.seed = static_cast<uint64_t>(a.integer("seed", 0));
  c.epochs = a.positive("epochs", c.epochs);
  c.batch = a.positive("batch", c.batch);
  c.lr = a.number("lr", c.lr);
  c.max_shift = a.integer("max-shift", c.max_shift);
  c.limit = a.integer("limit", 0);
  c.data_dir = a.text("data-path");
  const std::string out = a.required("out");
  const bool threads_given = a.has("threads");
  a.finish("train-classifier");
  if (!threads_given && !std::getenv("SCOREKIT_THREADS")) configure_threads(1);  // deterministic by default
  auto r = train_fmnist_classifier(c, [](const std::string& line) { std::cerr << "train-classifier: " << line << "\n"; });
  char lr[32];
  std::snprintf(lr, sizeof lr, "%g", c.lr);
  r.model->set_info({{"command", "scorekit train-classifier --out FILE --seed " + std::to_string(c.seed) + " --epochs " +
                                     std::to_string(c.epochs) + " --batch " + std::to_string(c.batch) + " --lr " + lr +
                                     " --max-shift " + std::to_string(c.max_shift) +
                                     (c.limit ? " --limit " + std::to_string(c.limit) : std::string())},
                     {"seed", c.seed}, {"epochs", c.epochs}, {"batch", c.batch}, {"lr", c.lr},
                     {"max_shift", c.max_shift}, {"limit", c.limit}, {"test_accuracy", r.test_accuracy},
                     {"threads", at::get_num_threads()}});
  r.model->save(out);
  return {{"classifier", out}, {"test_accuracy", r.test_accuracy}, {"epochs", c.epochs}, {"seconds", r.seconds},
          {"threads", at::get_num_threads()}};
}

}  // namespace scorekit::cli
