// Package score is the DRAIN (subnet 58) validator's deterministic scoring
// core: one round's facts about every UID (did it answer the ProviderCheck,
// does its wallet proof verify against the metagraph hotkey, which wallet
// does it name, when did it register) and the claims totals per provider
// address from the ChannelClaimed scan go in; rewards, the moving average
// and normalised weights come out.
//
// Rules (drain.md §1 and §6.3–§6.5):
//
//	reward = 0                                         no response, no wallet, invalid proof,
//	                                                   or not the earliest UID proving its wallet
//	reward = 0.4 + 0.6 · claims[wallet] / max_claims   otherwise
//	max_claims = max over every address in the claims map, or 1 when there is none
//	score ← α·reward + (1 − α)·score                   α = 0.1, float32 state, NaN → 0
//	weight = score / Σ score                           empty when the sum is 0
//
// Claim amounts stay integer USDC base units until the single ratio, which
// is rounded once (big.Rat → float64). Multiplications are wrapped in explicit
// conversions so no platform fuses a multiply-add; UIDs are processed in
// ascending order and map iteration never reaches the output, so two
// validators reading the same chain compute bit-identical weights.
//
// The package is pure: no I/O, clock, randomness, logging or goroutines.
// The validator shell calls [Step] once per round, persists the returned
// [State] (it JSON-encodes), then sets the weights when an epoch is due.
// Functions here never retain or modify their arguments.
package score
