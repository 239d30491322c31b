// The image metrics (eval/image_metrics.hpp) against truth: closed forms on synthetic features, then
// the shipped Fashion-MNIST classifier's features: accuracy, the train/test floor, growth with noise
// and blur, KID of one set, and a removed class. The command line's fields and errors last.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>

#include "data/fashion_mnist.hpp"
#include "eval/fmnist_classifier.hpp"
#include "eval/image_evaluation.hpp"
#include "eval/image_metrics.hpp"
#include "eval/reference_features.hpp"
#include "io/npy.hpp"
#include "test_support.hpp"
#include "util/tensor_ops.hpp"

namespace {

using namespace scorekit;
namespace fs = std::filesystem;

at::Tensor rotation(int64_t d, uint64_t seed) {
  auto gen = make_generator(seed);
  return std::get<0>(at::linalg_qr(at::randn({d, d}, gen, at::TensorOptions().dtype(at::kDouble))));
}

TEST(ImageMetrics, FrechetDistanceMatchesTheClosedFormForCommutingCovariances) {
  // Σ_a = R D_a Rᵀ, Σ_b = R D_b Rᵀ: FD = ‖μ_a − μ_b‖² + Σ_i (√d_a,i − √d_b,i)².
  const int64_t d = 12;
  auto r = rotation(d, 1);
  auto da = at::linspace(0.5, 3.0, d, at::kDouble), db = at::linspace(2.0, 0.1, d, at::kDouble);
  FeatureStats a{at::arange(d, at::kDouble) * 0.1, r.matmul(at::diag(da)).matmul(r.t()), 100};
  FeatureStats b{at::zeros({d}, at::kDouble), r.matmul(at::diag(db)).matmul(r.t()), 100};
  const double truth = a.mean.pow(2).sum().item<double>() + (da.sqrt() - db.sqrt()).pow(2).sum().item<double>();
  EXPECT_NEAR(frechet_distance(a, b), truth, 1e-9 * truth);
  EXPECT_NEAR(frechet_distance(b, a), truth, 1e-9 * truth);
  EXPECT_NEAR(frechet_distance(a, a), 0.0, 1e-9);
  // A singular covariance (a dead feature) is fine.
  auto dz = da.clone();
  dz[0] = 0;
  FeatureStats z{a.mean, r.matmul(at::diag(dz)).matmul(r.t()), 100};
  const double truth_z = a.mean.pow(2).sum().item<double>() + (dz.sqrt() - db.sqrt()).pow(2).sum().item<double>();
  EXPECT_NEAR(frechet_distance(z, b), truth_z, 1e-8 * truth_z);
}

TEST(ImageMetrics, KernelDistanceOfOneSubsetIsTheUnbiasedCubicMmd) {
  auto gen = make_generator(3);
  auto x = at::randn({40, 5}, gen, at::TensorOptions().dtype(at::kDouble));
  auto y = at::randn({40, 5}, gen, at::TensorOptions().dtype(at::kDouble)) + 0.3;
  auto k = [](const at::Tensor& u, const at::Tensor& v) { return std::pow(u.dot(v).item<double>() / 5 + 1, 3); };
  double xx = 0, yy = 0, xy = 0;
  for (int i = 0; i < 40; ++i)
    for (int j = 0; j < 40; ++j) {
      if (i != j) xx += k(x[i], x[j]), yy += k(y[i], y[j]);
      xy += k(x[i], y[j]);
    }
  const double truth = xx / (40 * 39) + yy / (40 * 39) - 2 * xy / (40 * 40);
  auto g = make_generator(0);
  auto kd = kernel_distance(x, y, 1, 40, g);  // one subset holding every row: order does not matter
  EXPECT_NEAR(kd.mean, truth, 1e-9 * std::abs(truth));
  EXPECT_EQ(kd.std, 0.0);
}

TEST(ImageMetrics, PrecisionRecallSeeAMissingModeInRecallOnly) {
  // Four well separated clusters; the "generated" set lacks one of them.
  auto gen = make_generator(5);
  auto centres = at::tensor({0.0, 0.0, 10.0, 0.0, 0.0, 10.0, 10.0, 10.0}, at::kDouble).reshape({4, 2});
  auto draw = [&](int64_t per, int64_t clusters) {
    std::vector<at::Tensor> parts;
    for (int64_t c = 0; c < clusters; ++c)
      parts.push_back(centres[c] + at::randn({per, 2}, gen, at::TensorOptions().dtype(at::kDouble)));
    return at::cat(parts);
  };
  auto real = draw(300, 4), full = draw(300, 4), missing = draw(400, 3);
  auto same = precision_recall(real, full, 3);
  auto lacking = precision_recall(real, missing, 3);
  EXPECT_GT(same.precision, 0.95);
  EXPECT_GT(same.recall, 0.95);
  EXPECT_GT(lacking.precision, 0.95);
  EXPECT_NEAR(lacking.recall, 0.75, 0.03);
}

TEST(ImageMetrics, RejectBadFeatures) {
  auto gen = make_generator(0);
  auto a = at::randn({10, 3}, gen), b = at::randn({10, 4}, gen);
  EXPECT_THROW(feature_metrics(a, b, {}), Error);
  auto nan = a.clone();
  nan[0][0] = NAN;
  EXPECT_NE(sk_test::error_of([&] { feature_metrics(nan, a, {}); }).find("NaN"), std::string::npos);
  EXPECT_THROW(precision_recall(a.slice(0, 0, 3), a, 3), Error);
  EXPECT_THROW(FeatureMetricsOptions::from_spec(Json{{"kk", 3}}, "options"), Error);
  EXPECT_THROW(FeatureMetricsOptions::from_spec(Json{{"k", 0}}, "options"), Error);
}

// ---- the shipped classifier on Fashion-MNIST ----

struct Split {
  at::Tensor images, labels;
};
Split split(const std::string& name, int64_t from, int64_t count) {
  FashionMnist data({{"name", "fashion-mnist"}, {"split", name}});
  return {FashionMnist::to_unit(data.pixels()).slice(0, from, from + count),
          FashionMnist::read_labels(FashionMnist::default_dir(), name).slice(0, from, from + count)};
}

at::Tensor features(const at::Tensor& images) { return shared_classifier()->evaluate(images).features; }

// A few cheap settings keep these tests fast; the floors and orders hold at any size.
FeatureMetricsOptions fast() {
  FeatureMetricsOptions o;
  o.kid_subsets = 50;
  o.kid_subset_size = 500;
  return o;
}

TEST(ShippedClassifier, ReachesItsRecordedTestAccuracy) {
  auto c = shared_classifier();
  auto test = split("test", 0, 10000);
  const double accuracy = classifier_accuracy(*c, test.images, test.labels);
  EXPECT_GE(accuracy, 0.92);
  EXPECT_NEAR(accuracy, c->info().value("test_accuracy", 0.0), 1e-6) << "the file's record of its accuracy";
}

TEST(ShippedClassifier, TrainSplitAgainstTestSplitIsAFloorThatNoiseAndBlurRaise) {
  auto reference = features(split("test", 0, 2000).images);
  auto train = split("train", 0, 2000).images;
  const auto floor = feature_metrics(features(train), reference, fast());
  double last_fd = floor.fd, last_kid = floor.kid;
  auto gen = make_generator(11);
  auto noise = at::randn(train.sizes(), gen);
  for (double sigma : {0.1, 0.2, 0.4}) {
    auto m = feature_metrics(features((train + sigma * noise).clamp(-1, 1)), reference, fast());
    EXPECT_GT(m.fd, last_fd) << "noise " << sigma;
    EXPECT_GT(m.kid, last_kid) << "noise " << sigma;
    last_fd = m.fd, last_kid = m.kid;
  }
  EXPECT_GT(last_fd, 10 * floor.fd);
  last_fd = floor.fd, last_kid = floor.kid;
  auto blurred = train;
  auto box = at::full({1, 1, 3, 3}, 1.0 / 9);
  for (int pass = 1; pass <= 3; ++pass) {
    blurred = at::conv2d(blurred + 1, box, {}, 1, 1) - 1;  // background stays at −1
    auto m = feature_metrics(features(blurred), reference, fast());
    EXPECT_GT(m.fd, last_fd) << "blur pass " << pass;
    EXPECT_GT(m.kid, last_kid) << "blur pass " << pass;
    last_fd = m.fd, last_kid = m.kid;
  }
}

TEST(ShippedClassifier, TwoSamplesOfOneSetHaveKidWithinItsStdOfZero) {
  auto test = features(split("test", 0, 4000).images);
  auto m = feature_metrics(test.slice(0, 0, 2000), test.slice(0, 2000, 4000), fast());
  EXPECT_LE(std::abs(m.kid), m.kid_std) << m.to_json().dump();
  auto train = feature_metrics(features(split("train", 0, 2000).images), test.slice(0, 2000, 4000), fast());
  EXPECT_LT(m.fd, 2 * train.fd + 1e-9) << "two halves of one split are at least as close as train vs test";
}

TEST(ShippedClassifier, RemovingAClassDropsRecallNotPrecision) {
  auto reference = features(split("test", 0, 3000).images);
  auto train = split("train", 0, 6000);
  auto all = train.images.slice(0, 0, 2700);
  auto keep = train.labels.ne(1).nonzero().squeeze(1).slice(0, 0, 2700);  // no trousers
  auto without = train.images.index_select(0, keep);
  FeatureMetricsOptions o = fast();
  auto full = feature_metrics(features(all), reference, o);
  auto lacking = feature_metrics(features(without), reference, o);
  EXPECT_LT(lacking.recall, full.recall - 0.04) << full.to_json().dump() << " vs " << lacking.to_json().dump();
  EXPECT_GT(lacking.precision, full.precision - 0.02) << full.to_json().dump() << " vs " << lacking.to_json().dump();
  // ... and the predicted classes say which mode is missing.
  auto classes = class_fractions(shared_classifier()->evaluate(without).logits);
  EXPECT_LT(classes[1], 0.01);
}

TEST(ImageEvaluation, RejectsBadInputWithClearMessages) {
  ImageEvalOptions o;
  o.cache_dir = fresh_test_dir("cache");
  auto ok = split("test", 0, 4).images;
  EXPECT_NE(sk_test::error_of([&] { evaluate_images(at::zeros({4, 3, 28, 28}), o); }).find("(N, 1, 28, 28)"), std::string::npos);
  EXPECT_NE(sk_test::error_of([&] { evaluate_images(at::zeros({4, 784}), o); }).find("(N, 1, 28, 28)"), std::string::npos);
  auto nan = ok.clone();
  nan[0][0][3][3] = NAN;
  EXPECT_NE(sk_test::error_of([&] { evaluate_images(nan, o); }).find("NaN"), std::string::npos);
  EXPECT_NE(sk_test::error_of([&] { evaluate_images((ok + 1) * 127.5, o); }).find("[-1, 1]"), std::string::npos);
  EXPECT_NE(sk_test::error_of([&] { evaluate_images(ok.slice(0, 0, 1), o); }).find("at least 2"), std::string::npos);
  EXPECT_NE(sk_test::error_of([&] { ImageEvalOptions::from_spec(Json{{"data", "mnist"}}); }).find("fashion-mnist"),
            std::string::npos);
  EXPECT_THROW(ImageEvalOptions::from_spec(Json{{"bogus", 1}}), Error);
  ImageEvalOptions missing = o;
  missing.classifier = o.cache_dir + "/none.skc";
  EXPECT_THROW(evaluate_images(ok, missing), IoError);
  // A file that is not a classifier.
  std::ofstream(o.cache_dir + "/junk.skc") << "not a checkpoint";
  missing.classifier = o.cache_dir + "/junk.skc";
  EXPECT_THROW(evaluate_images(ok, missing), Error);
}

TEST(ImageMetricsCli, EvaluateSamplesReportsTheFieldsAndCachesTheReference) {
  const auto dir = fresh_test_dir("cli");
  write_npy(dir + "/x.npy", split("train", 0, 300).images);
  const std::string cmd = std::string(SCOREKIT_CLI) + " evaluate --threads 1 --samples " + dir +
                          "/x.npy --data fashion-mnist --kid-subset-size 200 --cache-dir " + dir + "/cache";
  auto r = Json::parse(cli_last_line(cmd));
  for (const char* key : {"fd", "kid", "kid_std", "precision", "recall"}) ASSERT_TRUE(r[key].is_number()) << key << r.dump();
  EXPECT_EQ(r["classes"].size(), 10u);
  EXPECT_EQ(r["n"], 300);
  EXPECT_EQ(r["reference_n"], 10000);
  EXPECT_GT(r["precision"].get<double>(), 0.5);
  ASSERT_EQ(std::distance(fs::directory_iterator(dir + "/cache"), fs::directory_iterator()), 1);
  auto again = Json::parse(cli_last_line(cmd));  // from the cache: the same numbers
  EXPECT_EQ(again.dump(), r.dump());

  write_npy(dir + "/points.npy", at::zeros({10, 2}));
  auto shape = Json::parse(cli_last_line(std::string(SCOREKIT_CLI) + " evaluate --samples " + dir +
                                         "/points.npy --data fashion-mnist --cache-dir " + dir + "/cache"));
  EXPECT_NE(shape.value("error", "").find("(N, 1, 28, 28)"), std::string::npos) << shape.dump();
  auto data = Json::parse(cli_last_line(std::string(SCOREKIT_CLI) + " evaluate --samples " + dir + "/x.npy --data mnist"));
  EXPECT_NE(data.value("error", "").find("fashion-mnist"), std::string::npos) << data.dump();
  auto classifier = Json::parse(cli_last_line(cmd + " --classifier " + dir + "/none.skc"));
  EXPECT_NE(classifier.value("error", "").find("none.skc"), std::string::npos) << classifier.dump();
}

TEST(ImageMetricsCli, TrainEvalEveryLogsTheMetricsAndEvaluateReportsThemForImageCheckpoints) {
  const auto dir = fresh_test_dir("train");
  std::ofstream(dir + "/spec.json") << R"({"model": {"name": "unet", "channels": 8, "channel_mult": [1, 1],
    "num_res_blocks": 1, "attention_resolutions": []}, "data": {"name": "fashion-mnist", "limit": 256}})";
  auto r = Json::parse(cli_last_line(std::string(SCOREKIT_CLI) + " train --threads 1 --spec " + dir +
                                     "/spec.json --steps 2 --batch 8 --eval-every 2 --eval-n 16 --eval-steps 4 "
                                     "--kid-subset-size 16 --cache-dir " + dir + "/cache --out " + dir + "/run"));
  ASSERT_TRUE(r.contains("checkpoint")) << r.dump();
  std::ifstream lines(dir + "/run/metrics.jsonl");
  std::string line;
  Json eval;
  while (std::getline(lines, line))
    if (auto j = Json::parse(line); j.contains("eval")) eval = j;
  ASSERT_FALSE(eval.is_null());
  EXPECT_EQ(eval["step"], 2);
  for (const char* key : {"fd", "kid", "kid_std", "precision", "recall"}) EXPECT_TRUE(eval["eval"][key].is_number()) << key;
  EXPECT_EQ(eval["eval"]["n"], 16);
  // evaluate on the (1, 28, 28) checkpoint: the image fields beside the existing ones.
  auto e = Json::parse(cli_last_line(std::string(SCOREKIT_CLI) + " evaluate --threads 1 --checkpoint " + dir +
                                     "/run/checkpoint.skc --n 16 --steps 4 --kid-subset-size 16 --cache-dir " + dir + "/cache"));
  for (const char* key : {"fd", "kid", "kid_std", "precision", "recall", "sliced_wasserstein"})
    EXPECT_TRUE(e[key].is_number()) << key << e.dump();
  EXPECT_EQ(e["classes"].size(), 10u);
  auto bad = Json::parse(cli_last_line(std::string(SCOREKIT_CLI) + " train --data moons --steps 2 --eval-every 1 --out " + dir + "/m"));
  EXPECT_NE(bad.value("error", "").find("(1, 28, 28)"), std::string::npos) << bad.dump();
}

}  // namespace
