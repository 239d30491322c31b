// Checkpoints: round trip, bit-for-bit resume, and rejection of damaged or foreign files.
#include <gtest/gtest.h>

#include <fstream>

#include "expect.hpp"
#include "io/checkpoint.hpp"
#include "train/trainer.hpp"
#include "util/error.hpp"
#include "test_dir.hpp"

using namespace scorekit;

namespace {
using sk_test::error_of;
using sk_test::read_all;

Json spec() {
  return {{"data", "8gaussians"}, {"sde", "vp"}, {"model", {{"name", "mlp"}, {"hidden", 32}, {"depth", 1}}},
          {"objective", "dsm"}, {"train", {{"batch", 64}, {"seed", 3}}}};
}
std::string path(const std::string& name) { return sk_test::test_path(name); }

std::vector<at::Tensor> params(Trainer& t) {
  std::vector<at::Tensor> out;
  for (auto& p : t.model().parameters()) out.push_back(p.detach().clone());
  for (auto& p : t.ema_model().parameters()) out.push_back(p.detach().clone());
  return out;
}

TEST(Checkpoint, ResumeContinuesBitForBit) {
  Trainer straight(spec());
  straight.run(40);
  Trainer first(spec());
  first.run(20);
  first.save(path("half.skc"));
  auto resumed = Trainer::from_checkpoint(path("half.skc"));
  EXPECT_EQ(resumed->steps_done(), 20);
  resumed->run(20);
  auto a = params(straight), b = params(*resumed);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(at::equal(a[i], b[i])) << "tensor " << i;
}

void write_all(const std::string& p, const std::string& b) { std::ofstream(p, std::ios::binary) << b; }

TEST(Checkpoint, DamagedAndForeignFilesAreRejectedClearly) {
  Trainer t(spec());
  t.run(2);
  t.save(path("good.skc"));
  const std::string good = read_all(path("good.skc"));

  write_all(path("trunc.skc"), good.substr(0, good.size() / 2));
  EXPECT_NE(error_of([&] { Trainer::from_checkpoint(path("trunc.skc")); }).find("checksum"), std::string::npos);

  std::string flipped = good;
  flipped[flipped.size() / 2] ^= 0x10;
  write_all(path("flip.skc"), flipped);
  EXPECT_NE(error_of([&] { Trainer::from_checkpoint(path("flip.skc")); }).find("corrupted"), std::string::npos);

  write_all(path("foreign.skc"), "PK\x03\x04 this is a zip file, not ours");
  EXPECT_NE(error_of([&] { Trainer::from_checkpoint(path("foreign.skc")); }).find("not a scorekit checkpoint"), std::string::npos);

  std::string newer = good;
  newer[8] = 9;  // format version 9
  write_all(path("newer.skc"), newer);
  EXPECT_NE(error_of([&] { Trainer::from_checkpoint(path("newer.skc")); }).find("newer"), std::string::npos);

  EXPECT_NE(error_of([&] { Trainer::from_checkpoint(path("absent.skc")); }).find("cannot open"), std::string::npos);
}

TEST(Checkpoint, TensorShapesMustMatchTheSpec) {
  Trainer t(spec());
  t.save(path("shape.skc"));
  auto ck = load_checkpoint(path("shape.skc"));
  auto s = Json::parse(ck.spec_json);
  s["model"]["hidden"] = 16;  // the spec now disagrees with the stored tensors
  ck.spec_json = s.dump();
  save_checkpoint(path("shape2.skc"), ck);
  const std::string msg = error_of([&] { Trainer::from_checkpoint(path("shape2.skc")); });
  EXPECT_NE(msg.find("shape"), std::string::npos) << msg;
}

}  // namespace
