package ledger

import (
	"encoding/hex"
	"fmt"

	"github.com/subnetkit/subnetkit/internal/vramhub/rewards"
)

// Hash is a SHA-256 digest; JSON carries it as 64 lowercase hex digits.
type Hash [32]byte

// MarshalText implements encoding.TextMarshaler.
func (h Hash) MarshalText() ([]byte, error) { return []byte(hex.EncodeToString(h[:])), nil }

// UnmarshalText implements encoding.TextUnmarshaler; it accepts exactly 64
// hex digits.
func (h *Hash) UnmarshalText(b []byte) error {
	if len(b) != 64 {
		return fmt.Errorf("hash: want 64 hex digits, got %d", len(b))
	}
	_, err := hex.Decode(h[:], b)
	return err
}

// String returns the hash in hex.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// HexBytes is a byte string that JSON carries as lowercase hex.
type HexBytes []byte

// MarshalText implements encoding.TextMarshaler.
func (b HexBytes) MarshalText() ([]byte, error) { return []byte(hex.EncodeToString(b)), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (b *HexBytes) UnmarshalText(t []byte) error {
	out := make([]byte, hex.DecodedLen(len(t)))
	if _, err := hex.Decode(out, t); err != nil {
		return err
	}
	*b = out
	return nil
}

// UIDScore is one (miner uid, score) pair. Scores are signed fp loss deltas
// (loss before minus loss after, times 10^9).
type UIDScore struct {
	UID   uint64 `json:"uid"`
	Score int64  `json:"score"`
}

// Rating is an OpenSkill rating in floating point, as a [RateFunc] sees it.
type Rating struct {
	Mu    float64
	Sigma float64
}

// RateFunc runs one rating update. players are the miners of one window in
// ascending uid order with their consensus scores (higher is better); prior
// holds each player's rating before the update. It returns the new ratings;
// a player missing from the result keeps its prior. It must be
// deterministic and must not retain its arguments.
type RateFunc func(players []UIDScore, prior map[uint64]Rating) map[uint64]Rating

// Profile selects the ledger's rules: dev accepts simulated signatures and
// plaintext credentials, mainnet does not.
type Profile string

// Profiles.
const (
	ProfileDev     Profile = "dev"
	ProfileMainnet Profile = "mainnet"
)

// Score bounds and rating storage.
const (
	// MaxAbsScore bounds every submitted score.
	MaxAbsScore int64 = 1_000_000_000_000_000_000
	// InitialMuFp is μ0 = 25 in fp.
	InitialMuFp int64 = 25_000_000_000
	// InitialSigmaFp is roundHalfEven(25/3 · 10^9).
	InitialSigmaFp int64 = 8_333_333_333
	// MaxSlots is the last validator slot the bonding curve prices.
	MaxSlots uint64 = 500
	// PCRLen is the length of PCR0–2 (SHA-384).
	PCRLen = 48
)

// Encryption kinds of sealed miner credentials.
const (
	EncPlaintext uint8 = 0
	EncSealIBE   uint8 = 2
)

// BurnTiers are the per-slot burns of the validator bonding curve: slots
// 1–25, 26–100, 101–250 and 251–500, in base units.
type BurnTiers [4]uint64

// DefaultBurnTiers are 2,100 / 4,200 / 10,500 / 21,000 VRAM.
var DefaultBurnTiers = BurnTiers{2_100 * rewards.Unit, 4_200 * rewards.Unit, 10_500 * rewards.Unit, 21_000 * rewards.Unit}

// Burn returns the burn for validator slot (1-based) and its tier (1–4), or
// [ErrValidatorSlotsFull] for a slot above 500 and [ErrBadParams] for 0.
func (t BurnTiers) Burn(slot uint64) (amount uint64, tier int, err error) {
	switch {
	case slot == 0:
		return 0, 0, reject(CodeBadParams, "slot 0")
	case slot <= 25:
		return t[0], 1, nil
	case slot <= 100:
		return t[1], 2, nil
	case slot <= 250:
		return t[2], 3, nil
	case slot <= MaxSlots:
		return t[3], 4, nil
	}
	return 0, 0, reject(CodeValidatorSlotsFull, "slot %d > %d", slot, MaxSlots)
}

func (t BurnTiers) valid() bool {
	return 0 < t[0] && t[0] <= t[1] && t[1] <= t[2] && t[2] <= t[3]
}

// Dataset is the data-assignment spec nodes derive batches from.
type Dataset struct {
	Kind   string `json:"kind"` // "synthetic" or "corpus"
	Vocab  uint64 `json:"vocab"`
	Rows   uint64 `json:"rows"`
	RowLen uint64 `json:"row_len"`
	Corpus Hash   `json:"corpus_sha256"`
}

// KeyServer is one threshold IBE key server.
type KeyServer struct {
	Index     uint8    `json:"index"`
	PublicKey HexBytes `json:"public_key"`
	Endpoint  string   `json:"endpoint"`
}

// Params are the governance-updatable hyperparameters.
type Params struct {
	// PutWindowOpenMs is the upload phase length P (0 < P < window_ms).
	PutWindowOpenMs uint64 `json:"put_window_open_ms"`
	// CheckpointFrequency is how many windows one checkpoint serves.
	CheckpointFrequency uint64 `json:"checkpoint_frequency"`
	// TopG is how many gradients the aggregator merges.
	TopG uint64 `json:"top_g"`
	// MinMinerStake and MinValidatorStake are in base units.
	MinMinerStake     uint64 `json:"min_miner_stake"`
	MinValidatorStake uint64 `json:"min_validator_stake"`
	// MaxValidators caps the validator slot counter (at most 500).
	MaxValidators uint64 `json:"max_validators"`
	// MaxScores caps the pairs of one submission (1..256).
	MaxScores uint64 `json:"max_scores"`
	// MaxGradientBytes caps one gradient object.
	MaxGradientBytes uint64 `json:"max_gradient_bytes"`
	// CompressionRatio is the fraction of DCT coefficients miners keep.
	CompressionRatio float64 `json:"compression_ratio"`
	// ApplyScale is a in θ' = θ − a·ĝ.
	ApplyScale float64 `json:"apply_scale"`
	// SyncMinCosine is the fast-eval sync threshold.
	SyncMinCosine float64 `json:"sync_min_cosine"`
	// Split divides each window's emission.
	Split rewards.Split `json:"split"`
	// BurnTiers price the validator slots.
	BurnTiers BurnTiers `json:"burn_tiers"`
	// ExpectedPCRs are PCR0, PCR1 and PCR2 (48 bytes each) of the scoring
	// enclave image.
	ExpectedPCRs [3]HexBytes `json:"expected_pcrs"`
	// Dataset is the data-assignment spec.
	Dataset Dataset `json:"dataset"`
	// KeyServers and KeyThreshold configure credential sealing.
	KeyServers   []KeyServer `json:"key_servers"`
	KeyThreshold uint8       `json:"key_threshold"`
	// Admin, Aggregator and Treasury are addresses.
	Admin      string `json:"admin"`
	Aggregator string `json:"aggregator"`
	Treasury   string `json:"treasury_address"`
}

// DefaultParams returns the production defaults for window_ms = 600,000.
// Admin, aggregator, treasury and PCRs are left empty.
func DefaultParams() Params {
	return Params{
		PutWindowOpenMs:     300_000,
		CheckpointFrequency: 1,
		TopG:                15,
		MinMinerStake:       1 * rewards.Unit,
		MinValidatorStake:   10 * rewards.Unit,
		MaxValidators:       MaxSlots,
		MaxScores:           256,
		MaxGradientBytes:    50 << 20,
		CompressionRatio:    0.001,
		ApplyScale:          0.1,
		Split:               rewards.DefaultSplit,
		BurnTiers:           DefaultBurnTiers,
		Dataset:             Dataset{Kind: "synthetic", Vocab: 10, Rows: 1, RowLen: 32},
	}
}

// validate checks p against window length windowMs.
func (p *Params) validate(windowMs uint64) error {
	if err := p.Split.Validate(); err != nil {
		return reject(CodeBadSplit, "%d+%d+%d bps", p.Split.MinerBps, p.Split.ValidatorBps, p.Split.TreasuryBps)
	}
	if p.Split.TreasuryBps > 0 && p.Treasury == "" {
		return reject(CodeBadSplit, "treasury share without a treasury address")
	}
	if !p.BurnTiers.valid() {
		return reject(CodeBadBurnTiers, "%v", p.BurnTiers)
	}
	for i, pcr := range p.ExpectedPCRs {
		if len(pcr) != PCRLen {
			return reject(CodeBadParams, "PCR%d is %d bytes, want %d", i, len(pcr), PCRLen)
		}
	}
	switch {
	case p.PutWindowOpenMs == 0 || p.PutWindowOpenMs >= windowMs:
		return reject(CodeBadParams, "put_window_open_ms %d not in (0, %d)", p.PutWindowOpenMs, windowMs)
	case p.CheckpointFrequency == 0:
		return reject(CodeBadParams, "checkpoint_frequency 0")
	case p.MinValidatorStake == 0:
		return reject(CodeBadParams, "min_validator_stake 0")
	case p.MaxValidators == 0 || p.MaxValidators > MaxSlots:
		return reject(CodeBadParams, "max_validators %d not in [1, %d]", p.MaxValidators, MaxSlots)
	case p.MaxScores == 0 || p.MaxScores > 256:
		return reject(CodeBadParams, "max_scores %d not in [1, 256]", p.MaxScores)
	case p.Admin == "":
		return reject(CodeBadParams, "no admin")
	case int(p.KeyThreshold) > len(p.KeyServers):
		return reject(CodeBadParams, "key threshold %d above %d servers", p.KeyThreshold, len(p.KeyServers))
	}
	return nil
}

// Peer is a registered miner or validator.
type Peer struct {
	UID              uint64   `json:"uid"`
	Owner            string   `json:"owner"`
	Validator        bool     `json:"validator"`
	Stake            uint64   `json:"stake"`
	RegisteredWindow uint64   `json:"registered_window"`
	Active           bool     `json:"active"`
	Sealed           HexBytes `json:"sealed"`
	EncKind          uint8    `json:"enc_kind"`
	Bucket           string   `json:"bucket"`
	AccountID        string   `json:"account_id"`
}

// Ticket is a validator's soulbound registration ticket: it names the slot
// and the burn and cannot be transferred.
type Ticket struct {
	Slot       uint64 `json:"slot"`
	Tier       int    `json:"tier"`
	Burned     uint64 `json:"burned"`
	SlashCount uint64 `json:"slash_count"`
}

// Enclave is a validator's registered scoring enclave.
type Enclave struct {
	PublicKey      HexBytes    `json:"public_key"`
	PCRs           [3]HexBytes `json:"pcrs"`
	Document       HexBytes    `json:"document"`
	RegisteredAtMs uint64      `json:"registered_at_ms"`
	Active         bool        `json:"active"`
}

// Anchor is a checkpoint that serves every window from Effective until the
// next anchor.
type Anchor struct {
	Effective uint64 `json:"effective"`
	Hash      Hash   `json:"hash"`
	Key       string `json:"key"`
}

// Aggregation records the merged update built from a finalized window.
type Aggregation struct {
	Hash Hash   `json:"hash"`
	Key  string `json:"key"`
}

// Gradient is a miner's upload record for one window.
type Gradient struct {
	Key         string `json:"key"`
	ContentHash Hash   `json:"content_hash"`
	Size        uint64 `json:"size"`
	Checkpoint  Hash   `json:"checkpoint_hash"`
	AtMs        uint64 `json:"at_ms"`
}

// Submission is one validator's accepted scores for one window.
type Submission struct {
	Pairs      []UIDScore `json:"pairs"`
	Checkpoint Hash       `json:"checkpoint_hash"`
	Stake      uint64     `json:"stake"`
	Simulated  bool       `json:"simulated"`
	Signature  HexBytes   `json:"signature"`
	AtMs       uint64     `json:"at_ms"`
}

// StoredRating is a miner's rating in fp (μ and σ times 10^9).
type StoredRating struct {
	MuFp    int64  `json:"mu_fp"`
	SigmaFp int64  `json:"sigma_fp"`
	Games   uint64 `json:"games"`
}

// Ordinal returns μ − 3σ in fp.
func (r StoredRating) Ordinal() int64 { return r.MuFp - 3*r.SigmaFp }

// Payment is one reward credited by Finalize.
type Payment struct {
	UID     uint64 `json:"uid"`
	Address string `json:"address"`
	Weight  uint64 `json:"weight_ppb"`
	Amount  uint64 `json:"amount"`
}

// WindowRecord is the result of finalizing one window.
type WindowRecord struct {
	Window         uint64     `json:"window"`
	Players        []UIDScore `json:"players"` // consensus score x per miner, ascending uid
	Miners         []Payment  `json:"miners"`
	Validators     []Payment  `json:"validators"`
	Emission       uint64     `json:"emission"`
	TreasuryAmount uint64     `json:"treasury_amount"`
	Simulated      bool       `json:"simulated"`
}

// Allocation is one genesis premint.
type Allocation struct {
	Address string `json:"address"`
	Amount  uint64 `json:"amount"`
}

// Event is an append-only notification of a state change.
type Event struct {
	Seq    uint64 `json:"seq"`
	Type   string `json:"type"`
	AtMs   uint64 `json:"at_ms"`
	UID    uint64 `json:"uid,omitempty"`
	Window uint64 `json:"window,omitempty"`
	// Address, Amount, Slot, Count, Hash and Simulated are filled where the
	// event type has them.
	Address   string `json:"address,omitempty"`
	Amount    uint64 `json:"amount,omitempty"`
	Slot      uint64 `json:"slot,omitempty"`
	Count     uint64 `json:"count,omitempty"`
	Hash      *Hash  `json:"hash,omitempty"`
	Simulated bool   `json:"simulated,omitempty"`
}

// Event types.
const (
	EventPeerRegistered      = "PeerRegistered"
	EventValidatorRegistered = "ValidatorRegistered"
	EventEnclaveRegistered   = "EnclaveRegistered"
	EventCheckpointAnchored  = "CheckpointAnchored"
	EventGradientSubmitted   = "GradientSubmitted"
	EventScoresSubmitted     = "ScoresSubmitted"
	EventWindowFinalized     = "WindowFinalized"
	EventRewardPaid          = "RewardPaid"
)
