#include "train/checkpoint_retention.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "util/error.hpp"

namespace scorekit {

namespace fs = std::filesystem;

std::string numbered_checkpoint_path(const std::string& path, int64_t step) {
  const fs::path p(path);
  char number[32];
  std::snprintf(number, sizeof number, "-%08lld", static_cast<long long>(step));
  return (p.parent_path() / (p.stem().string() + number + p.extension().string())).string();
}

int prune_numbered_checkpoints(const std::string& path, int64_t keep) {
  const fs::path p(path);
  const fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
  const std::string prefix = p.stem().string() + "-", ext = p.extension().string();
  std::vector<std::pair<long long, fs::path>> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() <= prefix.size() + ext.size() || name.compare(0, prefix.size(), prefix) != 0 ||
        name.compare(name.size() - ext.size(), ext.size(), ext) != 0)
      continue;
    const std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - ext.size());
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
    found.emplace_back(std::stoll(digits), entry.path());
  }
  if (ec) throw IoError("cannot list '" + dir.string() + "': " + ec.message());
  std::sort(found.begin(), found.end());
  int removed = 0;
  for (size_t i = 0; i + static_cast<size_t>(keep) < found.size(); ++i) {
    if (!fs::remove(found[i].second, ec) || ec) throw IoError("cannot remove '" + found[i].second.string() + "': " + ec.message());
    ++removed;
  }
  return removed;
}

}  // namespace scorekit
