#include "data/image_folder.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "io/image_file.hpp"
#include "util/error.hpp"

namespace scorekit {

namespace fs = std::filesystem;

namespace {

bool is_picture(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

std::vector<fs::path> pictures_in(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && is_picture(e.path())) out.push_back(e.path());
  std::sort(out.begin(), out.end());  // a fixed order, whatever the file system's
  return out;
}

// (C, H, W) uint8 → (C, R, R) uint8: centre crop to a square (or not), then an area-average
// resize when shrinking and bilinear when growing.
at::Tensor fit(const DecodedImage& im, int64_t r, bool crop) {
  auto x = at::from_blob(const_cast<uint8_t*>(im.pixels.data()), {im.height, im.width, im.channels}, at::kByte)
               .permute({2, 0, 1})
               .to(at::kFloat)
               .unsqueeze(0);
  if (crop && im.width != im.height) {
    const int64_t side = std::min(im.width, im.height);
    x = x.narrow(2, (im.height - side) / 2, side).narrow(3, (im.width - side) / 2, side);
  }
  if (x.size(2) != r || x.size(3) != r) {
    if (x.size(2) >= r && x.size(3) >= r) x = at::adaptive_avg_pool2d(x, {r, r});
    else x = at::upsample_bilinear2d(x, at::IntArrayRef(std::vector<int64_t>{r, r}), /*align_corners=*/false);
  }
  return x.squeeze(0).round().clamp(0, 255).to(at::kByte);
}

}  // namespace

ImageFolder::ImageFolder(const Json& spec) {
  SpecReader r(spec, "data 'images'");
  dir_ = r.string("path", "");
  resolution_ = r.positive_integer("resolution", 32);
  channels_ = r.integer("channels", 3);
  crop_ = r.boolean("crop", true);
  with_labels_ = r.boolean("labels", false);
  flip_ = r.boolean("flip", false);
  r.finish();
  if (dir_.empty()) throw Error("data 'images' needs a \"path\" to a folder of PNG or JPEG files");
  if (channels_ != 1 && channels_ != 3) throw Error("data 'images': \"channels\" must be 1 (grey) or 3 (RGB)");
  if (resolution_ > 4096) throw Error("data 'images': \"resolution\" must be at most 4096");
  std::error_code ec;
  if (!fs::is_directory(dir_, ec)) throw IoError("data 'images': cannot open the folder '" + dir_ + "'");

  std::vector<std::pair<fs::path, int64_t>> files;
  if (with_labels_) {
    for (const auto& e : fs::directory_iterator(dir_))
      if (e.is_directory()) classes_.push_back(e.path().filename().string());
    std::sort(classes_.begin(), classes_.end());
    if (classes_.empty()) throw Error("data 'images': \"labels\" needs one sub-directory per class in '" + dir_ + "'");
    for (size_t c = 0; c < classes_.size(); ++c)
      for (const auto& p : pictures_in(fs::path(dir_) / classes_[c])) files.emplace_back(p, static_cast<int64_t>(c));
  } else {
    for (const auto& p : pictures_in(dir_)) files.emplace_back(p, 0);
  }
  if (files.empty()) throw Error("data 'images': no .png, .jpg or .jpeg files in '" + dir_ + "'");

  pixels_ = at::empty({static_cast<int64_t>(files.size()), channels_, resolution_, resolution_}, at::kByte);
  labels_ = at::empty({static_cast<int64_t>(files.size())}, at::kLong);
  std::vector<std::string> bad;
  for (size_t i = 0; i < files.size(); ++i) {
    try {
      pixels_[i].copy_(fit(read_image_file(files[i].first.string(), static_cast<int>(channels_)), resolution_, crop_));
      labels_[i] = files[i].second;
    } catch (const Error& e) {
      bad.push_back(e.what());
    }
  }
  if (!bad.empty()) {
    std::string msg = "data 'images': " + std::to_string(bad.size()) + " of " + std::to_string(files.size()) +
                      " files in '" + dir_ + "' cannot be read; remove or fix them:";
    for (size_t i = 0; i < bad.size() && i < 20; ++i) msg += "\n  " + bad[i];
    if (bad.size() > 20) msg += "\n  ... and " + std::to_string(bad.size() - 20) + " more";
    throw Error(msg);
  }
}

Json ImageFolder::spec() const {
  return {{"name", "images"}, {"path", dir_}, {"resolution", resolution_}, {"channels", channels_},
          {"crop", crop_}, {"labels", with_labels_}, {"flip", flip_}};
}

at::Tensor ImageFolder::sample(int64_t n, at::Generator& gen) const {
  if (n <= 0) throw Error("data: the number of samples must be positive");
  auto idx = at::randint(pixels_.size(0), {n}, gen, at::TensorOptions().dtype(at::kLong));
  auto x = pixels_.index_select(0, idx).to(at::kFloat) / 127.5 - 1;
  if (flip_) {
    auto flip = at::rand({n}, gen) < 0.5;
    x = at::where(flip.view({n, 1, 1, 1}), x.flip({3}), x);
  }
  return x;
}

}  // namespace scorekit
