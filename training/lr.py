"""Learning-rate schedules shared by the diffusion networks' and the scorer's training."""


def cooldown_lr(lr, lr_end, frac):
    """Learning rate a fraction `frac` (0..1) of the way through a run with a linear cooldown.

    A constant rate keeps the weights wandering in the loss's noise (diffusion losses are noisy
    across timesteps); lowering it at the end of a run settles them, which the EMA alone does only
    over its ~1/(1-decay) step horizon. lr_end None: constant."""
    if lr_end is None:
        return lr
    return lr + (lr_end - lr) * min(max(frac, 0.0), 1.0)
