#!/usr/bin/env python3
"""A textbook fine-tuning of bge-small-zh in PyTorch eager: the accuracy reference for autoglm-train.

autoglm-train's runs put bge-small-zh at 0.89-0.92 on ChnSentiCorp_htl's test split and at about the majority share
on AFQMC. This script asks whether that is the encoder or the trainer: it fine-tunes the same weights on the same
tokens with the BERT paper's fine-tuning recipe and nothing of autoglm-train's own (no probe, no normalised head, no
first-token cut, no frozen word table): a linear head with dropout over the first token's state, AdamW (lr 2e-5
unless given, weight decay 0.01 off biases and LayerNorm), linear warm-up over 10% of the steps and linear decay,
gradient norm clipped at 1, batches of 32 shuffled with the seed (grouped by length within pools of 50 batches, as
Hugging Face's --group_by_length does, for speed), dev scored after each epoch and the test split scored
with the weights of the best dev epoch. AFQMC's dev is its training split's last 2,000 pairs, as in
MatchingBenchmark, and its test the shared dev.csv; it prints accuracy at 0.5 and at dev's best threshold.

The weights and tokens come from the Java side, so both read exactly the same numbers:

    mvn -B -q -pl benchmarks -am package -DskipTests -Dautoglm.jar.skip=true dependency:build-classpath -Dmdep.outputFile=/tmp/benchmarks-cp.txt
    java -cp "benchmarks/target/classes:$(cat /tmp/benchmarks-cp.txt)" io.openautoglm.benchmarks.train.ReferenceData target/reference
    /usr/bin/python3 docs/scripts/bert_finetune_reference.py target/reference chnsenticorp [epochs=3] [lr=2e-5] [seed=42]

Needs Debian's python3-torch and libopenblas0-pthread (see bert_train_speed.py).
"""
import math
import os
import random
import sys
import time

import numpy as np
import torch
from torch import nn


