"""PyTorch's own training step for Foresail's sequence networks: the peer of `foresail bench sequence`.

Same network, batch, threads, optimiser (AdamW, element-wise gradient clipping as DJL's clipGrad),
loss (DJL's L2 loss: 0.5 * mean squared error) and data layout (float32 windows gathered per batch
from a pool of rows), timed per epoch. Prints `name: value` lines.

usage: sequence_peer.py NETWORK ROWS FEATURES LENGTH SAMPLES BATCH EPOCHS THREADS [key=value ...]
"""
import math
import sys
import time

import numpy as np
import torch
from torch import nn


class Lstm(nn.Module):
    def __init__(self, p, hidden, layers, dropout):
        super().__init__()
        self.lstm = nn.LSTM(p, hidden, layers, batch_first=True, dropout=dropout if layers > 1 else 0.0)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1, :])


class Encoder(nn.Module):
    def __init__(self, p, length, d, heads, layers, ff, dropout):
        super().__init__()
        self.embed = nn.Linear(p, d)
        pe = torch.zeros(1, length, d)
        for pos in range(length):
            for i in range(d):
                angle = pos / math.pow(10000, (2 * (i // 2)) / d)
                pe[0, pos, i] = math.sin(angle) if i % 2 == 0 else math.cos(angle)
        self.register_buffer("pe", pe)
        self.norms1 = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.attn = nn.ModuleList(nn.MultiheadAttention(d, heads, dropout=dropout, batch_first=True) for _ in range(layers))
        self.norms2 = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.ff = nn.ModuleList(nn.Sequential(nn.Linear(d, d * ff), nn.ReLU(), nn.Dropout(dropout), nn.Linear(d * ff, d))
                                for _ in range(layers))
        self.final = nn.LayerNorm(d)
        self.head = nn.Linear(d, 1)

    def forward(self, x):
        x = self.embed(x) + self.pe
        for n1, a, n2, f in zip(self.norms1, self.attn, self.norms2, self.ff):
            h = n1(x)
            x = x + a(h, h, h, need_weights=False)[0]
            x = x + f(n2(x))
        return self.head(self.final(x).mean(dim=1))


def main():
    network, rows, p, length, samples, batch, epochs, threads = sys.argv[1:9]
    rows, p, length, samples, batch, epochs, threads = map(int, (rows, p, length, samples, batch, epochs, threads))
    opts = dict(kv.split("=", 1) for kv in sys.argv[9:])
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(3)
    rng = np.random.default_rng(1)
    pool = torch.from_numpy(rng.standard_normal((rows, p), dtype=np.float32))
    labels = torch.from_numpy(rng.standard_normal(rows, dtype=np.float32))
    # A sample is the row of its newest bar; its window is the LENGTH rows ending there (one symbol's rows
    # are contiguous here, the gather is what matters).
    ends = torch.from_numpy(rng.choice(np.arange(length - 1, rows), size=samples, replace=False))
    offsets = torch.arange(-length + 1, 1)
    if network == "lstm":
        net = Lstm(p, int(opts.get("hidden", 32)), int(opts.get("layers", 2)), float(opts.get("dropout", 0.1)))
    else:
        net = Encoder(p, length, int(opts.get("d_model", 32)), int(opts.get("heads", 4)), int(opts.get("layers", 2)),
                      int(opts.get("ff_multiple", 4)), float(opts.get("dropout", 0.1)))
    opt = torch.optim.AdamW(net.parameters(), lr=float(opts.get("learning_rate", 1e-3)),
                            weight_decay=float(opts.get("weight_decay", 1e-4)))
    clip = float(opts.get("clip_gradient", 1.0))
    net.train()
    times = []
    for epoch in range(epochs):
        order = ends[torch.randperm(samples)]
        t0 = time.perf_counter()
        for start in range(0, samples, batch):
            idx = order[start:start + batch]
            x = pool[idx.unsqueeze(1) + offsets]
            y = labels[idx].unsqueeze(1)
            opt.zero_grad(set_to_none=True)
            loss = 0.5 * ((net(x) - y) ** 2).mean()
            loss.backward()
            torch.nn.utils.clip_grad_value_(net.parameters(), clip)
            opt.step()
        times.append(time.perf_counter() - t0)
    steady = sorted(times[1:] or times)[len(times[1:] or times) // 2]
    print(f"torch_version: {torch.__version__}")
    print(f"torch_threads: {torch.get_num_threads()}")
    print(f"torch_{network}_epoch_s: {steady:.3f}")
    print(f"torch_{network}_samples_per_s: {samples / steady:.0f}")


if __name__ == "__main__":
    main()
