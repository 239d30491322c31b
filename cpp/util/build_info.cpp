#include "util/build_info.hpp"

#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <regex>

#include "version.hpp"

namespace scorekit {

namespace {

// LibTorch reports its build as "KEY=value, KEY=value" inside show_config(); a missing or empty key is null.
nlohmann::json config_value(const std::string& config, const std::string& key) {
  std::smatch m;
  if (std::regex_search(config, m, std::regex("[ ,]" + key + "=([^,\\n]*)")) && !m[1].str().empty()) return m[1].str();
  return nullptr;
}

}  // namespace

nlohmann::json build_info() {
  const std::string config = at::show_config();
  const bool cuda_built = config_value(config, "USE_CUDA") == "ON";
  nlohmann::json cuda = cuda_built ? config_value(config, "CUDA_VERSION") : nlohmann::json(nullptr);
  nlohmann::json cudnn = cuda_built ? config_value(config, "CUDNN_VERSION") : nlohmann::json(nullptr);
  const std::string mkldnn = at::hasMKLDNN() ? at::get_mkldnn_version() : "";
  return {{"scorekit", SCOREKIT_VERSION_STRING},
          {"torch", TORCH_VERSION},
          {"cuda", cuda},
          {"cudnn", cudnn},
          {"gpus", cuda_built ? static_cast<int>(torch::cuda::device_count()) : 0},
          {"blas", config_value(config, "BLAS_INFO")},
          {"onednn", mkldnn.empty() ? nlohmann::json(nullptr) : nlohmann::json(mkldnn)},
#if TORCH_VERSION_MAJOR >= 2
          {"cpu_capability", at::get_cpu_capability()},
#endif
          {"openmp", at::hasOpenMP()},
#ifdef USE_C10D_NCCL
          {"nccl", true},
#else
          {"nccl", false},
#endif
          {"threads", at::get_num_threads()}};
}

}  // namespace scorekit
