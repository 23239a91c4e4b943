"""Noise schedules and respacing (GLIDE: gaussian_diffusion.py, respace.py).

Notation: T training steps, beta_t noise added at step t, abar_t = prod_{s<=t} (1 - beta_s).
All arrays are float64 numpy, like GLIDE.
"""
import math

import numpy as np


def cosine_alpha_bar(s):
    """Continuous abar(s) for s in [0, 1] (Nichol & Dhariwal 2021, eq. 17, unnormalised)."""
    return math.cos((s + 0.008) / 1.008 * math.pi / 2) ** 2


def betas_for(kind: str, steps: int) -> np.ndarray:
    if kind == "linear":
        scale = 1000 / steps
        return np.linspace(scale * 0.0001, scale * 0.02, steps, dtype=np.float64)
    if kind == "squaredcos_cap_v2":
        return np.array(
            [min(1 - cosine_alpha_bar((i + 1) / steps) / cosine_alpha_bar(i / steps), 0.999) for i in range(steps)],
            dtype=np.float64,
        )
    raise ValueError(f"schedule kind {kind!r}: expected 'linear' or 'squaredcos_cap_v2'")


def space_timesteps(num_timesteps: int, section_counts) -> set:
    """Which training steps a respaced sampler visits (GLIDE respace.py semantics).

    "ddimN": the evenly strided range(0, T, stride) with exactly N elements;
    "fast27": sections "10,10,3,2,2" with T-1 swapped for T-3;
    "a,b,c" or "N": split [0, T) into equal sections, take that many evenly spaced steps in each.
    """
    if isinstance(section_counts, str):
        if section_counts.startswith("ddim"):
            desired = int(section_counts[len("ddim"):])
            for stride in range(1, num_timesteps):
                if len(range(0, num_timesteps, stride)) == desired:
                    return set(range(0, num_timesteps, stride))
            raise ValueError(f"cannot create exactly {desired} steps with an integer stride from {num_timesteps}")
        if section_counts == "fast27":
            steps = space_timesteps(num_timesteps, "10,10,3,2,2")
            steps.remove(num_timesteps - 1)  # avoid the noisiest step (DDIM artefacts)
            steps.add(num_timesteps - 3)
            return steps
        section_counts = [int(x) for x in section_counts.split(",")]
    size_per, extra = divmod(num_timesteps, len(section_counts))
    start, all_steps = 0, []
    for i, count in enumerate(section_counts):
        size = size_per + (1 if i < extra else 0)
        if size < count:
            raise ValueError(f"cannot divide section of {size} steps into {count}")
        stride = 1 if count <= 1 else (size - 1) / (count - 1)
        cur = 0.0
        for _ in range(count):
            all_steps.append(start + round(cur))
            cur += stride
        start += size
    return set(all_steps)


def respaced_betas(alphas_cumprod: np.ndarray, use_timesteps) -> tuple:
    """Betas of the respaced process and the map respaced index -> training step."""
    last, betas, timestep_map = 1.0, [], []
    for i, abar in enumerate(alphas_cumprod):
        if i in use_timesteps:
            betas.append(1 - abar / last)
            last = abar
            timestep_map.append(i)
    return np.array(betas, dtype=np.float64), np.array(timestep_map, dtype=np.int64)


def aug_alpha_bar(level):
    """abar of the conditioning-augmentation noise at `level` in [0, 1] (normalised cosine)."""
    return cosine_alpha_bar(level) / cosine_alpha_bar(0.0)
