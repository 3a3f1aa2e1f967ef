package voucher

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/common"
)

// HeaderName is the request header a voucher travels in.
const HeaderName = "X-DRAIN-Voucher"

// MaxHeaderLen bounds the header value DecodeHeader accepts; a valid value
// is under 400 bytes.
const MaxHeaderLen = 4096

type headerJSON struct {
	ChannelID string `json:"channelId"`
	Amount    string `json:"amount"`
	Nonce     string `json:"nonce"`
	Signature string `json:"signature"`
}

// EncodeHeader returns the X-DRAIN-Voucher value for s: compact JSON with
// lowercase 0x-hex channelId and signature and decimal amount and nonce.
// A nil Amount or Nonce encodes as "0".
func EncodeHeader(s Signed) string {
	dec := func(x *big.Int) string {
		if x == nil {
			return "0"
		}
		return x.String()
	}
	b, _ := json.Marshal(headerJSON{ // marshalling four strings cannot fail
		ChannelID: "0x" + hex.EncodeToString(s.ChannelID[:]),
		Amount:    dec(s.Amount),
		Nonce:     dec(s.Nonce),
		Signature: "0x" + hex.EncodeToString(s.Signature),
	})
	return string(b)
}

// DecodeHeader parses an X-DRAIN-Voucher value. Every field must be present
// and non-empty: channelId 32 bytes and signature 65 bytes in hex with an
// optional 0x prefix, amount and nonce unsigned decimal below 2^256.
// Unknown fields are ignored. The signature's v is normalised to 27/28
// (0/1 accepted) and must be low-s, so the result can be claimed on chain.
// Every failure returns an error wrapping [ErrInvalidHeader].
func DecodeHeader(value string) (Signed, error) {
	if len(value) == 0 || len(value) > MaxHeaderLen {
		return Signed{}, ErrInvalidHeader
	}
	var h headerJSON
	dec := json.NewDecoder(strings.NewReader(value))
	if err := dec.Decode(&h); err != nil {
		return Signed{}, ErrInvalidHeader
	}
	if strings.TrimSpace(value[dec.InputOffset():]) != "" {
		return Signed{}, ErrInvalidHeader
	}
	id, ok := fixedHex(h.ChannelID, 32)
	if !ok {
		return Signed{}, ErrInvalidHeader
	}
	sig, ok := fixedHex(h.Signature, 65)
	if !ok {
		return Signed{}, ErrInvalidHeader
	}
	if sig, ok = normalized(sig); !ok {
		return Signed{}, ErrInvalidHeader
	}
	amount, ok := decimal(h.Amount)
	if !ok {
		return Signed{}, ErrInvalidHeader
	}
	nonce, ok := decimal(h.Nonce)
	if !ok {
		return Signed{}, ErrInvalidHeader
	}
	return Signed{Voucher: Voucher{ChannelID: common.BytesToHash(id), Amount: amount, Nonce: nonce}, Signature: sig}, nil
}

func normalized(sig []byte) ([]byte, bool) {
	out, err := NormalizeSignature(sig)
	return out, err == nil
}

// fixedHex decodes exactly n bytes of hex with an optional 0x/0X prefix.
func fixedHex(s string, n int) ([]byte, bool) {
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = s[2:]
	}
	if len(s) != 2*n {
		return nil, false
	}
	b, err := hex.DecodeString(s)
	return b, err == nil
}

// decimal parses an unsigned base-10 integer below 2^256: ASCII digits only,
// at most 78 of them.
func decimal(s string) (*big.Int, bool) {
	if len(s) == 0 || len(s) > 78 {
		return nil, false
	}
	if bytes.IndexFunc([]byte(s), func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return nil, false
	}
	x, ok := new(big.Int).SetString(s, 10)
	if !ok || x.Cmp(maxUint256) > 0 {
		return nil, false
	}
	return x, true
}
