"""Gaussian diffusion with GLIDE's learned-range variance (improved-diffusion).

Notation: x_t noisy image, x0 clean image, eps noise, abar_t cumulative alpha,
model output [eps, v] with v in [-1, 1] interpolating log-variance between the clipped
posterior variance (v=-1) and beta_t (v=+1) (Nichol & Dhariwal 2021, eq. 15).
"""
import numpy as np
import torch

from .schedule import betas_for, respaced_betas, space_timesteps


class Diffusion:
    def __init__(self, betas: np.ndarray, timestep_map=None):
        self.betas = betas = np.asarray(betas, dtype=np.float64)
        self.num_timesteps = len(betas)
        self.timestep_map = np.arange(len(betas)) if timestep_map is None else np.asarray(timestep_map)
        alphas = 1.0 - betas
        self.abar = np.cumprod(alphas)
        self.abar_prev = np.append(1.0, self.abar[:-1])
        self.posterior_variance = betas * (1.0 - self.abar_prev) / (1.0 - self.abar)
        self.posterior_log_variance_clipped = np.log(
            np.append(self.posterior_variance[1], self.posterior_variance[1:])
        )
        self.posterior_mean_coef1 = betas * np.sqrt(self.abar_prev) / (1.0 - self.abar)
        self.posterior_mean_coef2 = (1.0 - self.abar_prev) * np.sqrt(alphas) / (1.0 - self.abar)

    @classmethod
    def from_schedule(cls, kind: str, steps: int = 1000, respacing: str = ""):
        betas = betas_for(kind, steps)
        if not respacing:
            return cls(betas)
        use = space_timesteps(steps, respacing)
        new_betas, tmap = respaced_betas(np.cumprod(1.0 - betas), use)
        return cls(new_betas, tmap)

    def truncated(self, m: int):
        """The first m respaced steps (indices 0 .. m-1) with every table unchanged: a sampler
        walking it runs only the last m steps of this diffusion, from index m - 1 (an img2img
        start; see sample.upsampler_start)."""
        if not 1 <= m <= self.num_timesteps:
            raise ValueError(f"cannot keep {m} of {self.num_timesteps} steps")
        d = object.__new__(Diffusion)
        for k, v in vars(self).items():  # every per-step table is an array indexed by respaced step
            setattr(d, k, v[:m] if isinstance(v, np.ndarray) else v)
        d.num_timesteps = m
        return d

    def at(self, arr, i, x):
        """arr[i] (i a LongTensor [B]) broadcast to x's shape, as x's dtype."""
        v = torch.as_tensor(arr, dtype=torch.float64)[i.cpu()].to(device=x.device, dtype=x.dtype)
        return v.view(-1, *([1] * (x.dim() - 1)))

    def model_t(self, i):
        """Training-step index the network sees for respaced index i, as float."""
        return torch.as_tensor(self.timestep_map, dtype=torch.float32)[i.cpu()].to(i.device)

    # 1. forward process
    def q_sample(self, x0, i, noise):
        return self.at(np.sqrt(self.abar), i, x0) * x0 + self.at(np.sqrt(1.0 - self.abar), i, x0) * noise

    # 2. posterior q(x_{t-1} | x_t, x0)
    def q_posterior(self, x0, x_t, i):
        mean = self.at(self.posterior_mean_coef1, i, x_t) * x0 + self.at(self.posterior_mean_coef2, i, x_t) * x_t
        return mean, self.at(self.posterior_log_variance_clipped, i, x_t)

    # 3. network output -> x0, eps, log-variance
    def x0_from_eps(self, x_t, i, eps):
        return self.at(np.sqrt(1.0 / self.abar), i, x_t) * x_t - self.at(np.sqrt(1.0 / self.abar - 1), i, x_t) * eps

    def eps_from_x0(self, x_t, i, x0):
        return (self.at(np.sqrt(1.0 / self.abar), i, x_t) * x_t - x0) / self.at(np.sqrt(1.0 / self.abar - 1), i, x_t)

    def model_log_variance(self, v, i, x):
        min_log = self.at(self.posterior_log_variance_clipped, i, x)
        max_log = self.at(np.log(self.betas), i, x)
        frac = (v + 1) / 2
        return frac * max_log + (1 - frac) * min_log
