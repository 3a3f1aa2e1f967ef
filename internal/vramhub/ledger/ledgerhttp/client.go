package ledgerhttp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/subnetkit/subnetkit/internal/vramhub/ledger"
	"github.com/subnetkit/subnetkit/internal/vramhub/rewards"
)

// Client calls a ledger served by [NewHandler]. Rejections come back as
// *ledger.RejectError, so errors.Is(err, ledger.ErrWindowClosed) works
// across the wire.
type Client struct {
	base string
	hc   *http.Client
	// Sender is the address the typed helpers send as.
	Sender string
}

// NewClient returns a client for baseURL (such as "http://127.0.0.1:7100")
// sending as sender. A nil hc means http.DefaultClient.
func NewClient(baseURL, sender string, hc *http.Client) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), hc: hc, Sender: sender}
}

// Apply submits op and returns the ledger's result.
func (c *Client) Apply(ctx context.Context, op ledger.Op) (ledger.Result, error) {
	body, err := json.Marshal(op)
	if err != nil {
		return ledger.Result{}, err
	}
	var res ledger.Result
	err = c.do(ctx, http.MethodPost, "/v1/ops/"+string(op.Type), body, &res)
	return res, err
}

func (c *Client) do(ctx context.Context, method, path string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("ledger %s: %w", path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return fmt.Errorf("ledger %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		var eb ErrorBody
		if json.Unmarshal(raw, &eb) == nil && eb.Code != 0 {
			return &ledger.RejectError{Code: ledger.Code(eb.Code), Detail: eb.Detail}
		}
		if eb.Error != "" {
			return fmt.Errorf("ledger %s: %s: %s", path, resp.Status, eb.Error)
		}
		return fmt.Errorf("ledger %s: %s", path, resp.Status)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("ledger %s: decode: %w", path, err)
	}
	return nil
}

// Ledger fetches the current state into a local, read-only copy for
// queries (windows, balances, anchors, ratings). opts may be zero.
func (c *Client) Ledger(ctx context.Context, opts ledger.Options) (*ledger.Ledger, error) {
	var raw json.RawMessage
	if err := c.do(ctx, http.MethodGet, "/v1/state", nil, &raw); err != nil {
		return nil, err
	}
	return ledger.FromSnapshot(raw, opts)
}

// Events returns the events with seq ≥ since.
func (c *Client) Events(ctx context.Context, since uint64) ([]ledger.Event, error) {
	var evs []ledger.Event
	err := c.do(ctx, http.MethodGet, "/v1/events?since="+strconv.FormatUint(since, 10), nil, &evs)
	return evs, err
}

// Clock returns the server's ledger time and window.
func (c *Client) Clock(ctx context.Context) (Clock, error) {
	var ck Clock
	err := c.do(ctx, http.MethodGet, "/v1/clock", nil, &ck)
	return ck, err
}

// Transfer sends amount to another address.
func (c *Client) Transfer(ctx context.Context, to string, amount uint64) error {
	_, err := c.Apply(ctx, ledger.Op{Type: ledger.OpTransfer, Sender: c.Sender, To: to, Amount: amount})
	return err
}

// RegisterPeer registers the sender as a miner and returns its uid.
func (c *Client) RegisterPeer(ctx context.Context, stake uint64, cred ledger.Credentials) (uint64, error) {
	res, err := c.Apply(ctx, ledger.Op{Type: ledger.OpRegisterPeer, Sender: c.Sender, Amount: stake, Credentials: &cred})
	return res.UID, err
}

// RegisterValidator registers the sender as a validator and returns its
// uid and ticket.
func (c *Client) RegisterValidator(ctx context.Context, stake uint64) (uint64, ledger.Ticket, error) {
	res, err := c.Apply(ctx, ledger.Op{Type: ledger.OpRegisterValidator, Sender: c.Sender, Amount: stake})
	if err != nil {
		return 0, ledger.Ticket{}, err
	}
	if res.Ticket == nil {
		return 0, ledger.Ticket{}, fmt.Errorf("ledger: register_validator: no ticket in answer")
	}
	return res.UID, *res.Ticket, nil
}

// UpdateCredentials replaces miner uid's credentials.
func (c *Client) UpdateCredentials(ctx context.Context, uid uint64, cred ledger.Credentials) error {
	_, err := c.Apply(ctx, ledger.Op{Type: ledger.OpUpdateCredentials, Sender: c.Sender, UID: uid, Credentials: &cred})
	return err
}

// RegisterEnclave registers validator vuid's enclave key.
func (c *Client) RegisterEnclave(ctx context.Context, vuid uint64, publicKey, document []byte) error {
	_, err := c.Apply(ctx, ledger.Op{Type: ledger.OpRegisterEnclave, Sender: c.Sender, UID: vuid, PublicKey: publicKey, Document: document})
	return err
}

// AnchorCheckpoint anchors a checkpoint from window effective on.
func (c *Client) AnchorCheckpoint(ctx context.Context, effective uint64, hash ledger.Hash, key string) error {
	_, err := c.Apply(ctx, ledger.Op{Type: ledger.OpAnchorCheckpoint, Sender: c.Sender, Window: effective, Hash: hash, Key: key})
	return err
}

// RecordAggregation records the aggregation built from window w.
func (c *Client) RecordAggregation(ctx context.Context, w uint64, hash ledger.Hash, key string) error {
	_, err := c.Apply(ctx, ledger.Op{Type: ledger.OpRecordAggregation, Sender: c.Sender, Window: w, Hash: hash, Key: key})
	return err
}

// SubmitGradient records miner uid's upload for window w.
func (c *Client) SubmitGradient(ctx context.Context, uid, w uint64, g ledger.GradientUpload) error {
	_, err := c.Apply(ctx, ledger.Op{Type: ledger.OpSubmitGradient, Sender: c.Sender, UID: uid, Window: w, Gradient: &g})
	return err
}

// SubmitScores submits validator vuid's signed scores for window w.
func (c *Client) SubmitScores(ctx context.Context, vuid, w uint64, sub ledger.ScoreSubmission) error {
	_, err := c.Apply(ctx, ledger.Op{Type: ledger.OpSubmitScores, Sender: c.Sender, UID: vuid, Window: w, Scores: &sub})
	return err
}

// Finalize finalizes window w and returns its record.
func (c *Client) Finalize(ctx context.Context, w uint64) (ledger.WindowRecord, error) {
	res, err := c.Apply(ctx, ledger.Op{Type: ledger.OpFinalize, Sender: c.Sender, Window: w})
	if err != nil {
		return ledger.WindowRecord{}, err
	}
	if res.Window == nil {
		return ledger.WindowRecord{}, fmt.Errorf("ledger: finalize: no record in answer")
	}
	return *res.Window, nil
}

// Premint mints the genesis allocations (admin only).
func (c *Client) Premint(ctx context.Context, allocs []ledger.Allocation) error {
	_, err := c.Apply(ctx, ledger.Op{Type: ledger.OpPremint, Sender: c.Sender, Allocations: allocs})
	return err
}

// UpdateSplit sets the emission split (admin only).
func (c *Client) UpdateSplit(ctx context.Context, split rewards.Split) error {
	_, err := c.Apply(ctx, ledger.Op{Type: ledger.OpUpdateSplit, Sender: c.Sender, Split: &split})
	return err
}

// Slash cuts uid's stake (admin only).
func (c *Client) Slash(ctx context.Context, uid, amount uint64) error {
	_, err := c.Apply(ctx, ledger.Op{Type: ledger.OpSlash, Sender: c.Sender, UID: uid, Amount: amount})
	return err
}
