import pytest

from training.lr import cooldown_lr, warmup_factor


def test_constant_without_an_end_rate():
    assert cooldown_lr(3e-4, None, 0.0) == 3e-4
    assert cooldown_lr(3e-4, None, 0.9) == 3e-4


def test_linear_from_start_to_end_rate_and_clamped_outside_the_run():
    assert cooldown_lr(3e-4, 1e-5, 0.0) == pytest.approx(3e-4)
    assert cooldown_lr(3e-4, 1e-5, 0.5) == pytest.approx(1.55e-4)
    assert cooldown_lr(3e-4, 1e-5, 1.0) == pytest.approx(1e-5)
    assert cooldown_lr(3e-4, 1e-5, 1.7) == pytest.approx(1e-5)  # the save after the last step
    assert cooldown_lr(3e-4, 1e-5, -0.1) == pytest.approx(3e-4)


def test_warmup_rises_linearly_then_stays_at_one():
    assert warmup_factor(0, 0) == 1.0  # no warm-up
    assert warmup_factor(0, 200) == pytest.approx(1 / 200)
    assert warmup_factor(99, 200) == pytest.approx(0.5)
    assert warmup_factor(199, 200) == 1.0
    assert warmup_factor(5000, 200) == 1.0
