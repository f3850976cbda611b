import type { QuantileModelParams } from "../domain/growth/quantile-model.ts";
import { ModelProto, ONNX_FLOAT } from "./onnx-schema.ts";

export const ONNX_INPUT = "features";
export const ONNX_OUTPUT = "quantiles";
export const ONNX_OPSET = 13;
export const ONNX_IR_VERSION = 8;

const tensor = (name: string, dims: number[], values: number[]) => ({
  name,
  dims,
  dataType: ONNX_FLOAT,
  floatData: values,
});
const node = (opType: string, input: string[], output: string) => ({ opType, input, output: [output], name: output });
const valueInfo = (name: string, dims: (number | string)[]) => ({
  name,
  type: {
    tensorType: {
      elemType: ONNX_FLOAT,
      shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
    },
  },
});

/**
 * Encodes the quantile model as an ONNX graph (opset 13: MatMul, Add, Relu):
 * raw = x W + b; out = raw P + Relu(raw M1) M2, i.e. [min(raw10, q50), q50, max(raw90, q50)].
 * Input "features" [N, F] float32, output "quantiles" [N, 3] = log-ratio q10, q50, q90.
 */
export function exportQuantileModelOnnx(params: QuantileModelParams, docString: string): Uint8Array {
  const f = params.weights.length;
  const initializer = [
    tensor("W", [f, 3], params.weights.flatMap((w) => [...w])),
    tensor("b", [3], [...params.bias]),
    // spread columns: q50 - raw10, raw90 - q50
    tensor("M1", [3, 2], [-1, 0, 1, -1, 0, 1]),
    tensor("P", [3, 3], [0, 0, 0, 1, 1, 1, 0, 0, 0]),
    tensor("M2", [2, 3], [-1, 0, 0, 0, 0, 1]),
  ];
  const graph = {
    name: "growth_quantiles",
    docString,
    node: [
      node("MatMul", [ONNX_INPUT, "W"], "xw"),
      node("Add", ["xw", "b"], "raw"),
      node("MatMul", ["raw", "M1"], "spread"),
      node("Relu", ["spread"], "spread_pos"),
      node("MatMul", ["raw", "P"], "median3"),
      node("MatMul", ["spread_pos", "M2"], "offsets"),
      node("Add", ["median3", "offsets"], ONNX_OUTPUT),
    ],
    initializer,
    input: [valueInfo(ONNX_INPUT, ["N", f])],
    output: [valueInfo(ONNX_OUTPUT, ["N", 3])],
  };
  const model = {
    irVersion: ONNX_IR_VERSION,
    producerName: "lesiontrack train",
    producerVersion: "1",
    modelVersion: 1,
    docString,
    graph,
    opsetImport: [{ domain: "", version: ONNX_OPSET }],
    metadataProps: [{ key: "feature_version", value: params.featureVersion }],
  };
  const err = ModelProto.verify(model);
  if (err) throw new Error(`ONNX export: ${err}`);
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}
