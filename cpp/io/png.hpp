#pragma once
// PNG pictures through libpng: a density plot of 2-D samples and a grid of images.
#include <ATen/ATen.h>

#include <string>

namespace scorekit {

// 8-bit RGB or grey pixels, row-major; channels is 1 or 3.
void write_png(const std::string& path, int width, int height, int channels, const std::vector<uint8_t>& pixels);

// A log-density picture of (n, 2) points on a square canvas over [-limit, limit]²
// (limit <= 0: from the data's 99.5% quantile).
void write_scatter_png(const std::string& path, const at::Tensor& points, int size = 512, double limit = 0);

// (N, C, H, W) images in [-1, 1] tiled into a grid with `columns` columns and a 2-pixel border.
void write_grid_png(const std::string& path, const at::Tensor& images, int columns = 0);

}  // namespace scorekit
