package ledger

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// Genesis fixes a ledger's immutable values and its initial parameters.
type Genesis struct {
	// Profile is dev or mainnet.
	Profile Profile `json:"profile"`
	// NetworkID is bound into every signed score message.
	NetworkID string `json:"network_id"`
	// GenesisMs is the start of window 0; WindowMs the window length D.
	GenesisMs uint64 `json:"genesis_ms"`
	WindowMs  uint64 `json:"window_ms"`
	// Params are the initial parameters; Admin must be set.
	Params Params `json:"params"`
	// Checkpoint, when set, anchors the initial model.
	Checkpoint *Anchor `json:"checkpoint,omitempty"`
}

// Options are the ledger's pluggable rules. They are not part of the state
// and must be the same every time a state is rebuilt from its operations.
type Options struct {
	// Rate updates miner ratings in Finalize. Nil leaves ratings as they
	// are.
	Rate RateFunc
	// Verifier checks enclave attestation documents. Nil means
	// [DevVerifier] under the dev profile and rejection of every
	// registration under mainnet.
	Verifier Verifier
}

const stateVersion = 1

// state is everything Snapshot writes. Maps encode with sorted keys.
type state struct {
	Version   int     `json:"version"`
	Profile   Profile `json:"profile"`
	NetworkID string  `json:"network_id"`
	GenesisMs uint64  `json:"genesis_ms"`
	WindowMs  uint64  `json:"window_ms"`
	ClockMs   uint64  `json:"clock_ms"`
	Params    Params  `json:"params"`

	Balances  map[string]uint64 `json:"balances"`
	Supply    uint64            `json:"supply"`
	Burned    uint64            `json:"burned"`
	Issued    uint64            `json:"mining_issued"`
	Preminted bool              `json:"preminted"`
	Earned    map[string]uint64 `json:"cumulative_earned"`

	Peers          map[uint64]*Peer   `json:"peers"`
	Addresses      map[string]uint64  `json:"addresses"`
	NextUID        uint64             `json:"next_uid"`
	Tickets        map[uint64]Ticket  `json:"tickets"`
	ValidatorCount uint64             `json:"validator_count"`
	Enclaves       map[uint64]Enclave `json:"enclaves"`
	EnclaveKeys    map[string]uint64  `json:"enclave_keys"`

	Anchors      []Anchor                         `json:"anchors"`
	Aggregations map[uint64]Aggregation           `json:"aggregations"`
	Gradients    map[uint64]map[uint64]Gradient   `json:"gradients"`
	Submissions  map[uint64]map[uint64]Submission `json:"submissions"`
	Ratings      map[uint64]StoredRating          `json:"ratings"`
	Windows      map[uint64]WindowRecord          `json:"windows"`
	NextFinalize uint64                           `json:"next_finalize"`
	Events       []Event                          `json:"events"`
}

func (s *state) init() {
	if s.Balances == nil {
		s.Balances = map[string]uint64{}
	}
	if s.Earned == nil {
		s.Earned = map[string]uint64{}
	}
	if s.Peers == nil {
		s.Peers = map[uint64]*Peer{}
	}
	if s.Addresses == nil {
		s.Addresses = map[string]uint64{}
	}
	if s.Tickets == nil {
		s.Tickets = map[uint64]Ticket{}
	}
	if s.Enclaves == nil {
		s.Enclaves = map[uint64]Enclave{}
	}
	if s.EnclaveKeys == nil {
		s.EnclaveKeys = map[string]uint64{}
	}
	if s.Aggregations == nil {
		s.Aggregations = map[uint64]Aggregation{}
	}
	if s.Gradients == nil {
		s.Gradients = map[uint64]map[uint64]Gradient{}
	}
	if s.Submissions == nil {
		s.Submissions = map[uint64]map[uint64]Submission{}
	}
	if s.Ratings == nil {
		s.Ratings = map[uint64]StoredRating{}
	}
	if s.Windows == nil {
		s.Windows = map[uint64]WindowRecord{}
	}
}

// Ledger is the VRAM HUB ledger. Every operation either applies completely
// or returns a *[RejectError] and changes nothing. A Ledger is not safe for
// concurrent use; the shell serializes calls.
type Ledger struct {
	s    state
	opts Options
}

