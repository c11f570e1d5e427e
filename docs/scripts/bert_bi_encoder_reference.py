#!/usr/bin/env python3
"""AFQMC with bge-small-zh fine-tuned as a bi-encoder in PyTorch eager: the reference for LocalTrainer.biEncoder.

Each text of a pair is embedded alone (the first token's last state, unit-normalised, as the local engine embeds a
text) and the pair's score is the cosine of the two vectors; training ranks matching pairs above non-matching ones
within each batch of 32 pairs (CoSENT: log(1 + sum over non-match i, match j of exp(lambda (cos_i - cos_j)))),
AdamW with linear warm-up (10%) and decay, gradient norm clipped at 1. Before training and after each epoch it prints
the accuracy at the cosine threshold best for dev (the training split's last 2,000 pairs) on dev and on the test
split (the shared dev.csv), and both AUCs. The weights and tokens are ReferenceData's, as for
bert_finetune_reference.py (a pair's tokens are cut at its first [SEP] into its two texts):

    /usr/bin/python3 docs/scripts/bert_bi_encoder_reference.py target/reference [epochs=2] [lr=2e-5] [lambda=20]
"""
import bisect
import math
import os
import random
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bert_finetune_reference as ref  # noqa: E402


def cls_vectors(model, ids, mask):
    x = model.words(ids) + model.positions(torch.arange(ids.shape[1])) + model.types(torch.zeros_like(ids))
    x = model.drop(model.norm(x))
    bias = (1.0 - mask[:, None, None, :].float()) * -10000.0
    for layer in model.layers:
        x = layer(x, bias)
    v = x[:, 0]
    return v / v.norm(dim=-1, keepdim=True).clamp_min(1e-12)


def split(row):
    """(match, [CLS] a [SEP], [CLS] b [SEP]) from a pair's tokens [CLS] a [SEP] b [SEP]."""
    label, ids, _ = row
    k = ids.index(102)
    return label == "1", ids[:k + 1], [101] + ids[k + 1:]


def pad(seqs):
    n = max(len(s) for s in seqs)
    ids = torch.zeros(len(seqs), n, dtype=torch.long)
    mask = torch.zeros(len(seqs), n, dtype=torch.long)
    for r, s in enumerate(seqs):
        ids[r, :len(s)] = torch.tensor(s)
        mask[r, :len(s)] = 1
    return ids, mask


def cosines(model, pairs):
    model.eval()
    out = []
    with torch.no_grad():
        for s in range(0, len(pairs), 128):
            g = pairs[s:s + 128]
            ids, mask = pad([p[1] for p in g] + [p[2] for p in g])
            v = cls_vectors(model, ids, mask)
            out += (v[:len(g)] * v[len(g):]).sum(-1).tolist()
    model.train()
    return out


def auc(scores, gold):
    """The chance that a match scores above a non-match (ties count half)."""
    negatives = sorted(s for s, g in zip(scores, gold) if not g)
    positives = [s for s, g in zip(scores, gold) if g]
    below = sum(bisect.bisect_left(negatives, p) + 0.5 * (bisect.bisect_right(negatives, p)
                                                           - bisect.bisect_left(negatives, p)) for p in positives)
    return below / (len(positives) * len(negatives))


def report(tag, model, dev, test):
    d, t = cosines(model, dev), cosines(model, test)
    gd, gt = [p[0] for p in dev], [p[0] for p in test]
    th = ref.best_threshold(d, gd)
    print("%s: dev acc %.4f at %.3f (AUC %.3f), test acc %.4f (AUC %.3f), load %.2f" % (
        tag, ref.accuracy(d, gd, th), th, auc(d, gd), ref.accuracy(t, gt, th), auc(t, gt), os.getloadavg()[0]),
        flush=True)


def main():
    given = sys.argv[2:]
    folder = sys.argv[1]
    epochs = int(given[0]) if len(given) > 0 else 2
    lr = float(given[1]) if len(given) > 1 else 2e-5
    lam = float(given[2]) if len(given) > 2 else 20
    torch.set_num_threads(2)
    torch.manual_seed(42)
    rng = random.Random(42)
    rows = ref.read(folder, "afqmc-train.tsv")
    train, dev = [split(r) for r in rows[:-2000]], [split(r) for r in rows[-2000:]]
    test = [split(r) for r in ref.read(folder, "afqmc-dev.tsv")]
    model = ref.Bert(vocab=21128, hidden=512, layers=4, heads=8, ff=2048, positions=512)
    ref.load_weights(model, folder)
    model.train()
    report("epoch 0 (base)", model, dev, test)
    size = 32
    encoder = [(n, p) for n, p in model.named_parameters() if not n.startswith("head")]  # the head is not used
    opt, sched = ref.optimiser(encoder, lr, epochs * math.ceil(len(train) / size))
    for epoch in range(1, epochs + 1):
        order = list(range(len(train)))
        rng.shuffle(order)
        losses = []
        t0 = time.perf_counter()
        for s in range(0, len(order), size):
            g = [train[i] for i in order[s:s + size]]
            ids, mask = pad([p[1] for p in g] + [p[2] for p in g])
            v = cls_vectors(model, ids, mask)
            cos = (v[:len(g)] * v[len(g):]).sum(-1) * lam
            y = torch.tensor([p[0] for p in g])
            diff = cos[:, None] - cos[None, :]  # cos_i - cos_j: counted where i does not match and j does
            chosen = (~y)[:, None] & y[None, :]
            loss = torch.logsumexp(torch.cat([torch.zeros(1), diff[chosen]]), 0)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            losses.append(loss.item())
            if len(losses) % 100 == 0:
                print("  step %d loss %.4f, %.0f s" % (len(losses), sum(losses[-100:]) / 100, time.perf_counter() - t0),
                      flush=True)
        report("epoch %d (loss %.4f)" % (epoch, sum(losses) / len(losses)), model, dev, test)


if __name__ == "__main__":
    main()
