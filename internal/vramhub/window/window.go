// Package window derives VRAM HUB window numbers and phases from ledger
// parameters and a caller-supplied Unix-millisecond time. Window w covers
// [S(w), S(w)+D) with S(w) = genesis + w·D; its upload phase is
// [S(w), S(w)+P) and its scoring phase [S(w)+P, S(w)+D). Times before genesis
// have no window.
//
// The package is pure: it reads no clock. Miners, validators and the ledger
// pass their own notion of now; the ledger's is authoritative. All functions
// are safe for concurrent use.
package window

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
)

// Default and demo durations in milliseconds.
const (
	DefaultWindowMs        = 600_000
	DefaultPutWindowOpenMs = 300_000
	DemoWindowMs           = 3_000
	DemoPutWindowOpenMs    = 1_500
)

// ErrParams reports invalid window parameters.
var ErrParams = errors.New("window: invalid parameters")

// Of returns floor((nowMs − genesisMs) / windowMs) and true, or 0 and false
// when nowMs < genesisMs or windowMs is 0.
func Of(nowMs, genesisMs, windowMs uint64) (uint64, bool) {
	if windowMs == 0 || nowMs < genesisMs {
		return 0, false
	}
	return (nowMs - genesisMs) / windowMs, true
}

// Start returns S(w) = genesisMs + w·windowMs, saturating at math.MaxUint64
// when the sum overflows.
func Start(w, genesisMs, windowMs uint64) uint64 {
	hi, lo := bits.Mul64(w, windowMs)
	if hi != 0 {
		return math.MaxUint64
	}
	s, carry := bits.Add64(genesisMs, lo, 0)
	if carry != 0 {
		return math.MaxUint64
	}
	return s
}

// Phase is the part of a window a time falls in.
type Phase uint8

// Phases of a window relative to a given time.
const (
	// NotOpen: the window has not started.
	NotOpen Phase = iota
	// Upload: miners may submit gradients.
	Upload
	// Scoring: validators may submit scores.
	Scoring
	// Closed: the window is over; only finalisation remains.
	Closed
)

func (p Phase) String() string {
	switch p {
	case NotOpen:
		return "not-open"
	case Upload:
		return "upload"
	case Scoring:
		return "scoring"
	case Closed:
		return "closed"
	}
	return fmt.Sprintf("Phase(%d)", uint8(p))
}

// Params are the ledger's immutable window parameters.
type Params struct {
	// GenesisMs is the start of window 0, Unix ms.
	GenesisMs uint64
	// WindowMs is D, the window length; must be > 0.
	WindowMs uint64
	// PutWindowOpenMs is P, the upload phase length; 0 < P < D.
	PutWindowOpenMs uint64
}

// Validate returns an error wrapping ErrParams unless 0 < P < D.
func (p Params) Validate() error {
	if p.WindowMs == 0 || p.PutWindowOpenMs == 0 || p.PutWindowOpenMs >= p.WindowMs {
		return fmt.Errorf("%w: window_ms %d, put_window_open_ms %d", ErrParams, p.WindowMs, p.PutWindowOpenMs)
	}
	return nil
}

// Of returns the window containing nowMs, false before genesis.
func (p Params) Of(nowMs uint64) (uint64, bool) { return Of(nowMs, p.GenesisMs, p.WindowMs) }

// Start returns S(w), saturating on overflow.
func (p Params) Start(w uint64) uint64 { return Start(w, p.GenesisMs, p.WindowMs) }

// UploadDeadline returns S(w)+P, the first ms at which uploads for w are
// refused, saturating on overflow.
func (p Params) UploadDeadline(w uint64) uint64 { return satAdd(p.Start(w), p.PutWindowOpenMs) }

// End returns S(w)+D = S(w+1), the first ms of the closed phase, saturating
// on overflow.
func (p Params) End(w uint64) uint64 { return satAdd(p.Start(w), p.WindowMs) }

// PhaseAt returns the phase of window w at nowMs.
func (p Params) PhaseAt(w, nowMs uint64) Phase {
	switch {
	case nowMs < p.Start(w):
		return NotOpen
	case nowMs < p.UploadDeadline(w):
		return Upload
	case nowMs < p.End(w):
		return Scoring
	default:
		return Closed
	}
}

func satAdd(a, b uint64) uint64 {
	s, c := bits.Add64(a, b, 0)
	if c != 0 {
		return math.MaxUint64
	}
	return s
}
