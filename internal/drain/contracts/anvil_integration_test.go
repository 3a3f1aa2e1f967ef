//go:build integration

package contracts

import (
	"bufio"
	"context"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/subnetkit/subnetkit/internal/drain/voucher"
	"github.com/subnetkit/subnetkit/internal/evm"
)

// startAnvil runs anvil from the npm package on a free loopback port and
// returns its JSON-RPC URL; the process is stopped when the test ends.
func startAnvil(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(repoRoot(t), ".cache/test-deps/evm/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil")
	if _, err := os.Stat(bin); err != nil {
		t.Skip("anvil is not installed under .cache/test-deps/evm; run tools/contracts/deps.sh (make test does)")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--host", "127.0.0.1", "--port", strconv.Itoa(port), "--chain-id", "31337")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		cmd.Wait()
	})
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		ok := false
		for sc.Scan() {
			if !ok && strings.Contains(sc.Text(), "Listening on") {
				ok = true
				ready <- true
			}
		}
		if !ok {
			ready <- false
		}
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatal("anvil exited before listening")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("anvil did not start within 30 s")
	}
	return "http://127.0.0.1:" + strconv.Itoa(port)
}

// TestAnvil deploys, opens a channel, claims a voucher and reads the
// ChannelClaimed log back over JSON-RPC from a real node.
func TestAnvil(t *testing.T) {
	url := startAnvil(t)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	rc, err := rpc.DialContext(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	keys := evm.DevKeys(3)
	for _, k := range keys {
		eth := new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18))
		if err := rc.CallContext(ctx, nil, "anvil_setBalance", evm.Address(k), hexutil.EncodeBig(eth)); err != nil {
			t.Fatal(err)
		}
	}
	client := ethclient.NewClient(rc)
	d, err := Deploy(ctx, client, keys[0])
	if err != nil {
		t.Fatal(err)
	}
	c := d.Client
	sep, err := c.DomainSeparator(ctx)
	if err != nil || sep != c.Domain().Separator() {
		t.Fatalf("DOMAIN_SEPARATOR() = %s, %v; want %s", sep, err, c.Domain().Separator())
	}
	consumer, provider := keys[1], keys[2]
	if _, err := c.Mint(ctx, keys[0], evm.Address(consumer), big.NewInt(10_000_000)); err != nil {
		t.Fatal(err)
	}
	op, err := c.Open(ctx, consumer, evm.Address(provider), big.NewInt(2_000_000), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	s, err := voucher.Sign(consumer, c.Domain(), voucher.Voucher{ChannelID: op.ID, Amount: big.NewInt(750_000), Nonce: big.NewInt(1)})
	if err != nil {
		t.Fatal(err)
	}
	// The voucher travels as a header; claim what the provider decoded.
	got, err := voucher.DecodeHeader(voucher.EncodeHeader(s))
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Claim(ctx, provider, got)
	if err != nil {
		t.Fatal(err)
	}
	logs, err := client.FilterLogs(ctx, ethereum.FilterQuery{
		FromBlock: r.BlockNumber, ToBlock: r.BlockNumber,
		Addresses: []common.Address{d.Channel},
		Topics:    [][]common.Hash{{TopicChannelClaimed}, {op.ID}, {common.BytesToHash(evm.Address(provider).Bytes())}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(logs) != 1 {
		t.Fatalf("FilterLogs(ChannelClaimed) = %d logs, want 1", len(logs))
	}
	cl, err := ParseClaimed(logs[0])
	if err != nil || cl.ChannelID != op.ID || cl.Provider != evm.Address(provider) || cl.Amount.Int64() != 750_000 {
		t.Errorf("ParseClaimed = %+v, %v; want channel %s provider %s amount 750000", cl, err, op.ID, evm.Address(provider))
	}
	if _, err := c.Claim(ctx, provider, got); !Permanent(err) {
		t.Errorf("replayed Claim = %v, want a permanent revert", err)
	}
}
