// Package validator is the Engram validator's shell: it reads the
// metagraph, seeds its ground-truth corpus into REPLICATION_FACTOR miners
// per item (chosen by package replica), queries and challenges every
// serving miner with signed requests, feeds the measurements to the pure
// scoring core (package score) and sets weights on the chain.
//
// Order of effects in a round, as in raft: measure, score, persist the
// state, then send the weights. Latency is the validator's own round trip;
// a miner that is down or slow costs at most its timeouts and scores 0.
// A Validator's methods must not be called concurrently (Run calls Round
// on one goroutine); requests to miners run in a bounded worker pool.
package validator

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/subnetkit/subnetkit/internal/axon"
	"github.com/subnetkit/subnetkit/internal/chain"
	"github.com/subnetkit/subnetkit/internal/engram/corpus"
	"github.com/subnetkit/subnetkit/internal/engram/protocol"
	"github.com/subnetkit/subnetkit/internal/engram/replica"
	"github.com/subnetkit/subnetkit/internal/engram/score"
	"github.com/subnetkit/subnetkit/internal/keys"
	"github.com/subnetkit/subnetkit/internal/vfs"
)

// Chain is what the validator needs from the chain.
type Chain interface {
	chain.MetagraphReader
	chain.WeightSetter
}

// Config configures a Validator. Zero fields take the defaults.
type Config struct {
	Chain  Chain        // required
	NetUID uint16       // default 450
	Signer keys.Signer  // the validator hotkey (required)
	Corpus *corpus.Set  // ground truth (required)
	HTTP   *http.Client // default: a client with no overall timeout (requests carry their own)
	Params score.Params // default score.DefaultParams()
	// SampleSize is the number of ground-truth queries per miner per round (default 5).
	SampleSize int
	// ChallengesPerRound is the number of storage challenges per miner per round (default 1).
	ChallengesPerRound int
	// Replication is how many miners hold each item (default 3).
	Replication int
	// Concurrency bounds parallel requests (default 16).
	Concurrency int
	// QueryTimeout and ChallengeTimeout bound each request (defaults 5 s, 10 s).
	QueryTimeout, ChallengeTimeout time.Duration
	// VersionKey is sent with weights (default protocol.SpecVersion).
	VersionKey uint64
	// DataDir persists the scoring state ("" = memory only).
	DataDir string
	// AllowLoopback lets the validator reach loopback and private axons
	// (localnet); otherwise they are skipped as an SSRF guard.
	AllowLoopback bool
	// Intervals of Run (defaults 120 s eval, 300 s challenges
	// (CHALLENGE_INTERVAL_SECS), 600 s weights). Run challenges in the first
	// round at least ChallengeInterval after the last challenged one.
	EvalInterval, ChallengeInterval, WeightsInterval time.Duration
	Logger                                           *slog.Logger
	// Registerer receives the engram_validator_* metrics (nil: none).
	Registerer prometheus.Registerer
	Now        func() time.Time
}

// Validator scores Engram miners.
type Validator struct {
	cfg      Config
	dendrite *axon.Dendrite
	self     keys.PublicKey
	st       persisted
	byCID    map[string]int
	metrics  *metrics
}

type persisted struct {
	Score *score.State `json:"score"`
	// Held maps a miner hotkey (SS58) to the corpus indexes assigned to
	// it and acknowledged with the right CID.
	Held map[string][]int `json:"held"`
	// Refused maps a miner hotkey to items it refused or answered with a
	// wrong CID (they count against it in challenges).
	Refused map[string][]int `json:"refused"`
	// Pending maps a miner hotkey to items whose ingest got no answer: the
	// miner may hold them, so they count in its recall ground truth, and
	// seeding retries them.
	Pending map[string][]int `json:"pending"`
}

