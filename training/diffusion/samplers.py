"""Reference samplers over one denoiser contract (the TypeScript engine must match these).

Contract: `denoise(x, t)` with x [B,3,S,S] and t [B] float (training-step index) returns
[B,6,S,S]: eps and GLIDE's variance channels. `diffusion` is a (respaced) Diffusion;
`process_x0` maps predicted x0 (thresholding, inpainting). Sampling walks respaced index
i = N-1 ... 0. `callback(step, total, x0)` reports progress.
"""
import numpy as np
import torch


def _predict(diffusion, denoise, x, i, process_x0):
    idx = torch.full((x.shape[0],), i, dtype=torch.long)
    out = denoise(x, diffusion.model_t(idx))
    eps, v = out[:, :3], out[:, 3:]
    x0 = process_x0(diffusion.x0_from_eps(x, idx, eps))
    return idx, x0, v


def ddpm(diffusion, denoise, x_T, noises, process_x0=lambda x0: x0, callback=None):
    """Ancestral sampling with the learned variance (Ho et al. 2020; Nichol & Dhariwal 2021).

    noises[k] is the noise of the k-th step (k = 0 at i = N-1); the last step adds none.
    """
    x, n = x_T, diffusion.num_timesteps
    for k, i in enumerate(range(n - 1, -1, -1)):
        idx, x0, v = _predict(diffusion, denoise, x, i, process_x0)
        mean, _ = diffusion.q_posterior(x0, x, idx)
        log_var = diffusion.model_log_variance(v, idx, x)
        x = mean + (torch.exp(0.5 * log_var) * noises[k] if i > 0 else 0.0)
        if callback:
            callback(k + 1, n, x0)
    return x


def ddim(diffusion, denoise, x_T, eta=0.0, noises=None, process_x0=lambda x0: x0, callback=None):
    """DDIM (Song et al. 2021, eq. 12); eps is re-derived from the processed x0 as in GLIDE."""
    x, n = x_T, diffusion.num_timesteps
    for k, i in enumerate(range(n - 1, -1, -1)):
        idx, x0, _ = _predict(diffusion, denoise, x, i, process_x0)
        eps = diffusion.eps_from_x0(x, idx, x0)
        abar = diffusion.at(diffusion.abar, idx, x)
        abar_prev = diffusion.at(diffusion.abar_prev, idx, x)
        sigma = eta * torch.sqrt((1 - abar_prev) / (1 - abar)) * torch.sqrt(1 - abar / abar_prev)
        x = x0 * torch.sqrt(abar_prev) + torch.sqrt(1 - abar_prev - sigma**2) * eps
        if eta > 0 and i > 0:
            x = x + sigma * noises[k]
        if callback:
            callback(k + 1, n, x0)
    return x


def dpmpp_2m(diffusion, denoise, x_T, process_x0=lambda x0: x0, callback=None):
    """DPM-Solver++(2M) (Lu et al. 2022, Algorithm 2) on the respaced steps.

    With alpha_i = sqrt(abar_i), sigma_i = sqrt(1 - abar_i), lambda_i = log(alpha_i / sigma_i):
      1. x0_k = D(x, t_k)
      2. h = lambda_next - lambda_cur
      3. first step or final step (to sigma = 0): D = x0_k; else r = h_prev / h,
         D = (1 + 1/(2r)) x0_k - 1/(2r) x0_{k-1}
      4. x <- (sigma_next / sigma_cur) x - alpha_next (exp(-h) - 1) D
    The final transition goes from i = 0 to the clean image (sigma = 0), where x = D.
    """
    x, n = x_T, diffusion.num_timesteps
    abar = diffusion.abar
    lam = lambda a: 0.5 * np.log(a / (1 - a))  # noqa: E731
    x0_prev, h_prev = None, None
    for k, i in enumerate(range(n - 1, -1, -1)):
        _, x0, _ = _predict(diffusion, denoise, x, i, process_x0)
        if i == 0:
            x = x0
        else:
            a_cur, a_next = abar[i], abar[i - 1]
            h = lam(a_next) - lam(a_cur)
            d = x0
            if x0_prev is not None:
                r = h_prev / h
                d = (1 + 1 / (2 * r)) * x0 - (1 / (2 * r)) * x0_prev
            sig_ratio = float(np.sqrt((1 - a_next) / (1 - a_cur)))
            x = sig_ratio * x - float(np.sqrt(a_next) * np.expm1(-h)) * d
            x0_prev, h_prev = x0, h
        if callback:
            callback(k + 1, n, x0)
    return x


SAMPLERS = {"ddpm": ddpm, "ddim": ddim, "dpmpp2m": dpmpp_2m}
