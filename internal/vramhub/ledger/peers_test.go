package ledger

import "testing"

func TestPeersByUID(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	ps := f.l.Peers()
	if len(ps) != 5 {
		t.Fatalf("Peers() = %d peers, want 3 miners and 2 validators", len(ps))
	}
	for i, p := range ps {
		if p.UID != uint64(i) || p.Validator != (i >= 3) {
			t.Errorf("Peers()[%d] = uid %d validator %v", i, p.UID, p.Validator)
		}
	}
	// The result is a copy: changing it leaves the ledger alone.
	ps[0].Stake = 0
	if p, _ := f.l.Peer(0); p.Stake == 0 {
		t.Error("Peers() aliases the ledger's state")
	}
}
