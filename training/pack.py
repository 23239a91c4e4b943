"""Write a model pack: ONNX files plus model.json (normative description: docs/model-pack.md)."""
import hashlib
import json
import os

import onnx

FORMAT = "diffusion-layers-pack"
FORMAT_VERSION = 1
PAD_ID = 50256
ONNX_TYPES = {1: "float32", 6: "int32", 7: "int64", 9: "bool", 10: "float16"}
FILE_NAMES = {"text_encoder": "text_encoder", "base": "base", "upsampler": "upsampler", "reranker": "reranker"}


def _io(graph: onnx.ModelProto):
    def desc(v):
        t = v.type.tensor_type
        dims = [d.dim_param if d.dim_param else d.dim_value for d in t.shape.dim]
        return {"name": v.name, "type": ONNX_TYPES[t.elem_type], "dims": dims}

    init = {i.name for i in graph.graph.initializer}
    return [desc(v) for v in graph.graph.input if v.name not in init], [desc(v) for v in graph.graph.output]


def _write_graphs(out_dir, stage, per_precision):
    files = []
    for precision, g in per_precision.items():
        data = g.SerializeToString()
        path = f"{FILE_NAMES[stage]}.{precision}.onnx"
        with open(os.path.join(out_dir, path), "wb") as f:
            f.write(data)
        files.append({"precision": precision, "path": path, "bytes": len(data),
                      "sha256": hashlib.sha256(data).hexdigest()})
    inputs, outputs = _io(per_precision["fp32"])
    return {"files": files, "inputs": inputs, "outputs": outputs}


def _schedule(cfg):
    return {"kind": cfg.schedule, "trainingSteps": cfg.diffusion_steps, "prediction": "epsilon",
            "learnedSigma": True}


DEFAULTS = {"sampler": "dpmpp2m", "steps": 20, "guidance": 3.0, "dynamicThreshold": 0.995,
            "upsamplerSampler": "ddim", "upsamplerSteps": 10, "augLevel": 0.15, "upsamplerTemperature": 0.997}


def build_model_json(stage_entries, cascade_cfg, vocab, name, card, defaults=None):
    b, u = cascade_cfg.base, cascade_cfg.upsampler
    tokenizer = {"type": "gpt2-bpe", "encoding": "r50k_base", "lowercase": True,
                 "contextLength": b.text_ctx, "padId": PAD_ID}
    if vocab is not None:
        tokenizer["remap"] = list(vocab)
        tokenizer["unknownId"] = len(vocab)
    return {
        "format": FORMAT,
        "formatVersion": FORMAT_VERSION,
        "name": name,
        "description": card.get("description", ""),
        "license": card.get("license", "MIT"),
        "attribution": card.get("attribution", []),
        "config": cascade_cfg.name,
        "tokenizer": tokenizer,
        "textEncoder": {**stage_entries["text_encoder"], "width": b.xf_width, "projDim": b.model_channels * 4},
        "base": {**stage_entries["base"], "resolution": b.image_size, "textConditioned": True, "inpainting": True,
                 "schedule": _schedule(b)},
        "upsampler": {**stage_entries["upsampler"], "resolution": u.image_size, "lowResolution": u.low_res_size,
                      "textConditioned": bool(u.xf_width), "conditioningAugmentation": True,
                      **({"note": card["upsamplerNote"]} if card.get("upsamplerNote") else {}),
                      "schedule": _schedule(u)},
        "defaults": {**DEFAULTS, **(defaults or {})},
        **({"reranker": card["reranker"]} if "reranker" in card else {}),
        **({"subjects": list(card["subjects"])} if card.get("subjects") else {}),
    }


def write_pack(out_dir, graphs, cascade_cfg, vocab, name, card=None, defaults=None, extra_graphs=None):
    os.makedirs(out_dir, exist_ok=True)
    entries = {stage: _write_graphs(out_dir, stage, per) for stage, per in graphs.items()}
    card = dict(card or {})
    if extra_graphs and "reranker" in extra_graphs:
        r = extra_graphs["reranker"]
        card["reranker"] = {**_write_graphs(out_dir, "reranker", {"fp32": r["fp32"]}), "imageSize": r["imageSize"],
                            "embedDim": r["embedDim"]}
    doc = build_model_json(entries, cascade_cfg, vocab, name, card, defaults)
    with open(os.path.join(out_dir, "model.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    return doc
