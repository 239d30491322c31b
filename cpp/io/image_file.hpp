#pragma once
// Reading one picture: PNG through libpng's simplified API, JPEG through libjpeg(-turbo). A file
// that cannot be decoded is an Error naming it and saying why; nothing is guessed.
#include <cstdint>
#include <string>
#include <vector>

namespace scorekit {

struct DecodedImage {
  int width = 0, height = 0, channels = 0;  // channels: 1 (grey) or 3 (RGB), as asked
  std::vector<uint8_t> pixels;               // row-major, interleaved
};

// Decodes a .png, .jpg or .jpeg file (by its leading bytes, not its name) to `channels` 1 or 3:
// colour is converted to grey and grey to RGB as needed; alpha is dropped (composited on black).
DecodedImage read_image_file(const std::string& path, int channels);

// Writes a baseline JPEG (the tests make fixtures with it).
void write_jpeg(const std::string& path, int width, int height, int channels, const std::vector<uint8_t>& pixels,
                int quality = 95);

}  // namespace scorekit
