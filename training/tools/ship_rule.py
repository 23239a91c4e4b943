"""The rule a candidate base must pass to replace the shipped one, applied to eval reports.

Written down before the sheet-focus experiments were measured (docs/training.md, issue 5) so
that a run is judged by what was decided beforehand, not by what it happened to do well:

- the sheet's rocket drawn: median rank of "a rocket" at most 30 among all subjects (single
  draws, eval_prompts.py), and the fox: "a fox face" at most 150;
- the other subjects keep theirs: the control list's mean top-5 at least 17 % (77,249: 19.1 %);
- the validation captions: the judge's R-precision of generated images at least 68.5 % (70.5 %);
- fills, Expand and outpainting: each PSNR row within 0.3 dB of the shipped model's, or better;
- rainbows on the sample sheet (the judge cannot name a rainbow): looked at, not computed here.

    PYTHONPATH=. python3 training/tools/ship_rule.py --sheet cand-sheet.json --control cand-control.json \\
        --val cand-val.json --outpaint cand-outpaint.json --outpaint-ref docs/eval-outpaint-step77249-frames.json

Prints one line a criterion and exits 1 when any measured one fails; a criterion whose report is
not given is listed as not measured (so the verdict cannot be "ship").
"""
import argparse
import json
import sys

ROCKET_MAX, FOX_MAX = 30.0, 150.0
CONTROL_MIN, VAL_MIN, PSNR_SLACK = 0.17, 0.685, 0.3


def _load(path):
    with open(path) as f:
        return json.load(f)


def sheet_checks(sheet):
    ranks = {k: v["draws"]["median_rank"] for k, v in sheet["prompts"].items()}
    out = []
    for prompt, limit in (("a rocket", ROCKET_MAX), ("a fox face", FOX_MAX)):
        if prompt not in ranks:
            out.append((f"{prompt}: median rank <= {limit:g}", None, "not in the report"))
        else:
            out.append((f"{prompt}: median rank <= {limit:g}", ranks[prompt] <= limit, f"{ranks[prompt]:g}"))
    return out


def control_check(control):
    rows = [v["draws"]["top5"] for v in control["prompts"].values()]
    mean = sum(rows) / len(rows)
    return (f"control subjects: mean top-5 >= {CONTROL_MIN:.0%}", mean >= CONTROL_MIN, f"{mean:.1%} of {len(rows)}")


def val_check(val):
    rp = val["generated"][0]["r_precision_judge"]
    return (f"validation judge R-precision >= {VAL_MIN:.1%}", rp >= VAL_MIN, f"{rp:.1%}")


def _psnr_rows(report):
    """{row name: PSNR} of an eval_outpaint.py or eval_fill.py report."""
    if "rows" in report and isinstance(report["rows"], list):  # eval_outpaint.py
        return {f"outpaint/{r['prompt']}": r["psnr"] for r in report["rows"]}
    return {f"{report.get('job', 'fill')}/{k}": v["psnr"] for k, v in report["rows"].items()}


def psnr_checks(candidate, reference):
    cand, ref = _psnr_rows(candidate), _psnr_rows(reference)
    out = []
    for name, want in ref.items():
        if name not in cand:
            out.append((f"{name}: PSNR within {PSNR_SLACK} dB", None, "not in the candidate's report"))
            continue
        out.append((f"{name}: PSNR within {PSNR_SLACK} dB", cand[name] >= want - PSNR_SLACK,
                    f"{cand[name]:.2f} dB (shipped {want:.2f}, {cand[name] - want:+.2f})"))
    return out


def verdict(checks):
    """'ship', 'fails' or 'incomplete' for [(criterion, passed or None, detail)]."""
    if any(p is False for _, p, _ in checks):
        return "fails"
    return "incomplete" if any(p is None for _, p, _ in checks) else "ship"


def main(argv=None):
    ap = argparse.ArgumentParser(description="Apply the ship rule for a new default base to its eval reports.")
    ap.add_argument("--sheet", help="eval_prompts.py on the sheet's prompts")
    ap.add_argument("--control", help="eval_prompts.py --subjects training/eval_subjects/control.txt --candidates 1")
    ap.add_argument("--val", help="eval.py on the validation captions (its first row: ddpm:50:5:static)")
    ap.add_argument("--outpaint", help="eval_outpaint.py (empty and caption)")
    ap.add_argument("--outpaint-ref", help="the same for the shipped model")
    ap.add_argument("--fill", action="append", default=[], help="training/tools/eval_fill.py (inpaint, expand); repeatable")
    ap.add_argument("--fill-ref", action="append", default=[], help="the shipped model's, in the same order")
    a = ap.parse_args(argv)
    checks = []
    checks += sheet_checks(_load(a.sheet)) if a.sheet else [("the sheet's rocket and fox", None, "no --sheet")]
    checks.append(control_check(_load(a.control)) if a.control else ("control subjects", None, "no --control"))
    checks.append(val_check(_load(a.val)) if a.val else ("validation judge", None, "no --val"))
    if a.outpaint and a.outpaint_ref:
        checks += psnr_checks(_load(a.outpaint), _load(a.outpaint_ref))
    else:
        checks.append(("outpainting", None, "no --outpaint / --outpaint-ref"))
    if len(a.fill) != len(a.fill_ref):
        ap.error("give one --fill-ref for each --fill")
    for cand, ref in zip(a.fill, a.fill_ref):
        checks += psnr_checks(_load(cand), _load(ref))
    if not a.fill:
        checks.append(("fills and Expand", None, "no --fill / --fill-ref"))
    checks.append(("rainbows on the sample sheet", None, "look at it"))
    for name, passed, detail in checks:
        mark = {True: "pass", False: "FAIL", None: "----"}[passed]
        print(f"{mark}  {name}: {detail}")
    v = verdict(checks[:-1])  # the rainbow is looked at, not computed
    print(f"verdict: {v}" + (" (once the sample sheet shows rainbows)" if v == "ship" else ""))
    return 1 if v == "fails" else 0


if __name__ == "__main__":
    sys.exit(main())
