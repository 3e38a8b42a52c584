"""Make the int8 classifier's scores independent of the batch they are computed in.

``onnxruntime.quantization.quantize_dynamic`` quantises each layer's input with one
scale and zero point for the whole tensor (``DynamicQuantizeLinear``): every sentence
of a batch, and its padding, moves every other sentence's rounding (on the PLV
sentences one label in ten changed between batch sizes 1 and 8). This rewrite computes
the same scale and zero point per sentence, over its real tokens only, so a sentence
scored in any batch gets the numbers it gets alone (up to float noise), which are the
numbers the artefact was validated with. The int8 weights are untouched.

The per-sentence zero point is taken out after the integer product
(``q.W - zp * colsum(W)``), since onnxruntime's ``MatMulInteger`` takes one zero point
per tensor. onnxruntime's extended fusions assume a per-tensor scale, so the runtime
loads this model with basic graph optimisations only (``classifier.py`` does).

Usage: python scripts/quantise_rows.py IN.onnx OUT.onnx   (needs ``pip install onnx``)
"""

from __future__ import annotations

import sys

import numpy as np


def quantise_per_sentence(source: str, target: str, mask_input: str = "attention_mask") -> int:
    """Rewrite every DynamicQuantizeLinear of ``source``; returns how many were replaced."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.shape_inference.infer_shapes(onnx.load(source))
    graph = model.graph
    ranks = {v.name: len(v.type.tensor_type.shape.dim) for v in graph.value_info}
    inits = {i.name: i for i in graph.initializer}

    def const(name: str, value: np.ndarray) -> str:
        graph.initializer.append(numpy_helper.from_array(value, name))
        return name

    const("psq_0", np.array(0.0, dtype=np.float32))
    const("psq_255", np.array(255.0, dtype=np.float32))
    const("psq_big", np.array(3.0e38, dtype=np.float32))
    const("psq_nbig", np.array(-3.0e38, dtype=np.float32))
    const("psq_tiny", np.array(1e-12, dtype=np.float32))
    const("psq_zero_u8", np.array(0, dtype=np.uint8))
    const("psq_axis2", np.array([2], dtype=np.int64))
    head = [
        helper.make_node("Cast", [mask_input], ["psq_mask_bool"], to=TensorProto.BOOL),
        helper.make_node("Unsqueeze", ["psq_mask_bool", "psq_axis2"], ["psq_mask3"]),
    ]

    consumers: dict[str, list[onnx.NodeProto]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)

    nodes: list[onnx.NodeProto] = []
    corrections: dict[str, str] = {}  # Cast output of a MatMulInteger -> corrected tensor
    replaced = 0
    for node in graph.node:
        if node.op_type == "DynamicQuantizeLinear":
            replaced += 1
            x = node.input[0]
            quantised, scale, zero_point = node.output
            p = (node.name or x) + "_ps"
            rank = ranks.get(x, 3)
            axes = list(range(1, rank))
            if rank == 3:  # [batch, tokens, hidden]: padding tokens stay out of the range
                nodes += [
                    helper.make_node("Where", ["psq_mask3", x, "psq_nbig"], [p + "_forMax"]),
                    helper.make_node("Where", ["psq_mask3", x, "psq_big"], [p + "_forMin"]),
                ]
                hi_in, lo_in = p + "_forMax", p + "_forMin"
            else:  # pooled [batch, hidden]: no padding left
                hi_in = lo_in = x
            nodes += [
                helper.make_node("ReduceMax", [hi_in], [p + "_max0"], axes=axes, keepdims=1),
                helper.make_node("ReduceMin", [lo_in], [p + "_min0"], axes=axes, keepdims=1),
                helper.make_node("Max", [p + "_max0", "psq_0"], [p + "_max"]),
                helper.make_node("Min", [p + "_min0", "psq_0"], [p + "_min"]),
                helper.make_node("Sub", [p + "_max", p + "_min"], [p + "_range"]),
                helper.make_node("Div", [p + "_range", "psq_255"], [p + "_s0"]),
                helper.make_node("Max", [p + "_s0", "psq_tiny"], [scale]),
                helper.make_node("Div", [p + "_min", scale], [p + "_minq"]),
                helper.make_node("Neg", [p + "_minq"], [p + "_negminq"]),
                helper.make_node("Round", [p + "_negminq"], [p + "_zr"]),
                helper.make_node("Clip", [p + "_zr", "psq_0", "psq_255"], [zero_point + "_f"]),
                helper.make_node("Div", [x, scale], [p + "_xs"]),
                helper.make_node("Round", [p + "_xs"], [p + "_xr"]),
                helper.make_node("Add", [p + "_xr", zero_point + "_f"], [p + "_xz"]),
                helper.make_node("Clip", [p + "_xz", "psq_0", "psq_255"], [p + "_xc"]),
                helper.make_node("Cast", [p + "_xc"], [quantised], to=TensorProto.UINT8),
            ]
            continue
        if node.op_type == "MatMulInteger" and node.input[2].endswith("zero_point") and any(
                node.input[2] == d.output[2] for d in graph.node
                if d.op_type == "DynamicQuantizeLinear"):
            a_zp, weight, w_zp = node.input[2], node.input[1], node.input[3]
            w = numpy_helper.to_array(inits[weight]).astype(np.int64)
            wz = numpy_helper.to_array(inits[w_zp]).astype(np.int64) if w_zp else 0
            colsum = const(weight + "_colsum", (w - wz).sum(axis=0).astype(np.float32))
            node.input[2] = "psq_zero_u8"
            nodes.append(node)
            cast = next(c for c in consumers[node.output[0]] if c.op_type == "Cast")
            fix = node.output[0] + "_zpfix"
            nodes += [helper.make_node("Mul", [a_zp + "_f", colsum], [fix + "_term"])]
            corrections[cast.output[0]] = fix
            continue
        nodes.append(node)

    out: list[onnx.NodeProto] = []
    for node in head + nodes:
        out.append(node)
        for cast_out, fix in corrections.items():
            if node.op_type == "Cast" and node.output[0] == cast_out:
                out.append(helper.make_node("Sub", [cast_out, fix + "_term"], [fix]))
    for node in out:
        if node.op_type == "Mul":
            for i, name in enumerate(node.input):
                if name in corrections:
                    node.input[i] = corrections[name]
    del graph.node[:]
    graph.node.extend(out)
    del graph.value_info[:]
    onnx.checker.check_model(model)
    onnx.save(model, target)
    return replaced


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    n = quantise_per_sentence(sys.argv[1], sys.argv[2])
    print(f"{n} activations now quantised per sentence")
