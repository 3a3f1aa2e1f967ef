package voucher

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func validHeader(t testing.TB) (string, Signed) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatal(err)
	}
	s, err := DecodeHeader(vs[0].Header)
	if err != nil {
		t.Fatal(err)
	}
	return vs[0].Header, s
}

// headerWith returns the first vector's header with field set to value
// (or removed when value is nil).
func headerWith(t testing.TB, field string, value any) string {
	h, _ := validHeader(t)
	var m map[string]any
	json.Unmarshal([]byte(h), &m)
	if value == nil {
		delete(m, field)
	} else {
		m[field] = value
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func TestDecodeHeader(t *testing.T) {
	h, want := validHeader(t)
	var m map[string]string
	json.Unmarshal([]byte(h), &m)
	sig := m["signature"]
	v0 := sig[:len(sig)-2] + "0" + string(rune(sig[len(sig)-1]-'b'+'0')) // 1b/1c -> 00/01
	highS := sig[:66] + "ff" + sig[68:]
	cases := []struct {
		name string
		in   string
		ok   bool
	}{
		{"valid", h, true},
		{"extra field", headerWith(t, "extra", "x"), true},
		{"no 0x", headerWith(t, "channelId", strings.TrimPrefix(m["channelId"], "0x")), true},
		{"upper hex", headerWith(t, "channelId", "0x"+strings.ToUpper(m["channelId"][2:])), true},
		{"v as 0/1", headerWith(t, "signature", v0), true},
		{"surrounding space", " " + h + " \t", true},
		{"empty", "", false},
		{"not json", "channelId=1", false},
		{"array", "[]", false},
		{"null", "null", false},
		{"trailing garbage", h + "x", false},
		{"two objects", h + h, false},
		{"missing channelId", headerWith(t, "channelId", nil), false},
		{"missing amount", headerWith(t, "amount", nil), false},
		{"missing nonce", headerWith(t, "nonce", nil), false},
		{"missing signature", headerWith(t, "signature", nil), false},
		{"empty amount", headerWith(t, "amount", ""), false},
		{"numeric amount", headerWith(t, "amount", 5), false},
		{"negative amount", headerWith(t, "amount", "-5"), false},
		{"plus amount", headerWith(t, "amount", "+5"), false},
		{"hex amount", headerWith(t, "amount", "0x10"), false},
		{"amount 2^256", headerWith(t, "amount", "115792089237316195423570985008687907853269984665640564039457584007913129639936"), false},
		{"short channelId", headerWith(t, "channelId", m["channelId"][:64]), false},
		{"bad hex channelId", headerWith(t, "channelId", "0x"+strings.Repeat("zz", 32)), false},
		{"short signature", headerWith(t, "signature", sig[:130]), false},
		{"high-s signature", headerWith(t, "signature", highS), false},
		{"v 29", headerWith(t, "signature", sig[:130]+"1d"), false},
		{"too long", headerWith(t, "pad", strings.Repeat("a", MaxHeaderLen)), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := DecodeHeader(c.in)
			if !c.ok {
				if !errors.Is(err, ErrInvalidHeader) {
					t.Errorf("DecodeHeader(%q) = %+v, %v; want ErrInvalidHeader", c.in, got, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("DecodeHeader(%q) = %v, want success", c.in, err)
			}
			if got.ChannelID != want.ChannelID || got.Amount.Cmp(want.Amount) != 0 || got.Nonce.Cmp(want.Nonce) != 0 ||
				string(got.Signature) != string(want.Signature) {
				t.Errorf("DecodeHeader(%q) = %+v, want %+v", c.in, got, want)
			}
		})
	}
}

func TestEncodeHeaderRoundTrip(t *testing.T) {
	h, s := validHeader(t)
	if got := EncodeHeader(s); got != h {
		t.Errorf("EncodeHeader(DecodeHeader(h)) = %s, want %s", got, h)
	}
}

// FuzzDecodeHeader checks that the decoder never panics and that whatever
// it accepts re-encodes to a value that decodes to the same voucher.
func FuzzDecodeHeader(f *testing.F) {
	h, _ := validHeader(f)
	f.Add(h)
	b, _ := os.ReadFile(filepath.Join("testdata", "vectors.json"))
	var vs []vector
	json.Unmarshal(b, &vs)
	for _, v := range vs {
		f.Add(v.Header)
	}
	f.Add(headerWith(f, "amount", "-1"))
	f.Add(headerWith(f, "signature", "0x"))
	f.Add(`{"channelId":"","amount":"","nonce":"","signature":""}`)
	f.Fuzz(func(t *testing.T, in string) {
		s, err := DecodeHeader(in)
		if err != nil {
			if !errors.Is(err, ErrInvalidHeader) {
				t.Fatalf("DecodeHeader(%q) = %v, want ErrInvalidHeader", in, err)
			}
			return
		}
		enc := EncodeHeader(s)
		s2, err := DecodeHeader(enc)
		if err != nil {
			t.Fatalf("DecodeHeader(EncodeHeader(%q)) = %v", in, err)
		}
		if s2.ChannelID != s.ChannelID || s2.Amount.Cmp(s.Amount) != 0 || s2.Nonce.Cmp(s.Nonce) != 0 || string(s2.Signature) != string(s.Signature) {
			t.Fatalf("round trip of %q: %+v, want %+v", in, s2, s)
		}
		if EncodeHeader(s2) != enc {
			t.Fatalf("EncodeHeader not stable for %q", in)
		}
	})
}
