package embed

import (
	"math"
	"testing"
)

func TestLexical(t *testing.T) {
	var e Lexical
	vs, err := e.Embed(t.Context(), []string{
		"The attention mechanism in transformers",
		"the ATTENTION mechanism, in transformers!",
		"Completely unrelated sentence about gardening",
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range vs {
		if len(v) != Dim {
			t.Fatalf("len(vs[%d]) = %d, want %d", i, len(v), Dim)
		}
		var n float64
		for _, x := range v {
			n += float64(x) * float64(x)
		}
		if math.Abs(n-1) > 1e-5 {
			t.Errorf("|vs[%d]|^2 = %v, want 1", i, n)
		}
	}
	dot := func(a, b []float32) (s float64) {
		for i := range a {
			s += float64(a[i]) * float64(b[i])
		}
		return s
	}
	if d := dot(vs[0], vs[1]); d < 0.999 {
		t.Errorf("case and punctuation changed the vector: cos = %v", d)
	}
	if d := dot(vs[0], vs[2]); d > 0.5 {
		t.Errorf("unrelated texts too similar: cos = %v", d)
	}
	again, _ := e.Embed(t.Context(), []string{"The attention mechanism in transformers"})
	for i := range again[0] {
		if again[0][i] != vs[0][i] {
			t.Fatal("lexical embedder is not deterministic")
		}
	}
	for _, bad := range []string{"", "   ", "\t\n", "!!!"} {
		if _, err := e.Embed(t.Context(), []string{bad}); err != ErrEmptyText {
			t.Errorf("Embed(%q) err = %v, want ErrEmptyText", bad, err)
		}
	}
	if e.Info().Semantic {
		t.Error("lexical embedder claims to be semantic")
	}
}
