// Precompiled header for the core: the LibTorch pieces the library uses, parsed once per target.
// Internal only; public headers (capi/include/scorekit.h) never include LibTorch.
#pragma once
#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/optim/adam.h>
#include <torch/autograd.h>
#include <torch/serialize.h>
#include <nlohmann/json.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>
