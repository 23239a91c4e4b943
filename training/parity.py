"""onnxruntime vs PyTorch parity for exported graphs.

Uses Python's onnxruntime where installed, else onnxruntime-node through a small Node script
(the project's `npm ci` installs it). Error is reported relative to the output scale:
max|ort - torch| / max(1, max|torch|).
"""
import base64
import json
import os
import shutil
import subprocess
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _b64(a):
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode()


def runtime_available():
    try:
        import onnxruntime  # noqa: F401

        return "python"
    except ImportError:
        pass
    if shutil.which("node") and os.path.isdir(os.path.join(ROOT, "node_modules", "onnxruntime-node")):
        return "node"
    return None


def run_onnx(model_bytes, inputs):
    """Outputs (list, in graph order) of the graph on numpy inputs."""
    kind = runtime_available()
    if kind == "python":
        import onnxruntime as ort

        s = ort.InferenceSession(model_bytes, providers=["CPUExecutionProvider"])
        return s.run(None, inputs)
    if kind != "node":
        raise RuntimeError("no ONNX runtime: install onnxruntime (Python) or run npm ci")
    with tempfile.NamedTemporaryFile(suffix=".onnx", delete=False) as f:
        f.write(model_bytes)
        path = f.name
    try:
        job = {"model": path, "inputs": {k: {"dtype": str(v.dtype), "shape": list(v.shape), "data": _b64(v)}
                                         for k, v in inputs.items()}}
        r = subprocess.run(["node", os.path.join(ROOT, "training", "tools", "ort_run.cjs")], input=json.dumps(job),
                           capture_output=True, text=True, cwd=ROOT)
        if r.returncode:
            raise RuntimeError(f"onnxruntime-node failed: {r.stderr.strip()}")
        out = json.loads(r.stdout)
        return [np.frombuffer(base64.b64decode(o["data"]), dtype=o["dtype"]).reshape(o["shape"]) for o in out.values()]
    finally:
        os.unlink(path)


def relative_error(ort_out, torch_out):
    return float(np.max(np.abs(ort_out.astype(np.float64) - torch_out)) / max(1.0, float(np.max(np.abs(torch_out)))))
