package data

import (
	_ "embed"
	"strings"
)

// Byte-level tokenizer: tokens 0–255 are bytes, EndOfText separates
// documents.
const (
	// EndOfText marks a document boundary.
	EndOfText int32 = 256
	// ByteVocab is the tokenizer's vocabulary size.
	ByteVocab = 257
)

// EncodeText returns the bytes of s as tokens 0–255.
func EncodeText(s string) []int32 {
	out := make([]int32, len(s))
	for i := range len(s) {
		out[i] = int32(s[i])
	}
	return out
}

// DecodeText maps tokens 0–255 back to bytes and drops every other token
// (EndOfText included). Invalid UTF-8 is kept as raw bytes.
func DecodeText(tokens []int32) string {
	var b strings.Builder
	b.Grow(len(tokens))
	for _, t := range tokens {
		if t >= 0 && t < 256 {
			b.WriteByte(byte(t))
		}
	}
	return b.String()
}

//go:embed corpus.txt
var corpusText string

// CorpusText returns the embedded English corpus: plain paragraphs separated
// by blank lines.
func CorpusText() string { return corpusText }

// CorpusTokens tokenizes the embedded corpus: each paragraph's bytes
// followed by EndOfText. The result is newly allocated; its [TokensHash] is
// pinned by the package tests.
func CorpusTokens() []int32 {
	var out []int32
	for _, p := range strings.Split(strings.TrimSpace(corpusText), "\n\n") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		out = append(out, EncodeText(p)...)
		out = append(out, EndOfText)
	}
	return out
}
