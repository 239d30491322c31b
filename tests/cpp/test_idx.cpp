// The IDX reader against hand-made files, plain and gzipped, including damaged ones, and the
// Fashion-MNIST data set built on it (skipped when Debian's dataset-fashion-mnist is absent).
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "expect.hpp"
#include "data/fashion_mnist.hpp"
#include "io/idx.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"
#include "test_dir.hpp"

using namespace scorekit;

namespace {
using sk_test::expect_error;

using Bytes = std::vector<uint8_t>;
using sk_test::test_path;

Bytes header(uint8_t type, std::vector<uint32_t> dims) {
  Bytes b = {0, 0, type, static_cast<uint8_t>(dims.size())};
  for (auto d : dims)
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<uint8_t>(d >> s));
  return b;
}

std::string write_raw(const std::string& name, const Bytes& b) {
  const auto path = test_path(name);
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), b.size());
  return path;
}

Bytes gzip(const Bytes& in) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  Bytes out(deflateBound(&zs, in.size()) + 32);
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = in.size();
  zs.next_out = out.data();
  zs.avail_out = out.size();
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

Bytes u8_file() {
  auto b = header(0x08, {2, 3, 4});
  for (int i = 0; i < 24; ++i) b.push_back(static_cast<uint8_t>(10 * i));
  return b;
}

}  // namespace

