#pragma once
#include <string>

namespace scorekit {
// Writes to PATH.tmp-<pid>, flushes it to disk, then renames over PATH: a crash mid-write leaves
// the old file intact. Throws Error on any failure (and removes the temporary file).
void write_file_atomically(const std::string& path, const std::string& bytes);
}  // namespace scorekit
