// Checkpoints carry what sampling, scoring, likelihood and evaluation need: once the training data
// file has moved, all of them still work; resuming names the missing file and accepts its new place.
#include <gtest/gtest.h>

#include <filesystem>

#include "data/npy_dataset.hpp"
#include "io/npy.hpp"
#include "likelihood/likelihood.hpp"
#include "samplers/sampler.hpp"
#include "test_support.hpp"
#include "train/scorer.hpp"
#include "train/trainer.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;
namespace fs = std::filesystem;

namespace {

std::string self_contained_dir(const std::string& name) { return fresh_test_dir("self_contained_" + name); }

at::Tensor two_blobs(int64_t n) {
  auto gen = make_generator(7);
  auto x = at::randn({n, 2}, gen, at::TensorOptions().dtype(at::kFloat)) * 0.3;
  x.slice(0, 0, n / 2) += 1.5;
  return x;
}

Json spec_on(const Json& data) {
  return {{"data", data}, {"sde", "vp"}, {"model", {{"name", "mlp"}, {"hidden", 32}, {"depth", 1}}},
          {"objective", "dsm"}, {"train", {{"batch", 32}, {"seed", 5}}}};
}

std::vector<at::Tensor> weights(Trainer& t) {
  std::vector<at::Tensor> out;
  for (auto& p : t.model().parameters()) out.push_back(p.detach().clone());
  for (auto& p : t.ema_model().parameters()) out.push_back(p.detach().clone());
  return out;
}

TEST(SelfContainedCheckpoint, ScorerNeedsNoDataFileAndCarriesAReferenceSample) {
  const auto dir = self_contained_dir("scorer");
  const auto data = two_blobs(300);
  write_npy(dir + "/mydata.npy", data);
  Trainer trainer(spec_on({{"name", "npy"}, {"path", dir + "/mydata.npy"}}));
  trainer.run(3);
  trainer.save(dir + "/ck.skc");
  EXPECT_EQ(trainer.spec()["sample_shape"], Json::array({2}));
  fs::rename(dir + "/mydata.npy", dir + "/moved.npy");

  auto scorer = load_scorer(dir + "/ck.skc");
  EXPECT_EQ(scorer.step, 3);
  // The same EMA network as the trainer's: the scores agree exactly.
  auto x = two_blobs(16);
  auto t = at::full({16}, 0.3, at::kFloat);
  {
    torch::NoGradGuard no_grad;
    EXPECT_TRUE(at::equal(scorer.model->score(x, t), trainer.ema_model().score(x, t)));
  }
  auto gen = make_generator(1);
  auto s = make_sampler(Json{{"name", "em"}, {"steps", 5}})->sample(*scorer.model, *scorer.sde, 8, gen);
  EXPECT_EQ(s.x.sizes(), (std::vector<int64_t>{8, 2}));
  auto nll = negative_log_likelihood(*scorer.model, *scorer.sde, x, Json{{"rtol", 1e-3}, {"atol", 1e-3}}, gen);
  EXPECT_TRUE(std::isfinite(nll.bits_per_dim));

  // Evaluation compares with a reference sample stored in the checkpoint: rows of the data.
  ASSERT_TRUE(scorer.data);
  EXPECT_EQ(scorer.data->spec()["name"], "reference");
  const auto& ref = dynamic_cast<const NpyDataset&>(*scorer.data).data();
  ASSERT_EQ(ref.dim(), 2);
  EXPECT_EQ(ref.size(0), 2048);
  for (int64_t i = 0; i < 20; ++i) {
    auto dist = (data - ref[i]).abs().sum(1).min().item<float>();
    EXPECT_EQ(dist, 0.0f) << "reference row " << i << " is not a data row";
  }
}

TEST(SelfContainedCheckpoint, CommandsRunFromACheckpointWhoseDataMoved) {
  const auto dir = self_contained_dir("cli");
  write_npy(dir + "/mydata.npy", two_blobs(200));
  write_npy(dir + "/points.npy", two_blobs(10));
  const std::string cli = std::string(SCOREKIT_CLI) + " ";
  auto trained = Json::parse(cli_last_line(cli + "train --threads 1 --data " + dir + "/mydata.npy --steps 3 --batch 16 --out " +
                                           dir + "/run"));
  ASSERT_TRUE(trained.contains("checkpoint")) << trained.dump();
  const std::string ck = trained["checkpoint"];
  fs::rename(dir + "/mydata.npy", dir + "/elsewhere.npy");

  auto sampled = Json::parse(cli_last_line(cli + "sample --threads 1 --checkpoint " + ck + " --n 20 --steps 5 --out " + dir + "/s.npy"));
  EXPECT_TRUE(sampled.contains("samples")) << sampled.dump();
  auto scored = Json::parse(cli_last_line(cli + "score --threads 1 --checkpoint " + ck + " --input " + dir + "/points.npy --out " + dir + "/sc.npy"));
  EXPECT_TRUE(scored.contains("scores")) << scored.dump();
  auto nll = Json::parse(cli_last_line(cli + "nll --threads 1 --checkpoint " + ck + " --input " + dir + "/points.npy --rtol 1e-3 --atol 1e-3"));
  EXPECT_TRUE(nll.contains("bits_per_dim")) << nll.dump();
  auto evaluated = Json::parse(cli_last_line(cli + "evaluate --threads 1 --checkpoint " + ck + " --n 100 --steps 5"));
  EXPECT_TRUE(evaluated.contains("sliced_wasserstein")) << evaluated.dump();

  // Resuming needs the data: the error names the file and the way to point to its new place.
  auto failed = Json::parse(cli_last_line(cli + "train --threads 1 --resume " + ck + " --steps 2 --out " + dir + "/run2"));
  ASSERT_TRUE(failed.contains("error")) << failed.dump();
  const std::string msg = failed["error"];
  EXPECT_NE(msg.find(dir + "/mydata.npy"), std::string::npos) << msg;
  EXPECT_NE(msg.find("--data"), std::string::npos) << msg;
  auto resumed = Json::parse(cli_last_line(cli + "train --threads 1 --resume " + ck + " --data " + dir +
                                           "/elsewhere.npy --steps 2 --out " + dir + "/run2"));
  ASSERT_TRUE(resumed.contains("steps")) << resumed.dump();
  EXPECT_EQ(resumed["steps"], 5);
}

TEST(SelfContainedCheckpoint, RelocatedDataResumeBitForBit) {
  const auto dir = self_contained_dir("relocate");
  write_npy(dir + "/a.npy", two_blobs(100));
  const Json data = {{"name", "npy"}, {"path", dir + "/a.npy"}};
  Trainer straight(spec_on(data));
  straight.run(6);
  Trainer first(spec_on(data));
  first.run(3);
  first.save(dir + "/half.skc");
  fs::rename(dir + "/a.npy", dir + "/b.npy");

  const std::string msg = sk_test::error_of([&] { Trainer::from_checkpoint(dir + "/half.skc"); });
  EXPECT_NE(msg.find("'" + dir + "/a.npy'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("cannot open"), std::string::npos) << msg;
  EXPECT_THROW(Trainer::from_checkpoint(dir + "/half.skc"), IoError);

  auto moved = make_dataset(relocate_dataset_spec(data, dir + "/b.npy"));
  auto resumed = Trainer::from_checkpoint(dir + "/half.skc", nullptr, "", moved);
  EXPECT_EQ(resumed->spec()["data"]["path"], dir + "/b.npy");  // later checkpoints name the new place
  resumed->run(3);
  auto a = weights(straight), b = weights(*resumed);
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(at::equal(a[i], b[i])) << "tensor " << i;

  // Data of another shape are refused.
  auto wrong = array_dataset(at::zeros({10, 3}));
  EXPECT_NE(sk_test::error_of([&] { Trainer::from_checkpoint(dir + "/half.skc", nullptr, "", wrong); }).find("shape"), std::string::npos);
}

TEST(SelfContainedCheckpoint, InMemoryArrayTrainsSavesAndResumesWhenGivenAgain) {
  const auto dir = self_contained_dir("array");
  auto x = two_blobs(64);
  auto data = array_dataset(x);
  x.zero_();  // the dataset holds a copy
  EXPECT_GT(dynamic_cast<const NpyDataset&>(*data).data().abs().sum().item<float>(), 0.0f);
  Json spec = spec_on(nullptr);
  spec.erase("data");
  Trainer trainer(spec, data);
  EXPECT_EQ(trainer.spec()["data"]["name"], "array");
  EXPECT_EQ(trainer.spec()["data"]["shape"], Json::array({64, 2}));
  trainer.run(2);
  trainer.save(dir + "/ck.skc");
  EXPECT_EQ(load_scorer(dir + "/ck.skc").model->sample_shape(), (std::vector<int64_t>{2}));
  const std::string msg = sk_test::error_of([&] { Trainer::from_checkpoint(dir + "/ck.skc"); });
  EXPECT_NE(msg.find("in-memory array"), std::string::npos) << msg;
  EXPECT_EQ(Trainer::from_checkpoint(dir + "/ck.skc", nullptr, "", data)->steps_done(), 2);
}

}  // namespace