// New returns a Validator, loading persisted state from DataDir.
func New(cfg Config) (*Validator, error) {
	if cfg.Chain == nil || cfg.Signer == nil || cfg.Corpus == nil || len(cfg.Corpus.Items) == 0 {
		return nil, errors.New("validator: Chain, Signer and a non-empty Corpus are required")
	}
	if cfg.NetUID == 0 {
		cfg.NetUID = 450
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
	}
	if cfg.Params == (score.Params{}) {
		cfg.Params = score.DefaultParams()
	}
	defaults := []struct {
		p *int
		v int
	}{{&cfg.SampleSize, 5}, {&cfg.ChallengesPerRound, 1}, {&cfg.Replication, replica.Factor}, {&cfg.Concurrency, 16}}
	for _, d := range defaults {
		if *d.p <= 0 {
			*d.p = d.v
		}
	}
	if cfg.QueryTimeout <= 0 {
		cfg.QueryTimeout = 5 * time.Second
	}
	if cfg.ChallengeTimeout <= 0 {
		cfg.ChallengeTimeout = protocol.ChallengeTimeout
	}
	if cfg.VersionKey == 0 {
		cfg.VersionKey = protocol.SpecVersion
	}
	if cfg.EvalInterval <= 0 {
		cfg.EvalInterval = 120 * time.Second
	}
	if cfg.ChallengeInterval <= 0 {
		cfg.ChallengeInterval = 300 * time.Second
	}
	if cfg.WeightsInterval <= 0 {
		cfg.WeightsInterval = 600 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	v := &Validator{cfg: cfg, dendrite: axon.NewDendrite(cfg.Signer, cfg.Now, ""), self: cfg.Signer.PublicKey(), byCID: map[string]int{},
		metrics: newMetrics(cfg.Registerer)}
	for i, it := range cfg.Corpus.Items {
		v.byCID[it.CID] = i
	}
	v.st = persisted{Score: score.NewState(), Held: map[string][]int{}, Refused: map[string][]int{}, Pending: map[string][]int{}}
	if cfg.DataDir != "" {
		b, err := os.ReadFile(v.statePath())
		if err == nil {
			if err := json.Unmarshal(b, &v.st); err != nil {
				return nil, fmt.Errorf("validator: state %s: %w", v.statePath(), err)
			}
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("validator: %w", err)
		}
	}
	for _, m := range []*map[string][]int{&v.st.Held, &v.st.Refused, &v.st.Pending} {
		if *m == nil {
			*m = map[string][]int{}
		}
	}
	if v.st.Score == nil {
		v.st.Score = score.NewState()
	}
	return v, nil
}

func (v *Validator) statePath() string { return filepath.Join(v.cfg.DataDir, "validator-state.json") }

func (v *Validator) save() error {
	if v.cfg.DataDir == "" {
		return nil
	}
	if err := os.MkdirAll(v.cfg.DataDir, 0o755); err != nil {
		return err
	}
	b, err := json.Marshal(v.st)
	if err != nil {
		return err
	}
	if err := vfs.WriteFileAtomic(vfs.OS{}, v.statePath(), b); err != nil {
		return fmt.Errorf("validator: save state: %w", err)
	}
	return nil
}

// miner is a serving neuron.
type miner struct {
	uid    uint16
	hotkey keys.PublicKey
	url    string
}

// serving returns the neurons with a reachable axon, excluding self.
func (v *Validator) serving(mg *chain.Metagraph) []miner {
	var out []miner
	for _, n := range mg.Neurons {
		ip := n.Axon.Addr()
		if n.Hotkey == v.self || !ip.IsValid() || ip.IsUnspecified() || n.Axon.Port() == 0 {
			continue
		}
		if !v.cfg.AllowLoopback && !globallyRoutable(ip) {
			continue
		}
		out = append(out, miner{uid: n.UID, hotkey: n.Hotkey, url: "http://" + n.Axon.String()})
	}
	return out
}

func globallyRoutable(ip netip.Addr) bool {
	return !(ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsMulticast() || ip.IsUnspecified() || ip.IsInterfaceLocalMulticast())
}

// post sends a signed synapse request and decodes the JSON reply into out.
// It returns the round-trip time.
func (v *Validator) post(ctx context.Context, m miner, synapse string, body []byte, timeout time.Duration, out any) (rtt time.Duration, err error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.url+"/"+synapse, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	if err := v.dendrite.Sign(req, synapse, body, m.hotkey, timeout); err != nil {
		return 0, err
	}
	start := time.Now()
	resp, err := v.cfg.HTTP.Do(req)
	defer func() { v.metrics.request(synapse, err) }()
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	rtt = time.Since(start)
	if err != nil {
		return rtt, err
	}
	if resp.StatusCode != http.StatusOK {
		return rtt, fmt.Errorf("%s: HTTP %d", synapse, resp.StatusCode)
	}
	err = json.Unmarshal(b, out)
	return rtt, err
}

// challenged returns ms when this round challenges, else none.
func challenged(ms []miner, challenge bool) []miner {
	if !challenge {
		return nil
	}
	return ms
}

// forEach runs fn for every miner with bounded concurrency.
func (v *Validator) forEach(ms []miner, fn func(m miner)) {
	sem := make(chan struct{}, v.cfg.Concurrency)
	var wg sync.WaitGroup
	for _, m := range ms {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			fn(m)
		})
	}
	wg.Wait()
}

