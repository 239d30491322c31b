#pragma once
#include <string>

namespace scorekit {
// Writes to PATH.tmp-<pid>, flushes it to disk, renames it over PATH and flushes the directory: a
// crash or a full disk at any point leaves either the old PATH or the new one, never a torn file.
// Throws IoError naming PATH and the system's reason on any failure (and removes the temporary
// file). Temporary files that killed writers left beside PATH are removed by the next good write.
void write_file_atomically(const std::string& path, const std::string& bytes);
}  // namespace scorekit
