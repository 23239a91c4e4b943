"""The headline-prompt check: ranks over all subjects, rates, and the subjects it expects."""
import torch

from training.eval_prompts import PROMPT_SUBJECTS, rates, subject_caption, subject_ranks
from training.grid import PROMPTS


class _RowsJudge:
    """Image value v looks up embedding row v (unit vectors given by the test)."""

    def __init__(self, rows):
        self.rows = rows

    def image(self, images):
        return self.rows[images[:, 0, 0, 0].long()]


def _images(values):
    return torch.tensor(values, dtype=torch.float32).view(-1, 1, 1, 1).expand(-1, 3, 2, 2).contiguous()


def test_subject_ranks_count_the_subjects_the_judge_prefers():
    # three subjects on the axes; images between them
    subjects = torch.eye(3)
    rows = torch.nn.functional.normalize(torch.tensor([
        [1.0, 0.0, 0.0],   # subject 0 itself
        [0.6, 0.8, 0.0],   # nearer subject 1, then 0
        [0.1, 0.3, 0.9],   # 2, then 1, then 0
    ]), dim=1)
    ranks = subject_ranks(_RowsJudge(rows), _images([0, 1, 2]), subjects, target=0)
    assert ranks == [1, 2, 3]
    assert subject_ranks(_RowsJudge(rows), _images([2]), subjects, target=2) == [1]


def test_rates_are_shares_at_or_above_each_rank():
    r = rates([1, 2, 5, 6, 30])
    assert r == {"top1": 0.2, "top5": 0.6, "top20": 0.8, "median_rank": 5.0, "n": 5}


def test_subject_caption_is_the_datasets_article_form():
    assert subject_caption("Rocket") == "a rocket"
    assert subject_caption("apple") == "an apple"
    assert subject_caption("flag: Japan") == "a flag: japan"


def test_every_sheet_prompt_has_a_subject_it_names():
    assert set(PROMPT_SUBJECTS) == set(PROMPTS)
    for prompt, subject in PROMPT_SUBJECTS.items():
        head = subject.split()[0]
        assert head in prompt, (prompt, subject)


def test_subject_lists_are_training_labels_prompted_in_the_caption_form(tmp_path, capsys):
    """--subjects FILE prompts each label as "a <label>"; it and --prompts exclude each other, and
    the committed lists hold distinct labels, none of the sheet's (they measure subjects beside it)."""
    import pytest

    from training.data import read_labels
    from training.eval_prompts import main

    path = tmp_path / "s.txt"
    path.write_text("fox\n", encoding="utf-8")
    with pytest.raises(SystemExit) as e:
        main(["--checkpoint", "x.pt", "--judge", "j.pt", "--out", str(tmp_path / "o.json"),
              "--subjects", str(path), "--prompts", "a fox"])
    assert e.value.code == 2 and "not both" in capsys.readouterr().err
    focus = read_labels("training/eval_subjects/focus.txt")
    control = read_labels("training/eval_subjects/control.txt")
    everyday = set(read_labels("training/everyday_subjects.txt"))
    assert len(focus) == len(set(focus)) == 32 and len(control) == len(set(control)) == 32
    assert set(focus) <= everyday and not set(control) & everyday
    assert not set(focus) & set(PROMPT_SUBJECTS.values())
