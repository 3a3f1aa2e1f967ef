// Package rewards holds the VRAM HUB emission schedule and the integer
// arithmetic that turns ordinals and stakes into reward weights and payouts.
//
// Everything here is a pure function of its arguments: amounts are u64 base
// units (1 VRAM = 10^9), weights are parts per billion that sum to exactly
// [PPB], and no float touches a result. The ledger calls these functions
// from Finalize; nodes and explorers may call them to predict payouts.
//
// Emission is a function of cumulative mining issuance I only:
//
//	I < 7,000,000 VRAM    70 VRAM per funded window
//	I < 10,500,000 VRAM   35 VRAM per funded window
//	otherwise             0 (mining cap reached)
//
// and a window never emits past the mining cap. Functions are safe for
// concurrent use.
package rewards
