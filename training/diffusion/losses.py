"""Training loss: L_hybrid = L_simple + lambda * L_vlb (Nichol & Dhariwal 2021, sec. 3.1).

L_vlb gets a stop-gradient on the mean (only the variance learns from it); with lambda =
0.001 and L_vlb = T * E_t[L_t], each sample contributes mse + L_t * T / 1000.
"""
import math

import numpy as np
import torch


def normal_kl(mean1, logvar1, mean2, logvar2):
    return 0.5 * (-1.0 + logvar2 - logvar1 + torch.exp(logvar1 - logvar2) + (mean1 - mean2) ** 2 * torch.exp(-logvar2))


def approx_standard_normal_cdf(x):
    return 0.5 * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))


def discretized_gaussian_log_likelihood(x, means, log_scales):
    """Log-likelihood of 8-bit data x in [-1, 1] under a discretised Gaussian (DDPM decoder)."""
    centered = x - means
    inv_stdv = torch.exp(-log_scales)
    cdf_plus = approx_standard_normal_cdf(inv_stdv * (centered + 1.0 / 255.0))
    cdf_min = approx_standard_normal_cdf(inv_stdv * (centered - 1.0 / 255.0))
    log_cdf_plus = torch.log(cdf_plus.clamp(min=1e-12))
    log_one_minus_cdf_min = torch.log((1.0 - cdf_min).clamp(min=1e-12))
    cdf_delta = cdf_plus - cdf_min
    return torch.where(
        x < -0.999, log_cdf_plus,
        torch.where(x > 0.999, log_one_minus_cdf_min, torch.log(cdf_delta.clamp(min=1e-12))),
    )


def min_snr_weight(diffusion, idx, gamma: float):
    """Min-SNR-gamma weights [B] for an epsilon-predicting network (Hang et al. 2023, eq. 11):
    min(SNR(t), gamma) / SNR(t), with SNR(t) = abar / (1 - abar).

    Why: with plain L_simple the nearly clean steps (SNR in the thousands) pull the shared weights
    towards fine detail and away from the noisy steps where the layout of the picture, and so which
    object it is, gets decided. Capping their weight at gamma / SNR lets a network that is short of
    capacity spend it on the noisy steps; steps with SNR <= gamma keep weight 1.
    """
    snr = diffusion.abar / (1.0 - diffusion.abar)
    w = np.minimum(snr, gamma) / snr
    return torch.as_tensor(w, dtype=torch.float32)[idx.cpu()].to(idx.device)


def hybrid_loss(diffusion, net_out, x0, x_t, idx, noise, mse_weight=None):
    """Per-sample loss [B] and its parts for logging.

    `mse_weight` [B] (e.g. min_snr_weight) scales the L_simple term inside the loss only; the `mse`
    returned stays unweighted, so logs of weighted and unweighted runs compare.
    """
    eps, v = net_out[:, :3], net_out[:, 3:]
    mse = ((noise - eps) ** 2).mean(dim=(1, 2, 3))
    frozen_x0 = diffusion.x0_from_eps(x_t, idx, eps.detach())
    mean, _ = diffusion.q_posterior(frozen_x0, x_t, idx)
    log_var = diffusion.model_log_variance(v, idx, x_t)
    true_mean, true_log_var = diffusion.q_posterior(x0, x_t, idx)
    kl = normal_kl(true_mean, true_log_var, mean, log_var).mean(dim=(1, 2, 3)) / np.log(2.0)
    nll = -discretized_gaussian_log_likelihood(x0, mean, 0.5 * log_var).mean(dim=(1, 2, 3)) / np.log(2.0)
    vb = torch.where(idx == 0, nll, kl) * (diffusion.num_timesteps / 1000.0)
    weighted = mse if mse_weight is None else mse * mse_weight
    return weighted + vb, mse, vb
