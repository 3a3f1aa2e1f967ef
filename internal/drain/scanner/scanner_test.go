package scanner

import (
	"context"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// testConfig is a small window: 100 blocks, chunks of 30, 5 confirmations,
// a reorg margin of 10.
func testConfig(sl *sleeper) Config {
	return Config{
		Contract: contract, WindowBlocks: 100, ChunkSize: 30, Confirmations: 5, ReorgMargin: 10,
		Sleep: sl.sleep,
	}
}

// newChain has a claim in every third block from 0 to 400, plus noise the
// scanner must never count.
func newChain(head uint64) *chain {
	c := &chain{head: head}
	for b := uint64(0); b <= 400; b += 3 {
		c.add(claimLog(b, uint(b%2), provider(byte(b%4+1)), int64(b)*1000+7))
	}
	foreign := claimLog(150, 9, provider(1), 1e12)
	foreign.Address = common.HexToAddress("0x0C2B3aA1e80629D572b1f200e6DF3586B3946A8A")
	other := claimLog(151, 9, provider(1), 1e12)
	other.Topics[0] = common.HexToHash("0x1234")
	other.Topics = other.Topics[:2]
	removed := claimLog(152, 9, provider(1), 1e12)
	removed.Removed = true
	c.add(foreign, other, removed)
	return c
}

func newScanner(t *testing.T, cfg Config, rs ...*reader) *Scanner {
	t.Helper()
	eps := make([]Endpoint, len(rs))
	for i, r := range rs {
		eps[i] = Endpoint{Reader: r}
	}
	s, err := New(cfg, eps...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func checkTotals(t *testing.T, c *chain, res Result) {
	t.Helper()
	want := c.want(res.From, res.To)
	got := map[common.Address]string{}
	for a, v := range res.PerProvider {
		got[a] = v.String()
	}
	w := map[common.Address]string{}
	maxC := big.NewInt(0)
	for a, v := range want {
		w[a] = v.String()
		if v.Cmp(maxC) > 0 {
			maxC = v
		}
	}
	if maxC.Sign() == 0 {
		maxC = big.NewInt(1)
	}
	if !reflect.DeepEqual(got, w) {
		t.Errorf("Scan() totals over [%d, %d] = %v, want %v", res.From, res.To, got, w)
	}
	if res.MaxClaims.Cmp(maxC) != 0 {
		t.Errorf("Scan() max_claims = %v, want %v", res.MaxClaims, maxC)
	}
}

func TestClaimedTopic(t *testing.T) {
	want := common.HexToHash("0xf52962519ffeefc816f3b8d3e9498fd9fd014f35c0b6aeead0118577a42bb324")
	if ClaimedTopic != want {
		t.Errorf("ClaimedTopic = %s, want %s", ClaimedTopic, want)
	}
}

func TestScanFullWindow(t *testing.T) {
	tests := []struct {
		name     string
		head     uint64
		from, to uint64
		ranges   [][2]uint64
	}{
		{"chunked window", 200, 95, 195, [][2]uint64{{95, 124}, {125, 154}, {155, 184}, {185, 195}}},
		{"young chain starts at 0", 40, 0, 35, [][2]uint64{{0, 29}, {30, 35}}},
		{"head below confirmations", 3, 0, 0, [][2]uint64{{0, 0}}},
		{"exact chunk multiple", 64, 0, 59, [][2]uint64{{0, 29}, {30, 59}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newChain(tt.head)
			r := &reader{c: c}
			res, err := newScanner(t, testConfig(&sleeper{}), r).Scan(t.Context())
			if err != nil {
				t.Fatalf("Scan() error = %v", err)
			}
			if res.From != tt.from || res.To != tt.to || res.Head != tt.head {
				t.Errorf("Scan() range = [%d, %d] head %d, want [%d, %d] head %d", res.From, res.To, res.Head, tt.from, tt.to, tt.head)
			}
			if got := r.getRanges(); !reflect.DeepEqual(got, tt.ranges) {
				t.Errorf("Scan() requested %v, want %v", got, tt.ranges)
			}
			checkTotals(t, c, res)
		})
	}
}

func TestDefaultsFollowTheReference(t *testing.T) {
	c := &chain{head: 1_000_000}
	r := &reader{c: c}
	res, err := newScanner(t, Config{Contract: contract}, r).Scan(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if res.To != 1_000_000-32 || res.From != res.To-302_400 {
		t.Errorf("Scan() range = [%d, %d], want [%d, %d]", res.From, res.To, 1_000_000-32-302_400, 1_000_000-32)
	}
	ranges := r.getRanges()
	if len(ranges) != 152 || ranges[0] != [2]uint64{res.From, res.From + 1999} || ranges[151][1] != res.To {
		t.Errorf("Scan() made %d requests, first %v, last %v; want 152 chunks of 2000 covering the window", len(ranges), ranges[0], ranges[len(ranges)-1])
	}
}

func TestFailover(t *testing.T) {
	c := newChain(200)
	dead := &reader{c: c, fail: always}
	good := &reader{c: c}
	sl := &sleeper{}
	reg := prometheus.NewRegistry()
	cfg := testConfig(sl)
	cfg.Registerer = reg
	res, err := newScanner(t, cfg, dead, good).Scan(t.Context())
	if err != nil {
		t.Fatalf("Scan() error = %v", err)
	}
	checkTotals(t, c, res)
	if len(sl.waits) != 0 {
		t.Errorf("Scan() slept %v, want no pause when a second endpoint answers", sl.waits)
	}
	if got := len(dead.getRanges()); got != 4 {
		t.Errorf("dead endpoint asked %d times, want 4 (once per chunk)", got)
	}
	if got := testutil.ToFloat64(mustCounter(t, reg, "drain_scanner_rpc_requests_total", "0", "eth_getLogs", "error")); got != 4 {
		t.Errorf("errors counted for endpoint 0 = %v, want 4", got)
	}
	if got := testutil.ToFloat64(mustCounter(t, reg, "drain_scanner_rpc_requests_total", "1", "eth_getLogs", "ok")); got != 4 {
		t.Errorf("successes counted for endpoint 1 = %v, want 4", got)
	}
}

func mustCounter(t *testing.T, reg *prometheus.Registry, name string, labels ...string) prometheus.Collector {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			var vals []string
			for _, lp := range m.GetLabel() {
				vals = append(vals, lp.GetValue())
			}
			// Labels come sorted by name: endpoint, method, result.
			if reflect.DeepEqual(vals, labels) {
				return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "x", Help: "x"}, func() float64 { return m.GetCounter().GetValue() })
			}
		}
	}
	return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "x", Help: "x"}, func() float64 { return 0 })
}

