package voucher

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
)

var update = flag.Bool("update", false, "rewrite testdata/vectors.json")

// vector is one entry of testdata/vectors.json.
type vector struct {
	Name      string `json:"name"`
	Key       string `json:"key"`
	Signer    string `json:"signer"`
	ChainID   string `json:"chainId"`
	Contract  string `json:"contract"`
	ChannelID string `json:"channelId"`
	Amount    string `json:"amount"`
	Nonce     string `json:"nonce"`
	Separator string `json:"domainSeparator"`
	Digest    string `json:"digest"`
	Signature string `json:"signature"`
	Header    string `json:"header"`
}

func testKey(i int) string {
	return hex.EncodeToString(crypto.Keccak256([]byte(fmt.Sprintf("voucher-test-%d", i))))
}

// vectorInputs are the inputs of the committed vectors; the outputs are
// computed with -update and checked otherwise.
func vectorInputs() []vector {
	max := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1)).String()
	return []vector{
		{Name: "polygon-v1", Key: testKey(0), ChainID: "137", Contract: "0x1C1918C99b6DcE977392E4131C91654d8aB71e64",
			ChannelID: "0x" + hex.EncodeToString(crypto.Keccak256([]byte("channel-1"))), Amount: "1500000", Nonce: "1"},
		{Name: "amoy-v1", Key: testKey(1), ChainID: "80002", Contract: "0x61f1C1E04d6Da1C92D0aF1a3d7Dc0fEFc8794d7C",
			ChannelID: "0x" + hex.EncodeToString(crypto.Keccak256([]byte("channel-2"))), Amount: "42", Nonce: "7"},
		{Name: "simulated-zero", Key: testKey(2), ChainID: "1337", Contract: "0x0000000000000000000000000000000000000001",
			ChannelID: "0x" + hex.EncodeToString(make([]byte, 32)), Amount: "0", Nonce: "0"},
		{Name: "max-values", Key: testKey(3), ChainID: "137", Contract: "0x0C2B3aA1e80629D572b1f200e6DF3586B3946A8A",
			ChannelID: "0x" + hex.EncodeToString(crypto.Keccak256([]byte("channel-3"))), Amount: max, Nonce: max},
	}
}

func mustBig(t *testing.T, s string) *big.Int {
	t.Helper()
	x, ok := new(big.Int).SetString(s, 10)
	if !ok {
		t.Fatalf("bad decimal %q", s)
	}
	return x
}

func (v vector) inputs(t *testing.T) (Domain, Voucher) {
	return Domain{ChainID: mustBig(t, v.ChainID), VerifyingContract: common.HexToAddress(v.Contract)},
		Voucher{ChannelID: common.HexToHash(v.ChannelID), Amount: mustBig(t, v.Amount), Nonce: mustBig(t, v.Nonce)}
}

func compute(t *testing.T, in vector) vector {
	t.Helper()
	key, err := crypto.HexToECDSA(in.Key)
	if err != nil {
		t.Fatal(err)
	}
	d, v := in.inputs(t)
	dig, err := Digest(d, v)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Sign(key, d, v)
	if err != nil {
		t.Fatal(err)
	}
	out := in
	out.Signer = crypto.PubkeyToAddress(key.PublicKey).Hex()
	out.Separator = d.Separator().Hex()
	out.Digest = dig.Hex()
	out.Signature = "0x" + hex.EncodeToString(s.Signature)
	out.Header = EncodeHeader(s)
	return out
}

func TestVectors(t *testing.T) {
	path := filepath.Join("testdata", "vectors.json")
	if *update {
		var vs []vector
		for _, in := range vectorInputs() {
			vs = append(vs, compute(t, in))
		}
		b, _ := json.MarshalIndent(vs, "", "  ")
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) != len(vectorInputs()) {
		t.Fatalf("testdata/vectors.json has %d vectors, want %d (run with -update)", len(vs), len(vectorInputs()))
	}
	for _, want := range vs {
		t.Run(want.Name, func(t *testing.T) {
			if got := compute(t, want); got != want {
				t.Errorf("compute(%s) = %+v, want %+v", want.Name, got, want)
			}
			d, v := want.inputs(t)
			s, err := DecodeHeader(want.Header)
			if err != nil {
				t.Fatalf("DecodeHeader(%s) = %v", want.Header, err)
			}
			if s.ChannelID != v.ChannelID || s.Amount.Cmp(v.Amount) != 0 || s.Nonce.Cmp(v.Nonce) != 0 {
				t.Errorf("DecodeHeader(%s) = %+v, want %+v", want.Header, s.Voucher, v)
			}
			got, err := s.Signer(d)
			if err != nil || got != common.HexToAddress(want.Signer) {
				t.Errorf("Signer = %v, %v; want %s", got, err, want.Signer)
			}
		})
	}
}

