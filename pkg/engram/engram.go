// Package engram is the Go client for the Engram network: it writes
// embeddings to the miners that should hold them, queries several miners
// and merges their answers, issues storage-proof challenges and retrieves
// records.
//
// Miners come from Options.Miners (base URLs, optionally with hotkeys) or
// are discovered from a chain's metagraph (the axons with the highest
// incentive). Writes go to Options.Replication miners chosen by the same
// deterministic assignment miners and validators use; when a Signer is
// set every request carries Bittensor dendrite signatures. A Client is
// safe for concurrent use.
package engram

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/subnetkit/subnetkit/internal/axon"
	"github.com/subnetkit/subnetkit/internal/chain"
	"github.com/subnetkit/subnetkit/internal/engram/protocol"
	"github.com/subnetkit/subnetkit/internal/engram/replica"
	"github.com/subnetkit/subnetkit/internal/keys"
)

// Miner is a miner endpoint.
type Miner struct {
	// URL is the miner's base URL, e.g. "http://10.0.0.5:8091".
	URL string
	// Hotkey is the miner's SS58 hotkey; needed for signed requests and
	// used for replica assignment ("" = unknown).
	Hotkey string
}

// ChainReader reads a metagraph (chain.MetagraphReader).
type ChainReader interface {
	Metagraph(ctx context.Context, netuid uint16) (*chain.Metagraph, error)
}

// Signer signs requests with an sr25519 hotkey (keys.Signer).
type Signer = keys.Signer

// Options configure a Client.
type Options struct {
	// Miners lists miners explicitly; when empty they are discovered from Chain.
	Miners []Miner
	// Chain and NetUID (default 450) are used for discovery.
	Chain  ChainReader
	NetUID uint16
	// Discover is the number of axons taken from the chain, by incentive (default 5).
	Discover int
	// Signer, if set, signs every request.
	Signer Signer
	// Timeout bounds each request (default 30 s).
	Timeout time.Duration
	// HTTPClient is the client (default a new one).
	HTTPClient *http.Client
	// Replication is how many miners receive each write (default 3).
	Replication int
}

// Client talks to Engram miners.
type Client struct {
	opts     Options
	miners   []Miner
	dendrite *axon.Dendrite
}

// Errors. Use errors.Is / errors.As.
var (
	// ErrInvalidCID: a CID (given or returned by a miner) is malformed or
	// does not match the content sent.
	ErrInvalidCID = errors.New("engram: invalid cid")
	// ErrNoMiners: no miner is configured or discoverable.
	ErrNoMiners = errors.New("engram: no miners")
)

// IngestError is a miner's business error for a write (HTTP 200 with "error").
type IngestError struct{ Miner, Message string }

func (e *IngestError) Error() string { return "engram: " + e.Miner + ": " + e.Message }

// MinerOfflineError is a transport failure or a 5xx answer.
type MinerOfflineError struct {
	Miner string
	Err   error
}

func (e *MinerOfflineError) Error() string {
	return "engram: miner " + e.Miner + " offline: " + e.Err.Error()
}
func (e *MinerOfflineError) Unwrap() error { return e.Err }

// RateLimitedError is a 429 answer; RetryAfter comes from the Retry-After header.
type RateLimitedError struct {
	Miner      string
	RetryAfter time.Duration
}

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("engram: miner %s rate limited; retry after %s", e.Miner, e.RetryAfter)
}

// New returns a Client, discovering miners from the chain when none are given.
func New(ctx context.Context, opts Options) (*Client, error) {
	if opts.NetUID == 0 {
		opts.NetUID = 450
	}
	if opts.Discover <= 0 {
		opts.Discover = 5
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{}
	}
	if opts.Replication <= 0 {
		opts.Replication = replica.Factor
	}
	c := &Client{opts: opts, miners: slices.Clone(opts.Miners)}
	if opts.Signer != nil {
		c.dendrite = axon.NewDendrite(opts.Signer, nil, "")
	}
	if len(c.miners) == 0 && opts.Chain != nil {
		mg, err := opts.Chain.Metagraph(ctx, opts.NetUID)
		if err != nil {
			return nil, fmt.Errorf("engram: discover miners: %w", err)
		}
		ns := slices.Clone(mg.Neurons)
		sort.SliceStable(ns, func(i, j int) bool { return ns[i].Incentive > ns[j].Incentive })
		for _, n := range ns {
			if n.Axon.Addr().IsValid() && !n.Axon.Addr().IsUnspecified() && n.Axon.Port() != 0 && len(c.miners) < opts.Discover {
				c.miners = append(c.miners, Miner{URL: "http://" + n.Axon.String(), Hotkey: n.Hotkey.SS58()})
			}
		}
	}
	if len(c.miners) == 0 {
		return nil, ErrNoMiners
	}
	return c, nil
}

// Miners returns the miners the client uses.
func (c *Client) Miners() []Miner { return slices.Clone(c.miners) }

