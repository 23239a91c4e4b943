"""GPT-2 r50k token ids, computed by the same library the TypeScript runtime uses.

No vocabulary is copied into Python: a small Node script runs `gpt-tokenizer`'s r50k_base
encoding (installed by the project's npm install) on lower-cased text. GLIDE's rules:
truncate to the context, pad with 50256 at the end, mask 1 on tokens and 0 on padding.
"""
import json
import os
import subprocess

import numpy as np

from .pack import PAD_ID

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NODE_SCRIPT = r"""
const { createRequire } = require('module');
const paths = [process.cwd() + '/', process.cwd() + '/training/'];
let enc;
for (const p of paths) {
  try { enc = createRequire(p)('gpt-tokenizer/cjs/encoding/r50k_base'); break; } catch (e) {}
  try { enc = createRequire(p)('gpt-tokenizer/encoding/r50k_base'); break; } catch (e) {}
}
if (!enc) { console.error('gpt-tokenizer is not installed: run npm ci first'); process.exit(3); }
const texts = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(texts.map((t) => enc.encode(t.toLowerCase()))));
"""


def encode(texts):
    """r50k ids of each lower-cased text (no truncation, no padding)."""
    r = subprocess.run(["node", "-e", NODE_SCRIPT], input=json.dumps(list(texts)), capture_output=True,
                       text=True, cwd=ROOT)
    if r.returncode != 0:
        raise RuntimeError(f"tokenizing with node failed: {r.stderr.strip()}")
    return json.loads(r.stdout)


def pad(ids, ctx):
    """GLIDE padding: (tokens [ctx], mask [ctx], truncated)."""
    ids = list(ids)
    truncated = len(ids) > ctx
    ids = ids[:ctx]
    mask = [1.0] * len(ids) + [0.0] * (ctx - len(ids))
    return ids + [PAD_ID] * (ctx - len(ids)), mask, truncated


def remap(ids, vocab):
    """Map r50k ids to compact ids (vocab[i] = r50k id of compact id i; unknown -> len(vocab))."""
    table = {v: i for i, v in enumerate(vocab)}
    return [table.get(i, len(vocab)) for i in ids]


def remap_array(toks, vocab):
    """remap() over a whole int array at once (a lookup table instead of a dict per row)."""
    toks = np.asarray(toks, dtype=np.int64)
    lut = np.full(max(int(toks.max(initial=0)), max(vocab)) + 1, len(vocab), dtype=np.int64)
    lut[np.asarray(vocab, dtype=np.int64)] = np.arange(len(vocab))
    return lut[toks]


def pad_batch(id_lists, ctx, vocab=None):
    """GLIDE padding for a batch of token-id lists (each cut to ctx; an empty list is the empty
    caption), remapped into the compact vocabulary when one is given:
    (tokens [B, ctx] int64, mask [B, ctx] float32)."""
    toks = np.full((len(id_lists), ctx), PAD_ID, dtype=np.int64)
    mask = np.zeros((len(id_lists), ctx), dtype=np.float32)
    for b, ids in enumerate(id_lists):
        ids = list(ids)[:ctx]
        toks[b, : len(ids)] = ids
        mask[b, : len(ids)] = 1
    return (remap_array(toks, vocab) if vocab is not None else toks), mask


def batch(texts, ctx, vocab=None):
    return pad_batch(encode(texts), ctx, vocab)
