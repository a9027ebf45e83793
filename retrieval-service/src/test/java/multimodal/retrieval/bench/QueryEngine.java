package multimodal.retrieval.bench;

/**
 * One ANN engine under benchmark: a timed pass over the first queries at one ef and thread count.
 */
interface QueryEngine {
  String name();

  Pass run(int ef, int threads, int count) throws Exception;

  /** Queries per second of one pass over the queries, and its recall@k against the exact top k. */
  record Pass(double qps, double recall) {}
}