TEST(Idx, ReadsPlainUnsignedBytesInCOrder) {
  auto x = read_idx(write_raw("u8.idx", u8_file()));
  ASSERT_EQ(x.scalar_type(), at::kByte);
  ASSERT_EQ(x.sizes(), (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(x[1][2][3].item<int>(), 230);
  EXPECT_EQ(x[0][1][0].item<int>(), 40);
}

TEST(Idx, ReadsGzippedBigEndianShortsAndFloats) {
  auto s = header(0x0B, {3});
  for (int16_t v : {int16_t(1), int16_t(-2), int16_t(300)}) {
    s.push_back(static_cast<uint8_t>(uint16_t(v) >> 8));
    s.push_back(static_cast<uint8_t>(uint16_t(v) & 0xff));
  }
  auto xs = read_idx(write_raw("i16.idx.gz", gzip(s)));
  ASSERT_EQ(xs.scalar_type(), at::kShort);
  EXPECT_EQ(xs[0].item<int>(), 1);
  EXPECT_EQ(xs[1].item<int>(), -2);
  EXPECT_EQ(xs[2].item<int>(), 300);

  auto f = header(0x0D, {1, 2});
  for (float v : {1.5f, -0.25f}) {
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    for (int sh = 24; sh >= 0; sh -= 8) f.push_back(static_cast<uint8_t>(bits >> sh));
  }
  auto xf = read_idx(write_raw("f32.idx.gz", gzip(f)));
  ASSERT_EQ(xf.scalar_type(), at::kFloat);
  EXPECT_EQ(xf[0][0].item<float>(), 1.5f);
  EXPECT_EQ(xf[0][1].item<float>(), -0.25f);
}

TEST(Idx, WrongMagicIsRefused) {
  auto b = u8_file();
  b[0] = 0x1f;
  b[1] = 0x00;
  expect_error([&] { read_idx(write_raw("magic.idx", b)); }, {"magic.idx", "bad magic"});
  auto t = u8_file();
  t[2] = 0x07;
  expect_error([&] { read_idx(write_raw("type.idx", t)); }, {"unknown type code 0x07"});
}

TEST(Idx, TruncatedAndMisdimensionedFilesAreRefused) {
  auto b = u8_file();
  b.pop_back();
  expect_error([&] { read_idx(write_raw("short.idx", b)); }, {"23 data bytes", "need 24", "truncated"});
  expect_error([&] { read_idx(write_raw("short.idx.gz", gzip(b))); }, {"truncated"});
  const auto full = u8_file();
  Bytes head(full.begin(), full.begin() + 9);
  expect_error([&] { read_idx(write_raw("head.idx", head)); }, {"inside its header"});
  auto wrong = header(0x08, {2, 3, 3});  // declares 18 values, holds 24
  for (int i = 0; i < 24; ++i) wrong.push_back(1);
  expect_error([&] { read_idx(write_raw("dims.idx", wrong)); }, {"trailing bytes or wrong dimensions"});
  auto zero = header(0x08, {});
  expect_error([&] { read_idx(write_raw("zero.idx", zero)); }, {"zero dimensions"});
}

// Empty tensors (tests/c/fuzz/regressions/idx): memcpy into the null buffer of one was undefined
// behaviour, and a zero dimension let huge ones through.
TEST(Idx, AZeroDimensionGivesAnEmptyTensor) {
  auto x = read_idx(write_raw("empty.idx", header(0x08, {3, 0, 2})));
  EXPECT_EQ(x.sizes(), (std::vector<int64_t>{3, 0, 2}));
  auto y = read_idx(write_raw("empty16.idx.gz", gzip(header(0x0B, {0}))));
  EXPECT_EQ(y.numel(), 0);
  // A zero dimension does not let huge ones through: their strides would overflow int64.
  expect_error([&] { read_idx(write_raw("zero.idx", header(0x08, {0, 5, 1u << 31, 1u << 30}))); }, {"absurd shape"});
}

TEST(Idx, DamagedGzipStreamsAreRefused) {
  auto gz = gzip(u8_file());
  Bytes cut(gz.begin(), gz.begin() + gz.size() / 2);
  expect_error([&] { read_idx(write_raw("cut.idx.gz", cut)); }, {"not a valid gzip stream", "truncated"});
  auto flipped = gz;
  flipped[gz.size() - 6] ^= 0xff;  // inside the CRC-32 trailer
  expect_error([&] { read_idx(write_raw("crc.idx.gz", flipped)); }, {"not a valid gzip stream"});
  auto garbage = gz;
  for (size_t i = 10; i < garbage.size() - 8; ++i) garbage[i] = 0xff;
  expect_error([&] { read_idx(write_raw("garbage.idx.gz", garbage)); }, {"not a valid gzip stream"});
  expect_error([&] { read_idx(test_path("does-not-exist.idx")); }, {"cannot open"});
}

TEST(FashionMnist, MissingFilesNameTheDebianPackage) {
  expect_error([] { FashionMnist d(Json{{"name", "fashion-mnist"}, {"path", "/nonexistent/dir"}}); },
               {"dataset-fashion-mnist", "/nonexistent/dir/train-images-idx3-ubyte.gz"});
  expect_error([] { FashionMnist d(Json{{"name", "fashion-mnist"}, {"split", "val"}}); }, {"val", "train", "test"});
}

TEST(FashionMnist, TestSplitIsTenThousandImagesScaledToUnitRange) {
  if (!std::filesystem::exists(FashionMnist::default_dir() + "/t10k-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "Debian package dataset-fashion-mnist is not installed";
  FashionMnist full(Json{{"split", "test"}});
  ASSERT_EQ(full.pixels().sizes(), (std::vector<int64_t>{10000, 1, 28, 28}));
  EXPECT_EQ(full.pixels().max().item<int>(), 255);
  EXPECT_EQ(full.pixels().min().item<int>(), 0);

  FashionMnist d(Json{{"split", "test"}, {"limit", 100}});
  ASSERT_EQ(d.pixels().size(0), 100);
  auto gen = make_generator(0);
  auto x = d.sample(32, gen);
  ASSERT_EQ(x.sizes(), (std::vector<int64_t>{32, 1, 28, 28}));
  EXPECT_GE(x.min().item<float>(), -1.0f);
  EXPECT_LE(x.max().item<float>(), 1.0f);
  EXPECT_EQ(x.min().item<float>(), -1.0f);  // the black background
  EXPECT_TRUE(FashionMnist::to_pixels(FashionMnist::to_unit(d.pixels())).equal(d.pixels()));
  auto deq = FashionMnist::dequantise(d.pixels(), gen);
  EXPECT_GE(deq.min().item<float>(), -1.0f);
  EXPECT_LT(deq.max().item<float>(), 1.0f);
  EXPECT_TRUE(((deq + 1) * 128).floor().to(at::kByte).equal(d.pixels()));
}

TEST(FashionMnist, FlipsMirrorImagesLeftRightAboutHalfTheTime) {
  if (!std::filesystem::exists(FashionMnist::default_dir() + "/train-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "Debian package dataset-fashion-mnist is not installed";
  FashionMnist d(Json{{"flip", true}, {"limit", 1}});
  auto img = FashionMnist::to_unit(d.pixels());
  ASSERT_FALSE(img.equal(img.flip({3})));
  auto gen = make_generator(3);
  auto x = d.sample(200, gen);
  int64_t same = 0, mirrored = 0;
  for (int64_t i = 0; i < 200; ++i) {
    same += x[i].equal(img[0]);
    mirrored += x[i].equal(img[0].flip({2}));
  }
  EXPECT_EQ(same + mirrored, 200);
  EXPECT_GT(same, 70);
  EXPECT_GT(mirrored, 70);
}
