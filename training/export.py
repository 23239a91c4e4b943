"""ONNX export of a cascade into a model pack.

    python3 -m training.export --checkpoint CKPT.pt --out models/NAME [--fp16]

Graphs (opset 17, dynamic batch; inputs and outputs float32 in every precision):
  text_encoder: tokens int64 [B,L], mask float32 [B,L] -> xf_proj [B,E], xf_out [B,W,L]
  base:         x_t [B,3,S,S], t [B], xf_proj, xf_out, inpaint_image [B,3,S,S], inpaint_mask [B,1,S,S] -> out [B,6,S,S]
  upsampler:    x_t [B,3,H,H], t [B], low_res [B,3,s,s], aug_level [B] (+ xf_proj, xf_out if text-conditioned) -> out
"""
import argparse
import io
import sys

import onnx
import torch

from . import fp16
from .pack import write_pack

OPSET = 17


class TextEncoderGraph(torch.nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, tokens, mask):
        return self.net.get_text_emb(tokens, mask)


class BaseGraph(torch.nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x_t, t, xf_proj, xf_out, inpaint_image, inpaint_mask):
        return self.net.denoise(x_t, t, xf_proj, xf_out, inpaint_image=inpaint_image, inpaint_mask=inpaint_mask)


class UpsamplerGraph(torch.nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x_t, t, low_res, aug_level, xf_proj=None, xf_out=None):
        return self.net.denoise(x_t, t, xf_proj, xf_out, low_res=low_res, aug_level=aug_level)


