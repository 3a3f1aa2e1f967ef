package replica

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"testing"
)

func TestKeyUsesHexPart(t *testing.T) {
	h := "a3f2b1c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2"
	want := sha256.Sum256([]byte(h))
	if got := Key("v1::" + h); got != want {
		t.Errorf("Key(v1::%s) = %x, want %x", h, got, want)
	}
	if got := Key(h); got != want {
		t.Errorf("Key(%s) = %x, want %x", h, got, want)
	}
}

// TestAssignMatchesBruteForce checks Assign against choosing the minimum
// distance n times by hand.
func TestAssignMatchesBruteForce(t *testing.T) {
	var hotkeys []string
	for i := range 12 {
		hotkeys = append(hotkeys, fmt.Sprintf("5Hotkey%02d", i))
	}
	for c := range 50 {
		cid := fmt.Sprintf("v1::%064x", c*7919)
		got := Assign(cid, hotkeys, Factor)
		var want []int
		used := map[int]bool{}
		for range Factor {
			best := -1
			var bestD [32]byte
			for i, hk := range hotkeys {
				if used[i] {
					continue
				}
				d := Distance(NodeID(hk), Key(cid))
				if best < 0 || bytes.Compare(d[:], bestD[:]) < 0 {
					best, bestD = i, d
				}
			}
			used[best] = true
			want = append(want, best)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("Assign(%s) = %v, want %v", cid, got, want)
		}
	}
}

func TestAssignFewNodes(t *testing.T) {
	if got := Assign("v1::00", []string{"a", "b"}, 3); len(got) != 2 {
		t.Errorf("Assign with 2 nodes = %v, want 2 entries", got)
	}
	if got := Assign("v1::00", nil, 3); len(got) != 0 {
		t.Errorf("Assign with no nodes = %v, want none", got)
	}
}

func TestNodeIDIsSHA256OfAddress(t *testing.T) {
	addr := "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
	want, _ := hex.DecodeString(fmt.Sprintf("%x", sha256.Sum256([]byte(addr))))
	if got := NodeID(addr); !bytes.Equal(got[:], want) {
		t.Errorf("NodeID(%s) = %x, want %x", addr, got, want)
	}
}
