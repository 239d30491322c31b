// Image folders: PNG and JPEG files decoded, centre-cropped, resized and scaled exactly as stated;
// labels from sub-directories; every bad file reported by name.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "data/image_folder.hpp"
#include "io/image_file.hpp"
#include "io/png.hpp"
#include "test_support.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

using namespace scorekit;
namespace fs = std::filesystem;

namespace {

std::string image_folder_dir(const std::string& name) { return fresh_test_dir("image_folder_" + name); }

std::vector<uint8_t> ramp(int w, int h, int channels, int offset) {
  std::vector<uint8_t> p(static_cast<size_t>(w) * h * channels);
  for (size_t i = 0; i < p.size(); ++i) p[i] = static_cast<uint8_t>((offset + 7 * i) % 256);
  return p;
}

std::string load_error(const Json& spec) {
  return sk_test::error_of([&] { ImageFolder f(spec); });
}

TEST(ImageFolder, GreyPngAtItsOwnResolutionIsScaledExactly) {
  const auto dir = image_folder_dir("exact");
  const auto pix = ramp(4, 4, 1, 3);
  write_png(dir + "/a.png", 4, 4, 1, pix);
  ImageFolder f({{"name", "images"}, {"path", dir}, {"resolution", 4}, {"channels", 1}});
  EXPECT_EQ(f.sample_shape(), (std::vector<int64_t>{1, 4, 4}));
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 4; ++x) EXPECT_EQ(f.pixels()[0][0][y][x].item<int>(), pix[y * 4 + x]);
  auto gen = make_generator(0);
  auto s = f.sample(2, gen);
  EXPECT_FLOAT_EQ(s[0][0][1][2].item<float>(), pix[6] / 127.5f - 1);
}

TEST(ImageFolder, CentreCropThenAreaResizeAndGreyToRgb) {
  const auto dir = image_folder_dir("crop");
  // 12×8 grey: the centre 8×8 (columns 2..9) holds 2×2 blocks of value 10·(block index); the side
  // columns hold 255, which a centre crop must remove.
  std::vector<uint8_t> pix(12 * 8, 255);
  for (int y = 0; y < 8; ++y)
    for (int x = 2; x < 10; ++x) pix[y * 12 + x] = static_cast<uint8_t>(10 * ((y / 2) * 4 + (x - 2) / 2));
  write_png(dir + "/wide.png", 12, 8, 1, pix);
  ImageFolder f({{"name", "images"}, {"path", dir}, {"resolution", 4}, {"channels", 3}});
  ASSERT_EQ(f.pixels().sizes(), (std::vector<int64_t>{1, 3, 4, 4}));
  for (int c = 0; c < 3; ++c)  // grey copied to R, G and B
    for (int y = 0; y < 4; ++y)
      for (int x = 0; x < 4; ++x) EXPECT_EQ(f.pixels()[0][c][y][x].item<int>(), 10 * (y * 4 + x));
  // Without the crop the whole picture is squeezed: the left column averages 255 and block 0.
  ImageFolder squeezed({{"name", "images"}, {"path", dir}, {"resolution", 4}, {"channels", 1}, {"crop", false}});
  EXPECT_GT(squeezed.pixels()[0][0][0][0].item<int>(), 100);
}

TEST(ImageFolder, JpegAndRgbPngWithLabelsFromSubdirectories) {
  const auto dir = image_folder_dir("labels");
  fs::create_directories(dir + "/dogs");
  fs::create_directories(dir + "/cats");
  write_png(dir + "/cats/c1.png", 6, 6, 3, ramp(6, 6, 3, 0));
  write_png(dir + "/cats/c2.PNG", 6, 6, 3, ramp(6, 6, 3, 50));
  // A flat RGB colour survives JPEG coding within a few levels.
  std::vector<uint8_t> flat(8 * 8 * 3);
  for (size_t i = 0; i < flat.size(); i += 3) {
    flat[i] = 200;
    flat[i + 1] = 100;
    flat[i + 2] = 40;
  }
  write_jpeg(dir + "/dogs/d1.jpg", 8, 8, 3, flat);
  fs::create_directories(dir + "/dogs/notes");
  std::ofstream(dir + "/dogs/readme.txt") << "not a picture, and not named like one";
  ImageFolder f({{"name", "images"}, {"path", dir}, {"resolution", 8}, {"channels", 3}, {"labels", true}});
  EXPECT_EQ(f.class_names(), (std::vector<std::string>{"cats", "dogs"}));
  ASSERT_EQ(f.pixels().size(0), 3);
  EXPECT_EQ(f.labels()[0].item<int64_t>(), 0);
  EXPECT_EQ(f.labels()[1].item<int64_t>(), 0);
  EXPECT_EQ(f.labels()[2].item<int64_t>(), 1);
  const int want[3] = {200, 100, 40};
  for (int c = 0; c < 3; ++c) {
    auto v = f.pixels()[2][c].to(at::kInt);
    EXPECT_LE((v - want[c]).abs().max().item<int>(), 3) << "channel " << c;
  }
  // 6×6 → 8×8 is an upscale (bilinear): the values stay within the picture's range.
  EXPECT_LE(f.pixels()[0].max().item<int>(), 255);
}

TEST(ImageFolder, EveryBadFileIsNamed) {
  const auto dir = image_folder_dir("bad");
  write_png(dir + "/good.png", 4, 4, 1, ramp(4, 4, 1, 0));
  std::ofstream(dir + "/garbage.png") << "this is text pretending to be a PNG";
  write_jpeg(dir + "/cut.jpg", 16, 16, 3, ramp(16, 16, 3, 0));
  fs::resize_file(dir + "/cut.jpg", fs::file_size(dir + "/cut.jpg") / 2);
  const std::string msg = load_error({{"name", "images"}, {"path", dir}, {"resolution", 4}});
  EXPECT_NE(msg.find("2 of 3 files"), std::string::npos) << msg;
  EXPECT_NE(msg.find("garbage.png"), std::string::npos) << msg;
  EXPECT_NE(msg.find("cut.jpg"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("good.png"), std::string::npos) << msg;

  EXPECT_NE(load_error({{"name", "images"}, {"path", dir + "/nowhere"}}).find("cannot open the folder"), std::string::npos);
  const auto empty = image_folder_dir("empty");
  EXPECT_NE(load_error({{"name", "images"}, {"path", empty}}).find("no .png"), std::string::npos);
  EXPECT_NE(load_error({{"name", "images"}, {"path", empty}, {"channels", 2}}).find("channels"), std::string::npos);
  EXPECT_NE(load_error({{"name", "images"}, {"path", empty}, {"labels", true}}).find("sub-directory"), std::string::npos);
  EXPECT_NE(load_error({{"name", "images"}, {"path", empty}, {"size", 3}}).find("unknown key"), std::string::npos);
}

}  // namespace