class Layer(nn.Module):
    def __init__(self, hidden, heads, ff, dropout):
        super().__init__()
        self.heads = heads
        self.query, self.key, self.value = (nn.Linear(hidden, hidden) for _ in range(3))
        self.out = nn.Linear(hidden, hidden)
        self.norm1 = nn.LayerNorm(hidden, eps=1e-12)
        self.up = nn.Linear(hidden, ff)
        self.down = nn.Linear(ff, hidden)
        self.norm2 = nn.LayerNorm(hidden, eps=1e-12)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, bias):
        b, n, h = x.shape
        q, k, v = (p(x).view(b, n, self.heads, h // self.heads).transpose(1, 2)
                   for p in (self.query, self.key, self.value))
        scores = q @ k.transpose(-1, -2) / math.sqrt(h // self.heads) + bias
        context = (self.drop(scores.softmax(-1)) @ v).transpose(1, 2).reshape(b, n, h)
        x = self.norm1(x + self.drop(self.out(context)))
        return self.norm2(x + self.drop(self.down(nn.functional.gelu(self.up(x)))))


class Bert(nn.Module):
    def __init__(self, vocab, hidden, layers, heads, ff, positions, dropout=0.1, classes=2):
        super().__init__()
        self.words = nn.Embedding(vocab, hidden)
        self.positions = nn.Embedding(positions, hidden)
        self.types = nn.Embedding(2, hidden)
        self.norm = nn.LayerNorm(hidden, eps=1e-12)
        self.drop = nn.Dropout(dropout)
        self.layers = nn.ModuleList([Layer(hidden, heads, ff, dropout) for _ in range(layers)])
        self.head = nn.Linear(hidden, classes)

    def forward(self, ids, types, mask):
        x = self.words(ids) + self.positions(torch.arange(ids.shape[1])) + self.types(types)
        x = self.drop(self.norm(x))
        bias = (1.0 - mask[:, None, None, :].float()) * -10000.0
        for layer in self.layers:
            x = layer(x, bias)
        return self.head(self.drop(x[:, 0]))


def load_weights(model, folder):
    """Weights by PyTorch name (matrices [in, out], as ONNX's MatMul reads them) into this model's names."""
    tensors = {}
    with open(os.path.join(folder, "weights.tsv"), encoding="utf-8") as index:
        for line in index:
            name, shape = line.rstrip("\n").split("\t")
            values = np.fromfile(os.path.join(folder, name + ".f32"), dtype="<f4")
            tensors[name] = torch.from_numpy(values.reshape([int(d) for d in shape.split()]).copy())
    renames = {"attention.self.query": "query", "attention.self.key": "key", "attention.self.value": "value",
               "attention.output.dense": "out", "attention.output.LayerNorm": "norm1", "intermediate.dense": "up",
               "output.dense": "down", "output.LayerNorm": "norm2"}
    state = {"words.weight": tensors["embeddings.word_embeddings.weight"],
             "positions.weight": tensors["embeddings.position_embeddings.weight"],
             "types.weight": tensors["embeddings.token_type_embeddings.weight"],
             "norm.weight": tensors["embeddings.LayerNorm.weight"],
             "norm.bias": tensors["embeddings.LayerNorm.bias"]}
    for name, t in tensors.items():
        if not name.startswith("encoder.layer."):
            continue
        i, rest = name[len("encoder.layer."):].split(".", 1)
        module, kind = rest.rsplit(".", 1)
        if kind == "weight" and module.endswith(("query", "key", "value", "dense")):
            t = t.t()  # [in, out] -> nn.Linear's [out, in]
        state["layers.%s.%s.%s" % (i, renames[module], kind)] = t
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not unexpected and set(missing) == {"head.weight", "head.bias"}, (missing, unexpected)


def read(folder, name):
    rows = []
    with open(os.path.join(folder, name), encoding="utf-8") as f:
        for line in f:
            label, ids, types = line.rstrip("\n").split("\t")
            rows.append((label, [int(t) for t in ids.split()], [int(t) for t in types.split()]))
    return rows


def batches(rows, size, rng, shuffle):
    order = list(range(len(rows)))
    if shuffle:
        rng.shuffle(order)
        pool = size * 50
        order = [i for s in range(0, len(order), pool)
                 for i in sorted(order[s:s + pool], key=lambda i: -len(rows[i][1]))]
        groups = [order[s:s + size] for s in range(0, len(order), size)]
        rng.shuffle(groups)
    else:
        groups = [order[s:s + size] for s in range(0, len(order), size)]
    for g in groups:
        n = max(len(rows[i][1]) for i in g)
        ids = torch.zeros(len(g), n, dtype=torch.long)
        types = torch.zeros(len(g), n, dtype=torch.long)
        mask = torch.zeros(len(g), n, dtype=torch.long)
        for r, i in enumerate(g):
            k = len(rows[i][1])
            ids[r, :k] = torch.tensor(rows[i][1])
            types[r, :k] = torch.tensor(rows[i][2])
            mask[r, :k] = 1
        yield g, ids, types, mask


def positive_scores(model, rows):
    model.eval()
    scores = [0.0] * len(rows)
    with torch.no_grad():
        for g, ids, types, mask in batches(rows, 64, None, False):
            p = model(ids, types, mask).softmax(-1)[:, 1]
            for r, i in enumerate(g):
                scores[i] = p[r].item()
    model.train()
    return scores


def optimiser(named_parameters, lr, steps):
    """AdamW (weight decay 0.01 off biases and LayerNorm) with linear warm-up over 10% of the steps, then decay."""
    named = list(named_parameters)
    decay = [p for n, p in named if p.dim() > 1 and "norm" not in n]
    rest = [p for n, p in named if not (p.dim() > 1 and "norm" not in n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}], lr=lr)
    warm = int(0.1 * steps)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: s / max(1, warm) if s < warm else max(0.0, (steps - s) / max(1, steps - warm)))
    return opt, sched


