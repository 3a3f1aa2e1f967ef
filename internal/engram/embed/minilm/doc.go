// Package minilm is all-MiniLM-L6-v2 in pure Go: the BERT WordPiece
// tokenizer (loaded from the model's tokenizer.json), a 6-layer BERT
// encoder (weights from model.safetensors), mean pooling over the tokens
// and L2 normalisation, truncating inputs to 256 tokens as
// sentence-transformers does.
//
// Weights are not distributed with the code: [Load] reads a model
// directory holding config.json, tokenizer.json and model.safetensors
// (the sentence-transformers repository layout; "engram model pull"
// downloads it on a machine that can reach a model hub). A [Model] is safe
// for concurrent use; Embed runs texts in parallel up to Options.Workers.
package minilm
