"""Convert an fp32 ONNX graph to fp16 compute with fp32 inputs/outputs.

Rules (so that fp16 stays numerically safe):
- graph inputs and outputs stay float32 (the runtime feeds the same tensors for both);
- normalisation and softmax (`KEEP_FP32` op types) run in float32;
- everything computed only from the scalar conditioning inputs (timestep, aug level) and
  constants stays float32: sin/cos of t * freq with t up to 1000 is meaningless in fp16;
- Resize's roi/scales inputs stay float32 (the operator requires it);
- Cast nodes inside the fp16 region cast to float16.
Casts are inserted where a tensor crosses between the two regions.
"""
import onnx
import numpy as np
from onnx import TensorProto, helper, numpy_helper, shape_inference

KEEP_FP32 = {"InstanceNormalization", "LayerNormalization", "Softmax", "GroupNormalization"}
FP32_ONLY_INPUTS = {"Resize": {1, 2}}  # input positions that must stay float32
FLOAT, HALF = TensorProto.FLOAT, TensorProto.FLOAT16


def _constants_to_initializers(graph):
    kept = []
    for node in graph.node:
        if node.op_type == "Constant" and len(node.attribute) == 1 and node.attribute[0].name == "value":
            t = numpy_helper.to_array(node.attribute[0].t)
            graph.initializer.append(numpy_helper.from_array(t, node.output[0]))
        else:
            kept.append(node)
    del graph.node[:]
    graph.node.extend(kept)


def convert(model: onnx.ModelProto, scalar_inputs=("t", "aug_level")) -> onnx.ModelProto:
    model = onnx.ModelProto.FromString(model.SerializeToString())
    graph = model.graph
    _constants_to_initializers(graph)
    inferred = shape_inference.infer_shapes(model)
    elem = {}
    for vi in list(inferred.graph.value_info) + list(graph.input) + list(graph.output):
        elem[vi.name] = vi.type.tensor_type.elem_type
    inits = {i.name: i for i in graph.initializer}
    for name, init in inits.items():
        elem[name] = init.data_type

    # 1. decide each node's precision (graph nodes are topologically sorted)
    # scalar region: computed only from the scalar inputs and constants; it propagates.
    # KEEP_FP32 ops also produce float32, but their consumers go back to fp16.
    scalar = set(scalar_inputs)
    fp32_tensor = set(scalar)
    node_fp32 = []
    for node in graph.node:
        float_ins = [n for n in node.input if n and elem.get(n) == FLOAT and n not in inits]
        in_scalar = [n for n in node.input if n in scalar]
        if float_ins:
            region = all(n in scalar for n in float_ins)
        else:  # shape maths, casts from integers: follow any scalar-region input
            region = bool(in_scalar)
        keep = region or node.op_type in KEEP_FP32
        node_fp32.append(keep)
        if region:
            scalar.update(node.output)
        if keep:
            fp32_tensor.update(node.output)

    # 2. rewrite: casts at region crossings, fp16 initializers, fp16 Cast targets
    new_nodes, cast_cache, half_inits = [], {}, {}
    graph_inputs = {i.name for i in graph.input}

    def as_precision(name, want_fp32):
        if not name or elem.get(name) != FLOAT:
            return name
        if name in inits:
            if want_fp32:
                return name
            if name not in half_inits:
                arr = numpy_helper.to_array(inits[name]).astype(np.float16)
                half_inits[name] = numpy_helper.from_array(arr, name + "_fp16")
            return name + "_fp16"
        is_fp32 = name in fp32_tensor or name in graph_inputs
        if is_fp32 == want_fp32:
            return name
        key = (name, want_fp32)
        if key not in cast_cache:
            out = f"{name}_to_{'fp32' if want_fp32 else 'fp16'}"
            new_nodes.append(helper.make_node("Cast", [name], [out], to=FLOAT if want_fp32 else HALF))
            cast_cache[key] = out
        return cast_cache[key]

    for node, keep in zip(graph.node, node_fp32):
        forced = FP32_ONLY_INPUTS.get(node.op_type, set())
        ins = [as_precision(n, keep or pos in forced) for pos, n in enumerate(node.input)]
        del node.input[:]
        node.input.extend(ins)
        if node.op_type == "Cast" and not keep:
            for a in node.attribute:
                if a.name == "to" and a.i == FLOAT:
                    a.i = HALF
        if node.op_type == "ConstantOfShape" and not keep:
            for a in node.attribute:
                if a.name == "value" and a.t.data_type == FLOAT:
                    a.t.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(a.t).astype(np.float16)))
        new_nodes.append(node)
    # 3. outputs back to float32
    for out in graph.output:
        if out.type.tensor_type.elem_type == FLOAT and out.name not in fp32_tensor:
            src = out.name + "_fp16_out"
            for node in new_nodes:
                for k, n in enumerate(node.output):
                    if n == out.name:
                        node.output[k] = src
                for k, n in enumerate(node.input):
                    if n == out.name:
                        node.input[k] = src
            new_nodes.append(helper.make_node("Cast", [src], [out.name], to=FLOAT))
    del graph.node[:]
    graph.node.extend(new_nodes)
    graph.initializer.extend(half_inits.values())
    used = {n for node in graph.node for n in node.input}
    keep_inits = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(keep_inits)
    del graph.value_info[:]
    onnx.checker.check_model(model)
    return model
