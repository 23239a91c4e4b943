"""Starting the base's text encoder from the scorer's: an exact copy of its per-token features."""
import pytest
import torch

from training.configs import cascade
from training.nn.build import build_net
from training.pack import PAD_ID
from training.scorer import Scorer
from training.text_init import init_text_from_scorer


def scorer_features(scorer, tokens):
    t = scorer.text
    return t.final_ln(t.transformer(t.token_embedding(tokens) + t.positional_embedding[None]))


def test_base_text_features_equal_the_scorers_for_prompts_and_padding():
    torch.manual_seed(0)
    vocab = [PAD_ID] + list(range(1, 40))  # compact table: id 0 is the pad token here
    cfg = cascade("s", n_vocab=len(vocab) + 1).base
    net = build_net(cfg).eval()
    scorer = Scorer(len(vocab) + 1, cfg.text_ctx).eval()
    L = cfg.text_ctx
    tokens = torch.tensor([[5, 7, 9] + [0] * (L - 3), [0] * L, list(range(1, L + 1))])
    mask = (tokens != 0).float()
    with torch.no_grad():
        before = net.get_text_emb(tokens, mask)[1].permute(0, 2, 1)
        want = scorer_features(scorer, tokens)
        assert (before - want).abs().max() > 0.1  # independent initialisations differ
        names = init_text_from_scorer(net, scorer, vocab)
        got = net.get_text_emb(tokens, mask)[1].permute(0, 2, 1)
    assert "padding_embedding" in names and "token_embedding.weight" in names
    assert torch.allclose(got, want, atol=1e-5), (got - want).abs().max()


def test_a_different_layout_is_refused_by_name():
    cfg = cascade("s", n_vocab=41).base
    net = build_net(cfg)
    scorer = Scorer(30, cfg.text_ctx)  # another vocabulary size
    with pytest.raises(ValueError, match="token_embedding.weight is \\(30, 128\\) in the scorer"):
        init_text_from_scorer(net, scorer, [PAD_ID] + list(range(1, 40)))