func TestFlakyEndpointRetried(t *testing.T) {
	c := newChain(200)
	// The only endpoint fails its first head read, then the first chunk
	// twice.
	flaky := &reader{c: c, fail: func(m string, _, _ uint64, n int) bool { return n == 1 || m == "logs" && n <= 4 }}
	sl := &sleeper{}
	res, err := newScanner(t, testConfig(sl), flaky).Scan(t.Context())
	if err != nil {
		t.Fatalf("Scan() error = %v", err)
	}
	checkTotals(t, c, res)
	want := []time.Duration{500 * time.Millisecond, 500 * time.Millisecond, time.Second}
	if !reflect.DeepEqual(sl.waits, want) {
		t.Errorf("Scan() paused %v, want %v (head retried once, first chunk twice)", sl.waits, want)
	}
}

func TestBackoffCapped(t *testing.T) {
	s := newScanner(t, Config{Contract: contract, Backoff: time.Second, MaxBackoff: 5 * time.Second}, &reader{c: &chain{}})
	var got []time.Duration
	for pass := 1; pass <= 5; pass++ {
		got = append(got, s.backoff(pass))
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("backoff(1..5) = %v, want %v", got, want)
	}
}

func TestAllEndpointsFailing(t *testing.T) {
	tests := []struct {
		name string
		fail func(string, uint64, uint64, int) bool
		want string
	}{
		{"every call", always, "read head"},
		{"one chunk everywhere", func(m string, lo, _ uint64, _ int) bool { return m == "logs" && lo == 155 }, "[155, 184]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newChain(200)
			a, b := &reader{c: c, fail: tt.fail}, &reader{c: c, fail: tt.fail}
			sl := &sleeper{}
			res, err := newScanner(t, testConfig(sl), a, b).Scan(t.Context())
			if !errors.Is(err, ErrUnavailable) || !errors.Is(err, errRPC) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Scan() error = %v, want ErrUnavailable mentioning %q", err, tt.want)
			}
			if !reflect.DeepEqual(res, Result{}) {
				t.Errorf("Scan() result = %+v with an error, want none", res)
			}
			if len(sl.waits) != 2 {
				t.Errorf("Scan() paused %d times, want 2 (3 passes)", len(sl.waits))
			}
		})
	}
}