// Seed ingests every ground-truth item into its assigned miners that do
// not hold it yet. progress, if set, is called after each item.
func (v *Validator) Seed(ctx context.Context, progress func(done, total int)) error {
	mg, err := v.cfg.Chain.Metagraph(ctx, v.cfg.NetUID)
	if err != nil {
		return fmt.Errorf("validator: metagraph: %w", err)
	}
	ms := v.serving(mg)
	hks := make([]string, len(ms))
	for i, m := range ms {
		hks[i] = m.hotkey.SS58()
	}
	held := map[string]map[int]bool{}
	for hk, items := range v.st.Held {
		held[hk] = map[int]bool{}
		for _, i := range items {
			held[hk][i] = true
		}
	}
	type job struct {
		m    miner
		item int
	}
	var jobs []job
	for i, it := range v.cfg.Corpus.Items {
		for _, mi := range replica.Assign(it.CID, hks, v.cfg.Replication) {
			if !held[hks[mi]][i] && !slices.Contains(v.st.Refused[hks[mi]], i) {
				jobs = append(jobs, job{ms[mi], i})
			}
		}
	}
	var mu sync.Mutex
	done := 0
	sem := make(chan struct{}, v.cfg.Concurrency)
	var wg sync.WaitGroup
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			it := v.cfg.Corpus.Items[j.item]
			body, _ := json.Marshal(protocol.IngestRequest{RawEmbedding: it.Vector, Metadata: json.RawMessage("{}"), ModelVersion: protocol.ModelVersion})
			var resp protocol.IngestResponse
			_, err := v.post(ctx, j.m, "IngestSynapse", body, v.cfg.QueryTimeout, &resp)
			hk := j.m.hotkey.SS58()
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				v.cfg.Logger.Debug("seed failed", "uid", j.m.uid, "err", err)
				if !slices.Contains(v.st.Pending[hk], j.item) {
					v.st.Pending[hk] = append(v.st.Pending[hk], j.item)
				}
			case resp.CID == nil || *resp.CID != it.CID:
				v.st.Refused[hk] = append(v.st.Refused[hk], j.item)
			default:
				v.st.Held[hk] = append(v.st.Held[hk], j.item)
				if k := slices.Index(v.st.Pending[hk], j.item); k >= 0 {
					v.st.Pending[hk] = slices.Delete(v.st.Pending[hk], k, k+1)
				}
			}
			done++
			if progress != nil {
				progress(done, len(jobs))
			}
		})
	}
	wg.Wait()
	return v.save()
}

