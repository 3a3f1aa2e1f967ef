package minilm

import (
	"slices"
	"strings"
	"testing"
)

func TestTokenizerRealVocab(t *testing.T) {
	tok, err := LoadTokenizer("testdata/tokenizer.json")
	if err != nil {
		t.Fatal(err)
	}
	if tok.VocabSize() != 30522 {
		t.Fatalf("vocab = %d, want 30522", tok.VocabSize())
	}
	id := func(s string) int32 { return tok.vocab[s] }
	tests := []struct {
		name string
		in   string
		want []int32
	}{
		{"hello world", "Hello World", []int32{101, id("hello"), id("world"), 102}},
		{"punctuation split", "hi,there!", []int32{101, id("hi"), id(","), id("there"), id("!"), 102}},
		{"accents stripped", "Café", []int32{101, id("cafe"), 102}},
		{"cjk padded", "中文", []int32{101, id("中"), id("文"), 102}},
		{"continuation", "embeddings", append(append([]int32{101}, wp(tok, "embeddings")...), 102)},
		{"long word is unk", strings.Repeat("a", 101), []int32{101, 100, 102}},
		{"control chars dropped", "a\x00b\u200bc", append(append([]int32{101}, wp(tok, "abc")...), 102)},
		{"empty", "", []int32{101, 102}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tok.Encode(tt.in, 256); !slices.Equal(got, tt.want) {
				t.Errorf("Encode(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
	long := tok.Encode(strings.Repeat("word ", 400), 256)
	if len(long) != 256 || long[0] != 101 || long[255] != 102 {
		t.Errorf("truncation: len %d first %d last %d", len(long), long[0], long[len(long)-1])
	}
}

// wp is the greedy longest-match reference written independently of
// wordPiece: try every prefix length from the longest.
func wp(tok *Tokenizer, w string) []int32 {
	var out []int32
	rest := w
	first := true
	for rest != "" {
		matched := false
		for n := len(rest); n > 0; n-- {
			key := rest[:n]
			if !first {
				key = "##" + key
			}
			if id, ok := tok.vocab[key]; ok {
				out = append(out, id)
				rest = rest[n:]
				matched = true
				break
			}
		}
		if !matched {
			return []int32{100}
		}
		first = false
	}
	return out
}
