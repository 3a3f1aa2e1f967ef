#!/usr/bin/python3
"""ANN anchors for bench/ann.sh: hnswlib and faiss on the files annbench wrote.

Prints the same tab-separated lines as annbench: engine, ef, recall@10,
single-thread queries/s (one query per call), build vectors/s.
Usage: anchors.py [OUT] [EFS]; $ANCHORS picks engines (default "hnswlib,faiss").
"""
import os, sys, time
import numpy as np

out = sys.argv[1] if len(sys.argv) > 1 else "bench/out"
efs = [int(x) for x in (sys.argv[2] if len(sys.argv) > 2 else "16,32,64,128,256").split(",")]
engines = os.environ.get("ANCHORS", "hnswlib,faiss").split(",")
dim = 384
base = np.fromfile(f"{out}/base.f32", dtype="<f4").reshape(-1, dim)
queries = np.fromfile(f"{out}/query.f32", dtype="<f4").reshape(-1, dim)
truth = np.fromfile(f"{out}/truth.i32", dtype="<i4").reshape(-1, 10)

def recall(found):
    return np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth)])

def run_hnswlib():
    import hnswlib
    idx = hnswlib.Index(space="ip", dim=dim)
    idx.init_index(max_elements=len(base), ef_construction=200, M=16, random_seed=1)
    idx.set_num_threads(1)
    t0 = time.perf_counter()
    idx.add_items(base, np.arange(len(base)))
    build = len(base) / (time.perf_counter() - t0)
    for ef in efs:
        idx.set_ef(ef)
        found = []
        t0 = time.perf_counter()
        for q in queries:
            labels, _ = idx.knn_query(q, k=10)
            found.append(labels[0])
        qps = len(queries) / (time.perf_counter() - t0)
        print(f"hnswlib\t{ef}\t{recall(found):.3f}\t{qps:.0f}\t{build:.0f}", flush=True)

def run_faiss():
    import faiss
    faiss.omp_set_num_threads(1)
    fi = faiss.IndexHNSWFlat(dim, 16, faiss.METRIC_INNER_PRODUCT)
    fi.hnsw.efConstruction = 200
    t0 = time.perf_counter()
    fi.add(base)
    build = len(base) / (time.perf_counter() - t0)
    for ef in efs:
        fi.hnsw.efSearch = ef
        found = []
        t0 = time.perf_counter()
        for q in queries:
            _, labels = fi.search(q.reshape(1, -1), 10)
            found.append(labels[0])
        qps = len(queries) / (time.perf_counter() - t0)
        print(f"faiss-hnsw\t{ef}\t{recall(found):.3f}\t{qps:.0f}\t{build:.0f}", flush=True)
    flat = faiss.IndexFlatIP(dim)
    flat.add(base)
    n = 200
    t0 = time.perf_counter()
    for q in queries[:n]:
        flat.search(q.reshape(1, -1), 10)
    print(f"faiss-exact\t-\t1.000\t{n / (time.perf_counter() - t0):.0f}\t-", flush=True)

if "hnswlib" in engines:
    run_hnswlib()
if "faiss" in engines:
    run_faiss()