// replicas returns the miners that should hold cid: assigned by hotkey
// distance, then miners without a known hotkey in configuration order.
func (c *Client) replicas(cid string) []Miner {
	var known []Miner
	var hks []string
	var unknown []Miner
	for _, m := range c.miners {
		if m.Hotkey != "" {
			known = append(known, m)
			hks = append(hks, m.Hotkey)
		} else {
			unknown = append(unknown, m)
		}
	}
	var out []Miner
	for _, i := range replica.Assign(cid, hks, c.opts.Replication) {
		out = append(out, known[i])
	}
	for _, m := range unknown {
		if len(out) < c.opts.Replication {
			out = append(out, m)
		}
	}
	return out
}

func (c *Client) post(ctx context.Context, m Miner, synapse string, body []byte, out any) error {
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(m.URL, "/")+"/"+synapse, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.dendrite != nil && m.Hotkey != "" {
		hk, err := keys.ParseSS58(m.Hotkey)
		if err != nil {
			return fmt.Errorf("engram: miner hotkey: %w", err)
		}
		if err := c.dendrite.Sign(req, synapse, body, hk, c.opts.Timeout); err != nil {
			return err
		}
	}
	return c.do(req, m, out)
}

func (c *Client) do(req *http.Request, m Miner, out any) error {
	resp, err := c.opts.HTTPClient.Do(req)
	if err != nil {
		return &MinerOfflineError{Miner: m.URL, Err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return &MinerOfflineError{Miner: m.URL, Err: err}
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		return &RateLimitedError{Miner: m.URL, RetryAfter: time.Duration(secs) * time.Second}
	case resp.StatusCode >= 500:
		return &MinerOfflineError{Miner: m.URL, Err: fmt.Errorf("HTTP %d", resp.StatusCode)}
	case resp.StatusCode != http.StatusOK:
		var e struct {
			Error string `json:"error"`
		}
		json.Unmarshal(b, &e)
		return &IngestError{Miner: m.URL, Message: fmt.Sprintf("HTTP %d: %s", resp.StatusCode, e.Error)}
	}
	if err := json.Unmarshal(b, out); err != nil {
		return &MinerOfflineError{Miner: m.URL, Err: fmt.Errorf("bad response: %w", err)}
	}
	return nil
}

// IngestResult reports where a write landed.
type IngestResult struct {
	CID string
	// Replicas lists the miners that acknowledged the write.
	Replicas []string
}

// IngestVector stores vec (384 numbers) with metadata on the assigned
// replicas. It computes the CID locally and rejects a miner answering with
// another (ErrInvalidCID). It succeeds when at least one replica
// acknowledged; otherwise it returns the first error.
func (c *Client) IngestVector(ctx context.Context, vec []float32, metadata map[string]any) (IngestResult, error) {
	meta, err := metaJSON(metadata)
	if err != nil {
		return IngestResult{}, err
	}
	cid, err := protocol.CID(vec, meta, protocol.ModelVersion)
	if err != nil {
		return IngestResult{}, err
	}
	body, _ := json.Marshal(protocol.IngestRequest{RawEmbedding: vec, Metadata: meta, ModelVersion: protocol.ModelVersion})
	return c.ingest(ctx, cid, body, true)
}

// Ingest stores text (embedded by the miners) with metadata on the
// replicas assigned by the first miner's CID.
func (c *Client) Ingest(ctx context.Context, text string, metadata map[string]any) (IngestResult, error) {
	meta, err := metaJSON(metadata)
	if err != nil {
		return IngestResult{}, err
	}
	body, _ := json.Marshal(protocol.IngestRequest{Text: text, Metadata: meta, ModelVersion: protocol.ModelVersion})
	return c.ingest(ctx, "", body, false)
}

func metaJSON(m map[string]any) (json.RawMessage, error) {
	if m == nil {
		return json.RawMessage("{}"), nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("engram: metadata: %w", err)
	}
	return protocol.CompactMetadata(b)
}

func (c *Client) ingest(ctx context.Context, cid string, body []byte, check bool) (IngestResult, error) {
	targets := c.miners
	if cid != "" {
		targets = c.replicas(cid)
	} else if len(targets) > c.opts.Replication {
		targets = targets[:c.opts.Replication]
	}
	res := IngestResult{CID: cid}
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	for _, m := range targets {
		wg.Go(func() {
			var resp protocol.IngestResponse
			err := c.post(ctx, m, "IngestSynapse", body, &resp)
			switch {
			case err != nil:
			case resp.Error != nil:
				err = &IngestError{Miner: m.URL, Message: *resp.Error}
			case resp.CID == nil || protocol.ValidateCID(*resp.CID) != nil:
				err = fmt.Errorf("%w: miner %s answered %v", ErrInvalidCID, m.URL, resp.CID)
			}
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				if firstErr == nil {
					firstErr = err
				}
			case check && *resp.CID != cid:
				if firstErr == nil {
					firstErr = fmt.Errorf("%w: miner %s computed %s, want %s", ErrInvalidCID, m.URL, *resp.CID, cid)
				}
			case res.CID != "" && *resp.CID != res.CID && !check:
				if firstErr == nil {
					firstErr = fmt.Errorf("%w: miners disagree (%s vs %s)", ErrInvalidCID, res.CID, *resp.CID)
				}
			default:
				res.CID = *resp.CID
				res.Replicas = append(res.Replicas, m.URL)
			}
		})
	}
	wg.Wait()
	if len(res.Replicas) == 0 {
		return IngestResult{}, firstErr
	}
	sort.Strings(res.Replicas)
	return res, nil
}

