package ledger

import (
	"math/bits"

	"github.com/subnetkit/subnetkit/internal/vramhub/rewards"
)

func mul64(a, b uint64) (hi, lo uint64) { return bits.Mul64(a, b) }

// now returns the operation time: the ledger clock never runs backwards, so
// an earlier nowMs is read as the latest applied time.
func (l *Ledger) now(nowMs uint64) uint64 { return max(nowMs, l.s.ClockMs) }

// Credentials are a miner's sealed object-store credentials.
type Credentials struct {
	// Sealed is the encrypted (or, in dev, plaintext) credential record.
	Sealed HexBytes `json:"sealed,omitempty"`
	// EncKind is 2 for threshold IBE, 0 for plaintext (dev only).
	EncKind uint8 `json:"enc_kind,omitempty"`
	// Bucket and AccountID locate the miner's objects.
	Bucket    string `json:"bucket,omitempty"`
	AccountID string `json:"account_id,omitempty"`
}

func (l *Ledger) isAdmin(sender string) error {
	if sender != l.s.Params.Admin {
		return reject(CodeNotAdmin, "sender %s", sender)
	}
	return nil
}

// Transfer moves amount from one address to another. It returns
// [ErrInsufficientBalance], or [ErrBadParams] for an empty recipient.
func (l *Ledger) Transfer(nowMs uint64, from, to string, amount uint64) error {
	now := l.now(nowMs)
	if l.s.Balances[from] < amount {
		return reject(CodeInsufficientBalance, "%s has %d, needs %d", from, l.s.Balances[from], amount)
	}
	if to == "" {
		return reject(CodeBadParams, "empty recipient")
	}
	l.s.Balances[from] -= amount
	l.s.Balances[to] += amount
	l.s.ClockMs = now
	return nil
}

// Premint mints the genesis allocations once. Only the admin may call it.
// It returns [ErrNotAdmin], [ErrAlreadyPreminted], [ErrSupplyCap] when the
// total exceeds HARD_CAP − MINING_CAP, or [ErrBadParams] for an empty
// address.
func (l *Ledger) Premint(nowMs uint64, sender string, allocs []Allocation) error {
	now := l.now(nowMs)
	if err := l.isAdmin(sender); err != nil {
		return err
	}
	if l.s.Preminted {
		return reject(CodeAlreadyPreminted, "")
	}
	var total uint64
	for _, a := range allocs {
		if a.Amount > rewards.HardCap-rewards.MiningCap-total {
			return reject(CodeSupplyCap, "premint above %d", rewards.HardCap-rewards.MiningCap)
		}
		total += a.Amount
		if a.Address == "" {
			return reject(CodeBadParams, "empty address")
		}
	}
	if l.s.Supply+total > rewards.HardCap {
		return reject(CodeSupplyCap, "supply %d + %d", l.s.Supply, total)
	}
	for _, a := range allocs {
		l.s.Balances[a.Address] += a.Amount
	}
	l.s.Supply += total
	l.s.Preminted = true
	l.s.ClockMs = now
	return nil
}

func (l *Ledger) registeredWindow(now uint64) uint64 {
	w, _ := l.Window(now)
	return w
}

// RegisterPeer registers sender as a miner, locking stake from its balance,
// and returns the new uid. It returns [ErrAlreadyRegistered],
// [ErrStakeTooLow], [ErrInsufficientBalance], or [ErrBadParams] when a
// mainnet ledger gets credentials that are not threshold-IBE sealed.
func (l *Ledger) RegisterPeer(nowMs uint64, sender string, stake uint64, cred Credentials) (uint64, error) {
	now := l.now(nowMs)
	if _, ok := l.s.Addresses[sender]; ok || sender == "" {
		return 0, reject(CodeAlreadyRegistered, "address %q", sender)
	}
	if stake < l.s.Params.MinMinerStake {
		return 0, reject(CodeStakeTooLow, "stake %d < %d", stake, l.s.Params.MinMinerStake)
	}
	if l.s.Balances[sender] < stake {
		return 0, reject(CodeInsufficientBalance, "balance %d < stake %d", l.s.Balances[sender], stake)
	}
	if err := l.checkCredentials(cred); err != nil {
		return 0, err
	}
	uid := l.s.NextUID
	l.s.Balances[sender] -= stake
	l.s.Peers[uid] = &Peer{
		UID: uid, Owner: sender, Stake: stake, RegisteredWindow: l.registeredWindow(now), Active: true,
		Sealed: append(HexBytes(nil), cred.Sealed...), EncKind: cred.EncKind, Bucket: cred.Bucket, AccountID: cred.AccountID,
	}
	l.s.Addresses[sender] = uid
	l.s.NextUID++
	l.s.ClockMs = now
	l.emit(Event{Type: EventPeerRegistered, AtMs: now, UID: uid, Address: sender, Amount: stake})
	return uid, nil
}

func (l *Ledger) checkCredentials(cred Credentials) error {
	if l.s.Profile == ProfileMainnet && cred.EncKind != EncSealIBE {
		return reject(CodeBadParams, "mainnet needs encryption kind %d, got %d", EncSealIBE, cred.EncKind)
	}
	if cred.EncKind != EncSealIBE && cred.EncKind != EncPlaintext {
		return reject(CodeBadParams, "encryption kind %d", cred.EncKind)
	}
	return nil
}

