"""Baselines for AnnBenchmark: exact ground truth (faiss IndexFlatIP) and HNSW with Debian's
python3-hnswlib and python3-faiss on the same vectors, M and efConstruction. Run by the Java
main with /usr/bin/python3; prints progress and writes ground truth (int32) and a JSON summary."""
import argparse, json, os, sys, time

import numpy as np
import faiss
import hnswlib


def rss_bytes():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def recall(found, truth, k):
    hits = 0
    for f, t in zip(found, truth):
        hits += len(set(f[:k].tolist()) & set(t[:k].tolist()))
    return hits / (len(truth) * k)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vectors"); ap.add_argument("--queries"); ap.add_argument("--dim", type=int)
    ap.add_argument("--m", type=int); ap.add_argument("--efc", type=int); ap.add_argument("--ef")
    ap.add_argument("--k", type=int); ap.add_argument("--gt"); ap.add_argument("--out"); ap.add_argument("--workdir")
    a = ap.parse_args()
    efs = [int(x) for x in a.ef.split(",")]
    data = np.fromfile(a.vectors, dtype="<f4").reshape(-1, a.dim)
    queries = np.fromfile(a.queries, dtype="<f4").reshape(-1, a.dim)
    n = len(data)
    out = {"n": n, "queries": len(queries), "hnswlib": {}, "faiss": {}}

    faiss.omp_set_num_threads(2)
    t = time.time()
    flat = faiss.IndexFlatIP(a.dim)
    flat.add(data)
    _, truth = flat.search(queries, a.k)
    del flat
    out["ground_truth_seconds"] = time.time() - t
    truth.astype("<i4").tofile(a.gt)
    print(f"ground truth: {out['ground_truth_seconds']:.1f} s", flush=True)

    # hnswlib: inner product on unit vectors = cosine.
    before = rss_bytes()
    index = hnswlib.Index(space="ip", dim=a.dim)
    index.init_index(max_elements=n, ef_construction=a.efc, M=a.m, random_seed=100)
    index.set_num_threads(1)
    t = time.time()
    index.add_items(data, np.arange(n))
    out["hnswlib"]["build_seconds_1_thread"] = time.time() - t
    out["hnswlib"]["memory_bytes"] = rss_bytes() - before
    path = os.path.join(a.workdir, "hnswlib.bin")
    index.save_index(path)
    out["hnswlib"]["disk_bytes"] = os.path.getsize(path)
    os.remove(path)
    runs = []
    for ef in efs:
        index.set_ef(max(ef, a.k))
        for threads in (1, 2):
            index.knn_query(queries[:500], k=a.k, num_threads=threads)  # warm-up
            t = time.time()
            labels, _ = index.knn_query(queries, k=a.k, num_threads=threads)
            secs = time.time() - t
            runs.append({"ef": ef, "threads": threads, "qps": len(queries) / secs, "recall": recall(labels, truth, a.k)})
            print(f"hnswlib ef={ef} threads={threads} qps={runs[-1]['qps']:.0f} recall={runs[-1]['recall']:.4f}", flush=True)
    out["hnswlib"]["runs"] = runs
    del index

    before = rss_bytes()
    hnsw = faiss.IndexHNSWFlat(a.dim, a.m, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = a.efc
    faiss.omp_set_num_threads(1)
    t = time.time()
    hnsw.add(data)
    out["faiss"]["build_seconds_1_thread"] = time.time() - t
    out["faiss"]["memory_bytes"] = rss_bytes() - before
    path = os.path.join(a.workdir, "faiss.bin")
    faiss.write_index(hnsw, path)
    out["faiss"]["disk_bytes"] = os.path.getsize(path)
    os.remove(path)
    runs = []
    for ef in efs:
        hnsw.hnsw.efSearch = max(ef, a.k)
        for threads in (1, 2):
            faiss.omp_set_num_threads(threads)
            hnsw.search(queries[:500], a.k)
            t = time.time()
            _, labels = hnsw.search(queries, a.k)
            secs = time.time() - t
            runs.append({"ef": ef, "threads": threads, "qps": len(queries) / secs, "recall": recall(labels, truth, a.k)})
            print(f"faiss ef={ef} threads={threads} qps={runs[-1]['qps']:.0f} recall={runs[-1]['recall']:.4f}", flush=True)
    out["faiss"]["runs"] = runs
    with open(a.out, "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
