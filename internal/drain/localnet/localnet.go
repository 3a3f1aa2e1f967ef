// Package localnet runs a whole DRAIN network in one process: an EVM chain
// (go-ethereum's simulated backend) with our DrainChannel contract and a
// 6-decimal test USDC, a Bittensor devchain with subnet 58, three providers
// (miners) behind the DRAIN payment middleware, each with a ProviderCheck
// axon (the third one proves the wrong wallet), an agent that opens a
// channel to each provider and pays for chat requests with vouchers, the
// providers' on-chain claims, and validator rounds that scan the claims,
// verify the wallet proofs, score and set weights.
package localnet

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/subnetkit/subnetkit/internal/chain/devchain"
	"github.com/subnetkit/subnetkit/internal/drain/contracts"
	"github.com/subnetkit/subnetkit/internal/drain/miner"
	"github.com/subnetkit/subnetkit/internal/drain/provider"
	"github.com/subnetkit/subnetkit/internal/drain/scanner"
	"github.com/subnetkit/subnetkit/internal/drain/score"
	"github.com/subnetkit/subnetkit/internal/drain/validator"
	"github.com/subnetkit/subnetkit/internal/drain/voucher"
	"github.com/subnetkit/subnetkit/internal/evm"
	"github.com/subnetkit/subnetkit/internal/keys"
)

// NetUID is the subnet the localnet runs.
const NetUID = 58

// Config configures a run. Zero fields take the defaults.
type Config struct {
	// Dir holds voucher logs and validator state (default: a temporary
	// directory, removed afterwards).
	Dir string
	// Rounds is how many validator rounds to run (default 1).
	Rounds int
	// Requests is how many paid requests the agent makes to provider i in
	// each round (default 12, 6, 3: the providers earn different amounts).
	Requests []int
	// Logger receives node logs (default: discard).
	Logger *slog.Logger
	// OnRound, if set, receives each round's result.
	OnRound func(RoundResult)
}

// MinerResult is one provider's line.
type MinerResult struct {
	UID        uint16  `json:"uid"`
	Hotkey     string  `json:"hotkey"`
	Wallet     string  `json:"wallet"`
	ClaimsUSDC float64 `json:"claims_usdc"`
	ProofValid bool    `json:"proof_valid"`
	Score      float64 `json:"score"` // the round's raw reward
	Weight     float64 `json:"weight"`
	Reason     string  `json:"reason"`
}

// RoundResult is one validator round.
type RoundResult struct {
	Round         int           `json:"round"`
	MaxClaimsUSDC float64       `json:"max_claims_usdc"`
	Miners        []MinerResult `json:"miners"`
	WeightsSet    bool          `json:"weights_set"`
	Requests      int           `json:"requests"`
}

const usage = `{"prompt_tokens":12,"completion_tokens":380}`

