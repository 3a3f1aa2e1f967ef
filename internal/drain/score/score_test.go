package score

import (
	"encoding/json"
	"errors"
	"flag"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

func addr(b byte) common.Address { return common.Address{19: b} }

func claims(kv ...any) map[common.Address]*big.Int {
	m := map[common.Address]*big.Int{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(common.Address)] = big.NewInt(int64(kv[i+1].(int)))
	}
	return m
}

func valid(uid uint16, wallet common.Address, reg uint64) Miner {
	return Miner{UID: uid, Hotkey: hk(uid), RegisteredAt: reg, Responded: true, ProofValid: true, Wallet: wallet}
}

// rw is the reward for a claims share, computed at run time in float64
// (constant arithmetic would be exact and differ in the last bit).
func rw(share float64) float64 {
	avail, w := 0.4, 0.6
	return avail + float64(w*share)
}

func hk(uid uint16) string { return "hotkey-" + string(rune('A'+uid)) }

func TestMaxClaims(t *testing.T) {
	tests := []struct {
		name string
		in   map[common.Address]*big.Int
		want int64
	}{
		{"nil", nil, 1},
		{"empty", map[common.Address]*big.Int{}, 1},
		{"all zero", claims(addr(1), 0), 1},
		{"max over all", claims(addr(1), 5, addr(2), 900, addr(3), 12), 900},
		{"nil value ignored", map[common.Address]*big.Int{addr(1): nil, addr(2): big.NewInt(3)}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaxClaims(tt.in); got.Int64() != tt.want {
				t.Errorf("MaxClaims(%v) = %v, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestRewards(t *testing.T) {
	p := DefaultParams()
	big1 := new(big.Int).Lsh(big.NewInt(1), 200) // beyond float64's exact range
	tests := []struct {
		name    string
		miners  []Miner
		claims  map[common.Address]*big.Int
		rewards []float64
		reasons []Reason
		max     string
	}{
		{
			name:    "no claims anywhere: availability only",
			miners:  []Miner{valid(0, addr(1), 10), valid(1, addr(2), 11)},
			rewards: []float64{0.4, 0.4},
			reasons: []Reason{ReasonScored, ReasonScored},
			max:     "1",
		},
		{
			name: "every failure row scores zero",
			miners: []Miner{
				{UID: 0, Hotkey: hk(0)},
				{UID: 1, Hotkey: hk(1), Responded: true},
				{UID: 2, Hotkey: hk(2), Responded: true, Wallet: addr(2)},
				{UID: 3, Hotkey: hk(3), ProofValid: true, Wallet: addr(3)},
			},
			claims:  claims(addr(2), 100, addr(3), 100),
			rewards: []float64{0, 0, 0, 0},
			reasons: []Reason{ReasonNoResponse, ReasonNoWallet, ReasonInvalidProof, ReasonNoResponse},
			max:     "100",
		},
		{
			name:    "share relative to the top address, non-miners included",
			miners:  []Miner{valid(0, addr(1), 1), valid(1, addr(2), 1)},
			claims:  claims(addr(1), 250, addr(2), 1000, addr(9), 2000),
			rewards: []float64{rw(0.125), rw(0.5)},
			reasons: []Reason{ReasonScored, ReasonScored},
			max:     "2000",
		},
		{
			name:    "top provider gets 1.0",
			miners:  []Miner{valid(0, addr(1), 1)},
			claims:  claims(addr(1), 7),
			rewards: []float64{1},
			reasons: []Reason{ReasonScored},
			max:     "7",
		},
		{
			name: "one wallet one UID: earliest registration wins",
			miners: []Miner{
				valid(0, addr(1), 50), valid(1, addr(1), 20), valid(2, addr(1), 30),
			},
			claims:  claims(addr(1), 10),
			rewards: []float64{0, 1, 0},
			reasons: []Reason{ReasonDuplicateWallet, ReasonScored, ReasonDuplicateWallet},
			max:     "10",
		},
		{
			name:    "one wallet one UID: same block, lowest UID wins",
			miners:  []Miner{valid(0, addr(2), 5), valid(1, addr(1), 5), valid(2, addr(1), 5)},
			rewards: []float64{0.4, 0.4, 0},
			reasons: []Reason{ReasonScored, ReasonScored, ReasonDuplicateWallet},
			max:     "1",
		},
		{
			name: "invalid proof does not take a wallet from a valid later UID",
			miners: []Miner{
				{UID: 0, Hotkey: hk(0), RegisteredAt: 1, Responded: true, Wallet: addr(1)},
				valid(1, addr(1), 9),
			},
			rewards: []float64{0, 0.4},
			reasons: []Reason{ReasonInvalidProof, ReasonScored},
			max:     "1",
		},
		{
			name:    "huge integers stay exact until the ratio",
			miners:  []Miner{valid(0, addr(1), 1)},
			claims:  map[common.Address]*big.Int{addr(1): new(big.Int).Rsh(big1, 1), addr(2): big1},
			rewards: []float64{rw(0.5)},
			reasons: []Reason{ReasonScored},
			max:     big1.String(),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, mc, err := Rewards(Round{Miners: tt.miners, Claims: tt.claims}, p)
			if err != nil {
				t.Fatalf("Rewards() error = %v", err)
			}
			if mc.String() != tt.max {
				t.Errorf("Rewards() max_claims = %v, want %s", mc, tt.max)
			}
			for i, r := range got {
				if r.Reward != tt.rewards[i] || r.Reason != tt.reasons[i] {
					t.Errorf("Rewards() uid %d = (%v, %s), want (%v, %s)", r.UID, r.Reward, r.Reason, tt.rewards[i], tt.reasons[i])
				}
			}
		})
	}
}

func TestStepInvalidInput(t *testing.T) {
	prev := State{Step: 3, Scores: []float32{0.5}, Hotkeys: []string{"x"}}
	tests := []struct {
		name string
		r    Round
		p    Params
		want error
	}{
		{"gap in UIDs", Round{Miners: []Miner{{UID: 0}, {UID: 2}}}, DefaultParams(), ErrUIDs},
		{"duplicate UID", Round{Miners: []Miner{{UID: 0}, {UID: 0}}}, DefaultParams(), ErrUIDs},
		{"negative claims", Round{Miners: []Miner{{UID: 0}}, Claims: claims(addr(1), -1)}, DefaultParams(), ErrNegativeClaims},
		{"alpha above 1", Round{Miners: []Miner{{UID: 0}}}, Params{Alpha: 1.5}, ErrParams},
		{"NaN weight", Round{Miners: []Miner{{UID: 0}}}, Params{WeightClaims: math.NaN()}, ErrParams},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, next, err := Step(prev, tt.r, tt.p)
			if !errors.Is(err, tt.want) {
				t.Errorf("Step() error = %v, want %v", err, tt.want)
			}
			if !reflect.DeepEqual(next, prev) {
				t.Errorf("Step() state = %+v on error, want unchanged %+v", next, prev)
			}
		})
	}
}

func TestStepEMA(t *testing.T) {
	p := DefaultParams()
	r := Round{Miners: []Miner{valid(0, addr(1), 1), {UID: 1, Hotkey: hk(1)}}, Claims: claims(addr(1), 10)}
	var st State
	var res Result
	var err error
	want := float32(0)
	for i := range 5 {
		res, st, err = Step(st, r, p)
		if err != nil {
			t.Fatal(err)
		}
		want = float32(float32(0.1)*1) + float32(float32(0.9)*want)
		if st.Scores[0] != want || st.Step != uint64(i+1) {
			t.Fatalf("Step() round %d score = %v step %d, want %v step %d", i, st.Scores[0], st.Step, want, i+1)
		}
	}
	if res.Weights[0] != 1 || len(res.Weights) != 1 {
		t.Errorf("Step() weights = %v, want {0: 1}", res.Weights)
	}
}

func TestStepResync(t *testing.T) {
	p := DefaultParams()
	prev := State{Step: 7, Scores: []float32{0.5, 0.5, float32(math.NaN())}, Hotkeys: []string{hk(0), "old", hk(2)}}
	r := Round{Miners: []Miner{
		{UID: 0, Hotkey: hk(0)}, {UID: 1, Hotkey: hk(1)}, {UID: 2, Hotkey: hk(2)}, {UID: 3, Hotkey: hk(3)},
	}}
	_, next, err := Step(prev, r, p)
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{0.45, 0, 0, 0}
	if !reflect.DeepEqual(next.Scores, want) {
		t.Errorf("Step() scores = %v, want %v (hotkey change zeroes, NaN zeroes, growth starts at 0)", next.Scores, want)
	}
	// Shrinking drops the tail.
	_, next, err = Step(next, Round{Miners: r.Miners[:1]}, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(next.Scores) != 1 || len(next.Hotkeys) != 1 {
		t.Errorf("Step() after shrink = %+v, want 1 UID", next)
	}
}

func TestStepAllZeroSendsNothing(t *testing.T) {
	res, _, err := Step(State{}, Round{Miners: []Miner{{UID: 0}, {UID: 1}}}, DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Weights) != 0 {
		t.Errorf("Step() weights = %v, want none", res.Weights)
	}
}

// scenario is a deterministic multi-round input used by the golden and
// determinism tests.
func scenario() []Round {
	var rounds []Round
	for k := range 6 {
		var ms []Miner
		for uid := range uint16(12) {
			m := Miner{UID: uid, Hotkey: hk(uid), RegisteredAt: uint64(100 - uid)}
			m.Responded = (int(uid)+k)%5 != 0
			m.ProofValid = uid%4 != 3
			m.Wallet = addr(byte(uid%9 + 1)) // UIDs 0 and 9 share a wallet, so do 1 and 10, 2 and 11
			if uid == 7 {
				m.Wallet = common.Address{}
			}
			if k >= 3 && uid == 5 {
				m.Hotkey = "replaced"
			}
			ms = append(ms, m)
		}
		c := map[common.Address]*big.Int{}
		for w := range byte(12) {
			c[addr(w+1)] = big.NewInt(int64(w)*1_234_567 + int64(k)*98_765)
		}
		c[common.HexToAddress("0x00000000000000000000000000000000000000ff")] = big.NewInt(40_000_000) // non-miner top provider
		rounds = append(rounds, Round{Miners: ms, Claims: c})
	}
	return rounds
}

func runScenario(t *testing.T, rounds []Round, shuffle *rand.Rand) (Result, State) {
	t.Helper()
	var st State
	var res Result
	for _, r := range rounds {
		if shuffle != nil {
			ms := append([]Miner(nil), r.Miners...)
			shuffle.Shuffle(len(ms), func(i, j int) { ms[i], ms[j] = ms[j], ms[i] })
			// Rebuild the claims map so its internal order differs too.
			c := map[common.Address]*big.Int{}
			keys := make([]common.Address, 0, len(r.Claims))
			for a := range r.Claims {
				keys = append(keys, a)
			}
			shuffle.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
			for _, a := range keys {
				c[a] = new(big.Int).Set(r.Claims[a])
			}
			r = Round{Miners: ms, Claims: c}
		}
		// Persist and restore between rounds, as the validator does.
		b, err := json.Marshal(st)
		if err != nil {
			t.Fatal(err)
		}
		var restored State
		if err := json.Unmarshal(b, &restored); err != nil {
			t.Fatal(err)
		}
		res, st, err = Step(restored, r, DefaultParams())
		if err != nil {
			t.Fatal(err)
		}
	}
	return res, st
}

func TestTwoValidatorsAgree(t *testing.T) {
	a, sa := runScenario(t, scenario(), nil)
	for seed := range uint64(5) {
		b, sb := runScenario(t, scenario(), rand.New(rand.NewPCG(seed, seed+1)))
		if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(sa, sb) {
			t.Fatalf("validator with input order seed %d: weights %v, want %v", seed, b.Weights, a.Weights)
		}
		for uid, w := range a.Weights {
			if math.Float64bits(b.Weights[uid]) != math.Float64bits(w) {
				t.Fatalf("weight uid %d = %x, want %x", uid, math.Float64bits(b.Weights[uid]), math.Float64bits(w))
			}
		}
	}
}

func TestGolden(t *testing.T) {
	res, st := runScenario(t, scenario(), nil)
	got, err := json.MarshalIndent(struct {
		Result Result `json:"result"`
		State  State  `json:"state"`
	}{res, st}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "scenario.golden.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create): %v", err)
	}
	if string(got) != string(want) {
		t.Errorf("scenario result differs from %s; rerun with -update and review the diff\ngot:\n%s", path, got)
	}
	var sum float64
	for _, w := range res.Weights {
		sum += w
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("sum of weights = %v, want 1", sum)
	}
}
