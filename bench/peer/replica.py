"""A plain-PyTorch replica of scorekit's MLP and U-Net, VP SDE, DSM and LCSS steps and
Euler–Maruyama sampler: the Python a user would write instead of calling the library.

Written for bench/peer.sh (the side-by-side speed comparison); it mirrors cpp/models/mlp.cpp,
cpp/models/unet*.cpp, cpp/sde/vp_sde.cpp, cpp/objectives/{dsm,lcss}.cpp, cpp/train/trainer.cpp and
cpp/samplers/euler_maruyama.cpp layer by layer, so both sides do the same arithmetic. peer.py checks
that the parameter counts agree with scorekit's.
"""
import gzip
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

FASHION_MNIST = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"


class VpSde:
    def __init__(self, beta_min=0.1, beta_max=20.0, eps=1e-3):
        self.beta_min, self.beta_max, self.eps, self.T = beta_min, beta_max, eps, 1.0

    def beta(self, t):
        return self.beta_min + t * (self.beta_max - self.beta_min)

    def marginal(self, t):
        integral = self.beta_min * t + 0.5 * (self.beta_max - self.beta_min) * t * t
        alpha = torch.exp(-0.5 * integral)
        return alpha, (1 - alpha * alpha).clamp_min(0).sqrt()

    def drift(self, x, t):
        return -0.5 * per_sample(self.beta(t), x) * x


def per_sample(v, x):
    return v.reshape((-1,) + (1,) * (x.dim() - 1))


