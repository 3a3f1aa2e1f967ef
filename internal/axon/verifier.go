package axon

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/subnetkit/subnetkit/internal/keys"
)

// Verification failures. Every one maps to HTTP 401 except errors returned
// by the Allowed hook, which map to 403 (see [StatusCode]).
var (
	ErrUnsigned         = errors.New("request signature required")
	ErrMalformedHeaders = errors.New("malformed signature headers")
	ErrWrongAxon        = errors.New("request is addressed to another axon hotkey")
	ErrBodyHashMismatch = errors.New("body hash does not match computed_body_hash")
	ErrStaleNonce       = errors.New("stale or replayed nonce")
	ErrBadSignature     = errors.New("invalid signature")
)

// ForbiddenError wraps a refusal by [VerifierConfig.Allowed].
type ForbiddenError struct{ Err error }

func (e *ForbiddenError) Error() string { return "caller not allowed: " + e.Err.Error() }
func (e *ForbiddenError) Unwrap() error { return e.Err }

// StatusCode returns the HTTP status for a Verify error: 403 for a
// [ForbiddenError], 401 otherwise.
func StatusCode(err error) int {
	if _, ok := errors.AsType[*ForbiddenError](err); ok {
		return http.StatusForbidden
	}
	return http.StatusUnauthorized
}

// Freshness constants of the scheme. MaxTimeout caps the caller-announced
// timeout (an unsigned header) so a replay cannot widen the window at will.
const (
	NonceSlack     = 4 * time.Second
	DefaultTimeout = 12 * time.Second
	MaxTimeout     = 60 * time.Second
)

// VerifierConfig configures a [Verifier].
type VerifierConfig struct {
	// Hotkey is this axon's own hotkey; messages are rebuilt with it, so a
	// signature made for another axon never verifies here.
	Hotkey keys.PublicKey
	// Required rejects unsigned requests with ErrUnsigned.
	Required bool
	// Allowed, if set, is asked after a signature verified; an error
	// refuses the request with 403.
	Allowed func(synapse string, caller keys.PublicKey) error
	// Now is the clock (default time.Now).
	Now func() time.Time
	// MaxEntries bounds the nonce cache (default 100 000). When full, the
	// oldest entries that can no longer matter are swept; if none can, new
	// callers are refused until some age out.
	MaxEntries int
}

type nonceEntry struct {
	nonce int64
	seen  time.Time
}

// Verifier checks signed synapse requests. It is safe for concurrent use.
type Verifier struct {
	cfg VerifierConfig

	mu     sync.Mutex
	nonces map[string]nonceEntry
}

// NewVerifier returns a Verifier for cfg.
func NewVerifier(cfg VerifierConfig) *Verifier {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxEntries <= 0 {
		cfg.MaxEntries = 100_000
	}
	return &Verifier{cfg: cfg, nonces: map[string]nonceEntry{}}
}

