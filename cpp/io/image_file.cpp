#include "io/image_file.hpp"

// jpeglib.h needs FILE and size_t declared first.
#include <cstdio>
#include <cstring>
#include <csetjmp>
#include <fstream>
#include <memory>

#include <jpeglib.h>
#include <png.h>

#include "util/error.hpp"

namespace scorekit {

namespace {

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open '" + path + "'");
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

DecodedImage decode_png(const std::string& bytes, const std::string& path, int channels) {
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size()))
    throw Error("'" + path + "': not a readable PNG (" + image.message + ")");
  image.format = channels == 3 ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
  DecodedImage out{static_cast<int>(image.width), static_cast<int>(image.height), channels, {}};
  out.pixels.resize(PNG_IMAGE_SIZE(image));
  // Alpha is composited on black (background NULL would need the file's own; black is stated).
  png_color black{0, 0, 0};
  if (!png_image_finish_read(&image, &black, out.pixels.data(), 0, nullptr)) {
    const std::string why = image.message;
    png_image_free(&image);
    throw Error("'" + path + "': damaged PNG (" + why + ")");
  }
  return out;
}

// libjpeg reports errors through a callback that must not return: jump back to the decoder.
struct JpegError {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};
void on_jpeg_error(j_common_ptr info) {
  auto* err = reinterpret_cast<JpegError*>(info->err);
  (*info->err->format_message)(info, err->message);
  std::longjmp(err->jump, 1);
}

DecodedImage decode_jpeg(const std::string& bytes, const std::string& path, int channels) {
  jpeg_decompress_struct info;
  JpegError err;
  info.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = on_jpeg_error;
  err.mgr.output_message = [](j_common_ptr) {};  // warnings (e.g. premature end) surface as damage below
  DecodedImage out;
  // Only plain data live across the setjmp; the vector is resized before any libjpeg call can jump.
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&info);
    throw Error("'" + path + "': damaged JPEG (" + err.message + ")");
  }
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&info, TRUE);
  info.out_color_space = channels == 3 ? JCS_RGB : JCS_GRAYSCALE;
  jpeg_start_decompress(&info);
  out.width = static_cast<int>(info.output_width);
  out.height = static_cast<int>(info.output_height);
  out.channels = channels;
  out.pixels.resize(static_cast<size_t>(out.width) * out.height * channels);
  while (info.output_scanline < info.output_height) {
    JSAMPROW row = out.pixels.data() + static_cast<size_t>(info.output_scanline) * out.width * channels;
    jpeg_read_scanlines(&info, &row, 1);
  }
  const bool truncated = info.err->num_warnings > 0;
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  if (truncated) throw Error("'" + path + "': damaged JPEG (the data end early or are corrupt)");
  return out;
}

}  // namespace

DecodedImage read_image_file(const std::string& path, int channels) {
  if (channels != 1 && channels != 3) throw Error("images: channels must be 1 or 3");
  const std::string bytes = read_bytes(path);
  static const char kPng[] = "\x89PNG\r\n\x1a\n";
  if (bytes.size() >= 8 && bytes.compare(0, 8, kPng, 8) == 0) return decode_png(bytes, path, channels);
  if (bytes.size() >= 3 && static_cast<uint8_t>(bytes[0]) == 0xFF && static_cast<uint8_t>(bytes[1]) == 0xD8 &&
      static_cast<uint8_t>(bytes[2]) == 0xFF)
    return decode_jpeg(bytes, path, channels);
  throw Error("'" + path + "': neither a PNG nor a JPEG file");
}

void write_jpeg(const std::string& path, int width, int height, int channels, const std::vector<uint8_t>& pixels,
                int quality) {
  if (width <= 0 || height <= 0 || (channels != 1 && channels != 3) ||
      pixels.size() != static_cast<size_t>(width) * height * channels)
    throw Error("jpeg: pixel buffer does not match " + std::to_string(width) + "x" + std::to_string(height));
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw IoError("cannot write '" + path + "'");
  jpeg_compress_struct info;
  JpegError err;
  info.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = on_jpeg_error;
  if (setjmp(err.jump)) {
    jpeg_destroy_compress(&info);
    std::fclose(f);
    throw Error("jpeg: cannot encode '" + path + "' (" + err.message + ")");
  }
  jpeg_create_compress(&info);
  jpeg_stdio_dest(&info, f);
  info.image_width = width;
  info.image_height = height;
  info.input_components = channels;
  info.in_color_space = channels == 3 ? JCS_RGB : JCS_GRAYSCALE;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, quality, TRUE);
  jpeg_start_compress(&info, TRUE);
  while (info.next_scanline < info.image_height) {
    JSAMPROW row = const_cast<uint8_t*>(pixels.data()) + static_cast<size_t>(info.next_scanline) * width * channels;
    jpeg_write_scanlines(&info, &row, 1);
  }
  jpeg_finish_compress(&info);
  jpeg_destroy_compress(&info);
  if (std::fclose(f) != 0) throw IoError("cannot write '" + path + "'");
}

}  // namespace scorekit