// New returns a ledger at genesis. It returns [ErrBadParams] (or the code of
// the failing parameter check) when g is invalid.
func New(g Genesis, opts Options) (*Ledger, error) {
	switch {
	case g.Profile != ProfileDev && g.Profile != ProfileMainnet:
		return nil, reject(CodeBadParams, "profile %q", g.Profile)
	case g.WindowMs == 0:
		return nil, reject(CodeBadParams, "window_ms 0")
	}
	if err := checkNetworkID(g.NetworkID); err != nil {
		return nil, err
	}
	p := clonedParams(g.Params)
	if err := p.validate(g.WindowMs); err != nil {
		return nil, err
	}
	l := &Ledger{opts: opts, s: state{
		Version:   stateVersion,
		Profile:   g.Profile,
		NetworkID: g.NetworkID,
		GenesisMs: g.GenesisMs,
		WindowMs:  g.WindowMs,
		Params:    p,
	}}
	l.s.init()
	if g.Checkpoint != nil {
		l.s.Anchors = []Anchor{*g.Checkpoint}
	}
	return l, nil
}

// Snapshot returns the whole state as deterministic JSON: equal states give
// equal bytes.
func (l *Ledger) Snapshot() ([]byte, error) {
	return json.Marshal(&l.s)
}

// Restore replaces the state with one Snapshot wrote; the options stay.
func (l *Ledger) Restore(data []byte) error {
	var s state
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return fmt.Errorf("ledger: restore: %w", err)
	}
	if s.Version != stateVersion {
		return fmt.Errorf("ledger: restore: state version %d, want %d", s.Version, stateVersion)
	}
	for uid, p := range s.Peers {
		if p == nil || p.UID != uid {
			return fmt.Errorf("ledger: restore: bad peer record %d", uid)
		}
	}
	s.init()
	l.s = s
	return nil
}

// FromSnapshot returns a ledger restored from data.
func FromSnapshot(data []byte, opts Options) (*Ledger, error) {
	l := &Ledger{opts: opts}
	if err := l.Restore(data); err != nil {
		return nil, err
	}
	return l, nil
}

func clonedParams(p Params) Params {
	for i := range p.ExpectedPCRs {
		p.ExpectedPCRs[i] = slices.Clone(p.ExpectedPCRs[i])
	}
	p.KeyServers = slices.Clone(p.KeyServers)
	return p
}

// Profile returns the ledger profile.
func (l *Ledger) Profile() Profile { return l.s.Profile }

// NetworkID returns the network id bound into score messages.
func (l *Ledger) NetworkID() string { return l.s.NetworkID }

// Params returns a copy of the current parameters.
func (l *Ledger) Params() Params { return clonedParams(l.s.Params) }

// ClockMs returns the time of the latest applied operation.
func (l *Ledger) ClockMs() uint64 { return l.s.ClockMs }

// GenesisMs returns the start of window 0.
func (l *Ledger) GenesisMs() uint64 { return l.s.GenesisMs }

// WindowMs returns the window length.
func (l *Ledger) WindowMs() uint64 { return l.s.WindowMs }

// Window returns the window open at nowMs, and false before genesis.
func (l *Ledger) Window(nowMs uint64) (uint64, bool) {
	if nowMs < l.s.GenesisMs {
		return 0, false
	}
	return (nowMs - l.s.GenesisMs) / l.s.WindowMs, true
}

// WindowStart returns S(w) = genesis_ms + w·window_ms, saturating.
func (l *Ledger) WindowStart(w uint64) uint64 {
	hi, lo := mul64(w, l.s.WindowMs)
	if hi != 0 || lo > ^uint64(0)-l.s.GenesisMs {
		return ^uint64(0)
	}
	return l.s.GenesisMs + lo
}

// Balance returns the liquid balance of address.
func (l *Ledger) Balance(address string) uint64 { return l.s.Balances[address] }

// Supply returns the total minted supply, burned included.
func (l *Ledger) Supply() uint64 { return l.s.Supply }

// Burned returns what the validator vault and slashing removed.
func (l *Ledger) Burned() uint64 { return l.s.Burned }

// MiningIssued returns the cumulative mining issuance I.
func (l *Ledger) MiningIssued() uint64 { return l.s.Issued }

// Earned returns the cumulative rewards paid to address.
func (l *Ledger) Earned(address string) uint64 { return l.s.Earned[address] }

// Peer returns the peer with uid.
func (l *Ledger) Peer(uid uint64) (Peer, bool) {
	p, ok := l.s.Peers[uid]
	if !ok {
		return Peer{}, false
	}
	c := *p
	c.Sealed = slices.Clone(p.Sealed)
	return c, true
}