func TestFailedRoundKeepsCache(t *testing.T) {
	c := newChain(200)
	broken := false
	r := &reader{c: c, fail: func(m string, lo, _ uint64, _ int) bool { return broken && m == "logs" && lo > 200 }}
	s := newScanner(t, testConfig(&sleeper{}), r)
	if _, err := s.Scan(t.Context()); err != nil {
		t.Fatal(err)
	}
	c.setHead(260)
	broken = true
	if _, err := s.Scan(t.Context()); err == nil {
		t.Fatal("Scan() with an unreadable chunk succeeded, want an error")
	} else if _, ok := errors.AsType[*ChunkError](err); !ok {
		t.Fatalf("Scan() error = %T %v, want *ChunkError", err, err)
	}
	broken = false
	r.getRanges()
	res, err := s.Scan(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	checkTotals(t, c, res)
	// The failed round committed nothing: the retry starts from the last
	// good round (195) less the margin.
	want := [][2]uint64{{186, 215}, {216, 245}, {246, 255}}
	if got := r.getRanges(); !reflect.DeepEqual(got, want) {
		t.Errorf("Scan() after a failed round requested %v, want %v", got, want)
	}
}

func TestIncremental(t *testing.T) {
	c := newChain(200)
	r := &reader{c: c}
	s := newScanner(t, testConfig(&sleeper{}), r)
	if _, err := s.Scan(t.Context()); err != nil {
		t.Fatal(err)
	}
	r.getRanges()
	steps := []struct {
		head   uint64
		ranges [][2]uint64
	}{
		{250, [][2]uint64{{186, 215}, {216, 245}}}, // to 245; re-read from 195+1−10
		{250, [][2]uint64{{236, 245}}},             // no new block: only the margin
		{251, [][2]uint64{{236, 246}}},
		{400, [][2]uint64{{295, 324}, {325, 354}, {355, 384}, {385, 395}}}, // gap beyond the window: full rescan
	}
	for _, st := range steps {
		c.setHead(st.head)
		res, err := s.Scan(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if got := r.getRanges(); !reflect.DeepEqual(got, st.ranges) {
			t.Errorf("Scan() at head %d requested %v, want %v", st.head, got, st.ranges)
		}
		if res.Requested != len(st.ranges) {
			t.Errorf("Scan() Requested = %d, want %d", res.Requested, len(st.ranges))
		}
		checkTotals(t, c, res)
	}
}

func TestNoReorgMargin(t *testing.T) {
	c := newChain(200)
	r := &reader{c: c}
	cfg := testConfig(&sleeper{})
	cfg.ReorgMargin = -1
	s := newScanner(t, cfg, r)
	for range 2 {
		if _, err := s.Scan(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if got := r.getRanges(); len(got) != 4 {
		t.Errorf("Scan() twice at one head requested %v, want only the first round's 4 chunks", got)
	}
}

func TestReorgMarginRescanned(t *testing.T) {
	c := newChain(200)
	r := &reader{c: c}
	s := newScanner(t, testConfig(&sleeper{}), r)
	if _, err := s.Scan(t.Context()); err != nil {
		t.Fatal(err)
	}
	// A reorg inside the margin (186..195): block 189's claim now pays
	// another provider another amount, block 192's is gone, block 190 has
	// a new one. Block 180 is below the margin and stays as cached.
	changed := claimLog(189, 1, provider(9), 55)
	c.replace(189, 1, &changed)
	c.replace(192, 0, nil)
	c.add(claimLog(190, 3, provider(9), 45))
	c.setHead(201)
	res, err := s.Scan(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	checkTotals(t, c, res)
	if got := res.PerProvider[provider(9)]; got == nil || got.Int64() != 100 {
		t.Errorf("Scan() provider 9 total = %v, want 100", got)
	}
	old := claimLog(189, 1, provider(byte(189%4+1)), 189*1000+7)
	for _, rec := range s.c.records {
		if rec.Block == 189 && rec.Provider == common.BytesToAddress(old.Topics[2][12:]) {
			t.Errorf("cache still holds the replaced log %+v", rec)
		}
		if rec.Block == 192 {
			t.Errorf("cache still holds the vanished log %+v", rec)
		}
	}
}

func TestHeadGoesBack(t *testing.T) {
	c := newChain(250)
	ahead := &reader{c: c}
	s := newScanner(t, testConfig(&sleeper{}), ahead)
	if _, err := s.Scan(t.Context()); err != nil {
		t.Fatal(err)
	}
	ahead.getRanges()
	c.setHead(230) // a lagging node answers now
	res, err := s.Scan(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if res.To != 225 {
		t.Fatalf("Scan() to = %d, want 225", res.To)
	}
	checkTotals(t, c, res)
	// The window start moved back below the cached range: full rescan.
	want := [][2]uint64{{125, 154}, {155, 184}, {185, 214}, {215, 225}}
	if got := ahead.getRanges(); !reflect.DeepEqual(got, want) {
		t.Errorf("Scan() requested %v, want %v", got, want)
	}
	for _, rec := range s.c.records {
		if rec.Block > 225 {
			t.Errorf("cache holds block %d above the new top 225", rec.Block)
		}
	}
}

func TestWindowEviction(t *testing.T) {
	c := newChain(200)
	s := newScanner(t, testConfig(&sleeper{}), &reader{c: c})
	first, err := s.Scan(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	c.setHead(260)
	res, err := s.Scan(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	checkTotals(t, c, res)
	if res.From != 155 || first.From != 95 {
		t.Fatalf("windows = [%d..] then [%d..], want 95 then 155", first.From, res.From)
	}
	for _, rec := range s.c.records {
		if rec.Block < res.From {
			t.Errorf("cache holds block %d below the window start %d", rec.Block, res.From)
		}
	}
	if want := (255-156)/3 + 1; res.Logs != want { // every third block in [155, 255]
		t.Errorf("Scan() Logs = %d, want %d", res.Logs, want)
	}
}

func TestMalformedLogsFailOver(t *testing.T) {
	tamperings := []struct {
		name string
		fn   func([]types.Log) []types.Log
	}{
		{"short data", func(ls []types.Log) []types.Log { ls[0].Data = ls[0].Data[:31]; return ls }},
		{"missing topic", func(ls []types.Log) []types.Log { ls[0].Topics = ls[0].Topics[:2]; return ls }},
		{"dirty address padding", func(ls []types.Log) []types.Log { ls[0].Topics[2][0] = 1; return ls }},
		{"foreign contract", func(ls []types.Log) []types.Log { ls[0].Address = common.Address{1}; return ls }},
		{"outside the range", func(ls []types.Log) []types.Log { ls[0].BlockNumber = 1; return ls }},
		{"conflicting duplicate", func(ls []types.Log) []types.Log {
			d := ls[0]
			d.Data = common.LeftPadBytes([]byte{9}, 32)
			return append(ls, d)
		}},
	}
	for _, tt := range tamperings {
		t.Run(tt.name, func(t *testing.T) {
			c := newChain(200)
			bad := &reader{c: c, tamper: tt.fn}
			reg := prometheus.NewRegistry()
			cfg := testConfig(&sleeper{})
			cfg.Registerer = reg
			res, err := newScanner(t, cfg, bad, &reader{c: c}).Scan(t.Context())
			if err != nil {
				t.Fatalf("Scan() error = %v, want the second endpoint's answer", err)
			}
			checkTotals(t, c, res)
			if got := testutil.ToFloat64(mustCounter(t, reg, "drain_scanner_malformed_logs_total")); got == 0 {
				// unlabelled counter: gathered with no labels
				t.Errorf("malformed logs counted = %v, want > 0", got)
			}

			_, err = newScanner(t, testConfig(&sleeper{}), &reader{c: c, tamper: tt.fn}).Scan(t.Context())
			if !errors.Is(err, ErrMalformedLog) {
				t.Errorf("Scan() with only a tampering endpoint error = %v, want ErrMalformedLog", err)
			}
		})
	}
}

func TestExactDuplicatesCollapse(t *testing.T) {
	c := newChain(200)
	dup := &reader{c: c, tamper: func(ls []types.Log) []types.Log { return append(ls, ls...) }}
	res, err := newScanner(t, testConfig(&sleeper{}), dup).Scan(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	checkTotals(t, c, res)
}

func TestCachePersists(t *testing.T) {
	dir := t.TempDir()
	c := newChain(200)
	cfg := testConfig(&sleeper{})
	cfg.DataDir = dir
	if _, err := newScanner(t, cfg, &reader{c: c}).Scan(t.Context()); err != nil {
		t.Fatal(err)
	}
	c.setHead(230)
	r := &reader{c: c}
	res, err := newScanner(t, cfg, r).Scan(t.Context()) // a restarted validator
	if err != nil {
		t.Fatal(err)
	}
	checkTotals(t, c, res)
	if got := r.getRanges(); !reflect.DeepEqual(got, [][2]uint64{{186, 215}, {216, 225}}) {
		t.Errorf("Scan() after restart requested %v, want only new blocks and the margin", got)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, cacheFile+".tmp-*")); len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestUnusableCacheRescans(t *testing.T) {
	tests := []struct {
		name  string
		write func(t *testing.T, path string)
	}{
		{"garbage", func(t *testing.T, p string) { mustWrite(t, p, "{not json") }},
		{"unknown field", func(t *testing.T, p string) {
			mustWrite(t, p, `{"version":1,"contract":"`+contract.Hex()+`","from":0,"through":10,"records":[],"extra":1}`)
		}},
		{"other contract", func(t *testing.T, p string) {
			mustWrite(t, p, `{"version":1,"contract":"0x0000000000000000000000000000000000000001","from":95,"through":195,"records":[]}`)
		}},
		{"future version", func(t *testing.T, p string) {
			mustWrite(t, p, `{"version":2,"contract":"`+contract.Hex()+`","from":95,"through":195,"records":[]}`)
		}},
		{"record outside its range", func(t *testing.T, p string) {
			mustWrite(t, p, `{"version":1,"contract":"`+contract.Hex()+`","from":95,"through":195,"records":[{"block":5,"index":0,"block_hash":"0x0000000000000000000000000000000000000000000000000000000000000000","tx":"0x0000000000000000000000000000000000000000000000000000000000000000","channel":"0x0000000000000000000000000000000000000000000000000000000000000000","provider":"0x0000000000000000000000000000000000000001","amount":"5"}]}`)
		}},
		{"bad amount", func(t *testing.T, p string) {
			mustWrite(t, p, `{"version":1,"contract":"`+contract.Hex()+`","from":95,"through":195,"records":[{"block":100,"index":0,"block_hash":"0x0000000000000000000000000000000000000000000000000000000000000000","tx":"0x0000000000000000000000000000000000000000000000000000000000000000","channel":"0x0000000000000000000000000000000000000000000000000000000000000000","provider":"0x0000000000000000000000000000000000000001","amount":"-5"}]}`)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.write(t, filepath.Join(dir, cacheFile))
			c := newChain(200)
			r := &reader{c: c}
			cfg := testConfig(&sleeper{})
			cfg.DataDir = dir
			res, err := newScanner(t, cfg, r).Scan(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			checkTotals(t, c, res)
			if got := len(r.getRanges()); got != 4 {
				t.Errorf("Scan() over an unusable cache made %d requests, want a full rescan (4)", got)
			}
		})
	}
}

func mustWrite(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCacheRoundTrip(t *testing.T) {
	c := &cache{valid: true, from: 10, through: 20, records: []Claim{
		mustDecode(t, claimLog(11, 0, provider(1), 5)),
		mustDecode(t, claimLog(12, 3, provider(2), 1<<62)),
	}}
	b, err := encodeCache(c, contract)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeCache(b, contract)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, c) {
		t.Errorf("decodeCache(encodeCache(c)) = %+v, want %+v", got, c)
	}
}

func TestNewRejects(t *testing.T) {
	if _, err := New(Config{}, Endpoint{Reader: &reader{c: &chain{}}}); err == nil {
		t.Error("New() without a contract succeeded")
	}
	if _, err := New(Config{Contract: contract}); err == nil {
		t.Error("New() without endpoints succeeded")
	}
	if _, err := New(Config{Contract: contract}, Endpoint{}); err == nil {
		t.Error("New() with a nil reader succeeded")
	}
}

func TestContextCancelled(t *testing.T) {
	c := newChain(200)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := newScanner(t, testConfig(&sleeper{}), &reader{c: c}).Scan(ctx)
	if err == nil {
		t.Fatal("Scan() with a cancelled context succeeded")
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Scan() error = %v, want context.Canceled", err)
	}
}

// TestTwoScannersAgree: a validator that scanned incrementally through
// flaky endpoints and one that starts fresh with another chunk size read
// the same totals at the same head.
func TestTwoScannersAgree(t *testing.T) {
	c := newChain(150)
	cfgA := testConfig(&sleeper{})
	cfgA.DataDir = t.TempDir()
	flaky := &reader{c: c, fail: func(_ string, _, _ uint64, n int) bool { return n%3 == 0 }}
	a := newScanner(t, cfgA, flaky, &reader{c: c})
	for _, h := range []uint64{150, 170, 171, 230, 260} {
		c.setHead(h)
		if _, err := a.Scan(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	c.setHead(290)
	ra, err := a.Scan(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	cfgB := testConfig(&sleeper{})
	cfgB.ChunkSize = 7
	rb, err := newScanner(t, cfgB, &reader{c: c}).Scan(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ra.Requested, rb.Requested = 0, 0
	if !reflect.DeepEqual(ra, rb) {
		t.Errorf("incremental scanner = %+v, fresh scanner = %+v, want equal", ra, rb)
	}
	checkTotals(t, c, ra)
}