// MinerReport is one miner's line of a round.
type MinerReport struct {
	score.MinerScore
	Held int `json:"held"`
}

// Report is a round's outcome.
type Report struct {
	Block        uint64        `json:"block"`
	WeightsSet   bool          `json:"weights_set"`
	WeightsBlock uint64        `json:"weights_block"`
	WeightsError string        `json:"weights_error,omitempty"`
	Miners       []MinerReport `json:"miners"`
}

// Round runs one scoring round: metagraph, seeding for new miners, eval
// queries, challenges, scoring, persistence and (if setWeights) weights.
func (v *Validator) Round(ctx context.Context, setWeights bool) (Report, error) {
	return v.round(ctx, setWeights, true)
}

func (v *Validator) round(ctx context.Context, setWeights, challenge bool) (rep Report, err error) {
	start := time.Now()
	defer func() { v.metrics.round(rep, err, time.Since(start)) }()
	if err := v.Seed(ctx, nil); err != nil {
		return Report{}, err
	}
	mg, err := v.cfg.Chain.Metagraph(ctx, v.cfg.NetUID)
	if err != nil {
		return Report{}, fmt.Errorf("validator: metagraph: %w", err)
	}
	ms := v.serving(mg)
	v.metrics.serving.Set(float64(len(ms)))
	seed := sha256.Sum256(binary.BigEndian.AppendUint64(v.self[:], mg.Block))
	rng := mrand.New(mrand.NewChaCha8(seed))
	sample := make([]int, v.cfg.SampleSize)
	for i := range sample {
		sample[i] = rng.IntN(len(v.cfg.Corpus.Items))
	}
	evals := make([]score.Eval, len(ms))
	var mu sync.Mutex
	v.forEach(ms, func(m miner) {
		ev := v.eval(ctx, m, sample)
		mu.Lock()
		defer mu.Unlock()
		for i := range ms {
			if ms[i].uid == m.uid {
				evals[i] = ev
			}
		}
	})
	outcomes := map[uint16][]bool{}
	v.forEach(challenged(ms, challenge), func(m miner) {
		res := v.challenge(ctx, m, rng.Uint64())
		mu.Lock()
		outcomes[m.uid] = res
		mu.Unlock()
	})
	for _, m := range ms {
		for _, ok := range outcomes[m.uid] {
			v.st.Score.RecordChallenge(m.uid, m.hotkey.SS58(), ok, v.cfg.Params)
		}
	}
	res := v.st.Score.Round(evals, v.cfg.Params)
	rep = Report{Block: mg.Block}
	for _, s := range res.Miners {
		rep.Miners = append(rep.Miners, MinerReport{MinerScore: s, Held: len(v.st.Held[s.Hotkey])})
	}
	if err := v.save(); err != nil {
		return rep, err
	}
	if setWeights && len(res.Weights) > 0 {
		uids, vals, err := chain.WeightsToU16(res.Weights)
		if err == nil {
			err = v.cfg.Chain.SetWeights(ctx, v.cfg.NetUID, uids, vals, v.cfg.VersionKey)
		}
		if err != nil {
			rep.WeightsError = err.Error()
			v.cfg.Logger.Warn("set weights refused", "err", err)
		} else {
			rep.WeightsSet, rep.WeightsBlock = true, mg.Block
		}
	}
	return rep, nil
}

