"""GLIDE's text-conditioned U-Nets (glide_text2im/text2im_model.py), same parameter names.

- Text2ImUNet: text encoder (token_embedding ... transformer_proj) + U-Net.
- InpaintText2ImUNet: input is [x_t, inpaint_image * inpaint_mask, inpaint_mask] (7 channels).
- SuperResText2ImUNet: input is [x_t, bilinear_upsample(low_res)] (6 channels).
- AugSuperResUNet (ours): SuperRes plus Imagen's conditioning augmentation: the network is
  told the noise level `aug_level` of its low-res input through a second timestep embedding.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .unet import UNetModel, timestep_embedding
from .xf import LayerNorm, Transformer


class Text2ImUNet(UNetModel):
    def __init__(self, text_ctx, xf_width, xf_layers, xf_heads, xf_final_ln, n_vocab,
                 xf_padding=True, xf_pool="last", **kwargs):
        if xf_pool not in ("last", "mean"):
            raise ValueError(f"xf_pool {xf_pool!r}: expected 'last' or 'mean'")
        self.text_ctx = text_ctx
        self.xf_pool = xf_pool
        self.xf_width = xf_width
        self.xf_padding = xf_padding
        super().__init__(**kwargs, encoder_channels=xf_width if xf_width else None)
        if not xf_width:
            return
        self.transformer = Transformer(text_ctx, xf_width, xf_layers, xf_heads)
        self.final_ln = LayerNorm(xf_width) if xf_final_ln else None
        self.token_embedding = nn.Embedding(n_vocab, xf_width)
        self.positional_embedding = nn.Parameter(torch.empty(text_ctx, xf_width, dtype=torch.float32))
        self.transformer_proj = nn.Linear(xf_width, self.model_channels * 4)
        if xf_padding:
            self.padding_embedding = nn.Parameter(torch.empty(text_ctx, xf_width, dtype=torch.float32))
        nn.init.normal_(self.positional_embedding, std=0.01)
        if xf_padding:
            nn.init.normal_(self.padding_embedding, std=0.01)

    def get_text_emb(self, tokens, mask):
        """tokens [B, L] int, mask [B, L] (1 = token, 0 = padding) -> xf_proj [B, E], xf_out [B, W, L]."""
        xf_in = self.token_embedding(tokens.long()) + self.positional_embedding[None]
        if self.xf_padding:
            keep = mask[..., None] > 0.5
            xf_in = torch.where(keep, xf_in, self.padding_embedding[None].to(xf_in.dtype))
        xf_out = self.transformer(xf_in)
        if self.final_ln is not None:
            xf_out = self.final_ln(xf_out)
        pooled = xf_out[:, -1]
        if self.xf_pool == "mean":
            # GLIDE's last position is padding for every prompt shorter than the context, and a
            # shallow transformer puts little of the prompt there; the mean over the prompt's own
            # tokens (plus that position, so an empty prompt keeps GLIDE's value) carries it.
            m = mask.to(xf_out.dtype)[..., None]
            pooled = ((xf_out * m).sum(1) + pooled) / (m.sum(1) + 1)
        xf_proj = self.transformer_proj(pooled)
        return xf_proj, xf_out.permute(0, 2, 1)

    def embed(self, t, xf_proj=None):
        emb = self.time_embed(timestep_embedding(t, self.model_channels))
        return emb if xf_proj is None else emb + xf_proj.to(emb.dtype)

    def model_input(self, x, **cond):
        return x

    def denoise(self, x, t, xf_proj=None, xf_out=None, **cond):
        """The denoiser with text already encoded: what the ONNX `base`/`upsampler` graphs compute."""
        return self.run_unet(self.model_input(x, **cond), self.embed_all(t, xf_proj, **cond), xf_out)

    def embed_all(self, t, xf_proj, **cond):
        return self.embed(t, xf_proj)

    def forward(self, x, timesteps, tokens=None, mask=None, **cond):
        xf_proj = xf_out = None
        if self.xf_width:
            xf_proj, xf_out = self.get_text_emb(tokens, mask)
        return self.denoise(x, timesteps, xf_proj, xf_out, **cond)


class InpaintText2ImUNet(Text2ImUNet):
    def __init__(self, *args, **kwargs):
        kwargs["in_channels"] = kwargs["in_channels"] * 2 + 1
        super().__init__(*args, **kwargs)

    def model_input(self, x, inpaint_image=None, inpaint_mask=None, **_):
        if inpaint_image is None:  # plain generation: nothing known
            inpaint_image = torch.zeros_like(x)
            inpaint_mask = torch.zeros_like(x[:, :1])
        return torch.cat([x, inpaint_image * inpaint_mask, inpaint_mask], dim=1)


class SuperResText2ImUNet(Text2ImUNet):
    def __init__(self, *args, **kwargs):
        kwargs["in_channels"] = kwargs["in_channels"] * 2
        super().__init__(*args, **kwargs)

    def model_input(self, x, low_res=None, **_):
        upsampled = F.interpolate(low_res, x.shape[2:], mode="bilinear", align_corners=False)
        return torch.cat([x, upsampled], dim=1)


class AugSuperResUNet(SuperResText2ImUNet):
    """Upsampler with conditioning augmentation (Imagen, Saharia et al. 2022, sec. 2.5).

    `aug_level` in [0, 1] is the noise level already applied to `low_res`; it is embedded like a
    timestep (scaled by 1000) through `aug_embed` and added to the time embedding.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ted = self.model_channels * 4
        self.aug_embed = nn.Sequential(nn.Linear(self.model_channels, ted), nn.SiLU(), nn.Linear(ted, ted))

    def embed_all(self, t, xf_proj, aug_level=None, **_):
        emb = self.embed(t, xf_proj)
        return emb + self.aug_embed(timestep_embedding(aug_level * 1000.0, self.model_channels))
