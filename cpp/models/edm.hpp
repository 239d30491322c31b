#pragma once
// EDM preconditioning (Karras et al. 2022, "Elucidating the design space...", table 1) and the
// map between an affine SDE's time t and EDM's noise level σ.
//
// An affine SDE has x_t = α(t) x_0 + s(t) z. Dividing by α gives x̃ = x_t / α = x_0 + σ z with
// σ(t) = s(t) / α(t): the variance-exploding form EDM is written in (VE: α = 1, σ = s). EDM's
// denoiser D(x̃; σ) = c_skip x̃ + c_out F(c_in x̃; c_noise) estimates E[x_0 | x̃], and Tweedie's
// formula gives the score ∇x̃ log p(x̃; σ) = (D − x̃) / σ², hence ∇x log p_t(x) = (D − x̃) / (α σ²).
#include <ATen/ATen.h>

#include "sde/sde.hpp"

namespace scorekit {

struct EdmScalings {
  at::Tensor c_skip, c_out, c_in, c_noise;  // each shaped like σ
};

// c_skip = σ_d² / (σ² + σ_d²), c_out = σ σ_d / √(σ² + σ_d²), c_in = 1 / √(σ² + σ_d²),
// c_noise = ln(σ) / 4. They keep the network's input and training target at unit variance.
EdmScalings edm_scalings(const at::Tensor& sigma, double sigma_data);

// σ(t) = s(t) / α(t) for an affine SDE; (B) → (B).
at::Tensor edm_sigma(const Sde& sde, const at::Tensor& t);
// The inverse, t(σ), by bisection on [0, T] (σ(t) is increasing for every SDE here); σ beyond
// σ(T) maps to T and σ below σ(0) to 0.
at::Tensor edm_time(const Sde& sde, const at::Tensor& sigma);

}  // namespace scorekit
