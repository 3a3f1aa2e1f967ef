// Package model is a pure-Go decoder-only transformer language model for
// VRAM HUB's native training path: forward pass, next-token cross-entropy
// loss, backward pass, and an AdamW optimizer. Miners call
// [Model.LossAndGrad] on their assigned batch and compress the flat
// gradient; validators and the enclave call [Model.Loss] before and after
// applying a gradient; the aggregator steps and saves models.
//
// # Architecture
//
// Token embedding plus learned position embedding, then Layers blocks of
//
//	x = x + Wo·Attn(LN1(x)) + bo      causal multi-head self-attention
//	x = x + W2·GELU(W1·LN2(x) + b1) + b2
//
// then a final LayerNorm and logits = LNf(x)·wteᵀ: the output head is tied to
// the token embedding (no separate head matrix, and its gradient adds to
// wte's). LayerNorm uses ε = 1e-5; GELU is the tanh approximation; attention
// scales scores by 1/√(Width/Heads). [Small] is the demo shape, [Seed10M] the
// 6-layer, 384-wide nano-GPT of the design (10.8M parameters).
//
// # Parameters
//
// All parameters live in one []float32; a gradient is a vector of the same
// length and layout, so compression and aggregation work on flat vectors.
// The order, with D = Width, H = MLPRatio·Width and linear maps stored
// [out][in] row-major:
//
//	wte [Vocab][D]   wpe [Context][D]
//	for each block l:  h.l.ln1.g [D]  h.l.ln1.b [D]
//	                   h.l.attn.wqkv [3D][D] (query, key, value rows)  h.l.attn.bqkv [3D]
//	                   h.l.attn.wo [D][D]  h.l.attn.bo [D]
//	                   h.l.ln2.g [D]  h.l.ln2.b [D]
//	                   h.l.mlp.w1 [H][D]  h.l.mlp.b1 [H]  h.l.mlp.w2 [D][H]  h.l.mlp.b2 [D]
//	lnf.g [D]  lnf.b [D]
//
// [Model.Tensors] lists the same names with offsets and shapes.
//
// # Batches and loss
//
// A batch is a list of token rows. Row r gives inputs row[:len(row)-1] at
// positions 0, 1, … and targets row[1:]; the loss is the mean natural-log
// cross-entropy over every target of every row (VRAM HUB §4). Rows may have
// different lengths, 2 to Context+1 tokens.
//
// # Determinism
//
// Computation is float32 with float64 for reductions that set the loss,
// LayerNorm statistics and softmax normalizers; every sum runs in a fixed
// order and no work is spread over goroutines, so the same parameters and
// batch give the same loss and gradient bits on a given platform. Products
// are rounded explicitly so no compiler fuses them into multiply-adds;
// results can still differ across CPU architectures where math.Exp or
// math.Tanh do. Initialization ([New]) is bit-identical everywhere.
//
// # Saved-model format
//
// [Model.Save] writes, all integers little-endian:
//
//	offset  size  field
//	0       4     magic "VHTM"
//	4       2     version u16 = 1
//	6       2     reserved u16 = 0
//	8       4     vocab u32
//	12      4     context u32
//	16      4     layers u32
//	20      4     width u32
//	24      4     heads u32
//	28      4     mlp ratio u32
//	32      8     count u64 = number of parameters
//	40      4·count  parameters, f32 LE, in the flat order above
//
// [Model.Hash] is the SHA-256 of exactly these bytes. [Model.CheckpointBody]
// is the parameter part alone, the body of a VRAM HUB §8 checkpoint.
//
// # Concurrency
//
// A [Model] reuses scratch buffers across calls and must not be used by two
// goroutines at once, even for [Model.Loss]; [Model.Clone] gives each
// goroutine its own. An [AdamW] likewise belongs to one goroutine.
package model
