#!/usr/bin/env python3
"""Training speed of bge-small-zh's shape in PyTorch eager, the reference for autoglm-train's tokens/s.

The same model and step as LocalTrainer's classification fine-tuning: BERT (4 layers, 512 wide, 8 heads, 2048
feed-forward, vocabulary 21128, exact GELU, post-LayerNorm, dropout 0.1), a linear head over the unit-normalised
first-token state times 20, cross-entropy, one global gradient-norm clip at 1, AdamW (weight decay 0.01, none on
biases and LayerNorm); the last layer runs its query, attention output and feed-forward for the first token only,
which is all the head reads, as LocalTrainer does for a classifier. Weights are random: speed does not depend on their values. Every batch holds `batch` texts
of exactly `length` tokens, as the Java side's synthetic texts do (TrainSpeedBenchmark).

    /usr/bin/python3 docs/scripts/bert_train_speed.py [batch=16] [length=128] [steps=30] [threads=2]

Needs Debian's python3-torch with an optimised BLAS (apt-get install python3-torch libopenblas0-pthread: without
OpenBLAS, Debian's torch falls back to the reference BLAS and runs about ten times slower); prints tokens/s over the
steps after two warm-up steps, and the load average.
"""
import math
import os
import sys
import time

import torch
from torch import nn


class Layer(nn.Module):
    def __init__(self, hidden, heads, ff, dropout):
        super().__init__()
        self.heads = heads
        self.qkv = nn.ModuleList([nn.Linear(hidden, hidden) for _ in range(3)])
        self.out = nn.Linear(hidden, hidden)
        self.norm1 = nn.LayerNorm(hidden, eps=1e-12)
        self.up = nn.Linear(hidden, ff)
        self.down = nn.Linear(ff, hidden)
        self.norm2 = nn.LayerNorm(hidden, eps=1e-12)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, bias, first_only=False):
        b, n, h = x.shape
        queried = x[:, :1] if first_only else x  # a [CLS] head reads the last layer's first token alone
        m = queried.shape[1]
        q = self.qkv[0](queried).view(b, m, self.heads, h // self.heads).transpose(1, 2)
        k, v = (p(x).view(b, n, self.heads, h // self.heads).transpose(1, 2) for p in self.qkv[1:])
        scores = q @ k.transpose(-1, -2) / math.sqrt(h // self.heads) + bias
        context = (self.drop(scores.softmax(-1)) @ v).transpose(1, 2).reshape(b, m, h)
        x = self.norm1(queried + self.drop(self.out(context)))
        return self.norm2(x + self.drop(self.down(nn.functional.gelu(self.up(x)))))


class Bert(nn.Module):
    def __init__(self, vocab=21128, hidden=512, layers=4, heads=8, ff=2048, positions=512, dropout=0.1, classes=2):
        super().__init__()
        self.words = nn.Embedding(vocab, hidden)
        self.positions = nn.Embedding(positions, hidden)
        self.types = nn.Embedding(2, hidden)
        self.norm = nn.LayerNorm(hidden, eps=1e-12)
        self.drop = nn.Dropout(dropout)
        self.layers = nn.ModuleList([Layer(hidden, heads, ff, dropout) for _ in range(layers)])
        self.head = nn.Linear(hidden, classes)

    def forward(self, ids, mask):
        n = ids.shape[1]
        x = self.words(ids) + self.positions(torch.arange(n)) + self.types(torch.zeros_like(ids))
        x = self.drop(self.norm(x))
        bias = (1.0 - mask[:, None, None, :].float()) * -10000.0
        for i, layer in enumerate(self.layers):
            x = layer(x, bias, first_only=i == len(self.layers) - 1)
        cls = x[:, 0]
        return self.head(cls / cls.norm(dim=-1, keepdim=True).clamp_min(1e-12) * 20)


def main():
    given = [int(a) for a in sys.argv[1:5]]
    batch, length, steps, threads = given + [16, 128, 30, 2][len(given):]
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    model = Bert()
    model.train()
    decay = [p for n, p in model.named_parameters() if p.dim() > 1 and "norm" not in n]
    rest = [p for n, p in model.named_parameters() if not (p.dim() > 1 and "norm" not in n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}],
                            lr=5e-5)
    ids = torch.randint(1000, 20000, (batch, length))
    mask = torch.ones(batch, length, dtype=torch.long)
    labels = torch.randint(0, 2, (batch,))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = nn.functional.cross_entropy(model(ids, mask), labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    for _ in range(2):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    seconds = time.perf_counter() - start
    print("PyTorch %s eager, %d threads: batch %d x %d tokens, %d steps in %.1f s: %.0f tokens/s (load %.2f)"
          % (torch.__version__, threads, batch, length, steps, seconds, steps * batch * length / seconds,
             os.getloadavg()[0]))


if __name__ == "__main__":
    main()