class FourierEmbedding(nn.Module):
    def __init__(self, dim, scale=16.0):
        super().__init__()
        self.register_buffer("freqs", torch.randn(dim // 2) * scale * 2 * math.pi)

    def forward(self, t):
        arg = t.float().unsqueeze(1) * self.freqs.unsqueeze(0)
        return torch.cat([torch.sin(arg), torch.cos(arg)], 1)


class Mlp(nn.Module):
    """Song et al.'s "scaled" output: score = net(x, t) / σ_t."""

    def __init__(self, sde, dim=2, hidden=128, depth=3, time_dim=64):
        super().__init__()
        self.sde = sde
        self.temb = FourierEmbedding(time_dim)
        self.temb_proj = nn.Linear(time_dim, hidden)
        self.input = nn.Linear(dim, hidden)
        self.hidden = nn.ModuleList(nn.Linear(hidden, hidden) for _ in range(depth))
        self.time = nn.ModuleList(nn.Linear(hidden, hidden) for _ in range(depth))
        self.output = nn.Linear(hidden, dim)

    def forward(self, x, t):
        temb = F.silu(self.temb_proj(self.temb(t)))
        h = F.silu(self.input(x) + temb)
        for lin, tl in zip(self.hidden, self.time):
            h = F.silu(lin(h) + tl(temb))
        sigma = self.sde.marginal(t)[1].clamp_min(1e-5)
        return self.output(h) / per_sample(sigma, x)


def group_norm(channels):
    groups = min(32, max(1, channels // 4))
    while channels % groups:
        groups -= 1
    return nn.GroupNorm(groups, channels, eps=1e-6)


def conv(cin, cout, kernel, stride=1, zero=False):
    c = nn.Conv2d(cin, cout, kernel, stride=stride, padding=kernel // 2)
    if zero:
        nn.init.zeros_(c.weight)
        nn.init.zeros_(c.bias)
    return c


class ResBlock(nn.Module):
    def __init__(self, cin, cout, emb):
        super().__init__()
        self.norm1, self.conv1 = group_norm(cin), conv(cin, cout, 3)
        self.emb_proj = nn.Linear(emb, cout)
        self.norm2, self.conv2 = group_norm(cout), conv(cout, cout, 3, zero=True)
        self.skip = conv(cin, cout, 1) if cin != cout else None

    def forward(self, x, emb):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.emb_proj(F.silu(emb))[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return ((self.skip(x) if self.skip is not None else x) + h) * (1 / math.sqrt(2))


class Attention(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.norm = group_norm(channels)
        self.qkv = conv(channels, 3 * channels, 1)
        self.proj = conv(channels, channels, 1, zero=True)

    def forward(self, x):
        b, c, h, w = x.shape
        q, k, v = self.qkv(self.norm(x)).reshape(b, 3, c, h * w).unbind(1)
        weights = torch.softmax(torch.bmm(q.transpose(1, 2), k) / math.sqrt(c), -1)
        out = torch.bmm(v, weights.transpose(1, 2)).reshape(b, c, h, w)
        return (x + self.proj(out)) * (1 / math.sqrt(2))


class Unet(nn.Module):
    """ε-prediction: score = −net(x, t) / σ_t. The layout of cpp/models/unet.cpp."""

    def __init__(self, sde, in_ch=1, side=28, channels=16, mult=(1, 2, 2), res_blocks=1, attention=(7,)):
        super().__init__()
        self.sde = sde
        emb = 4 * channels
        self.temb = FourierEmbedding(channels)
        self.temb1, self.temb2 = nn.Linear(channels, emb), nn.Linear(emb, emb)
        self.conv_in = conv(in_ch, channels, 3)
        skips, ch = [channels], channels
        self.down = nn.ModuleList()
        for i, m in enumerate(mult):
            level = nn.Module()
            level.res, level.attn = nn.ModuleList(), nn.ModuleList()
            for _ in range(res_blocks):
                level.res.append(ResBlock(ch, channels * m, emb))
                ch = channels * m
                level.attn.append(Attention(ch) if (side >> i) in attention else nn.Identity())
                skips.append(ch)
            level.resample = conv(ch, ch, 3, stride=2) if i + 1 < len(mult) else None
            if level.resample is not None:
                skips.append(ch)
            self.down.append(level)
        self.mid1, self.mid_attn, self.mid2 = ResBlock(ch, ch, emb), Attention(ch), ResBlock(ch, ch, emb)
        self.up = nn.ModuleList()
        for i in reversed(range(len(mult))):
            level = nn.Module()
            level.res, level.attn = nn.ModuleList(), nn.ModuleList()
            for _ in range(res_blocks + 1):
                level.res.append(ResBlock(ch + skips.pop(), channels * mult[i], emb))
                ch = channels * mult[i]
                level.attn.append(Attention(ch) if (side >> i) in attention else nn.Identity())
            level.resample = conv(ch, ch, 3) if i > 0 else None
            self.up.append(level)
        self.norm_out, self.conv_out = group_norm(ch), conv(ch, in_ch, 3, zero=True)

    def forward(self, x, t):
        emb = self.temb2(F.silu(self.temb1(self.temb(t))))
        h = self.conv_in(x)
        skips = [h]
        for level in self.down:
            for res, attn in zip(level.res, level.attn):
                h = attn(res(h, emb))
                skips.append(h)
            if level.resample is not None:
                h = level.resample(h)
                skips.append(h)
        h = self.mid2(self.mid_attn(self.mid1(h, emb)), emb)
        for level in self.up:
            for res, attn in zip(level.res, level.attn):
                h = attn(res(torch.cat([h, skips.pop()], 1), emb))
            if level.resample is not None:
                h = level.resample(F.interpolate(h, scale_factor=2, mode="nearest"))  # as upsample2x
        sigma = self.sde.marginal(t)[1].clamp_min(1e-5)
        return -self.conv_out(F.silu(self.norm_out(h))) / per_sample(sigma, x)


def swissroll(n):
    th = 1.5 * math.pi * (1 + 2 * torch.rand(n))
    return torch.stack([th * torch.cos(th), th * torch.sin(th)], 1) / 3.5


def fashion_mnist(path=FASHION_MNIST):
    with gzip.open(path) as f:
        raw = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
    return torch.from_numpy(raw.astype(np.float32) / 127.5 - 1)


def dsm_loss(model, sde, x0):
    """σ_t²-weighted denoising score matching (the 'auto' weighting on the VP SDE)."""
    t = sde.eps + (sde.T - sde.eps) * torch.rand(x0.shape[0])
    alpha, sigma = sde.marginal(t)
    z = torch.randn_like(x0)
    xt = per_sample(alpha, x0) * x0 + per_sample(sigma, x0) * z
    residual = model(xt, t) + z / per_sample(sigma, x0)
    return (0.5 * residual.pow(2).flatten(1).sum(1) * sigma.pow(2)).mean()


def lcss_loss(model, sde, x0, rel_sigma=0.1):
    """LCSS with one Gaussian probe and the control variate, probe scale 0.1·σ_t (scorekit's defaults)."""
    b = x0.shape[0]
    t = sde.eps + (sde.T - sde.eps) * torch.rand(b)
    alpha, sigma_t = sde.marginal(t)
    xt = per_sample(alpha, x0) * x0 + per_sample(sigma_t, x0) * torch.randn_like(x0)
    scale = rel_sigma * sigma_t
    e = torch.randn_like(xt)
    s = model(torch.cat([xt, xt + per_sample(scale, xt) * e]), t.repeat(2))
    s0, sp = s[:b], s[b:]
    stein = ((sp - s0) * e).flatten(1).sum(1) / scale
    return ((0.5 * s0.pow(2).flatten(1).sum(1) + stein) * sigma_t.pow(2)).mean()


class Trainer:
    """The training loop of cpp/train/trainer.cpp: Adam (lr 2e-3, 100 warm-up steps), gradient norm
    clipped at 1, EMA 0.999. The loss is read back every log_every steps, as a script would."""

    def __init__(self, model, sde, data, batch, loss, log_every=100):
        self.model, self.sde, self.data, self.batch, self.loss = model, sde, data, batch, loss
        self.ema = [p.detach().clone() for p in model.parameters()]
        self.opt = torch.optim.Adam(model.parameters(), lr=2e-3)
        self.step_count, self.log_every = 0, log_every

    def step(self):
        self.opt.zero_grad()
        loss = self.loss(self.model, self.sde, self.data(self.batch))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        for group in self.opt.param_groups:
            group["lr"] = 2e-3 * min(1.0, (self.step_count + 1) / 100)
        self.opt.step()
        with torch.no_grad():
            for e, p in zip(self.ema, self.model.parameters()):
                e.lerp_(p, 1 - 0.999)
        self.step_count += 1
        if self.step_count % self.log_every == 0:
            return loss.item()
        return None


@torch.no_grad()
def euler_maruyama(model, sde, n, dim, steps):
    """Reverse-time Euler–Maruyama on the uniform grid T → eps, the last step without noise."""
    x = torch.randn(n, dim)
    ts = torch.linspace(sde.T, sde.eps, steps + 1).tolist()
    for i in range(steps):
        t0, t1 = ts[i], ts[i + 1]
        dt = t0 - t1
        t = torch.full((n,), t0)
        g2 = sde.beta(t) * dt
        mean = x - sde.drift(x, t) * dt + per_sample(g2, x) * model(x, t)
        x = mean if i + 1 == steps else mean + per_sample(g2.sqrt(), x) * torch.randn_like(x)
    return x
