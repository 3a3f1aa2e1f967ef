package ledger

import (
	"maps"
	"math"
	"math/big"
	"slices"

	"github.com/subnetkit/subnetkit/internal/vramhub/rewards"
)

// Finalize closes window w: it takes the stake-weighted consensus of the
// accepted scores, runs one rating update over the scored miners (when
// there are at least two and [Options.Rate] is set), weights miners by
// squared ordinal gap and validators by stake × pairs, and mints the
// window's emission to them. A window without submissions gets an empty
// record and emits nothing. Anyone may call it. It returns
// [ErrWindowNotClosed], [ErrAlreadyFinalized], [ErrFinalizeOrder] (windows
// finalize in order) or [ErrSupplyCap].
func (l *Ledger) Finalize(nowMs uint64, w uint64) (WindowRecord, error) {
	now := l.now(nowMs)
	if w == math.MaxUint64 || now < l.WindowStart(w+1) {
		return WindowRecord{}, reject(CodeWindowNotClosed, "window %d closes at %d", w, l.WindowStart(w+1))
	}
	if w < l.s.NextFinalize {
		return WindowRecord{}, reject(CodeAlreadyFinalized, "window %d", w)
	}
	if w > l.s.NextFinalize {
		return WindowRecord{}, reject(CodeFinalizeOrder, "window %d before %d", w, l.s.NextFinalize)
	}
	rec := WindowRecord{Window: w}
	subs := l.s.Submissions[w]
	if len(subs) == 0 {
		l.s.Windows[w] = rec
		l.s.NextFinalize = w + 1
		l.s.ClockMs = now
		l.emit(Event{Type: EventWindowFinalized, AtMs: now, Window: w})
		return rec, nil
	}

	vuids := sortedKeys(subs)
	rec.Players = consensus(subs, vuids)
	for _, v := range vuids {
		rec.Simulated = rec.Simulated || subs[v].Simulated
	}
	ratings := l.rate(rec.Players)
	ords := make([]int64, len(rec.Players))
	for i, p := range rec.Players {
		ords[i] = ratings[p.UID].Ordinal()
	}
	minerW := rewards.MinerWeights(ords)
	stakes := make([]rewards.Stake, len(vuids))
	for i, v := range vuids {
		stakes[i] = rewards.Stake{Stake: subs[v].Stake, Pairs: uint64(len(subs[v].Pairs))}
	}
	valW := rewards.ValidatorWeights(stakes)

	e := rewards.Emission(l.s.Issued)
	if e > rewards.HardCap-l.s.Supply {
		return WindowRecord{}, reject(CodeSupplyCap, "supply %d + emission %d", l.s.Supply, e)
	}
	mPool, vPool, tPool := l.s.Params.Split.Divide(e)
	rec.Emission, rec.TreasuryAmount = e, tPool
	for i, amt := range rewards.Payout(mPool, minerW) {
		uid := rec.Players[i].UID
		rec.Miners = append(rec.Miners, Payment{UID: uid, Address: l.s.Peers[uid].Owner, Weight: minerW[i], Amount: amt})
	}
	for i, amt := range rewards.Payout(vPool, valW) {
		uid := vuids[i]
		rec.Validators = append(rec.Validators, Payment{UID: uid, Address: l.s.Peers[uid].Owner, Weight: valW[i], Amount: amt})
	}

	// Every check has passed; apply.
	maps.Copy(l.s.Ratings, ratings)
	pay := func(addr string, amt uint64) {
		if amt == 0 {
			return
		}
		l.s.Balances[addr] += amt
		l.s.Earned[addr] += amt
		l.emit(Event{Type: EventRewardPaid, AtMs: now, Window: w, Address: addr, Amount: amt})
	}
	l.emit(Event{Type: EventWindowFinalized, AtMs: now, Window: w, Amount: e, Count: uint64(len(rec.Players)), Simulated: rec.Simulated})
	for _, p := range rec.Miners {
		pay(p.Address, p.Amount)
	}
	for _, p := range rec.Validators {
		pay(p.Address, p.Amount)
	}
	pay(l.s.Params.Treasury, tPool)
	l.s.Supply += e
	l.s.Issued += e
	l.s.Windows[w] = rec
	l.s.NextFinalize = w + 1
	l.s.ClockMs = now
	return rec, nil
}

// consensus returns x_i = floor(Σ st_v·s_i^v / Σ st_v) over the validators
// that scored miner i, for every scored miner in ascending uid order.
func consensus(subs map[uint64]Submission, vuids []uint64) []UIDScore {
	num := map[uint64]*big.Int{}
	den := map[uint64]*big.Int{}
	for _, v := range vuids {
		s := subs[v]
		st := new(big.Int).SetUint64(s.Stake)
		for _, p := range s.Pairs {
			if num[p.UID] == nil {
				num[p.UID], den[p.UID] = new(big.Int), new(big.Int)
			}
			num[p.UID].Add(num[p.UID], new(big.Int).Mul(st, big.NewInt(p.Score)))
			den[p.UID].Add(den[p.UID], st)
		}
	}
	out := make([]UIDScore, 0, len(num))
	for _, uid := range sortedKeys(num) {
		// big.Int.Div is Euclidean: with a positive divisor it floors.
		x := new(big.Int).Div(num[uid], den[uid])
		out = append(out, UIDScore{UID: uid, Score: x.Int64()})
	}
	return out
}

// rate returns the post-update ratings of the players, computed but not
// stored.
func (l *Ledger) rate(players []UIDScore) map[uint64]StoredRating {
	out := make(map[uint64]StoredRating, len(players))
	prior := make(map[uint64]Rating, len(players))
	for _, p := range players {
		r := l.Rating(p.UID)
		out[p.UID] = r
		prior[p.UID] = Rating{Mu: float64(r.MuFp) / 1e9, Sigma: float64(r.SigmaFp) / 1e9}
	}
	if len(players) < 2 || l.opts.Rate == nil {
		return out
	}
	next := l.opts.Rate(slices.Clone(players), prior)
	for _, p := range players {
		r := out[p.UID]
		if n, ok := next[p.UID]; ok {
			mu, okMu := toFp(n.Mu)
			sigma, okSigma := toFp(n.Sigma)
			if okMu && okSigma {
				r.MuFp, r.SigmaFp = mu, sigma
			}
		}
		r.Games++
		out[p.UID] = r
	}
	return out
}

// toFp returns roundHalfEven(x·10^9), and false when that is not finite or
// does not fit the range where an ordinal μ − 3σ cannot overflow.
func toFp(x float64) (int64, bool) {
	v := math.RoundToEven(x * 1e9)
	const limit = 1 << 60
	if math.IsNaN(v) || v >= limit || v <= -limit {
		return 0, false
	}
	return int64(v), true
}

func sortedKeys[V any](m map[uint64]V) []uint64 {
	keys := make([]uint64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
