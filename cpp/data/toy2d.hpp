#pragma once
#include "data/dataset.hpp"

namespace scorekit {

// The classic 2-D benchmark sets of the flow and score-matching literature, drawn on the fly,
// each scaled to roughly [-4, 4]².
class Toy2d : public Dataset {
 public:
  explicit Toy2d(const Json& spec);
  Json spec() const override;
  std::vector<int64_t> sample_shape() const override { return {2}; }
  at::Tensor sample(int64_t n, at::Generator& gen) const override;
  static std::vector<std::string> names();

 private:
  std::string name_;
  double noise_;
};

}  // namespace scorekit
