package multimodal.modelimport.convert;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import multimodal.modelimport.tfjs.TfNode;
import multimodal.modelimport.tfjs.TfTensor;
import multimodal.onnx.AttributeProto;

/**
 * Convolutions (plain, depthwise, and TF's fused forms with bias and activation) and pooling. They
 * take NCHW operands and give NCHW results; filters are re-laid out from TF's HWIO to ONNX's OIHW
 * at import time.
 */
final class ConvolutionOps {

  private ConvolutionOps() {}

  static void register(Map<String, OpConverter> ops) {
    ops.put("Conv2D", (n, c) -> conv(n, c, false, List.of()));
    ops.put("_FusedConv2D", (n, c) -> conv(n, c, false, n.stringListAttr("fused_ops")));
    ops.put("DepthwiseConv2dNative", (n, c) -> conv(n, c, true, List.of()));
    ops.put(
        "FusedDepthwiseConv2dNative", (n, c) -> conv(n, c, true, n.stringListAttr("fused_ops")));
    ops.put("MaxPool", (n, c) -> pool(n, c, "MaxPool"));
    ops.put("AvgPool", (n, c) -> pool(n, c, "AveragePool"));
  }

  private static Value[] conv(TfNode n, Conversion c, boolean depthwise, List<String> fused) {
    Value x = c.nchwLayout(c.input(n, 0));
    TfTensor filter = c.constant(n, 1);
    if (filter.rank() != 4)
      throw new UnsupportedOpException(n.op(), n.name(), "filter must be rank 4");
    long kh = filter.shape()[0],
        kw = filter.shape()[1],
        cin = filter.shape()[2],
        m = filter.shape()[3];
    // TF HWIO -> ONNX OIHW; depthwise [KH,KW,C,M] is a grouped conv whose output channel c*M+mi
    // uses F[..,c,mi].
    TfTensor w =
        depthwise
            ? filter.reshape(kh, kw, 1, cin * m).transpose(3, 2, 0, 1)
            : filter.transpose(3, 2, 0, 1);
    long cout = w.shape()[0];
    SpatialWindow win = SpatialWindow.of(n, x, kh, kw);

    OnnxGraph g = c.graph();
    List<String> inputs =
        new ArrayList<>(List.of(x.name(), g.initializer(n.name() + "/filter", w)));
    int arg = 2;
    List<String> activations = new ArrayList<>(fused);
    if (!activations.isEmpty() && activations.get(0).equals("BiasAdd")) {
      TfTensor bias = c.constant(n, arg++);
      if (bias.rank() != 1)
        throw new UnsupportedOpException(n.op(), n.name(), "bias must be rank 1");
      inputs.add(g.initializer(n.name() + "/bias", bias));
      activations.remove(0);
    }
    List<AttributeProto> attrs = win.attributes(true);
    attrs.add(OnnxGraph.attr("group", depthwise ? cin : 1L));
    String out =
        g.op(
            "Conv",
            activations.isEmpty() ? n.name() : n.name() + "/conv",
            inputs,
            attrs.toArray(AttributeProto[]::new));
    Value y = new Value(out, x.dtype(), new long[] {x.dim(0), win.outH(), win.outW(), cout}, true);
    for (String act : activations) {
      y = ElementwiseOps.activate(c, y, act, n, act.equals("Prelu") ? c.input(n, arg++) : null);
    }
    return ElementwiseOps.one(y);
  }

  private static Value[] pool(TfNode n, Conversion c, String onnxOp) {
    Value x = c.nchwLayout(c.input(n, 0));
    long[] k = n.intListAttr("ksize");
    if (k.length != 4 || k[0] != 1 || k[3] != 1)
      throw new UnsupportedOpException(
          n.op(), n.name(), "only spatial pooling windows are supported");
    SpatialWindow win = SpatialWindow.of(n, x, k[1], k[2]);
    List<AttributeProto> attrs = win.attributes(false);
    // TF averages over the valid (unpadded) pixels only: count_include_pad stays 0.
    String out =
        c.graph().op(onnxOp, n.name(), List.of(x.name()), attrs.toArray(AttributeProto[]::new));
    return ElementwiseOps.one(
        new Value(out, x.dtype(), new long[] {x.dim(0), win.outH(), win.outW(), x.dim(3)}, true));
  }
}
