package multimodal.modelimport.tfjs;

import java.util.List;
import java.util.Map;

/**
 * A TF.js graph model as read from its files: the GraphDef nodes in file order, the dequantised
 * weights by node name, and the signature's input and output node names (without TensorFlow's ":0"
 * suffix).
 */
public record TfjsModel(
    List<TfNode> nodes, Map<String, TfTensor> weights, List<String> inputs, List<String> outputs) {}
