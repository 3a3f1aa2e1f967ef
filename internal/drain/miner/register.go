package miner

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/subnetkit/subnetkit/internal/keys"
)

// DefaultMarketplaceURL is MARKETPLACE_URL's default.
const DefaultMarketplaceURL = "https://www.handshake58.com"

// RegisterPath is the marketplace's provider upsert endpoint.
const RegisterPath = "/api/directory/providers"

// Categories the marketplace accepts (drain.md §8).
var Categories = []string{"llm", "image", "audio", "video", "code", "multi-modal", "scraping",
	"search", "data", "scheduling", "network", "forecasting", "other"}

// RegistrationMessage returns the text the hotkey signs:
// "handshake58:<hotkey SS58>:<api_url>".
func RegistrationMessage(hotkeySS58, apiURL string) string {
	return "handshake58:" + hotkeySS58 + ":" + apiURL
}

// Registration is a provider's marketplace entry.
type Registration struct {
	// APIURL is the provider's base URL (required).
	APIURL string
	// ProviderAddress is the provider wallet (required).
	ProviderAddress common.Address
	// Name is the display name ("Miner <uid>" in the reference; required).
	Name string
	// Optional extras.
	Description          string
	ContactEmail         string
	LogoURL              string
	Website              string
	Category             string
	AdditionalCategories []string
}

type registrationBody struct {
	BittensorHotkey      string   `json:"bittensorHotkey"`
	HotkeySignature      string   `json:"hotkeySignature"`
	APIURL               string   `json:"apiUrl"`
	ProviderAddress      string   `json:"providerAddress"`
	Name                 string   `json:"name"`
	Description          string   `json:"description,omitempty"`
	ContactEmail         string   `json:"contactEmail,omitempty"`
	LogoURL              string   `json:"logoUrl,omitempty"`
	Website              string   `json:"website,omitempty"`
	Category             string   `json:"category,omitempty"`
	AdditionalCategories []string `json:"additionalCategories,omitempty"`
}

// ErrInvalidRegistration is returned for a [Registration] that cannot be
// sent (bad API URL, missing address or name); [Registrar.Run] does not
// retry it.
var ErrInvalidRegistration = errors.New("invalid marketplace registration")

// RegisterError is a marketplace answer other than 2xx.
type RegisterError struct {
	Code int
	Body string // at most 512 bytes of the answer
}

func (e *RegisterError) Error() string {
	return fmt.Sprintf("marketplace registration: HTTP %d: %s", e.Code, e.Body)
}

// Permanent reports whether retrying cannot help: a 4xx other than 408
// and 429.
func (e *RegisterError) Permanent() bool {
	return e.Code >= 400 && e.Code < 500 && e.Code != http.StatusRequestTimeout && e.Code != http.StatusTooManyRequests
}

// RegistrarConfig configures a [Registrar]. Zero fields take the defaults.
type RegistrarConfig struct {
	// URL is the marketplace base URL (default [DefaultMarketplaceURL]).
	URL string
	// Signer is the miner's hotkey (required).
	Signer keys.Signer
	// HTTP is the client (default http.DefaultClient).
	HTTP *http.Client
	// Timeout bounds each attempt (default 10 s).
	Timeout time.Duration
	// Backoff is the pause after the first failure, doubling up to
	// MaxBackoff (defaults 5 s and 5 min).
	Backoff, MaxBackoff time.Duration
	// Sleep waits d or until ctx ends (default: a timer).
	Sleep func(ctx context.Context, d time.Duration) error
	// Logger receives logs (default: discard).
	Logger *slog.Logger
}

// Registrar registers the provider on the marketplace. It is safe for
// concurrent use.
type Registrar struct{ cfg RegistrarConfig }

// NewRegistrar returns a Registrar, or an error for an invalid config.
func NewRegistrar(cfg RegistrarConfig) (*Registrar, error) {
	if cfg.Signer == nil {
		return nil, errors.New("miner: RegistrarConfig.Signer is required")
	}
	if cfg.URL == "" {
		cfg.URL = DefaultMarketplaceURL
	}
	if err := validateAPIURL(cfg.URL); err != nil {
		return nil, fmt.Errorf("miner: marketplace URL: %w", err)
	}
	cfg.URL = strings.TrimSuffix(cfg.URL, "/")
	if cfg.HTTP == nil {
		cfg.HTTP = http.DefaultClient
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 5 * time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 5 * time.Minute
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleep
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	cfg.Logger = cfg.Logger.With("component", "drain-registrar")
	return &Registrar{cfg: cfg}, nil
}

// Register makes one attempt: it signs the registration message with the
// hotkey and POSTs the entry to {URL}/api/directory/providers (the server
// upserts on the hotkey). It returns a *[RegisterError] for a non-2xx
// answer and [ErrInvalidRegistration] for an entry it cannot send.
func (r *Registrar) Register(ctx context.Context, reg Registration) error {
	if err := validateAPIURL(reg.APIURL); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidRegistration, err)
	}
	if reg.ProviderAddress == (common.Address{}) || reg.Name == "" {
		return fmt.Errorf("%w: a provider address and a name are required", ErrInvalidRegistration)
	}
	hk := r.cfg.Signer.PublicKey().SS58()
	sig, err := r.cfg.Signer.Sign([]byte(RegistrationMessage(hk, reg.APIURL)))
	if err != nil {
		return fmt.Errorf("sign registration: %w", err)
	}
	body, err := json.Marshal(registrationBody{
		BittensorHotkey: hk, HotkeySignature: hex.EncodeToString(sig), APIURL: reg.APIURL,
		ProviderAddress: reg.ProviderAddress.Hex(), Name: reg.Name, Description: reg.Description,
		ContactEmail: reg.ContactEmail, LogoURL: reg.LogoURL, Website: reg.Website, Category: reg.Category,
		AdditionalCategories: reg.AdditionalCategories,
	})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, r.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.cfg.URL+RegisterPath, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := r.cfg.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("marketplace registration: %w", err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode/100 != 2 {
		return &RegisterError{Code: resp.StatusCode, Body: string(answer)}
	}
	return nil
}

// Run registers, retrying with backoff until an attempt succeeds, the
// answer is a permanent refusal (returned as a *[RegisterError]) or ctx
// ends (its cause is returned).
func (r *Registrar) Run(ctx context.Context, reg Registration) error {
	wait := r.cfg.Backoff
	for attempt := 1; ; attempt++ {
		err := r.Register(ctx, reg)
		if err == nil {
			r.cfg.Logger.Info("registered on the marketplace", "url", r.cfg.URL, "attempt", attempt)
			return nil
		}
		if re, ok := errors.AsType[*RegisterError](err); (ok && re.Permanent()) || errors.Is(err, ErrInvalidRegistration) {
			return err
		}
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		r.cfg.Logger.Warn("marketplace registration failed; retrying", attrErr, err, "attempt", attempt, "wait", wait)
		if err := r.cfg.Sleep(ctx, wait); err != nil {
			return err
		}
		wait = min(wait*2, r.cfg.MaxBackoff)
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
		return nil
	}
}
