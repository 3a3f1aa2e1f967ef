// Package provider is the payment side of an OpenAI-compatible DRAIN
// provider: HTTP middleware that admits requests paid with X-DRAIN-Voucher
// vouchers, a durable voucher log, and a claim loop that redeems the
// highest voucher per channel on chain.
//
// Request flow ([Provider.Handler]): decode the voucher; estimate the
// request's cost ([Pricer]); under a per-channel lock check the channel on
// chain (exists, ours, not expiring within ExpiryMargin), the amount
// (covers charged-so-far plus the estimate, within the deposit), the nonce
// (above the last recorded) and the signer (the consumer); run the wrapped
// handler; charge the actual cost from the reported usage; persist the
// voucher (fsync); only then send the final bytes with the X-DRAIN-*
// result headers. Failures answer 402 with X-DRAIN-Error and the
// X-Payment-* discovery headers.
//
// Claims ([Provider.Run], [Provider.ClaimOnce]) are sent one at a time, and
// a voucher is marked claimed only after a successful receipt (or when the
// chain shows it can never be claimed).
//
// Voucher log format (one JSON object per line, appended and fsynced):
//
//	{"type":"voucher","channelId":"0x…","amount":"N","nonce":"N","signature":"0x…","charged":"N"}
//	{"type":"claimed","channelId":"0x…","amount":"N","tx":"0x…"}
//
// Replay keeps per channel the last voucher and charged total and the
// highest claimed amount; a torn last line is truncated on open.
package provider