// TestDigestMatchesAPITypes checks the digest against go-ethereum's general
// EIP-712 implementation.
func TestDigestMatchesAPITypes(t *testing.T) {
	for _, in := range vectorInputs() {
		t.Run(in.Name, func(t *testing.T) {
			d, v := in.inputs(t)
			td := apitypes.TypedData{
				Types: apitypes.Types{
					"EIP712Domain": {
						{Name: "name", Type: "string"}, {Name: "version", Type: "string"},
						{Name: "chainId", Type: "uint256"}, {Name: "verifyingContract", Type: "address"},
					},
					"Voucher": {
						{Name: "channelId", Type: "bytes32"}, {Name: "amount", Type: "uint256"}, {Name: "nonce", Type: "uint256"},
					},
				},
				PrimaryType: "Voucher",
				Domain: apitypes.TypedDataDomain{
					Name: DomainName, Version: DomainVersion,
					ChainId: (*math.HexOrDecimal256)(d.ChainID), VerifyingContract: d.VerifyingContract.Hex(),
				},
				Message: apitypes.TypedDataMessage{
					"channelId": v.ChannelID.Hex(), "amount": v.Amount.String(), "nonce": v.Nonce.String(),
				},
			}
			want, _, err := apitypes.TypedDataAndHash(td)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Digest(d, v)
			if err != nil {
				t.Fatal(err)
			}
			if got != common.BytesToHash(want) {
				t.Errorf("Digest(%s) = %s, want %x", in.Name, got, want)
			}
			sep, err := td.HashStruct("EIP712Domain", td.Domain.Map())
			if err != nil {
				t.Fatal(err)
			}
			if d.Separator() != common.BytesToHash(sep) {
				t.Errorf("Separator(%s) = %s, want %x", in.Name, d.Separator(), sep)
			}
		})
	}
}

func TestRecover(t *testing.T) {
	key, _ := crypto.HexToECDSA(testKey(0))
	signer := crypto.PubkeyToAddress(key.PublicKey)
	d := Domain{ChainID: big.NewInt(137), VerifyingContract: common.HexToAddress("0x1C1918C99b6DcE977392E4131C91654d8aB71e64")}
	v := Voucher{ChannelID: common.HexToHash("0x01"), Amount: big.NewInt(1000), Nonce: big.NewInt(1)}
	s, err := Sign(key, d, v)
	if err != nil {
		t.Fatal(err)
	}
	mod := func(f func(sig []byte)) []byte {
		out := append([]byte(nil), s.Signature...)
		f(out)
		return out
	}
	highS := mod(func(sig []byte) {
		sv := new(big.Int).SetBytes(sig[32:64])
		copy(sig[32:64], common.LeftPadBytes(new(big.Int).Sub(curveOrder, sv).Bytes(), 32))
		sig[64] ^= 1 // 27 <-> 28: the same key signs with the negated s
	})
	otherDomain := Domain{ChainID: big.NewInt(80002), VerifyingContract: d.VerifyingContract}
	cases := []struct {
		name    string
		d       Domain
		v       Voucher
		sig     []byte
		want    common.Address
		wantErr error
		differs bool // recovers, but someone else
	}{
		{name: "valid", d: d, v: v, sig: s.Signature, want: signer},
		{name: "v 0/1", d: d, v: v, sig: mod(func(sig []byte) { sig[64] -= 27 }), want: signer},
		{name: "high s", d: d, v: v, sig: highS, wantErr: ErrInvalidSignature},
		{name: "short", d: d, v: v, sig: s.Signature[:64], wantErr: ErrInvalidSignature},
		{name: "v 29", d: d, v: v, sig: mod(func(sig []byte) { sig[64] = 29 }), wantErr: ErrInvalidSignature},
		{name: "zero r", d: d, v: v, sig: mod(func(sig []byte) { clear(sig[:32]) }), wantErr: ErrInvalidSignature},
		{name: "zero s", d: d, v: v, sig: mod(func(sig []byte) { clear(sig[32:64]) }), wantErr: ErrInvalidSignature},
		{name: "nil amount", d: d, v: Voucher{ChannelID: v.ChannelID, Nonce: v.Nonce}, sig: s.Signature, wantErr: ErrInvalidVoucher},
		{name: "negative nonce", d: d, v: Voucher{ChannelID: v.ChannelID, Amount: v.Amount, Nonce: big.NewInt(-1)}, sig: s.Signature, wantErr: ErrInvalidVoucher},
		{name: "other domain", d: otherDomain, v: v, sig: s.Signature, differs: true},
		{name: "other amount", d: d, v: Voucher{ChannelID: v.ChannelID, Amount: big.NewInt(1001), Nonce: v.Nonce}, sig: s.Signature, differs: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Recover(c.d, c.v, c.sig)
			switch {
			case c.wantErr != nil:
				if !errors.Is(err, c.wantErr) {
					t.Errorf("Recover(%s) = %v, %v; want error %v", c.name, got, err, c.wantErr)
				}
			case c.differs:
				if err == nil && got == signer {
					t.Errorf("Recover(%s) = %v, want another address", c.name, got)
				}
			default:
				if err != nil || got != c.want {
					t.Errorf("Recover(%s) = %v, %v; want %v", c.name, got, err, c.want)
				}
			}
		})
	}
}

func TestSignIsLowS(t *testing.T) {
	d := Domain{ChainID: big.NewInt(1337)}
	for i := range 32 {
		key, _ := crypto.HexToECDSA(testKey(i))
		s, err := Sign(key, d, Voucher{Amount: big.NewInt(int64(i)), Nonce: big.NewInt(1)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := NormalizeSignature(s.Signature); err != nil || (s.Signature[64] != 27 && s.Signature[64] != 28) {
			t.Fatalf("Sign(key %d) = %x, not a canonical 27/28 low-s signature", i, s.Signature)
		}
	}
}