// Result is a merged query hit.
type Result struct {
	CID      string
	Score    float64
	Metadata json.RawMessage
	// Miners lists the miners that returned it.
	Miners []string
}

// QueryVector asks every miner for the topK nearest records to vec and
// merges the answers by CID (best score; ties by CID). Miners that fail are
// skipped; if all fail, the first error is returned.
func (c *Client) QueryVector(ctx context.Context, vec []float32, topK int) ([]Result, error) {
	body, _ := json.Marshal(protocol.QueryRequest{QueryVector: vec, TopK: topK})
	return c.query(ctx, body, topK)
}

// Query is QueryVector for a text embedded by each miner.
func (c *Client) Query(ctx context.Context, text string, topK int) ([]Result, error) {
	body, _ := json.Marshal(protocol.QueryRequest{QueryText: text, TopK: topK})
	return c.query(ctx, body, topK)
}

func (c *Client) query(ctx context.Context, body []byte, topK int) ([]Result, error) {
	if topK <= 0 {
		topK = protocol.DefaultTopK
	}
	merged := map[string]*Result{}
	var mu sync.Mutex
	var firstErr error
	ok := 0
	var wg sync.WaitGroup
	for _, m := range c.miners {
		wg.Go(func() {
			var resp protocol.QueryResponse
			err := c.post(ctx, m, "QuerySynapse", body, &resp)
			if err == nil && resp.Error != nil {
				err = &IngestError{Miner: m.URL, Message: *resp.Error}
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				return
			}
			ok++
			for _, r := range resp.Results {
				if protocol.ValidateCID(r.CID) != nil {
					continue
				}
				cur := merged[r.CID]
				if cur == nil {
					cur = &Result{CID: r.CID, Score: r.Score, Metadata: r.Metadata}
					merged[r.CID] = cur
				}
				cur.Score = max(cur.Score, r.Score)
				cur.Miners = append(cur.Miners, m.URL)
			}
		})
	}
	wg.Wait()
	if ok == 0 {
		return nil, firstErr
	}
	out := make([]Result, 0, len(merged))
	for _, r := range merged {
		sort.Strings(r.Miners)
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].CID < out[j].CID
	})
	return out[:min(topK, len(out))], nil
}

// Challenge asks the replicas of cid for a storage proof of expected and
// reports, per miner URL, whether the proof verified.
func (c *Client) Challenge(ctx context.Context, cid string, expected []float32) (map[string]bool, error) {
	if protocol.ValidateCID(cid) != nil {
		return nil, ErrInvalidCID
	}
	out := map[string]bool{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, m := range c.replicas(cid) {
		wg.Go(func() {
			var nonce [protocol.NonceBytes]byte
			_, _ = rand.Read(nonce[:])
			body, _ := json.Marshal(protocol.ChallengeRequest{CID: cid, Nonce: nonce, ExpiresAt: time.Now().Add(protocol.ChallengeTimeout).Unix()})
			var resp protocol.ChallengeResponse
			err := c.post(ctx, m, "ChallengeSynapse", body, &resp)
			ok := err == nil && resp.EmbeddingHash != nil && resp.Proof != nil &&
				protocol.VerifyProof(expected, nonce, *resp.EmbeddingHash, *resp.Proof)
			mu.Lock()
			out[m.URL] = ok
			mu.Unlock()
		})
	}
	wg.Wait()
	return out, nil
}

// Record is a retrieved record.
type Record struct {
	CID      string          `json:"cid"`
	Metadata json.RawMessage `json:"metadata"`
}

// Retrieve fetches a record's metadata from the first replica that has it.
func (c *Client) Retrieve(ctx context.Context, cid string) (Record, error) {
	if protocol.ValidateCID(cid) != nil {
		return Record{}, ErrInvalidCID
	}
	var firstErr error
	for _, m := range append(c.replicas(cid), c.miners...) {
		rctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
		req, _ := http.NewRequestWithContext(rctx, http.MethodGet, strings.TrimRight(m.URL, "/")+"/retrieve/"+cid, nil)
		var r Record
		err := c.do(req, m, &r)
		cancel()
		if err == nil {
			return r, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return Record{}, firstErr
}