// upstream stands in for the provider's model server: an OpenAI-compatible
// chat endpoint that reports token usage.
func upstream() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"chatcmpl-local","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":`+usage+`}`)
	})
}

// pricer charges 2 USDC per 1M input tokens and 6 per 1M output tokens.
var pricer = provider.TokenPricer{Default: &provider.ModelPrice{InputPer1k: big.NewInt(2_000), OutputPer1k: big.NewInt(6_000)}}

const chatBody = `{"model":"local","messages":[{"role":"user","content":"hello"}],"max_tokens":400}`

// Run runs the localnet and returns every round's result.
func Run(ctx context.Context, cfg Config) ([]RoundResult, error) {
	if cfg.Rounds <= 0 {
		cfg.Rounds = 1
	}
	if len(cfg.Requests) == 0 {
		cfg.Requests = []int{12, 6, 3}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Dir == "" {
		d, err := os.MkdirTemp("", "drain-localnet-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(d)
		cfg.Dir = d
	}
	// EVM chain: keys[0] deploys, keys[1] is the agent, keys[2..4] the
	// provider wallets, keys[5] a wallet nobody controls on subnet 58.
	sim := evm.NewSimulated(6)
	defer sim.Close()
	backend := contracts.AutoMine(sim)
	dep, err := contracts.Deploy(ctx, backend, sim.Keys[0])
	if err != nil {
		return nil, fmt.Errorf("deploy contracts: %w", err)
	}
	agent := sim.Keys[1]
	if _, err := dep.Client.Mint(ctx, sim.Keys[0], evm.Address(agent), big.NewInt(1_000_000_000)); err != nil {
		return nil, err
	}

	// Bittensor devchain with the validator and three miners.
	dc, err := devchain.New(devchain.Config{Logger: cfg.Logger.With("component", "devchain")})
	if err != nil {
		return nil, err
	}
	dc.CreateSubnet(NetUID, devchain.SubnetParams{WeightsSetRateLimit: 1})
	val, err := keys.FromURI("//Alice")
	if err != nil {
		return nil, err
	}
	if _, err := dc.Register(NetUID, val.PublicKey(), val.PublicKey()); err != nil {
		return nil, err
	}
	if err := dc.AddStake(NetUID, val.PublicKey(), 1e12); err != nil {
		return nil, err
	}

	var servers []*http.Server
	defer func() {
		for _, s := range servers {
			s.Close()
		}
	}()
	listen := func(h http.Handler) (netip.AddrPort, error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return netip.AddrPort{}, err
		}
		s := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		servers = append(servers, s)
		go func() { _ = s.Serve(ln) }()
		return netip.MustParseAddrPort(ln.Addr().String()), nil
	}

	type prov struct {
		p      *provider.Provider
		url    string
		wallet *ecdsa.PrivateKey
	}
	var provs []prov
	for i := range 3 {
		wallet := sim.Keys[2+i]
		p, err := provider.New(ctx, provider.Config{Key: wallet, Chain: backend, Contract: dep.Channel,
			StorePath: filepath.Join(cfg.Dir, fmt.Sprintf("provider-%d-vouchers.jsonl", i)), Pricer: pricer,
			ClaimThreshold: big.NewInt(1), Logger: cfg.Logger.With("component", "provider", "index", i)})
		if err != nil {
			return nil, err
		}
		defer p.Close()
		ap, err := listen(p.Handler(upstream()))
		if err != nil {
			return nil, err
		}
		provs = append(provs, prov{p: p, url: "http://" + ap.String(), wallet: wallet})

		hk, err := keys.FromURI(fmt.Sprintf("//Provider%d", i))
		if err != nil {
			return nil, err
		}
		proofKey := wallet
		if i == 2 {
			// The third miner names its provider's wallet but cannot sign
			// for it: it proves with another key.
			proofKey = sim.Keys[5]
		}
		srv, err := miner.New(miner.Config{Hotkey: hk.PublicKey(), WalletKey: proofKey, APIURL: provs[i].url,
			Logger: cfg.Logger.With("component", "miner", "index", i)})
		if err != nil {
			return nil, err
		}
		h := srv.Handler()
		if i == 2 {
			h = claimWallet(h, evm.Address(wallet))
		}
		axonAddr, err := listen(h)
		if err != nil {
			return nil, err
		}
		if _, err := dc.Register(NetUID, hk.PublicKey(), hk.PublicKey()); err != nil {
			return nil, err
		}
		if err := dc.ServeAxon(NetUID, hk.PublicKey(), axonAddr); err != nil {
			return nil, err
		}
	}
	if _, err := dc.Commit(); err != nil {
		return nil, err
	}

	sc, err := scanner.New(scanner.Config{Contract: dep.Channel, Confirmations: -1, ChunkSize: 2000,
		DataDir: filepath.Join(cfg.Dir, "scanner"), Logger: cfg.Logger.With("component", "scanner")},
		scanner.Endpoint{Name: "simulated", Reader: backend})
	if err != nil {
		return nil, err
	}
	v, err := validator.New(validator.Config{Chain: dc.Client(val), Scanner: sc, Signer: val, NetUID: NetUID,
		AllowPrivate: true, EpochLength: 1, DataDir: filepath.Join(cfg.Dir, "validator"),
		Logger: cfg.Logger.With("component", "validator")})
	if err != nil {
		return nil, err
	}

	// The agent opens one channel per provider.
	channels := make([]common.Hash, len(provs))
	totals := make([]*big.Int, len(provs))
	nonces := make([]int64, len(provs))
	for i, pv := range provs {
		op, err := dep.Client.Open(ctx, agent, pv.p.Address(), big.NewInt(200_000_000), 24*time.Hour)
		if err != nil {
			return nil, fmt.Errorf("open channel: %w", err)
		}
		channels[i], totals[i] = op.ID, new(big.Int)
	}
	estimate, err := pricer.Estimate([]byte(chatBody))
	if err != nil {
		return nil, err
	}

	var out []RoundResult
	for r := 1; r <= cfg.Rounds; r++ {
		made := 0
		for i, pv := range provs {
			for range cfg.Requests[i%len(cfg.Requests)] {
				nonces[i]++
				amount := new(big.Int).Add(totals[i], estimate)
				s, err := voucher.Sign(agent, dep.Client.Domain(), voucher.Voucher{ChannelID: channels[i], Amount: amount, Nonce: big.NewInt(nonces[i])})
				if err != nil {
					return nil, err
				}
				total, err := pay(ctx, pv.url, voucher.EncodeHeader(s))
				if err != nil {
					return nil, fmt.Errorf("agent request to provider %d: %w", i, err)
				}
				totals[i] = total
				made++
			}
			if _, err := pv.p.ClaimOnce(ctx, true); err != nil {
				return nil, fmt.Errorf("provider %d claim: %w", i, err)
			}
		}
		if _, err := dc.Commit(); err != nil {
			return nil, err
		}
		rep, err := v.Round(ctx, true)
		if err != nil {
			return nil, err
		}
		if _, err := dc.Commit(); err != nil {
			return nil, err
		}
		rr := RoundResult{Round: r, MaxClaimsUSDC: validator.ClaimsUSDC(rep.MaxClaims), WeightsSet: rep.WeightsSet, Requests: made}
		for _, m := range rep.Miners {
			if m.Hotkey == val.PublicKey().SS58() {
				continue
			}
			rr.Miners = append(rr.Miners, MinerResult{UID: m.UID, Hotkey: m.Hotkey, Wallet: walletString(m.Wallet),
				ClaimsUSDC: validator.ClaimsUSDC(rep.Claims[m.Wallet]), ProofValid: m.Reason == score.ReasonScored || m.Reason == score.ReasonDuplicateWallet,
				Score: m.Reward, Weight: m.Weight, Reason: string(m.Reason)})
		}
		if cfg.OnRound != nil {
			cfg.OnRound(rr)
		}
		out = append(out, rr)
	}
	return out, nil
}

func walletString(a common.Address) string {
	if a == (common.Address{}) {
		return ""
	}
	return a.Hex()
}

// pay sends one chat request with a voucher and returns the channel's
// charged total the provider reports.
func pay(ctx context.Context, base, header string) (*big.Int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/chat/completions", strings.NewReader(chatBody))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(voucher.HeaderName, header)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d (%s)", resp.StatusCode, resp.Header.Get("X-DRAIN-Error"))
	}
	total, ok := new(big.Int).SetString(resp.Header.Get("X-DRAIN-Total"), 10)
	if !ok {
		return nil, errors.New("no X-DRAIN-Total in the answer")
	}
	return total, nil
}

// claimWallet rewrites a ProviderCheck answer's polygon_wallet: the miner
// claims a wallet its proof was not made with.
func claimWallet(h http.Handler, wallet common.Address) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		body := rec.Body.String()
		if resp, err := miner.DecodeResponse(rec.Body.Bytes()); err == nil && resp.PolygonWallet != "" {
			body = strings.Replace(body, resp.PolygonWallet, wallet.Hex(), 1)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		io.WriteString(w, body)
	})
}
