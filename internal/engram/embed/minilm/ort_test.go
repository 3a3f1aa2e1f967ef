//go:build integration

package minilm

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	ort "github.com/yalue/onnxruntime_go"
)

// TestMatchesONNXRuntime builds a synthetic model with exactly the
// all-MiniLM-L6-v2 architecture (testdata/make_bert.py), runs its ONNX graph
// in ONNX Runtime and the same weights through our Go forward pass, and
// requires every element of every embedding to agree within 1e-4.
func TestMatchesONNXRuntime(t *testing.T) {
	lib := os.Getenv("ONNXRUNTIME_LIB")
	if lib == "" {
		t.Skip("ONNXRUNTIME_LIB is not set; run tools/deps/minilm.sh (make test does)")
	}
	dir := t.TempDir()
	if out, err := exec.Command("/usr/bin/python3", "testdata/make_bert.py", dir, "7").CombinedOutput(); err != nil {
		t.Fatalf("make_bert.py: %v\n%s", err, out)
	}
	tok, _ := os.ReadFile("testdata/tokenizer.json")
	os.WriteFile(filepath.Join(dir, "tokenizer.json"), tok, 0o644)
	m, err := Load(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ort.SetSharedLibraryPath(lib)
	if err := ort.InitializeEnvironment(); err != nil {
		t.Fatalf("ONNX Runtime: %v", err)
	}
	defer ort.DestroyEnvironment()
	sess, err := ort.NewDynamicAdvancedSession(filepath.Join(dir, "model.onnx"),
		[]string{"input_ids", "attention_mask", "token_type_ids"}, []string{"sentence_embedding"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Destroy()
	texts := []string{
		"hello world",
		"The attention mechanism in transformers lets every token look at every other token.",
		"Café, naïve façade — déjà vu!",
		"中文字符和English混合 text with 数字 123",
		"emoji 😀 and symbols: #hashtag @user $100 50% (parenthesised) [bracketed] {braced}",
		strings.Repeat("a very long input that must be truncated at two hundred and fifty six tokens ", 30),
		"x",
		"UNKNOWNWORDXYZ supercalifragilisticexpialidocious antidisestablishmentarianism",
		"Tabs\tand\nnewlines\r\nare whitespace",
		"What is the capital of France? Paris is the capital of France.",
	}
	var worst float64
	for _, text := range texts {
		ids := m.tok.Encode(text, MaxSeqLen)
		in := make([]int64, len(ids))
		ones := make([]int64, len(ids))
		zeros := make([]int64, len(ids))
		for i, id := range ids {
			in[i], ones[i] = int64(id), 1
		}
		shape := ort.NewShape(1, int64(len(ids)))
		a, _ := ort.NewTensor(shape, in)
		b, _ := ort.NewTensor(shape, ones)
		c, _ := ort.NewTensor(shape, zeros)
		out, _ := ort.NewEmptyTensor[float32](ort.NewShape(1, 384))
		if err := sess.Run([]ort.Value{a, b, c}, []ort.Value{out}); err != nil {
			t.Fatalf("ONNX Runtime run: %v", err)
		}
		want := out.GetData()
		got := m.EmbedIDs(ids)
		var maxDiff float64
		for i := range got {
			maxDiff = math.Max(maxDiff, math.Abs(float64(got[i]-want[i])))
		}
		worst = math.Max(worst, maxDiff)
		if maxDiff > 1e-4 {
			t.Errorf("%q (%d tokens): max abs diff %.3g from ONNX Runtime, want <= 1e-4", text[:min(len(text), 40)], len(ids), maxDiff)
		}
		for _, v := range []ort.Value{a, b, c, out} {
			v.Destroy()
		}
	}
	t.Logf("%d texts, worst element difference from ONNX Runtime: %.3g", len(texts), worst)
}
