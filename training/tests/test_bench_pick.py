"""tools/bench_step.pick: the speed-ups gpu_session.sh SPEED=auto passes to train.py."""
from training.tools.bench_step import pick


def _row(variant, img_per_s, setup_s, bench=False, **more):
    return {"variant": variant, "batch": 512, "cudnn_benchmark": bench, "img_per_s": img_per_s,
            "setup_s": setup_s, **more}


def test_a_compile_that_costs_more_than_it_saves_loses_a_short_run_and_wins_a_long_one():
    rows = [_row("plain", 1000, 2), _row("compile", 2000, 400)]
    # 8 minutes: plain 1000 x 478 s = 478k images, compiled 2000 x 80 s = 160k
    assert pick(rows, 480) == []
    # an hour: plain 3.6 M, compiled 6.4 M
    assert pick(rows, 3600) == ["--compile"]


def test_combined_variants_give_both_flags_and_failed_or_benchmark_rows_never_win():
    rows = [_row("plain", 1000, 2), _row("channels_last+compile", 1500, 30),
            _row("compile", 0, 0, error="no compiler"), _row("channels_last", 9000, 1, bench=True)]
    assert pick(rows, 480) == ["--channels-last", "--compile"]
    assert pick([_row("compile", 0, 0, error="no compiler")], 480) == []