// RegisterValidator registers sender as a validator: it burns the bonding
// curve price of the next slot into the vault, locks stake, and issues the
// soulbound [Ticket]. It returns [ErrAlreadyRegistered],
// [ErrValidatorSlotsFull], [ErrStakeTooLow] or [ErrInsufficientBalance].
func (l *Ledger) RegisterValidator(nowMs uint64, sender string, stake uint64) (uint64, Ticket, error) {
	now := l.now(nowMs)
	if _, ok := l.s.Addresses[sender]; ok || sender == "" {
		return 0, Ticket{}, reject(CodeAlreadyRegistered, "address %q", sender)
	}
	slot := l.s.ValidatorCount + 1
	if slot > l.s.Params.MaxValidators {
		return 0, Ticket{}, reject(CodeValidatorSlotsFull, "slot %d > %d", slot, l.s.Params.MaxValidators)
	}
	burn, tier, err := l.s.Params.BurnTiers.Burn(slot)
	if err != nil {
		return 0, Ticket{}, err
	}
	if stake < l.s.Params.MinValidatorStake {
		return 0, Ticket{}, reject(CodeStakeTooLow, "stake %d < %d", stake, l.s.Params.MinValidatorStake)
	}
	bal := l.s.Balances[sender]
	if bal < burn || bal-burn < stake {
		return 0, Ticket{}, reject(CodeInsufficientBalance, "balance %d < stake %d + burn %d", bal, stake, burn)
	}
	uid := l.s.NextUID
	l.s.Balances[sender] -= burn + stake
	l.s.Burned += burn
	l.s.Peers[uid] = &Peer{UID: uid, Owner: sender, Validator: true, Stake: stake, RegisteredWindow: l.registeredWindow(now), Active: true}
	t := Ticket{Slot: slot, Tier: tier, Burned: burn}
	l.s.Tickets[uid] = t
	l.s.Addresses[sender] = uid
	l.s.NextUID++
	l.s.ValidatorCount++
	l.s.ClockMs = now
	l.emit(Event{Type: EventValidatorRegistered, AtMs: now, UID: uid, Address: sender, Slot: slot, Amount: burn})
	return uid, t, nil
}

// UpdateCredentials replaces a miner's credentials. It returns
// [ErrUnknownPeer], [ErrNotOwner] or [ErrBadParams] (see RegisterPeer).
func (l *Ledger) UpdateCredentials(nowMs uint64, sender string, uid uint64, cred Credentials) error {
	now := l.now(nowMs)
	p, ok := l.s.Peers[uid]
	if !ok {
		return reject(CodeUnknownPeer, "uid %d", uid)
	}
	if p.Owner != sender {
		return reject(CodeNotOwner, "uid %d", uid)
	}
	if err := l.checkCredentials(cred); err != nil {
		return err
	}
	p.Sealed = append(HexBytes(nil), cred.Sealed...)
	p.EncKind, p.Bucket, p.AccountID = cred.EncKind, cred.Bucket, cred.AccountID
	l.s.ClockMs = now
	return nil
}

// Slash removes up to amount of uid's locked stake into the vault and
// counts the slash; a peer left with no stake becomes inactive. It returns
// [ErrNotAdmin] or [ErrUnknownPeer].
func (l *Ledger) Slash(nowMs uint64, sender string, uid, amount uint64) error {
	now := l.now(nowMs)
	if err := l.isAdmin(sender); err != nil {
		return err
	}
	p, ok := l.s.Peers[uid]
	if !ok {
		return reject(CodeUnknownPeer, "uid %d", uid)
	}
	cut := min(amount, p.Stake)
	p.Stake -= cut
	l.s.Burned += cut
	if p.Stake == 0 {
		p.Active = false
	}
	if t, ok := l.s.Tickets[uid]; ok {
		t.SlashCount++
		l.s.Tickets[uid] = t
	}
	l.s.ClockMs = now
	return nil
}

// UpdateSplit sets the emission split. It returns [ErrNotAdmin] or
// [ErrBadSplit].
func (l *Ledger) UpdateSplit(nowMs uint64, sender string, split rewards.Split) error {
	p := l.Params()
	p.Split = split
	return l.updateParams(nowMs, sender, p)
}

// UpdateBurnTiers sets the bonding curve prices. It returns [ErrNotAdmin]
// or [ErrBadBurnTiers] unless 0 < t1 ≤ t2 ≤ t3 ≤ t4.
func (l *Ledger) UpdateBurnTiers(nowMs uint64, sender string, tiers BurnTiers) error {
	p := l.Params()
	p.BurnTiers = tiers
	return l.updateParams(nowMs, sender, p)
}

// UpdateExpectedPCRs sets the enclave image measurements; enclaves
// registered with other PCRs can no longer submit. It returns [ErrNotAdmin]
// or [ErrBadParams] for a PCR that is not 48 bytes.
func (l *Ledger) UpdateExpectedPCRs(nowMs uint64, sender string, pcrs [3]HexBytes) error {
	p := l.Params()
	p.ExpectedPCRs = pcrs
	return l.updateParams(nowMs, sender, p)
}

// SetAggregator names the address allowed to anchor checkpoints. It returns
// [ErrNotAdmin].
func (l *Ledger) SetAggregator(nowMs uint64, sender, aggregator string) error {
	p := l.Params()
	p.Aggregator = aggregator
	return l.updateParams(nowMs, sender, p)
}

// UpdateParams replaces every parameter. It returns [ErrNotAdmin], then
// [ErrBadSplit], [ErrBadBurnTiers] or [ErrBadParams] for invalid values.
func (l *Ledger) UpdateParams(nowMs uint64, sender string, p Params) error {
	return l.updateParams(nowMs, sender, clonedParams(p))
}

func (l *Ledger) updateParams(nowMs uint64, sender string, p Params) error {
	now := l.now(nowMs)
	if err := l.isAdmin(sender); err != nil {
		return err
	}
	if err := p.validate(l.s.WindowMs); err != nil {
		return err
	}
	l.s.Params = p
	l.s.ClockMs = now
	return nil
}
