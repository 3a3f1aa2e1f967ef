// Package corpus is the validator's ground truth: a set of texts and
// vectors with their CIDs and each item's exact nearest neighbours within
// the set. It bundles a sample corpus of short sentences and generates
// synthetic clustered vectors from a seed, and reads and writes the JSONL
// format of engram.md §14 ({text, embedding, cid, top_k_cids}).
//
// A Set is immutable after Build or Load and safe for concurrent use.
package corpus

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/subnetkit/subnetkit/internal/engram/embed"
	"github.com/subnetkit/subnetkit/internal/engram/protocol"
)

//go:embed sentences.txt
var sentences string

// Sample returns the bundled sample sentences.
func Sample() []string {
	var out []string
	for _, l := range strings.Split(sentences, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Item is one ground-truth record.
type Item struct {
	Text     string    `json:"text"`
	Vector   []float32 `json:"embedding"`
	CID      string    `json:"cid"`
	TopKCIDs []string  `json:"top_k_cids"`
}

// Set is a ground-truth corpus.
type Set struct {
	Items []Item
}

// Build embeds texts, adds n synthetic unit vectors (clustered, from seed),
// computes CIDs (metadata {}, model version v1) and each item's 10 nearest
// neighbours within the set (itself first).
func Build(ctx context.Context, e embed.Embedder, texts []string, synthetic int, seed uint64) (*Set, error) {
	s := &Set{}
	if len(texts) > 0 {
		vecs, err := e.Embed(ctx, texts)
		if err != nil {
			return nil, fmt.Errorf("corpus: embed: %w", err)
		}
		for i, t := range texts {
			s.Items = append(s.Items, Item{Text: t, Vector: vecs[i]})
		}
	}
	for _, v := range Synthetic(synthetic, 40, seed) {
		s.Items = append(s.Items, Item{Vector: v})
	}
	seen := map[string]bool{}
	items := s.Items[:0]
	for _, it := range s.Items {
		cid, err := protocol.CID(it.Vector, []byte("{}"), protocol.ModelVersion)
		if err != nil {
			return nil, err
		}
		if seen[cid] {
			continue
		}
		seen[cid] = true
		it.CID = cid
		items = append(items, it)
	}
	s.Items = items
	for i := range s.Items {
		s.Items[i].TopKCIDs = s.Nearest(s.Items[i].Vector, 10, nil)
	}
	return s, nil
}

// Synthetic returns n unit vectors around k cluster centres.
func Synthetic(n, k int, seed uint64) [][]float32 {
	r := rand.New(rand.NewPCG(seed, 0xc0ffee))
	centres := make([][]float64, k)
	for i := range centres {
		centres[i] = make([]float64, protocol.EmbeddingDim)
		for j := range centres[i] {
			centres[i][j] = r.NormFloat64()
		}
	}
	out := make([][]float32, n)
	for i := range out {
		c := centres[r.IntN(k)]
		v := make([]float32, protocol.EmbeddingDim)
		var s float64
		for j := range v {
			x := c[j] + 0.7*r.NormFloat64()
			v[j] = float32(x)
			s += x * x
		}
		for j := range v {
			v[j] = float32(float64(v[j]) / math.Sqrt(s))
		}
		out[i] = v
	}
	return out
}

// Nearest returns the CIDs of the k items most similar to q (dot product),
// among those include accepts (nil: all), best first with ties by CID.
func (s *Set) Nearest(q []float32, k int, include func(i int) bool) []string {
	top, _ := s.NearestWithTies(q, k, include, 0)
	return top
}

// NearestWithTies is Nearest that also returns the items beyond the k-th
// whose score is within eps of the k-th score (near-ties a float32 ranking
// may order differently).
func (s *Set) NearestWithTies(q []float32, k int, include func(i int) bool, eps float64) (top, tied []string) {
	type hit struct {
		cid   string
		score float64
	}
	var hits []hit
	for i, it := range s.Items {
		if include != nil && !include(i) {
			continue
		}
		var d float64
		for j := range q {
			d += float64(q[j]) * float64(it.Vector[j])
		}
		hits = append(hits, hit{it.CID, d})
	}
	sort.Slice(hits, func(a, b int) bool {
		if hits[a].score != hits[b].score {
			return hits[a].score > hits[b].score
		}
		return hits[a].cid < hits[b].cid
	})
	for _, h := range hits[:min(k, len(hits))] {
		top = append(top, h.cid)
	}
	if len(hits) > k && k > 0 {
		kth := hits[k-1].score
		for _, h := range hits[k:] {
			if kth-h.score > eps {
				break
			}
			tied = append(tied, h.cid)
		}
	}
	return top, tied
}

// Save writes the set as JSONL.
func (s *Set) Save(w io.Writer) error {
	enc := json.NewEncoder(w)
	for _, it := range s.Items {
		if err := enc.Encode(it); err != nil {
			return err
		}
	}
	return nil
}

// Load reads a JSONL ground-truth file, checking each CID against its
// vector.
func Load(r io.Reader) (*Set, error) {
	s := &Set{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for line := 1; sc.Scan(); line++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var it Item
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			return nil, fmt.Errorf("corpus: line %d: %w", line, err)
		}
		if len(it.Vector) != protocol.EmbeddingDim {
			return nil, fmt.Errorf("corpus: line %d: embedding has %d numbers, want %d", line, len(it.Vector), protocol.EmbeddingDim)
		}
		cid, err := protocol.CID(it.Vector, []byte("{}"), protocol.ModelVersion)
		if err != nil || cid != it.CID {
			return nil, fmt.Errorf("corpus: line %d: cid %s does not match its embedding (want %s)", line, it.CID, cid)
		}
		s.Items = append(s.Items, it)
	}
	return s, sc.Err()
}