def example_inputs(stage, cfg, text_cfg, batch=2):
    """Named example inputs of a stage's graph (also used by the parity checks)."""
    g = torch.Generator().manual_seed(1234)
    rn = lambda *s: torch.randn(*s, generator=g)  # noqa: E731
    L, W, E = text_cfg.text_ctx, text_cfg.xf_width, text_cfg.model_channels * 4
    if stage == "text_encoder":
        tokens = torch.randint(0, cfg.n_vocab, (batch, L), generator=g)
        mask = torch.zeros(batch, L)
        mask[:, : max(1, L // 2)] = 1
        return {"tokens": tokens, "mask": mask}
    S = cfg.image_size
    t = torch.tensor([999.0, 10.0][:batch] + [500.0] * max(0, batch - 2))
    if stage == "base":
        m = (torch.rand(batch, 1, S, S, generator=g) > 0.5).float()
        return {"x_t": rn(batch, 3, S, S), "t": t, "xf_proj": rn(batch, E), "xf_out": rn(batch, W, L),
                "inpaint_image": rn(batch, 3, S, S).clamp(-1, 1), "inpaint_mask": m}
    ins = {"x_t": rn(batch, 3, S, S), "t": t, "low_res": rn(batch, 3, cfg.low_res_size, cfg.low_res_size).clamp(-1, 1),
           "aug_level": torch.full((batch,), 0.2)}
    if cfg.xf_width:
        ins.update(xf_proj=rn(batch, cfg.model_channels * 4), xf_out=rn(batch, cfg.xf_width, cfg.text_ctx))
    return ins


OUTPUTS = {"text_encoder": ["xf_proj", "xf_out"], "base": ["out"], "upsampler": ["out"]}


def export_graph(stage, net, cfg, text_cfg) -> onnx.ModelProto:
    module = {"text_encoder": TextEncoderGraph, "base": BaseGraph, "upsampler": UpsamplerGraph}[stage](net).eval()
    ins = example_inputs(stage, cfg, text_cfg)
    names = list(ins)
    dyn = {n: {0: "batch"} for n in names + OUTPUTS[stage]}
    buf = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(module, tuple(ins.values()), buf, input_names=names, output_names=OUTPUTS[stage],
                          dynamic_axes=dyn, opset_version=OPSET, do_constant_folding=True)
    graph = onnx.load_from_string(buf.getvalue())
    # Shape inference leaves made-up symbols (e.g. "Transposexf_out_dim_2") on output dims it
    # cannot follow through reshapes; the pack contract says dims are numbers or "batch", so
    # pin every non-batch output dim to the size the traced run produced.
    for value, out in zip(graph.graph.output, torch_outputs(stage, net, cfg, text_cfg, ins)):
        for j, d in enumerate(value.type.tensor_type.shape.dim):
            if j == 0:
                d.dim_param = "batch"
            else:
                d.dim_value = out.shape[j]
    return graph


def torch_outputs(stage, net, cfg, text_cfg, ins):
    module = {"text_encoder": TextEncoderGraph, "base": BaseGraph, "upsampler": UpsamplerGraph}[stage](net).eval()
    with torch.no_grad():
        out = module(*ins.values())
    return [o.numpy() for o in (out if isinstance(out, tuple) else (out,))]


def export_cascade(base_net, up_net, cascade_cfg, precisions=("fp32",)):
    """{stage: {precision: ModelProto}} for the three stages."""
    b, u = cascade_cfg.base, cascade_cfg.upsampler
    graphs = {"text_encoder": export_graph("text_encoder", base_net, b, b),
              "base": export_graph("base", base_net, b, b),
              "upsampler": export_graph("upsampler", up_net, u, b)}
    result = {}
    for stage, g in graphs.items():
        result[stage] = {"fp32": g}
        if "fp16" in precisions:
            result[stage]["fp16"] = fp16.convert(g) if stage != "text_encoder" else fp16.convert(g, scalar_inputs=())
    return result


def export_reranker(path):
    """The scorer as one graph: image [B,3,R,R] (in [-1,1]), tokens, mask -> score [B]."""
    from .scorer import load

    model, ck = load(path)
    B, R, L = 2, ck["size"], ck["ctx"]
    ins = (torch.zeros(B, 3, R, R), torch.zeros(B, L, dtype=torch.long), torch.ones(B, L))
    names = ["image", "tokens", "mask"]
    buf = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(model, ins, buf, input_names=names, output_names=["score"], opset_version=OPSET,
                          dynamic_axes={n: {0: "batch"} for n in names + ["score"]})
    return {"fp32": onnx.load_from_string(buf.getvalue()), "imageSize": R, "embedDim": 128}


def main(argv=None):
    from .checkpoint import load_cascade

    ap = argparse.ArgumentParser(description="Export a trained cascade checkpoint into a model pack.")
    ap.add_argument("--checkpoint", required=True, help="base checkpoint .pt (its 'cascade' names the config)")
    ap.add_argument("--upsampler-checkpoint", help="upsampler checkpoint .pt (default: same file)")
    ap.add_argument("--out", required=True, help="pack folder to write")
    ap.add_argument("--fp16", action="store_true", help="also write fp16-compute graphs")
    ap.add_argument("--name", default=None)
    ap.add_argument("--card", default=None, help="JSON with license/attribution/description fields")
    ap.add_argument("--scorer", default=None, help="scorer checkpoint to ship as the reranker")
    ap.add_argument("--base-weights", choices=["ema", "raw"], default="ema")
    ap.add_argument("--upsampler-weights", choices=["ema", "raw"], default="ema",
                    help="which weights of the checkpoint to export (pick by evaluation)")
    ap.add_argument("--subjects-from", default=None, metavar="DATA",
                    help="dataset folder whose training labels become model.json's subjects (see training/subjects.py)")
    a = ap.parse_args(argv)
    base_net, up_net, cc, vocab, meta = load_cascade(a.checkpoint, a.upsampler_checkpoint,
                                                          a.base_weights == "ema", a.upsampler_weights == "ema")
    graphs = export_cascade(base_net, up_net, cc, ("fp32", "fp16") if a.fp16 else ("fp32",))
    import json

    card = json.load(open(a.card)) if a.card else {}
    if a.subjects_from:
        from .subjects import read_subjects

        card["subjects"] = read_subjects(a.subjects_from)
    extra = {}
    if a.scorer:
        extra["reranker"] = export_reranker(a.scorer)
    # sampling defaults: the checkpoint's, overridden by the card's (chosen from the evaluation)
    defaults = {**(meta.get("defaults") or {}), **card.pop("defaults", {})}
    write_pack(a.out, graphs, cc, vocab, name=a.name or cc.name, card=card, defaults=defaults,
               extra_graphs=extra)
    print(f"wrote pack to {a.out}")


if __name__ == "__main__":
    sys.exit(main())