// eval queries m with the sampled items: recall against the exact top-10
// among the items m was given, latency from the validator's own clock.
func (v *Validator) eval(ctx context.Context, m miner, sample []int) score.Eval {
	hk := m.hotkey.SS58()
	held := map[int]bool{}
	for _, i := range v.st.Held[hk] {
		held[i] = true
	}
	for _, i := range v.st.Refused[hk] {
		held[i] = true // the miner was asked to hold these too
	}
	// Items whose ingest got no answer may or may not be held: they are
	// neither required nor counted, and the query asks for extra results
	// so that dropping them still leaves K to compare.
	uncertain := map[string]bool{}
	for _, i := range v.st.Pending[hk] {
		if !held[i] {
			uncertain[v.cfg.Corpus.Items[i].CID] = true
		}
	}
	topK := min(protocol.MaxTopK, v.cfg.Params.RecallK+len(uncertain))
	ev := score.Eval{UID: m.uid, Hotkey: hk}
	var sumRecall, sumMS float64
	var ok int
	for _, i := range sample {
		q := v.cfg.Corpus.Items[i].Vector
		truth, tied := v.cfg.Corpus.NearestWithTies(q, v.cfg.Params.RecallK, func(j int) bool { return held[j] }, 1e-5)
		body, _ := json.Marshal(protocol.QueryRequest{QueryVector: q, TopK: topK})
		var resp protocol.QueryResponse
		rtt, err := v.post(ctx, m, "QuerySynapse", body, v.cfg.QueryTimeout, &resp)
		if err != nil || resp.Error != nil {
			continue
		}
		got := make([]string, 0, len(resp.Results))
		for _, r := range resp.Results {
			if !uncertain[r.CID] {
				got = append(got, r.CID)
			}
		}
		sumRecall += score.RecallAtKTies(got, truth, tied, v.cfg.Params.RecallK)
		sumMS += float64(rtt.Microseconds()) / 1000
		ok++
	}
	ev.Recall = sumRecall / float64(len(sample))
	if ok > 0 {
		ev.LatencyMS, ev.LatencyKnown = sumMS/float64(ok), true
	}
	return ev
}

// challenge sends ChallengesPerRound storage challenges on items m should
// hold and reports pass/fail for each.
func (v *Validator) challenge(ctx context.Context, m miner, seed uint64) []bool {
	hk := m.hotkey.SS58()
	pool := append(slices.Clone(v.st.Held[hk]), v.st.Refused[hk]...)
	if len(pool) == 0 {
		return nil
	}
	rng := mrand.New(mrand.NewPCG(seed, uint64(m.uid)))
	out := make([]bool, 0, v.cfg.ChallengesPerRound)
	for range v.cfg.ChallengesPerRound {
		it := v.cfg.Corpus.Items[pool[rng.IntN(len(pool))]]
		var nonce [protocol.NonceBytes]byte
		_, _ = rand.Read(nonce[:])
		expires := v.cfg.Now().Add(v.cfg.ChallengeTimeout)
		body, _ := json.Marshal(protocol.ChallengeRequest{CID: it.CID, Nonce: nonce, ExpiresAt: expires.Unix()})
		var resp protocol.ChallengeResponse
		_, err := v.post(ctx, m, "ChallengeSynapse", body, v.cfg.ChallengeTimeout, &resp)
		passed := err == nil && resp.EmbeddingHash != nil && resp.Proof != nil && !v.cfg.Now().After(expires) &&
			protocol.VerifyProof(it.Vector, nonce, *resp.EmbeddingHash, *resp.Proof)
		out = append(out, passed)
	}
	return out
}

// Run scores every EvalInterval and sets weights every WeightsInterval
// until ctx ends. onRound, if set, receives each report.
func (v *Validator) Run(ctx context.Context, onRound func(Report)) error {
	var lastWeights, lastChallenge time.Time
	t := time.NewTicker(v.cfg.EvalInterval)
	defer t.Stop()
	for {
		now := v.cfg.Now()
		set := now.Sub(lastWeights) >= v.cfg.WeightsInterval
		chal := now.Sub(lastChallenge) >= v.cfg.ChallengeInterval
		rep, err := v.round(ctx, set, chal)
		if err != nil {
			v.cfg.Logger.Error("round failed", "err", err)
		} else {
			if rep.WeightsSet {
				lastWeights = now
			}
			if chal {
				lastChallenge = now
			}
			if onRound != nil {
				onRound(rep)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
