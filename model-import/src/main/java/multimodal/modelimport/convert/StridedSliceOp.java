package multimodal.modelimport.convert;

import java.util.ArrayList;
import java.util.List;
import multimodal.modelimport.tfjs.TfNode;

/**
 * TF StridedSlice with all five masks, as ONNX Slice, then Squeeze for shrink_axis and Unsqueeze
 * for new_axis. The slice spec is expanded against the input rank first (ellipsis and implicit
 * trailing dimensions).
 */
final class StridedSliceOp {

  private StridedSliceOp() {}

  static Value[] convert(TfNode n, Conversion c) {
    Value x = c.tfLayout(c.input(n, 0));
    if (x.rank() < 0) throw new UnsupportedOpException(n.op(), n.name(), "input rank is unknown");
    long[] begin = c.constant(n, 1).longValues(),
        end = c.constant(n, 2).longValues(),
        strides = c.constant(n, 3).longValues();
    long beginMask = n.intAttr("begin_mask", 0), endMask = n.intAttr("end_mask", 0);
    long ellipsisMask = n.intAttr("ellipsis_mask", 0), newAxisMask = n.intAttr("new_axis_mask", 0);
    long shrinkMask = n.intAttr("shrink_axis_mask", 0);
    int specs = begin.length;

    int consuming = 0;
    for (int i = 0; i < specs; i++) if (!bit(ellipsisMask, i) && !bit(newAxisMask, i)) consuming++;
    List<Long> starts = new ArrayList<>(),
        ends = new ArrayList<>(),
        axes = new ArrayList<>(),
        steps = new ArrayList<>();
    List<Long> squeezeAxes = new ArrayList<>();
    List<Long> outShape = new ArrayList<>();
    List<Long> newAxes = new ArrayList<>();
    int dim = 0;
    boolean sawEllipsis = false;
    for (int i = 0; i < specs || dim < x.rank(); i++) {
      if (i < specs && bit(ellipsisMask, i) && !sawEllipsis) {
        sawEllipsis = true;
        for (int k = 0; k < x.rank() - consuming; k++) outShape.add(x.dim(dim++));
        continue;
      }
      if (i < specs && bit(newAxisMask, i)) {
        newAxes.add((long) outShape.size());
        outShape.add(1L);
        continue;
      }
      if (dim >= x.rank())
        throw new UnsupportedOpException(
            n.op(), n.name(), "slice spec has more dimensions than the input");
      if (i >= specs) {
        outShape.add(x.dim(dim++));
        continue;
      }
      long s = strides[i];
      if (s == 0) throw new UnsupportedOpException(n.op(), n.name(), "stride 0");
      long b = bit(beginMask, i) ? (s > 0 ? 0 : Long.MAX_VALUE) : begin[i];
      long e = bit(endMask, i) ? (s > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : end[i];
      if (bit(shrinkMask, i)) {
        b = begin[i];
        e = b == -1 ? Long.MAX_VALUE : b + 1;
        s = 1;
        squeezeAxes.add((long) dim);
      } else {
        outShape.add(sliceLength(x.dim(dim), b, e, s));
      }
      starts.add(b);
      ends.add(e);
      axes.add((long) dim);
      steps.add(s);
      dim++;
    }

    OnnxGraph g = c.graph();
    String out = x.name();
    if (!axes.isEmpty()) {
      boolean more = !squeezeAxes.isEmpty() || !newAxes.isEmpty();
      out =
          g.op(
              "Slice",
              more ? n.name() + "/slice" : n.name(),
              List.of(
                  x.name(),
                  g.int64s(n.name() + "/starts", toArray(starts)),
                  g.int64s(n.name() + "/ends", toArray(ends)),
                  g.int64s(n.name() + "/axes", toArray(axes)),
                  g.int64s(n.name() + "/steps", toArray(steps))));
    }
    if (!squeezeAxes.isEmpty()) {
      out =
          g.op(
              "Squeeze",
              newAxes.isEmpty() ? n.name() : n.name() + "/squeeze",
              List.of(out, g.int64s(n.name() + "/squeeze_axes", toArray(squeezeAxes))));
    }
    if (!newAxes.isEmpty()) {
      out =
          g.op(
              "Unsqueeze",
              n.name(),
              List.of(out, g.int64s(n.name() + "/new_axes", toArray(newAxes))));
    }
    if (out.equals(x.name())) out = g.op("Identity", n.name(), List.of(x.name()));
    return ElementwiseOps.one(new Value(out, x.dtype(), toArray(outShape), false));
  }

  private static boolean bit(long mask, int i) {
    return (mask >> i & 1) != 0;
  }

  /** Python/TF slice length after clamping begin and end into the dimension. */
  static long sliceLength(long size, long b, long e, long s) {
    if (size < 0) return -1;
    if (s > 0) {
      long lo = clamp(b < 0 ? b + size : b, 0, size),
          hi = clamp(e < 0 && e != Long.MIN_VALUE ? e + size : e, 0, size);
      return Math.max(0, (hi - lo + s - 1) / s);
    }
    long lo = clamp(b < 0 ? b + size : b, -1, size - 1),
        hi = clamp(e < 0 && e != Long.MIN_VALUE ? e + size : e, -1, size - 1);
    return Math.max(0, (lo - hi + (-s) - 1) / (-s));
  }

  private static long clamp(long v, long lo, long hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  private static long[] toArray(List<Long> list) {
    return list.stream().mapToLong(Long::longValue).toArray();
  }
}
