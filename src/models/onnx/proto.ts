// The ONNX protobuf schema, read at run time from the official onnx.proto (./README.md says where it comes from)
// by protobufjs: decode and encode ModelProto without a hand-written parser.
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

let root: protobuf.Root | undefined;

/** onnx.ModelProto, onnx.TensorProto, … from the official schema. */
export function onnxType(name: 'ModelProto' | 'TensorProto' | 'GraphProto' | 'NodeProto'): protobuf.Type {
  root ??= protobuf.loadSync(fileURLToPath(new URL('./onnx.proto', import.meta.url)));
  return root.lookupType(`onnx.${name}`);
}

/** TensorProto.DataType values Lethe reads and writes. */
export const FLOAT = 1;
export const INT64 = 7;
