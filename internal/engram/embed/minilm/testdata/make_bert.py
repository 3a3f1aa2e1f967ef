#!/usr/bin/python3
"""Builds a synthetic model with exactly the all-MiniLM-L6-v2 architecture
(BERT, vocab 30522, 512 positions, 6 layers, hidden 384, 12 heads,
intermediate 1536, erf GELU, LayerNorm eps 1e-12) with seeded random
weights, and writes it twice into OUT:

  model.onnx         an ONNX graph of BERT + mean pooling + L2 normalisation
                     (inputs input_ids, attention_mask, token_type_ids: int64 [1, T];
                     output sentence_embedding: float [1, 384])
  model.safetensors  the same weights in the Hugging Face BertModel layout
  config.json        the BERT config

Usage: make_bert.py OUT [seed]
"""
import json, struct, sys
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
V, P, L, H, NH, I, EPS = 30522, 512, 6, 384, 12, 1536, 1e-12
DH = H // NH
rng = np.random.default_rng(seed)
W = {}  # name -> float32 array, PyTorch layout

def rand(name, shape, scale=0.02, centre=0.0):
    W[name] = (centre + scale * rng.standard_normal(shape)).astype(np.float32)

rand("embeddings.word_embeddings.weight", (V, H))
rand("embeddings.position_embeddings.weight", (P, H))
rand("embeddings.token_type_embeddings.weight", (2, H))
rand("embeddings.LayerNorm.weight", (H,), 0.05, 1.0)
rand("embeddings.LayerNorm.bias", (H,), 0.05)
for l in range(L):
    p = f"encoder.layer.{l}."
    for n in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"]:
        rand(p + n + ".weight", (H, H), 0.05)
        rand(p + n + ".bias", (H,), 0.02)
    rand(p + "intermediate.dense.weight", (I, H), 0.05)
    rand(p + "intermediate.dense.bias", (I,), 0.02)
    rand(p + "output.dense.weight", (H, I), 0.05)
    rand(p + "output.dense.bias", (H,), 0.02)
    for n in ["attention.output.LayerNorm", "output.LayerNorm"]:
        rand(p + n + ".weight", (H,), 0.05, 1.0)
        rand(p + n + ".bias", (H,), 0.05)

# safetensors: u64 header length, JSON header, raw little-endian data.
names = sorted(W)
header, offset, blobs = {"__metadata__": {"format": "pt"}}, 0, []
for n in names:
    b = W[n].astype("<f4").tobytes()
    header[n] = {"dtype": "F32", "shape": list(W[n].shape), "data_offsets": [offset, offset + len(b)]}
    offset += len(b)
    blobs.append(b)
hb = json.dumps(header).encode()
with open(f"{out}/model.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(hb)) + hb + b"".join(blobs))
json.dump({"architectures": ["BertModel"], "hidden_size": H, "num_hidden_layers": L, "num_attention_heads": NH,
           "intermediate_size": I, "hidden_act": "gelu", "layer_norm_eps": EPS, "max_position_embeddings": P,
           "vocab_size": V, "type_vocab_size": 2, "position_embedding_type": "absolute"},
          open(f"{out}/config.json", "w"))

nodes, inits = [], []
def init(name, arr):
    inits.append(numpy_helper.from_array(np.asarray(arr), name))
    return name
def node(op, ins, outs=None, **attrs):
    outs = outs or [f"{op}_{len(nodes)}"]
    nodes.append(helper.make_node(op, ins, outs, **attrs))
    return outs[0]
def const(name, value, dtype=np.float32):
    return init(name, np.array(value, dtype=dtype))

for n in ["embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight", "embeddings.token_type_embeddings.weight"]:
    init(n, W[n])
shape = node("Shape", ["input_ids"])
T = node("Gather", [shape, const("one_i", 1, np.int64)], axis=0)
pos = node("Range", [const("zero_i", 0, np.int64), T, const("step_i", 1, np.int64)])
x = node("Add", [node("Gather", ["embeddings.word_embeddings.weight", "input_ids"]),
                 node("Gather", ["embeddings.position_embeddings.weight", pos])])
x = node("Add", [x, node("Gather", ["embeddings.token_type_embeddings.weight", "token_type_ids"])])
def layernorm(x, prefix):
    return node("LayerNormalization", [x, init(prefix + ".weight", W[prefix + ".weight"]), init(prefix + ".bias", W[prefix + ".bias"])], axis=-1, epsilon=EPS)
def dense(x, prefix):
    return node("Add", [node("MatMul", [x, init(prefix + ".weightT", W[prefix + ".weight"].T.copy())]), init(prefix + ".bias", W[prefix + ".bias"])])
x = layernorm(x, "embeddings.LayerNorm")
maskf = node("Cast", ["attention_mask"], to=TensorProto.FLOAT)
bias = node("Mul", [node("Sub", [const("onef", 1.0), maskf]), const("neg", -10000.0)])
bias = node("Unsqueeze", [bias, const("ax12", [1, 2], np.int64)])  # [1,1,1,T]
heads_shape = const("heads_shape", [0, 0, NH, DH], np.int64)
flat_shape = const("flat_shape", [0, 0, H], np.int64)
def split(t):
    return node("Transpose", [node("Reshape", [t, heads_shape])], perm=[0, 2, 1, 3])
for l in range(L):
    p = f"encoder.layer.{l}."
    q, k, v = split(dense(x, p + "attention.self.query")), split(dense(x, p + "attention.self.key")), split(dense(x, p + "attention.self.value"))
    s = node("Mul", [node("MatMul", [q, node("Transpose", [k], perm=[0, 1, 3, 2])]), const(f"scale{l}", 1 / np.sqrt(DH))])
    a = node("Softmax", [node("Add", [s, bias])], axis=-1)
    ctx = node("Reshape", [node("Transpose", [node("MatMul", [a, v])], perm=[0, 2, 1, 3]), flat_shape])
    x = layernorm(node("Add", [dense(ctx, p + "attention.output.dense"), x]), p + "attention.output.LayerNorm")
    h = dense(x, p + "intermediate.dense")
    g = node("Mul", [node("Mul", [h, const(f"half{l}", 0.5)]),
                     node("Add", [node("Erf", [node("Div", [h, const(f"sqrt2_{l}", np.sqrt(2.0))])]), const(f"one{l}", 1.0)])])
    x = layernorm(node("Add", [dense(g, p + "output.dense"), x]), p + "output.LayerNorm")
m3 = node("Unsqueeze", [maskf, const("ax2", [2], np.int64)])  # [1,T,1]
summed = node("ReduceSum", [node("Mul", [x, m3]), const("ax1", [1], np.int64)], keepdims=0)
count = node("Max", [node("ReduceSum", [m3, const("ax1b", [1], np.int64)], keepdims=0), const("tiny", 1e-9)])
pooled = node("Div", [summed, count])
norm = node("Max", [node("ReduceL2", [pooled], axes=[1], keepdims=1), const("tiny2", 1e-12)])
node("Div", [pooled, norm], ["sentence_embedding"])
ints = lambda n: helper.make_tensor_value_info(n, TensorProto.INT64, [1, "T"])
graph = helper.make_graph(nodes, "minilm_shaped_bert", [ints("input_ids"), ints("attention_mask"), ints("token_type_ids")],
                          [helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT, [1, H])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, f"{out}/model.onnx")
print("wrote", out)
