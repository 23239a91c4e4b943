"""`python3 -m training.export` end to end on tiny checkpoints: files, hashes, model.json fields."""
import hashlib
import json
import os

import torch

from training import checkpoint
from training.configs import cascade
from training.export import main as export_main
from training.nn.build import build_net


def test_export_cli_writes_a_valid_pack(tmp_path):
    vocab = [11, 64, 2266, 2612, 50256]
    cc = cascade("tiny", n_vocab=len(vocab) + 1)
    torch.manual_seed(0)
    for stage, cfg in (("base", cc.base), ("upsampler", cc.upsampler)):
        checkpoint.save(str(tmp_path / f"{stage}.pt"), build_net(cfg), cfg, "tiny", vocab, step=7)
    out = tmp_path / "pack"
    card = tmp_path / "card.json"
    card.write_text(json.dumps({"license": "MIT", "attribution": [{"source": "x", "license": "MIT", "notice": "n"}],
                                "upsamplerNote": "emoji only"}))
    data = tmp_path / "data"
    data.mkdir()
    (data / "manifest.jsonl").write_text(json.dumps({"label": "red heart", "split": "train"}) + "\n")
    export_main(["--checkpoint", str(tmp_path / "base.pt"), "--upsampler-checkpoint", str(tmp_path / "upsampler.pt"),
                 "--out", str(out), "--fp16", "--card", str(card), "--name", "t", "--subjects-from", str(data)])
    doc = json.loads((out / "model.json").read_text())
    assert doc["subjects"] == ["red heart"]
    assert doc["format"] == "diffusion-layers-pack" and doc["formatVersion"] == 1
    assert doc["tokenizer"]["remap"] == vocab and doc["tokenizer"]["unknownId"] == len(vocab)
    assert doc["tokenizer"]["contextLength"] == cc.base.text_ctx
    assert doc["base"]["resolution"] == 16 and doc["upsampler"]["lowResolution"] == 16
    assert doc["upsampler"]["resolution"] == 64 and doc["upsampler"]["schedule"]["kind"] == "linear"
    assert doc["attribution"][0]["source"] == "x"
    assert doc["upsampler"]["note"] == "emoji only" and "upsamplerNote" not in doc
    for stage in ("textEncoder", "base", "upsampler"):
        precisions = sorted(f["precision"] for f in doc[stage]["files"])
        assert precisions == ["fp16", "fp32"]
        for f in doc[stage]["files"]:
            data = (out / f["path"]).read_bytes()
            assert len(data) == f["bytes"] and hashlib.sha256(data).hexdigest() == f["sha256"]
    names = [i["name"] for i in doc["base"]["inputs"]]
    assert names == ["x_t", "t", "xf_proj", "xf_out", "inpaint_image", "inpaint_mask"]
    assert doc["base"]["inputs"][0]["dims"] == ["batch", 3, 16, 16]
    assert os.path.getsize(out / "base.fp16.onnx") < os.path.getsize(out / "base.fp32.onnx")
