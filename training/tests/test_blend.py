import pytest
import torch

from training import checkpoint
from training.blend import blend, main, parse_rule
from training.configs import cascade
from training.nn.build import build_net


def _ck(seed, step, vocab=None):
    torch.manual_seed(seed)
    cfg = cascade("tiny", n_vocab=10).base
    net, ema = build_net(cfg), build_net(cfg)
    return {"cascade": "tiny", "config": cfg.to_dict(), "vocab": vocab or list(range(9)), "step": step,
            "model": net.state_dict(), "ema": ema.state_dict(), "opt": None, "extra": {}}


def test_ends_are_the_two_checkpoints_and_the_middle_is_their_mean():
    a, b = _ck(1, 100), _ck(2, 200)
    for alpha, ref in ((0.0, a), (1.0, b)):
        out = blend(a, b, alpha)
        for part in ("model", "ema"):
            for k, v in ref[part].items():
                assert torch.equal(out[part][k], v.float()), (alpha, part, k)
    mid = blend(a, b, 0.25)
    k = next(k for k, v in a["ema"].items() if v.is_floating_point() and v.abs().sum() > 0)
    assert torch.allclose(mid["ema"][k], 0.75 * a["ema"][k] + 0.25 * b["ema"][k], atol=1e-6)
    assert mid["step"] == 200 and mid["opt"] is None
    assert mid["extra"]["blend"] == {"alpha": 0.25, "start_step": 100, "tuned_step": 200}


def test_a_rule_gives_the_tensors_it_names_their_own_alpha():
    a, b = _ck(1, 100), _ck(2, 200)
    names = [k for k, v in a["ema"].items() if v.is_floating_point()]
    picked = names[0]
    out = blend(a, b, 0.5, [parse_rule(f"^{picked}$=1"), parse_rule(".=0.25")])
    # the first rule takes the named tensor to the tuned end; the catch-all rule, listed second,
    # does not override it, and every other tensor sits a quarter of the way
    assert torch.equal(out["ema"][picked], b["ema"][picked].float())
    other = next(k for k in names[1:] if not torch.equal(a["ema"][k], b["ema"][k]))
    assert torch.allclose(out["ema"][other], 0.75 * a["ema"][other] + 0.25 * b["ema"][other], atol=1e-6)
    assert out["extra"]["blend"]["rules"] == [[f"^{picked}$", 1.0], [".", 0.25]]


def test_rules_that_cannot_be_meant_are_refused():
    for bad, message in (("qkv", "REGEX=ALPHA"), ("qkv=x", "not a number"), ("qkv=1.5", "outside 0..1"),
                         ("=0.5", "REGEX=ALPHA")):
        with pytest.raises(ValueError, match=message):
            parse_rule(bad)
    with pytest.raises(ValueError, match="matches no tensor"):
        blend(_ck(1, 100), _ck(2, 200), 0.5, [parse_rule("no_such_layer=1")])


def test_refuses_what_is_not_one_network():
    a = _ck(1, 100)
    with pytest.raises(ValueError, match="outside 0..1"):
        blend(a, _ck(2, 200), 1.5)
    with pytest.raises(ValueError, match="vocabularies"):
        blend(a, _ck(2, 200, vocab=list(range(8))), 0.5)
    other = _ck(2, 200)
    other["config"] = {**other["config"], "model_channels": other["config"]["model_channels"] * 2}
    with pytest.raises(ValueError, match="configs"):
        blend(a, other, 0.5)
    renamed = _ck(2, 200)
    renamed["ema"] = {("x." + k): v for k, v in renamed["ema"].items()}
    with pytest.raises(ValueError, match="different tensors"):
        blend(a, renamed, 0.5)


def test_cli_reads_float16_copies_and_writes_a_loadable_checkpoint(tmp_path):
    cfg = cascade("tiny", n_vocab=10).base
    for name, seed in (("a", 1), ("b", 2)):
        torch.manual_seed(seed)
        (tmp_path / name).mkdir()
        full = str(tmp_path / name / "base.pt")
        checkpoint.save(full, build_net(cfg), cfg, "tiny", list(range(9)), ema=build_net(cfg), step=seed * 10)
        checkpoint.slim(full, str(tmp_path / f"slim-{name}"))
    out = str(tmp_path / "mix" / "base.pt")
    main([str(tmp_path / "slim-a"), str(tmp_path / "slim-b"), "--alpha", "0.5", "--out", out])
    net, _, ck = checkpoint.load_net(out)
    assert ck["extra"]["blend"]["tuned_step"] == 20
    a = checkpoint.load_slim(str(tmp_path / "slim-a"), "base")["ema"]
    b = checkpoint.load_slim(str(tmp_path / "slim-b"), "base")["ema"]
    for k, v in net.state_dict().items():
        assert torch.allclose(v, (a[k] + b[k]) / 2, atol=1e-6), k


def test_eval_reports_name_a_blend_and_not_only_the_tuned_step():
    a, b = _ck(1, 100), _ck(2, 200)
    assert checkpoint.provenance(b) == {"step": 200}
    assert checkpoint.provenance(blend(a, b, 0.7)) == {
        "step": 200, "blend": {"alpha": 0.7, "start_step": 100, "tuned_step": 200}}