// Verify checks the signature headers of r, whose body is body, for
// synapse. It returns the caller's verified hotkey and signed = true; or, for
// a request with no signature headers when signatures are not required, the
// zero key and signed = false. A request that carries any signature header
// is always fully verified. Errors are the Err* values of this package
// (wrapped) or a *[ForbiddenError].
func (v *Verifier) Verify(r *http.Request, synapse string, body []byte) (caller keys.PublicKey, signed bool, err error) {
	h := r.Header
	sigHex, nonceStr, hkStr := h.Get(HeaderDendriteSig), h.Get(HeaderDendriteNonce), h.Get(HeaderDendriteHotkey)
	if sigHex == "" && nonceStr == "" && hkStr == "" {
		if v.cfg.Required {
			return caller, false, ErrUnsigned
		}
		return caller, false, nil
	}
	uuid := h.Get(HeaderDendriteUUID)
	caller, err = keys.ParseSS58(hkStr)
	if err != nil {
		return keys.PublicKey{}, false, fmt.Errorf("%w: dendrite hotkey", ErrMalformedHeaders)
	}
	nonce, err := strconv.ParseInt(nonceStr, 10, 64)
	if err != nil || nonce <= 0 {
		return keys.PublicKey{}, false, fmt.Errorf("%w: nonce", ErrMalformedHeaders)
	}
	if uuid == "" || len(uuid) > 64 {
		return keys.PublicKey{}, false, fmt.Errorf("%w: uuid", ErrMalformedHeaders)
	}
	sig, err := hex.DecodeString(strings.TrimPrefix(strings.TrimPrefix(sigHex, "0x"), "0X"))
	if err != nil || len(sig) != 64 {
		return keys.PublicKey{}, false, fmt.Errorf("%w: signature", ErrMalformedHeaders)
	}
	if ax := h.Get(HeaderAxonHotkey); ax != "" && ax != v.cfg.Hotkey.SS58() {
		return keys.PublicKey{}, false, ErrWrongAxon
	}
	bh, err := BodyHash(synapse, body)
	if err != nil {
		return keys.PublicKey{}, false, fmt.Errorf("%w: %v", ErrBodyHashMismatch, err)
	}
	if got := h.Get(HeaderComputedBodyHash); got != bh {
		return keys.PublicKey{}, false, ErrBodyHashMismatch
	}
	timeout := DefaultTimeout
	if t, err := strconv.ParseFloat(h.Get(HeaderTimeout), 64); err == nil && t > 0 {
		timeout = min(time.Duration(t*float64(time.Second)), MaxTimeout)
	}
	key := hkStr + ":" + uuid
	now := v.cfg.Now()
	if !v.fresh(key, nonce, now, timeout) {
		return keys.PublicKey{}, false, ErrStaleNonce
	}
	msg := fmt.Sprintf("%d.%s.%s.%s.%s", nonce, hkStr, v.cfg.Hotkey.SS58(), uuid, bh)
	if !caller.Verify([]byte(msg), sig) {
		return keys.PublicKey{}, false, ErrBadSignature
	}
	// Check again under the lock that stores the nonce, so two concurrent
	// copies of one request cannot both pass.
	if !v.store(key, nonce, now, timeout) {
		return keys.PublicKey{}, false, ErrStaleNonce
	}
	if v.cfg.Allowed != nil {
		if err := v.cfg.Allowed(synapse, caller); err != nil {
			return keys.PublicKey{}, false, &ForbiddenError{Err: err}
		}
	}
	return caller, true, nil
}

func (v *Verifier) freshLocked(key string, nonce int64, now time.Time, timeout time.Duration) bool {
	if e, ok := v.nonces[key]; ok {
		return nonce > e.nonce
	}
	return nonce > now.Add(-NonceSlack-timeout).UnixNano()
}

func (v *Verifier) fresh(key string, nonce int64, now time.Time, timeout time.Duration) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.freshLocked(key, nonce, now, timeout)
}

func (v *Verifier) store(key string, nonce int64, now time.Time, timeout time.Duration) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.freshLocked(key, nonce, now, timeout) {
		return false
	}
	if _, ok := v.nonces[key]; !ok && len(v.nonces) >= v.cfg.MaxEntries {
		v.sweepLocked(now)
		if len(v.nonces) >= v.cfg.MaxEntries {
			return false
		}
	}
	v.nonces[key] = nonceEntry{nonce: nonce, seen: now}
	return true
}

// sweepLocked drops entries whose nonce is older than any window a request
// could claim: a replay of such a nonce fails the first-nonce rule anyway.
func (v *Verifier) sweepLocked(now time.Time) {
	cutoff := now.Add(-NonceSlack - MaxTimeout).UnixNano()
	for k, e := range v.nonces {
		if e.nonce <= cutoff {
			delete(v.nonces, k)
		}
	}
}

// Len returns the number of remembered dendrite keys.
func (v *Verifier) Len() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return len(v.nonces)
}

// SetResponseHeaders writes the axon status headers Python dendrites read.
func SetResponseHeaders(w http.ResponseWriter, code int, msg string, process time.Duration) {
	h := w.Header()
	h.Set(HeaderAxonStatusCode, strconv.Itoa(code))
	h.Set(HeaderAxonStatusMsg, msg)
	h.Set(HeaderAxonProcessTime, strconv.FormatFloat(process.Seconds(), 'f', 6, 64))
}
