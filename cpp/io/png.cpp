#include "io/png.hpp"

#include <png.h>

#include <cmath>
#include <cstring>

#include "io/atomic_file.hpp"
#include "util/error.hpp"

namespace scorekit {

void write_png(const std::string& path, int width, int height, int channels, const std::vector<uint8_t>& pixels) {
  if (width <= 0 || height <= 0 || (channels != 1 && channels != 3) ||
      pixels.size() != static_cast<size_t>(width) * height * channels)
    throw Error("png: pixel buffer does not match " + std::to_string(width) + "x" + std::to_string(height));
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = width;
  image.height = height;
  image.format = channels == 3 ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
  png_alloc_size_t size = 0;
  if (!png_image_write_to_memory(&image, nullptr, &size, 0, pixels.data(), 0, nullptr))
    throw Error(std::string("png: ") + image.message);
  std::string bytes(size, '\0');
  if (!png_image_write_to_memory(&image, &bytes[0], &size, 0, pixels.data(), 0, nullptr))
    throw Error(std::string("png: ") + image.message);
  bytes.resize(size);
  write_file_atomically(path, bytes);
}

void write_scatter_png(const std::string& path, const at::Tensor& points_in, int size, double limit) {
  auto p = points_in.detach().cpu().to(at::kDouble);
  if (p.dim() != 2 || p.size(1) != 2) throw Error("png: a scatter plot needs (n, 2) points");
  auto finite = at::isfinite(p).all(1);
  p = p.index({finite});
  if (limit <= 0) limit = p.numel() ? at::quantile(p.abs().flatten(), 0.995).item<double>() * 1.1 : 1.0;
  if (!(limit > 0)) limit = 1.0;
  std::vector<double> hist(static_cast<size_t>(size) * size, 0.0);
  auto acc = p.accessor<double, 2>();
  for (int64_t i = 0; i < p.size(0); ++i) {
    const int col = static_cast<int>((acc[i][0] + limit) / (2 * limit) * size);
    const int row = static_cast<int>((limit - acc[i][1]) / (2 * limit) * size);  // y up
    if (col >= 0 && col < size && row >= 0 && row < size) hist[static_cast<size_t>(row) * size + col] += 1;
  }
  double peak = 0;
  for (double h : hist) peak = std::max(peak, h);
  std::vector<uint8_t> rgb(static_cast<size_t>(size) * size * 3, 255);
  for (size_t i = 0; i < hist.size(); ++i) {
    if (hist[i] <= 0) continue;
    const double v = std::log1p(hist[i]) / std::log1p(peak);  // 0..1, log scale
    rgb[3 * i + 0] = static_cast<uint8_t>(255 * (1 - v) * 0.85);
    rgb[3 * i + 1] = static_cast<uint8_t>(255 * (1 - v) * 0.55 + 30 * v);
    rgb[3 * i + 2] = static_cast<uint8_t>(255 * (1 - 0.6 * v));
  }
  // Faint axes through the origin help judge the scale.
  for (int k = 0; k < size; ++k)
    for (int c = 0; c < 3; ++c) {
      auto& a = rgb[(static_cast<size_t>(size / 2) * size + k) * 3 + c];
      auto& b = rgb[(static_cast<size_t>(k) * size + size / 2) * 3 + c];
      a = std::min<uint8_t>(a, 225);
      b = std::min<uint8_t>(b, 225);
    }
  write_png(path, size, size, 3, rgb);
}

void write_grid_png(const std::string& path, const at::Tensor& images_in, int columns) {
  auto x = images_in.detach().cpu().to(at::kFloat);
  if (x.dim() == 3) x = x.unsqueeze(1);
  if (x.dim() != 4 || (x.size(1) != 1 && x.size(1) != 3)) throw Error("png: an image grid needs (N, 1|3, H, W) images");
  const int n = x.size(0), ch = x.size(1), h = x.size(2), w = x.size(3);
  if (columns <= 0) columns = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n))));
  const int rows = (n + columns - 1) / columns, pad = 2;
  const int W = columns * (w + pad) + pad, H = rows * (h + pad) + pad;
  std::vector<uint8_t> pix(static_cast<size_t>(W) * H * ch, 255);
  auto u8 = ((x.clamp(-1, 1) + 1) * 127.5).round().to(at::kByte).contiguous();
  auto a = u8.accessor<uint8_t, 4>();
  for (int i = 0; i < n; ++i) {
    const int r0 = pad + (i / columns) * (h + pad), c0 = pad + (i % columns) * (w + pad);
    for (int y = 0; y < h; ++y)
      for (int xx = 0; xx < w; ++xx)
        for (int c = 0; c < ch; ++c) pix[(static_cast<size_t>(r0 + y) * W + c0 + xx) * ch + c] = a[i][c][y][xx];
  }
  write_png(path, W, H, ch, pix);
}

}  // namespace scorekit
