import json

from training.tools import ship_rule


def _sheet(rocket, fox):
    row = lambda r: {"draws": {"median_rank": r, "top5": 0.0}}  # noqa: E731
    return {"prompts": {"a red heart": row(3), "a rocket": row(rocket), "a fox face": row(fox)}}


def _control(top5s):
    return {"prompts": {f"a s{i}": {"draws": {"top5": t, "median_rank": 10}} for i, t in enumerate(top5s)}}


def _write(tmp_path, name, obj):
    p = tmp_path / name
    p.write_text(json.dumps(obj))
    return str(p)


def test_the_committed_reports_of_the_sheet_focus_fail_on_the_control_subjects():
    # step 84,686 drew rockets and foxes but cost the control subjects 7.8 points (docs/training.md)
    sheet = json.load(open("docs/eval-prompts-step84686-sheetfocus.json"))
    control = json.load(open("docs/eval-prompts-step84686-sheetfocus-control.json"))
    checks = ship_rule.sheet_checks(sheet) + [ship_rule.control_check(control)]
    assert [c[1] for c in checks] == [True, True, False]
    assert checks[2][2].startswith("11.3%")
    assert ship_rule.verdict(checks) == "fails"


def test_each_threshold_is_inclusive_and_a_missing_report_is_not_a_pass():
    assert [c[1] for c in ship_rule.sheet_checks(_sheet(30, 150))] == [True, True]
    assert [c[1] for c in ship_rule.sheet_checks(_sheet(30.5, 150))] == [False, True]
    assert ship_rule.control_check(_control([0.17, 0.17]))[1] is True
    assert ship_rule.control_check(_control([0.25, 0.08]))[1] is False  # mean 16.5 %
    assert ship_rule.val_check({"generated": [{"r_precision_judge": 0.685}]})[1] is True
    assert ship_rule.verdict([("a", True, ""), ("b", None, "")]) == "incomplete"
    assert ship_rule.verdict([("a", True, "")]) == "ship"


def test_psnr_rows_of_both_eval_tools_within_the_slack():
    ref = {"rows": [{"prompt": "empty", "psnr": 13.14}, {"prompt": "caption", "psnr": 16.97}]}
    cand = {"rows": [{"prompt": "empty", "psnr": 12.85}, {"prompt": "caption", "psnr": 16.60}]}
    got = ship_rule.psnr_checks(cand, ref)
    assert [(n, p) for n, p, _ in got] == [("outpaint/empty: PSNR within 0.3 dB", True),
                                           ("outpaint/caption: PSNR within 0.3 dB", False)]
    fill_ref = {"job": "inpaint", "rows": {"emoji/empty": {"psnr": 15.04}, "pdphotos/empty": {"psnr": 18.66}}}
    fill = {"job": "inpaint", "rows": {"emoji/empty": {"psnr": 15.5}}}
    got = ship_rule.psnr_checks(fill, fill_ref)
    assert [p for _, p, _ in got] == [True, None]


def test_cli_exit_status(tmp_path, capsys):
    good = ["--sheet", _write(tmp_path, "s.json", _sheet(20, 100)), "--control", _write(tmp_path, "c.json", _control([0.2]))]
    assert ship_rule.main(good) == 0  # incomplete: no val, outpaint, fills
    assert "verdict: incomplete" in capsys.readouterr().out
    bad = ["--sheet", _write(tmp_path, "s2.json", _sheet(40, 100))]
    assert ship_rule.main(bad) == 1
    assert "FAIL  a rocket" in capsys.readouterr().out
