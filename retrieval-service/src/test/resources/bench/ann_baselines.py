"""Baselines for AnnBenchmark: exact ground truth (faiss IndexFlatIP) and HNSW with Debian's
python3-hnswlib and python3-faiss on the same vectors, M and efConstruction. Run by the Java
main with /usr/bin/python3.

--phase truth: exact ground truth (faiss IndexFlatIP, one thread) into the --gt int32 file.
--phase build --engine hnswlib|faiss: that HNSW index built with one thread and saved in the
               work directory, build figures in <workdir>/<engine>-build.json.
--phase serve: loads the saved indexes (resident memory measured around each load) and times
               the search passes the Java side asks for on stdin (see serve()).
Splitting the phases lets the long builds run once and the query timings run on an idle machine."""
import argparse, gc, json, os, sys, time

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


def ground_truth(a, data, queries):
    faiss.omp_set_num_threads(1)
    t = time.time()
    flat = faiss.IndexFlatIP(a.dim)
    flat.add(data)
    _, truth = flat.search(queries, a.k)
    truth.astype("<i4").tofile(a.gt)
    seconds = time.time() - t
    with open(os.path.join(a.workdir, "truth-build.json"), "w") as f:
        json.dump({"ground_truth_seconds": seconds}, f)
    print(f"ground truth (1 thread): {seconds:.1f} s", flush=True)


def build_index(a, data):
    """Builds one engine's HNSW (one thread unless --build-threads says more) and saves it; wall
    and CPU seconds, since the builds run side by side and wall time depends on what else the
    machine does."""
    wall, cpu = time.time(), time.process_time()
    if a.engine == "hnswlib":
        # hnswlib: inner product on unit vectors = cosine.
        index = hnswlib.Index(space="ip", dim=a.dim)
        index.init_index(max_elements=len(data), ef_construction=a.efc, M=a.m, random_seed=100)
        index.set_num_threads(a.build_threads)
        index.add_items(data, np.arange(len(data)))
        save = index.save_index
    else:
        index = faiss.IndexHNSWFlat(a.dim, a.m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = a.efc
        faiss.omp_set_num_threads(a.build_threads)
        index.add(data)
        save = lambda path: faiss.write_index(index, path)
    out = {"build_seconds": time.time() - wall, "build_cpu_seconds": time.process_time() - cpu,
           "build_threads": a.build_threads}
    path = os.path.join(a.workdir, a.engine + ".bin")
    save(path)
    out["disk_bytes"] = os.path.getsize(path)
    with open(os.path.join(a.workdir, a.engine + "-build.json"), "w") as f:
        json.dump(out, f, indent=1)
    print(f"{a.engine} built in {out['build_seconds']:.1f} s ({out['build_cpu_seconds']:.1f} s CPU)", flush=True)


def load(a, engine):
    """Loads a saved index; returns (set_ef, search(queries, threads) -> labels)."""
    if engine == "hnswlib":
        index = hnswlib.Index(space="ip", dim=a.dim)
        index.load_index(os.path.join(a.workdir, "hnswlib.bin"))
        return index.set_ef, lambda q, threads: index.knn_query(q, k=a.k, num_threads=threads)[0]
    index = faiss.read_index(os.path.join(a.workdir, "faiss.bin"))

    def search(q, threads):
        faiss.omp_set_num_threads(threads)
        return index.search(q, a.k)[1]
    return lambda ef: setattr(faiss.downcast_index(index).hnsw, "efSearch", ef), search


def serve(a, queries):
    """Loads both saved indexes (resident memory measured around each load; both stay loaded),
    prints one JSON line with the build and memory figures, then answers one timed pass per
    stdin line "<engine> <ef> <threads> <count>" with a JSON line {"qps", "recall"}. The Java
    side interleaves these passes with Lucene's, so that all engines see the same machine."""
    out = {"queries": len(queries), "engines": {}}
    with open(os.path.join(a.workdir, "truth-build.json")) as f:
        out["truth"] = json.load(f)
    truth = np.fromfile(a.gt, dtype="<i4").reshape(-1, a.k)
    engines = {}
    for engine in ("hnswlib", "faiss"):
        built = os.path.join(a.workdir, engine + "-build.json")
        if not os.path.exists(built):
            print(f"{engine}: no saved index in {a.workdir} (build not finished): skipped", file=sys.stderr, flush=True)
            continue
        with open(built) as f:
            figures = json.load(f)
        gc.collect()
        before = rss_bytes()
        engines[engine] = load(a, engine)
        figures["memory_bytes"] = rss_bytes() - before
        out["engines"][engine] = figures
    print(json.dumps(out), flush=True)
    for line in sys.stdin:
        engine, ef, threads, count = line.split()
        set_ef, search = engines[engine]
        ef, threads, count = int(ef), int(threads), int(count)
        set_ef(max(ef, a.k))
        t = time.perf_counter()
        labels = search(queries[:count], threads)
        secs = time.perf_counter() - t
        print(json.dumps({"qps": count / secs, "recall": recall(labels, truth[:count], a.k)}), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--phase", choices=["truth", "build", "serve"], required=True)
    ap.add_argument("--engine", choices=["hnswlib", "faiss"])
    ap.add_argument("--vectors"); ap.add_argument("--queries"); ap.add_argument("--dim", type=int)
    ap.add_argument("--m", type=int); ap.add_argument("--efc", type=int); ap.add_argument("--ef")
    ap.add_argument("--k", type=int); ap.add_argument("--gt"); ap.add_argument("--workdir")
    ap.add_argument("--build-threads", type=int, default=1)
    a = ap.parse_args()
    queries = np.fromfile(a.queries, dtype="<f4").reshape(-1, a.dim)
    if a.phase == "truth":
        ground_truth(a, np.fromfile(a.vectors, dtype="<f4").reshape(-1, a.dim), queries)
    elif a.phase == "build":
        build_index(a, np.fromfile(a.vectors, dtype="<f4").reshape(-1, a.dim))
    else:
        serve(a, queries)


if __name__ == "__main__":
    sys.exit(main())
