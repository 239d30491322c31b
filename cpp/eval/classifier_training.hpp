#pragma once
// Trains the Fashion-MNIST classifier of eval/fmnist_classifier.hpp, deterministically: weights from
// `seed`, batches, flips, shifts and dropout masks from one generator seeded with `seed`; on one
// thread the run repeats bit for bit (`scorekit train-classifier --threads 1`, the default).
// Adam with a cosine learning-rate decay, dropout before the last layer; augmentation: left-right
// flips (and, optionally, shifts of up to `max_shift` pixels: with ±2 the net underfit in 6 epochs,
// 90.5% after 5, so the shipped run uses flips only).
#include <functional>
#include <string>

#include "eval/fmnist_classifier.hpp"

namespace scorekit {

struct ClassifierTrainConfig {
  uint64_t seed = 0;
  int64_t epochs = 8;       // passes over the 60 000 training images
  int64_t batch = 128;
  double lr = 2e-3;         // Adam's step, decayed to 0 along a cosine
  int64_t max_shift = 0;    // random shifts of up to this many pixels, each direction (0: none)
  int64_t limit = 0;        // training images used (0: all); for tests
  std::string data_dir;     // "" → FashionMnist::default_dir()
};

struct ClassifierTrainResult {
  ClassifierPtr model;
  double test_accuracy = 0;
  double seconds = 0;
};

// `log` (may be empty) receives one line per epoch.
ClassifierTrainResult train_fmnist_classifier(const ClassifierTrainConfig& config,
                                              const std::function<void(const std::string&)>& log = {});

}  // namespace scorekit
