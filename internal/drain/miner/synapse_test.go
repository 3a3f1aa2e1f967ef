package miner

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDecodeResponse(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", "responses", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	v := readProofVectors(t)[0]
	tests := []struct {
		name   string
		body   string
		want   Response
		err    bool
		verify bool
	}{
		{"python axon answer", read("python_full.json"), Response{v.Address, strings.TrimPrefix(v.Signature, "0x"), "https://provider.example.com"}, false, true},
		{"our answer", read("ours.json"), Response{v.Address, v.Signature, "https://provider.example.com"}, false, true},
		{"nulls", read("nulls.json"), Response{}, false, false},
		{"absent fields", `{}`, Response{}, false, false},
		{"number wallet", `{"polygon_wallet": 5}`, Response{}, true, false},
		{"object proof", `{"wallet_proof": {}}`, Response{}, true, false},
		{"array", `[]`, Response{}, true, false},
		{"string", `"x"`, Response{}, true, false},
		{"empty", ``, Response{}, true, false},
		{"trailing data", `{} {}`, Response{}, true, false},
		{"truncated", `{"polygon_wallet": "0x`, Response{}, true, false},
		{"too large", `{"api_url": "` + strings.Repeat("a", MaxBodyBytes) + `"}`, Response{}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeResponse([]byte(tt.body))
			if tt.err {
				if !errors.Is(err, ErrBadResponse) {
					t.Errorf("DecodeResponse(%s) error = %v, want ErrBadResponse", tt.name, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("DecodeResponse(%s) = %+v, %v, want %+v", tt.name, got, err, tt.want)
			}
			if _, ok := got.Verify(v.Hotkey); ok != tt.verify {
				t.Errorf("DecodeResponse(%s).Verify() = %v, want %v", tt.name, ok, tt.verify)
			}
		})
	}
}

func TestResponseEncodesNulls(t *testing.T) {
	b, err := json.Marshal(Response{APIURL: "https://x"})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"name":"ProviderCheck","polygon_wallet":null,"wallet_proof":null,"api_url":"https://x"}`
	if string(b) != want {
		t.Errorf("json.Marshal(Response) = %s, want %s", b, want)
	}
}

// FuzzDecodeResponse: no panic, and whatever decodes re-encodes to a body
// that decodes to the same value.
func FuzzDecodeResponse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "responses", "*.json"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"polygon_wallet":"\u0000","api_url":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := DecodeResponse(body)
		if err != nil {
			if !errors.Is(err, ErrBadResponse) {
				t.Fatalf("DecodeResponse() error = %v, want ErrBadResponse", err)
			}
			return
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecodeResponse(b)
		if err != nil || back != r {
			t.Fatalf("DecodeResponse(Marshal(%+v)) = %+v, %v", r, back, err)
		}
		r.Verify("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY")
	})
}
