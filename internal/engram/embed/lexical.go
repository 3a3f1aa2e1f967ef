package embed

import (
	"context"
	"hash/fnv"
	"math"
	"strings"
	"unicode"
)

// Lexical is the deterministic, non-semantic development embedder. Texts
// that share words or character trigrams get similar vectors; texts that
// mean the same thing in different words do not. The zero value is ready.
type Lexical struct{}

var _ Embedder = Lexical{}

// Info reports the lexical embedder, marked as not semantic.
func (Lexical) Info() Info {
	return Info{Name: "lexical", Model: "lexical-hash-v1 (not semantic)", Dim: Dim, Semantic: false}
}

// Embed hashes each text's lower-cased words (weight 1) and character
// trigrams (weight 0.5) into signed buckets and L2-normalises the result.
// It returns [ErrEmptyText] for a text with no letters, digits or symbols.
func (Lexical) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		v, err := lexicalVector(t)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func lexicalVector(text string) ([]float32, error) {
	acc := make([]float64, Dim)
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) == 0 {
		return nil, ErrEmptyText
	}
	for _, w := range words {
		addFeature(acc, "w:"+w, 1)
		rs := []rune(" " + w + " ")
		for j := 0; j+3 <= len(rs); j++ {
			addFeature(acc, "t:"+string(rs[j:j+3]), 0.5)
		}
	}
	var norm float64
	for _, x := range acc {
		norm += x * x
	}
	norm = math.Sqrt(norm)
	v := make([]float32, Dim)
	for i, x := range acc {
		v[i] = float32(x / norm)
	}
	return v, nil
}

// mix64 is the splitmix64 finaliser: FNV's low bits are weak for short
// keys that differ only at the end.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// addFeature adds weight to two buckets chosen by a 64-bit FNV-1a hash, with
// signs from the hash, so collisions cancel in expectation.
func addFeature(acc []float64, feature string, weight float64) {
	h := fnv.New64a()
	h.Write([]byte(feature))
	x := mix64(h.Sum64())
	for k := range 2 {
		part := uint32(x >> (32 * k))
		idx := int(part>>1) % len(acc)
		if part&1 == 1 {
			acc[idx] -= weight
		} else {
			acc[idx] += weight
		}
	}
}