// Peers returns every registered peer (miners and validators), by uid.
func (l *Ledger) Peers() []Peer {
	out := make([]Peer, 0, len(l.s.Peers))
	for _, uid := range sortedKeys(l.s.Peers) {
		p, _ := l.Peer(uid)
		out = append(out, p)
	}
	return out
}

// UIDOf returns the uid registered by address.
func (l *Ledger) UIDOf(address string) (uint64, bool) {
	uid, ok := l.s.Addresses[address]
	return uid, ok
}

// Ticket returns the validator ticket of uid.
func (l *Ledger) Ticket(uid uint64) (Ticket, bool) {
	t, ok := l.s.Tickets[uid]
	return t, ok
}

// ValidatorCount returns how many validator slots have been taken.
func (l *Ledger) ValidatorCount() uint64 { return l.s.ValidatorCount }

// Enclave returns the enclave record of validator uid.
func (l *Ledger) Enclave(uid uint64) (Enclave, bool) {
	e, ok := l.s.Enclaves[uid]
	return e, ok
}

// Rating returns the stored rating of miner uid (the initial rating when
// it has none yet).
func (l *Ledger) Rating(uid uint64) StoredRating {
	if r, ok := l.s.Ratings[uid]; ok {
		return r
	}
	return StoredRating{MuFp: InitialMuFp, SigmaFp: InitialSigmaFp}
}

// Gradient returns the upload record of miner uid in window w.
func (l *Ledger) Gradient(w, uid uint64) (Gradient, bool) {
	g, ok := l.s.Gradients[w][uid]
	return g, ok
}

// Submission returns validator vuid's accepted scores for window w.
func (l *Ledger) Submission(w, vuid uint64) (Submission, bool) {
	s, ok := l.s.Submissions[w][vuid]
	return s, ok
}

// WindowRecord returns the finalization record of window w.
func (l *Ledger) WindowRecord(w uint64) (WindowRecord, bool) {
	r, ok := l.s.Windows[w]
	return r, ok
}

// NextFinalize returns the next window Finalize accepts.
func (l *Ledger) NextFinalize() uint64 { return l.s.NextFinalize }

// Anchors returns the anchored checkpoints, by effective window.
func (l *Ledger) Anchors() []Anchor { return slices.Clone(l.s.Anchors) }

// Aggregation returns the aggregation recorded for window w.
func (l *Ledger) Aggregation(w uint64) (Aggregation, bool) {
	a, ok := l.s.Aggregations[w]
	return a, ok
}

// Anchored returns the checkpoint of window w: the anchor with the greatest
// effective window ≤ w, or [ErrNoCheckpoint].
func (l *Ledger) Anchored(w uint64) (Anchor, error) {
	i, found := slices.BinarySearchFunc(l.s.Anchors, w, func(a Anchor, w uint64) int {
		switch {
		case a.Effective < w:
			return -1
		case a.Effective > w:
			return 1
		}
		return 0
	})
	if found {
		return l.s.Anchors[i], nil
	}
	if i == 0 {
		return Anchor{}, reject(CodeNoCheckpoint, "no anchor at or before window %d", w)
	}
	return l.s.Anchors[i-1], nil
}

// Events returns the events with sequence number ≥ since.
func (l *Ledger) Events(since uint64) []Event {
	i, _ := slices.BinarySearchFunc(l.s.Events, since, func(e Event, s uint64) int {
		switch {
		case e.Seq < s:
			return -1
		case e.Seq > s:
			return 1
		}
		return 0
	})
	return slices.Clone(l.s.Events[i:])
}

// SealApprove is the credential-release policy: address must own an
// active validator whose locked stake is at least min_validator_stake.
// It returns [ErrNotActiveValidator] or [ErrStakeTooLow] otherwise.
func (l *Ledger) SealApprove(address string) error {
	uid, ok := l.s.Addresses[address]
	if !ok {
		return reject(CodeNotActiveValidator, "%s has no uid", address)
	}
	p := l.s.Peers[uid]
	if !p.Validator || !p.Active {
		return reject(CodeNotActiveValidator, "uid %d is not an active validator", uid)
	}
	if p.Stake < l.s.Params.MinValidatorStake {
		return reject(CodeStakeTooLow, "uid %d stake %d", uid, p.Stake)
	}
	return nil
}

func (l *Ledger) emit(e Event) {
	e.Seq = uint64(len(l.s.Events))
	if n := len(l.s.Events); n > 0 {
		e.Seq = l.s.Events[n-1].Seq + 1
	}
	l.s.Events = append(l.s.Events, e)
}
