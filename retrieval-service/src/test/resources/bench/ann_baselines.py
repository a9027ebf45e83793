"""Baselines for AnnBenchmark: exact ground truth (faiss IndexFlatIP) and HNSW with Debian's
python3-hnswlib and python3-faiss on the same vectors, M and efConstruction. Run by the Java
main with /usr/bin/python3.

--phase build: ground truth (int32 file), then each HNSW index built with one thread and saved
               in the work directory, build figures in <workdir>/baselines-build.json.
--phase query: loads the saved indexes (resident memory measured around the load), recall@k and
               QPS with 1 and 2 threads per ef, all figures in --out.
Splitting the phases lets the long builds run once and the query timings run on an idle machine."""
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


def build(a, data, queries):
    out = {"n": len(data), "hnswlib": {}, "faiss": {}}
    faiss.omp_set_num_threads(1)
    t = time.time()
    flat = faiss.IndexFlatIP(a.dim)
    flat.add(data)
    _, truth = flat.search(queries, a.k)
    del flat
    out["ground_truth_seconds"] = time.time() - t
    truth.astype("<i4").tofile(a.gt)
    print(f"ground truth (1 thread): {out['ground_truth_seconds']:.1f} s", flush=True)

    # hnswlib: inner product on unit vectors = cosine.
    index = hnswlib.Index(space="ip", dim=a.dim)
    index.init_index(max_elements=len(data), ef_construction=a.efc, M=a.m, random_seed=100)
    index.set_num_threads(1)
    t = time.time()
    index.add_items(data, np.arange(len(data)))
    out["hnswlib"]["build_seconds_1_thread"] = time.time() - t
    print(f"hnswlib built in {out['hnswlib']['build_seconds_1_thread']:.1f} s", flush=True)
    path = os.path.join(a.workdir, "hnswlib.bin")
    index.save_index(path)
    out["hnswlib"]["disk_bytes"] = os.path.getsize(path)
    del index

    hnsw = faiss.IndexHNSWFlat(a.dim, a.m, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = a.efc
    t = time.time()
    hnsw.add(data)
    out["faiss"]["build_seconds_1_thread"] = time.time() - t
    print(f"faiss built in {out['faiss']['build_seconds_1_thread']:.1f} s", flush=True)
    path = os.path.join(a.workdir, "faiss.bin")
    faiss.write_index(hnsw, path)
    out["faiss"]["disk_bytes"] = os.path.getsize(path)
    with open(os.path.join(a.workdir, "baselines-build.json"), "w") as f:
        json.dump(out, f, indent=1)


def timed_runs(engine, efs, queries, truth, k, set_ef, search):
    runs = []
    for ef in efs:
        set_ef(max(ef, k))
        for threads in (1, 2):
            search(queries[:500], threads)  # warm-up
            t = time.time()
            labels = search(queries, threads)
            secs = time.time() - t
            runs.append({"ef": ef, "threads": threads, "qps": len(queries) / secs, "recall": recall(labels, truth, k)})
            print(f"{engine} ef={ef} threads={threads} qps={runs[-1]['qps']:.0f} recall={runs[-1]['recall']:.4f}", flush=True)
    return runs


def query(a, queries, efs):
    with open(os.path.join(a.workdir, "baselines-build.json")) as f:
        out = json.load(f)
    out["queries"] = len(queries)
    truth = np.fromfile(a.gt, dtype="<i4").reshape(-1, a.k)

    before = rss_bytes()
    index = hnswlib.Index(space="ip", dim=a.dim)
    index.load_index(os.path.join(a.workdir, "hnswlib.bin"))
    out["hnswlib"]["memory_bytes"] = rss_bytes() - before

    def hnswlib_search(q, threads):
        return index.knn_query(q, k=a.k, num_threads=threads)[0]

    out["hnswlib"]["runs"] = timed_runs("hnswlib", efs, queries, truth, a.k, index.set_ef, hnswlib_search)
    del index

    before = rss_bytes()
    hnsw = faiss.read_index(os.path.join(a.workdir, "faiss.bin"))
    out["faiss"]["memory_bytes"] = rss_bytes() - before

    def faiss_set_ef(ef):
        faiss.downcast_index(hnsw).hnsw.efSearch = ef

    def faiss_search(q, threads):
        faiss.omp_set_num_threads(threads)
        return hnsw.search(q, a.k)[1]

    out["faiss"]["runs"] = timed_runs("faiss", efs, queries, truth, a.k, faiss_set_ef, faiss_search)
    with open(a.out, "w") as f:
        json.dump(out, f, indent=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--phase", choices=["build", "query"], required=True)
    ap.add_argument("--vectors"); ap.add_argument("--queries"); ap.add_argument("--dim", type=int)
    ap.add_argument("--m", type=int); ap.add_argument("--efc", type=int); ap.add_argument("--ef")
    ap.add_argument("--k", type=int); ap.add_argument("--gt"); ap.add_argument("--out"); ap.add_argument("--workdir")
    a = ap.parse_args()
    queries = np.fromfile(a.queries, dtype="<f4").reshape(-1, a.dim)
    if a.phase == "build":
        build(a, np.fromfile(a.vectors, dtype="<f4").reshape(-1, a.dim), queries)
    else:
        query(a, queries, [int(x) for x in a.ef.split(",")])


if __name__ == "__main__":
    sys.exit(main())
