#include "eval/classifier_training.hpp"

#include <torch/autograd.h>
#include <torch/optim/adam.h>

#include <chrono>
#include <cmath>
#include <cstdio>

#include "data/fashion_mnist.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

namespace {

// Left-right flips (probability ½) and integer shifts in [−s, s]² per image; the background (−1)
// fills what is shifted in. grid_sample at whole-pixel offsets copies pixels exactly.
at::Tensor augment(const at::Tensor& x, int64_t max_shift, at::Generator& gen) {
  const int64_t n = x.size(0);
  auto flip = at::bernoulli(at::full({n, 1, 1, 1}, 0.5), gen).to(at::kBool);
  auto y = at::where(flip, x.flip({3}), x);
  if (max_shift <= 0) return y;
  auto shift = at::randint(-max_shift, max_shift + 1, {n, 2}, gen, at::TensorOptions().dtype(at::kLong)).to(at::kFloat);
  auto theta = at::zeros({n, 2, 3});
  theta.select(2, 0).select(1, 0).fill_(1);
  theta.select(2, 1).select(1, 1).fill_(1);
  theta.select(2, 2).copy_(shift * (2.0 / 28.0));
  auto grid = at::affine_grid_generator(theta, {n, 1, 28, 28}, false);
  // interpolation 0 = bilinear, padding 0 = zeros: shift y + 1 so that zeros are the background
  return at::grid_sampler(y + 1, grid, 0, 0, false) - 1;
}

}  // namespace

ClassifierTrainResult train_fmnist_classifier(const ClassifierTrainConfig& c,
                                              const std::function<void(const std::string&)>& log) {
  if (c.epochs <= 0 || c.batch <= 0 || !(c.lr > 0) || c.max_shift < 0 || c.limit < 0)
    throw Error("train-classifier: epochs, batch and lr must be positive, max_shift and limit >= 0");
  const auto t0 = std::chrono::steady_clock::now();
  const std::string dir = c.data_dir.empty() ? FashionMnist::default_dir() : c.data_dir;
  FashionMnist train({{"name", "fashion-mnist"}, {"split", "train"}, {"path", dir}, {"limit", c.limit}});
  FashionMnist test({{"name", "fashion-mnist"}, {"split", "test"}, {"path", dir}});
  auto x_train = FashionMnist::to_unit(train.pixels());
  auto y_train = FashionMnist::read_labels(dir, "train").slice(0, 0, x_train.size(0));
  auto x_test = FashionMnist::to_unit(test.pixels());
  auto y_test = FashionMnist::read_labels(dir, "test");

  auto model = std::make_shared<FmnistClassifier>(c.seed);
  auto gen = make_generator(c.seed);
  torch::optim::Adam opt(model->parameters(), torch::optim::AdamOptions(c.lr));
  const int64_t n = x_train.size(0);
  const int64_t per_epoch = (n + c.batch - 1) / c.batch;
  const int64_t total = per_epoch * c.epochs;
  int64_t step = 0;
  for (int64_t epoch = 0; epoch < c.epochs; ++epoch) {
    model->train();
    auto order = at::randperm(n, gen, at::TensorOptions().dtype(at::kLong));
    double loss_sum = 0;
    for (int64_t b = 0; b < per_epoch; ++b, ++step) {
      auto idx = order.slice(0, b * c.batch, std::min(n, (b + 1) * c.batch));
      auto x = augment(x_train.index_select(0, idx), c.max_shift, gen);
      auto y = y_train.index_select(0, idx);
      const double lr = c.lr * 0.5 * (1 + std::cos(M_PI * static_cast<double>(step) / static_cast<double>(total)));
      for (auto& group : opt.param_groups()) static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
      opt.zero_grad();
      auto loss = at::cross_entropy_loss(model->forward(x, &gen), y);
      loss.backward();
      opt.step();
      loss_sum += loss.item<double>();
    }
    const double acc = classifier_accuracy(*model, x_test, y_test);
    if (log) {
      char line[160];
      std::snprintf(line, sizeof line, "epoch %lld/%lld: train loss %.4f, test accuracy %.4f",
                    static_cast<long long>(epoch + 1), static_cast<long long>(c.epochs), loss_sum / per_epoch, acc);
      log(line);
    }
  }
  model->eval();
  ClassifierTrainResult r;
  r.model = model;
  r.test_accuracy = classifier_accuracy(*model, x_test, y_test);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace scorekit