def accuracy(scores, gold, threshold):
    return sum((s >= threshold) == g for s, g in zip(scores, gold)) / len(gold)


def best_threshold(scores, gold):
    candidates = sorted(set(scores)) + [1.01]
    return max(candidates, key=lambda t: accuracy(scores, gold, t))


def main():
    folder, task = sys.argv[1], sys.argv[2]
    given = sys.argv[3:]
    epochs = int(given[0]) if len(given) > 0 else 3
    lr = float(given[1]) if len(given) > 1 else 2e-5
    seed = int(given[2]) if len(given) > 2 else 42
    torch.set_num_threads(2)
    torch.manual_seed(seed)
    rng = random.Random(seed)
    if task == "afqmc":
        rows = read(folder, "afqmc-train.tsv")
        train, dev, test = rows[:-2000], rows[-2000:], read(folder, "afqmc-dev.tsv")
        labels = {"0", "1"}
        positive = "1"
    elif task == "chnsenticorp":
        train, dev, test = (read(folder, "chnsenticorp-%s.tsv" % s) for s in ("train", "dev", "test"))
        labels = {"正面", "负面"}
        positive = "正面"
    else:
        sys.exit("task: afqmc or chnsenticorp, not " + task)
    found = {r[0] for rows in (train, dev, test) for r in rows}
    assert found == labels, "labels %s, expected %s" % (found, labels)
    model = Bert(vocab=21128, hidden=512, layers=4, heads=8, ff=2048, positions=512)
    load_weights(model, folder)
    model.train()
    size = 32
    opt, sched = optimiser(model.named_parameters(), lr, epochs * math.ceil(len(train) / size))
    gold = {name: [r[0] == positive for r in rows] for name, rows in (("dev", dev), ("test", test))}
    print("PyTorch %s, %s: train %d, dev %d, test %d, %d epochs, lr %g, seed %d, load %.2f" % (
        torch.__version__, task, len(train), len(dev), len(test), epochs, lr, seed, os.getloadavg()[0]), flush=True)
    best = None
    started = time.perf_counter()
    for epoch in range(1, epochs + 1):
        tokens, losses = 0, []
        epoch_started = time.perf_counter()
        for group, ids, types, mask in batches(train, size, rng, True):
            labels = torch.tensor([int(train[i][0] == positive) for i in group])
            loss = nn.functional.cross_entropy(model(ids, types, mask), labels)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            losses.append(loss.item())
            tokens += int(mask.sum())
            if len(losses) % 50 == 0:
                print("  step %d: loss %.4f (mean of the last 50), %.0f tokens/s" % (
                    len(losses), sum(losses[-50:]) / 50, tokens / (time.perf_counter() - epoch_started)), flush=True)
        trained = time.perf_counter() - epoch_started
        dev_scores = positive_scores(model, dev)
        test_scores = positive_scores(model, test)
        t = best_threshold(dev_scores, gold["dev"]) if task == "afqmc" else 0.5
        line = ("epoch %d: loss %.4f, dev %.4f, test %.4f at 0.5; %.0f s, %.0f tokens/s, load %.2f"
                % (epoch, sum(losses) / len(losses), accuracy(dev_scores, gold["dev"], 0.5),
                   accuracy(test_scores, gold["test"], 0.5), time.perf_counter() - started,
                   tokens / trained, os.getloadavg()[0]))
        if task == "afqmc":
            line += "; dev %.4f, test %.4f at dev's threshold %.3f" % (
                accuracy(dev_scores, gold["dev"], t), accuracy(test_scores, gold["test"], t), t)
        print(line, flush=True)
        score = accuracy(dev_scores, gold["dev"], t)
        if best is None or score > best[0]:
            best = (score, epoch, accuracy(test_scores, gold["test"], t))
    print("best dev %.4f at epoch %d: test %.4f" % best, flush=True)


if __name__ == "__main__":
    main()
