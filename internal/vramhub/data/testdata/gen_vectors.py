#!/usr/bin/env python3
"""Writes vectors.json: data seeds, LCG draws and batches for the data package.

Independent of the Go code: hashlib for SHA-256, Python integers mod 2^64 for
the LCG. Run from this directory: python3 gen_vectors.py > vectors.json
"""
import hashlib
import json
import struct

M64 = (1 << 64) - 1
MUL = 6364136223846793005
INC = 1442695040888963407


def seed(uid, window):
    return hashlib.sha256(struct.pack("<QQ", uid, window)).digest()


def seed64(s):
    return struct.unpack("<Q", s[:8])[0]


def step(s):
    return (s * MUL + INC) & M64


def synthetic(s, rows, length, vocab):
    out = []
    for _ in range(rows):
        row = []
        for _ in range(length):
            s = step(s)
            row.append((s >> 32) % vocab)
        out.append(row)
    return out


def corpus_batch(s, corpus, rows, length):
    out = []
    n = len(corpus)
    for _ in range(rows):
        s = step(s)
        off = s % (n - length + 1)
        out.append(corpus[off:off + length])
    return out


# A fixed corpus whose windows are all distinct: token i = (31i² + 7i) mod 1009.
CORPUS = [(31 * i * i + 7 * i) % 1009 for i in range(97)]

cases = []
for uid, window in [(0, 0), (1, 0), (0, 1), (3, 1042), (1, 1040), (42, 123456789),
                    (M64, 7), (M64 - 1, M64)]:
    sd = seed(uid, window)
    s64 = seed64(sd)
    draws = []
    s = s64
    for _ in range(5):
        s = step(s)
        draws.append(s)
    cases.append({
        "uid": str(uid),
        "window": str(window),
        "seed": sd.hex(),
        "seed64": str(s64),
        "states": [str(x) for x in draws],
        "synthetic_b2_l8_v10": synthetic(s64, 2, 8, 10),
        "synthetic_b1_l5_v50257": synthetic(s64, 1, 5, 50257),
        "corpus_b3_l6": corpus_batch(s64, CORPUS, 3, 6),
    })

print('{"corpus": ' + json.dumps(CORPUS) + ',')
print(' "cases": [')
print(",\n".join("  " + json.dumps(c) for c in cases))
print(" ]}")
