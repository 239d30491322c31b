// Bad input gets a clear error naming what is wrong and what is accepted.
#include <gtest/gtest.h>

#include <fstream>

#include "expect.hpp"
#include "io/npy.hpp"
#include "train/trainer.hpp"
#include "util/error.hpp"
#include "test_dir.hpp"

using namespace scorekit;

namespace {
using sk_test::expect_error;

Json base() { return {{"data", "moons"}, {"sde", "vp"}, {"model", "mlp"}, {"objective", "dsm"}}; }

TEST(Errors, UnknownNamesListTheValidOnes) {
  auto with = [](const char* part, const char* name) {
    auto s = base();
    s[part] = name;
    return s;
  };
  expect_error([&] { Trainer t(with("data", "spiral")); }, {"spiral", "swissroll", "2spirals"});
  expect_error([&] { Trainer t(with("sde", "vv")); }, {"vv", "ve", "vp", "subvp"});
  expect_error([&] { Trainer t(with("objective", "dsn")); }, {"dsn", "dsm"});
  expect_error([&] { Trainer t(with("model", "resnet")); }, {"resnet", "mlp"});
}

TEST(Errors, UnknownKeysAreRejected) {
  auto s = base();
  s["sde"] = {{"name", "vp"}, {"beta_mx", 3}};
  expect_error([&] { Trainer t(s); }, {"beta_mx", "beta_max"});
  s = base();
  s["train"] = {{"batchsize", 3}};
  expect_error([&] { Trainer t(s); }, {"batchsize", "batch"});
}

TEST(Errors, NonPositiveStepsAndBatchAreRejected) {
  auto s = base();
  s["train"] = {{"batch", 0}};
  expect_error([&] { Trainer t(s); }, {"batch", "positive"});
  Trainer t(base());
  expect_error([&] { t.run(0); }, {"steps", "positive"});
  expect_error([&] { t.run(-5); }, {"steps", "positive"});
}

using sk_test::test_path;

TEST(Errors, NanOrInfInDataIsRejected) {
  auto x = at::randn({10, 2});
  x[3][1] = std::numeric_limits<float>::quiet_NaN();
  write_npy(test_path("nan.npy"), x);
  auto s = base();
  s["data"] = {{"name", "npy"}, {"path", test_path("nan.npy")}};
  expect_error([&] { Trainer t(s); }, {"NaN"});
  x[3][1] = std::numeric_limits<float>::infinity();
  write_npy(test_path("inf.npy"), x);
  s["data"]["path"] = test_path("inf.npy");
  expect_error([&] { Trainer t(s); }, {"Inf"});
}

TEST(Errors, MalformedNpyFilesAreRejected) {
  write_npy(test_path("good.npy"), at::randn({5, 3}));
  std::ifstream in(test_path("good.npy"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  auto write = [](const std::string& path, const std::string& b) { std::ofstream(path, std::ios::binary) << b; };
  write(test_path("truncated.npy"), bytes.substr(0, bytes.size() - 7));
  expect_error([&] { read_npy(test_path("truncated.npy")); }, {"truncated"});
  write(test_path("foreign.npy"), "hello world, not numpy at all");
  expect_error([&] { read_npy(test_path("foreign.npy")); }, {"magic"});
  std::string int_typed = bytes;
  int_typed.replace(int_typed.find("<f4"), 3, "<i4");
  write(test_path("ints.npy"), int_typed);
  expect_error([&] { read_npy(test_path("ints.npy")); }, {"<i4", "float32"});
  expect_error([&] { read_npy(test_path("missing.npy")); }, {"cannot open"});
}

// Headers that once crashed the reader (tests/c/fuzz/regressions/npy): a dimension too long for
// stoull escaped as std::out_of_range; a header of tens of kilobytes overflowed std::regex's stack;
// a zero dimension let huge ones through, whose strides overflowed LibTorch's int64.
TEST(Errors, NpyHeadersThatOnceCrashedTheReaderAreRejected) {
  auto npy = [](const std::string& header) {
    std::string b = "\x93NUMPY\x02";
    b += '\0';
    for (int i = 0; i < 4; ++i) b += static_cast<char>((header.size() >> (8 * i)) & 0xff);
    return b + header;
  };
  auto write = [](const std::string& path, const std::string& b) { std::ofstream(path, std::ios::binary) << b; };
  write(test_path("digits.npy"), npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999,), }\n"));
  expect_error([&] { read_npy(test_path("digits.npy")); }, {"absurd shape"});
  std::string ones;
  for (int i = 0; i < 20000; ++i) ones += "1,";
  write(test_path("dims.npy"), npy("{'descr': '<f4', 'fortran_order': False, 'shape': (" + ones + "), }\n") + "abcd");
  expect_error([&] { read_npy(test_path("dims.npy")); }, {"more than 32 dimensions"});
  // A zero dimension once let any others through; their strides overflowed LibTorch's int64.
  write(test_path("zero.npy"), npy("{'descr': '<f8', 'shape': (0, 511627, 776, 109951162777, 2, 184467440)}\n"));
  expect_error([&] { read_npy(test_path("zero.npy")); }, {"absurd shape"});
  write(test_path("descr.npy"), npy("{'descr': '" + std::string(60000, 'x') + "', 'shape': (1,)}\n"));
  expect_error([&] { read_npy(test_path("descr.npy")); }, {"has dtype xxx", "accepted"});
  // Spacing and key order vary between writers; all are read.
  write(test_path("spaced.npy"), npy("{'shape' :( 2 , ),'fortran_order':False,'descr' : '<f8' }\n") + std::string(16, '\0'));
  auto x = read_npy(test_path("spaced.npy"));
  EXPECT_EQ(x.sizes(), (std::vector<int64_t>{2}));
}

TEST(Errors, MalformedMixtureFileIsRejected) {
  std::ofstream(test_path("bad.json")) << "{\"weights\": [1, 2], \"means\": [[0]]";
  auto s = base();
  s["data"] = {{"name", "mixture"}, {"path", test_path("bad.json")}};
  expect_error([&] { Trainer t(s); }, {"not valid JSON"});
}

TEST(Errors, NpyRoundTripKeepsShapeAndValues) {
  auto x = at::randn({4, 3, 2});
  write_npy(test_path("rt.npy"), x);
  auto y = read_npy(test_path("rt.npy"));
  EXPECT_EQ(y.sizes(), x.sizes());
  EXPECT_TRUE(at::equal(x, y));
}

}  // namespace
