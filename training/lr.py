"""Learning-rate schedules shared by the diffusion networks' and the scorer's training."""


def cooldown_lr(lr, lr_end, frac):
    """Learning rate a fraction `frac` (0..1) of the way through a run with a linear cooldown.

    A constant rate keeps the weights wandering in the loss's noise (diffusion losses are noisy
    across timesteps); lowering it at the end of a run settles them, which the EMA alone does only
    over its ~1/(1-decay) step horizon. lr_end None: constant."""
    if lr_end is None:
        return lr
    return lr + (lr_end - lr) * min(max(frac, 0.0), 1.0)


def warmup_factor(steps_done, warmup_steps):
    """Linear warm-up factor (0..1] for the first `warmup_steps` optimizer steps of a run.

    A run resumed from a float16 copy restarts Adam without its moments; Adam's first updates then
    move every weight by about the full learning rate whatever its gradient's size, which jolts a
    trained network, and more so at a large batch's larger rate. 0 steps: no warm-up."""
    if warmup_steps <= 0:
        return 1.0
    return min(1.0, (steps_done + 1) / warmup_steps)
